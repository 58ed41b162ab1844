"""Load, soak and fault tests for caseapp, on loopback only (docs/operations.md, "Load and faults")."""
