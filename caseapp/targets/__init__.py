"""Programme targets per year (550 contacts, 60 % service access), set by administrators."""
