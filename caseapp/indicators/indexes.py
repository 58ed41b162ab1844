"""Indexes the statistics need on other features' tables, declared beside the queries that use them.

caseapp/models.py imports this module so the metadata (and migrations) see them; migration 0005 creates them.
"""

from __future__ import annotations

from sqlalchemy import Index

from caseapp.contacts.models import Contact

# contacts per ward and period, anonymous ones counted apart: answered from the index alone, no row reads
# (the contacts' own (ward_code, contact_date) index lacks client_id, so every contact in range was read)
CONTACTS_WARD_DATE_CLIENT = Index(
    "ix_contacts_ward_date_client", Contact.ward_code, Contact.contact_date, Contact.client_id
)
