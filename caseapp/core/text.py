"""Vietnamese-aware text ordering, for the few lists sorted in Python (decrypted names, ward names)."""

from __future__ import annotations

import unicodedata

# the Vietnamese alphabet order of base letters; tone marks only break ties
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
# marks that make a different letter (ă â ê ô ơ ư), kept with the base letter
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _letters(text: str) -> tuple[list[tuple[int, str]], list[int]]:
    primary: list[tuple[int, str]] = []
    tones: list[int] = []
    for char in text.lower():
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c) or c in _LETTER_MARKS)
        letter = unicodedata.normalize("NFC", base)
        tones.append(next((_TONES[c] for c in decomposed if c in _TONES), 0))
        if letter.isspace():
            primary.append((-1, ""))  # word by word: "Hà Đông" before "Hai Bà Trưng"
        else:
            primary.append((_RANK[letter], "") if letter in _RANK else (len(_ALPHABET), letter))
    return primary, tones


def vietnamese_sort_key(text: str | None) -> tuple[list[tuple[int, str]], list[int]]:
    """Sort key: Vietnamese letter order (a < ă < â < b … d < đ), then tones, so 'Đông' follows 'Dũng'."""
    return _letters(text or "")
