"""Hypothesis strategies for posting random form data to casework forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from hypothesis import strategies as st

# no lone surrogates: a browser cannot send them either (they are not UTF-8)
CHARS = st.characters(blacklist_categories=("Cs",))
TEXT = st.text(CHARS, max_size=30)
LONG_TEXT = st.builds(lambda ch, n: ch * n, CHARS, st.integers(150, 2100))
DATES = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
DATE_TEXT = st.one_of(
    DATES.map(dt.date.isoformat),
    DATES.map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"),
    st.dates(
        min_value=dt.date.today() - dt.timedelta(days=800), max_value=dt.date.today() + dt.timedelta(days=30)
    ).map(dt.date.isoformat),
)
# what has broken forms before: NUL (PostgreSQL text refuses it), markup, SQL, bidi overrides, huge numbers
NASTY_VALUES = [
    "\x00",
    "HN-\x00",
    "a\x00b",
    "<script>x</script>",
    "'; DROP TABLE contacts;--",
    "\u202e",
    "9" * 40,
]
NASTY = st.sampled_from(NASTY_VALUES)
NUMBERS = st.integers(min_value=-(10**20), max_value=10**20).map(str)


def values(known: Iterable[str] = ()) -> st.SearchStrategy[object]:
    """One posted value, or several under the same name (as checkboxes send them)."""
    one = st.one_of(NASTY, TEXT, LONG_TEXT, DATE_TEXT, NUMBERS, st.sampled_from([*known, "", " ", "null"]))
    return st.one_of(one, st.lists(one, max_size=4))


def form_data(
    fields: dict[str, Iterable[str]], valid: dict[str, object] | None = None
) -> st.SearchStrategy[dict[str, object]]:
    """A form body: each field valid, random or missing, plus a stray field now and then.

    Starting from a valid form most of the time puts one bad value behind otherwise good input, where a
    fully random form would be turned away by the first required field.
    """
    valid = valid or {}
    optional: dict[str, st.SearchStrategy[object]] = {}
    for name, known in fields.items():
        random = values(known)
        optional[name] = (
            st.one_of(st.just(valid[name]), st.just(valid[name]), random) if name in valid else random
        )
    optional["unexpected_field"] = values()
    return st.fixed_dictionaries({}, optional=optional)
