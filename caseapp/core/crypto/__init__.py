"""Field-level encryption (placeholder until the encryption issue lands: nothing is encrypted yet)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Load the key ring (not yet implemented)."""
