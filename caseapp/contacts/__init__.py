"""Contacts and consultations, linked to a client or anonymous."""
