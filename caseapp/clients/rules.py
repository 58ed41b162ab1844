"""Pure checks of client data (no database): lengths, dates, phone and ID formats, consent coverage."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping

from caseapp.clients import errors
from caseapp.clients.models import DataCategory
from caseapp.core.crypto import normalise_phone

# the longest text each field takes; forms declare the same limits so the browser stops typing there
MAX_LENGTHS: Mapping[str, int] = {
    "alias": 60,
    "full_name": 120,
    "phone": 30,
    "id_number": 20,
    "address": 300,
    "notes": 2000,
    "eligibility_basis": 300,
}
# personal fields and the data category a consent must cover before they are stored
PERSONAL_FIELDS: Mapping[str, DataCategory] = {
    "alias": DataCategory.IDENTITY,
    "full_name": DataCategory.IDENTITY,
    "id_number": DataCategory.IDENTITY,
    "date_of_birth": DataCategory.IDENTITY,
    "phone": DataCategory.CONTACT_DETAILS,
    "address": DataCategory.CONTACT_DETAILS,
    "notes": DataCategory.CASE_NOTES,
}
# mobile: +84 then 9 digits starting 3, 5, 7, 8 or 9; landline: +84 2 then 9 digits (area code included)
_VN_PHONE = re.compile(r"^\+84(?:[35789][0-9]{8}|2[0-9]{9})$")
_CCCD = re.compile(r"^[0-9]{12}$")
_SPACES = re.compile(r"[\s.\-]")
# a client is at least 10 and at most 100 years old: anything else is a typo in the year
YOUNGEST_AGE, OLDEST_AGE = 10, 100


def earliest_record_date(today: dt.date) -> dt.date:
    """1 January of last year: an older consent or need date is almost always a typo in the year."""
    return dt.date(today.year - 1, 1, 1)


def clean_text(value: str | None) -> str | None:
    """Trimmed text, None when empty."""
    text = (value or "").strip()
    return text or None


def check_length(field: str, value: str | None) -> None:
    if value is not None and len(value) > MAX_LENGTHS[field]:
        raise errors.TextTooLong(field)


def canonical_phone(value: str) -> str:
    """A Vietnamese phone number in one form, +84…; anything else is refused."""
    try:
        phone = normalise_phone(value)
    except ValueError:
        raise errors.InvalidPhone() from None
    if not _VN_PHONE.match(phone):
        raise errors.InvalidPhone()
    return phone


def canonical_id_number(value: str) -> str:
    """A CCCD number: exactly 12 digits (spaces, dots and dashes between groups are dropped)."""
    digits = _SPACES.sub("", unicodedata.normalize("NFKC", value))
    if not _CCCD.match(digits):
        raise errors.InvalidIdNumber()
    return digits


def check_birth_year(birth_year: int, today: dt.date) -> None:
    if not today.year - OLDEST_AGE <= birth_year <= today.year - YOUNGEST_AGE:
        raise errors.InvalidBirthYear()


def check_date_of_birth(date_of_birth: dt.date | None, birth_year: int, today: dt.date) -> None:
    if date_of_birth is None:
        return
    if date_of_birth > today:
        raise errors.DateInFuture("date_of_birth")
    if date_of_birth.year != birth_year:
        raise errors.BirthDateMismatch()


def check_past_date(field: str, value: dt.date, today: dt.date) -> None:
    """A record date: not after today, not before 1 January of last year."""
    if value > today:
        raise errors.DateInFuture(field)
    if value < earliest_record_date(today):
        raise errors.DateTooOld(field)


def check_not_before(field: str, value: dt.date | None, earliest: dt.date) -> None:
    if value is not None and value < earliest:
        raise errors.DateOutOfOrder(field)


def check_choices(field: str, values: Iterable[str], allowed: Iterable[str]) -> None:
    if set(values) - set(allowed):
        raise errors.UnknownChoice(field)


def uncovered_fields(values: Mapping[str, object], categories: Iterable[str]) -> list[str]:
    """Personal fields holding a value whose data category is not among `categories`."""
    covered = set(categories)
    return sorted(
        name
        for name, category in PERSONAL_FIELDS.items()
        if values.get(name) not in (None, "") and category.value not in covered
    )
