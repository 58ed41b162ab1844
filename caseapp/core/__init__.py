"""What cuts across features: database set-up, access policy, audit, i18n, errors, security headers."""
