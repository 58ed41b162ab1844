"""Clients: registration with consent, personal fields encrypted, needs and eligibility."""
