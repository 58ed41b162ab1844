"""Data-subject rights (Law 91/2025/QH15): copy, correction, restriction, erasure; and retention."""
