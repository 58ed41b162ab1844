"""Referrals to services, followed until the service is used; every status change kept."""
