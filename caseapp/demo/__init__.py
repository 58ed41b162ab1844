"""Synthetic demo data: a living programme year for newcomers, screenshots and benchmarks."""
