"""The audit trail for supervisors: who did what to the records of their wards, and when."""
