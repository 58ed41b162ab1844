"""Service providers: a public directory (names, categories, wards served)."""
