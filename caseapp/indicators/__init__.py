"""Indicators and supervision: the programme figures (DESIGN.md §4), dashboards and caseload review."""
