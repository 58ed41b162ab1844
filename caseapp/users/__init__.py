"""Staff accounts: roles and ward assignments."""
