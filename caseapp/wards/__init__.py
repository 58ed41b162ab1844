"""Wards and communes of Hà Nội, with their programme cohort."""
