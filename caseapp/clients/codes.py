"""Client codes such as HN-7K3F-9Q: random, so they carry nothing about the person, and easy to read aloud."""

from __future__ import annotations

import re
import secrets

# no 0/O, 1/I/L or U/V pairs: a code read over the phone or copied from paper comes out right
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
PREFIX = "HN"
CODE_PATTERN = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{2}}$")
_SEPARATORS = re.compile(r"[\s\-_.]")


def new_code() -> str:
    """A fresh random code; uniqueness is checked by the caller against the database."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def normalise_code(text: str) -> str | None:
    """What a worker typed ('hn 7k3f9q', '7K3F-9Q') as a code, or None if it cannot be one."""
    compact = _SEPARATORS.sub("", text.strip().upper())
    if len(compact) == 8 and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != 6:
        return None
    code = f"{PREFIX}-{compact[:4]}-{compact[4:]}"
    return code if CODE_PATTERN.match(code) else None
