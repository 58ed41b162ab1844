"""Translation catalogues, one per feature package (caseapp/<feature>/translations/vi/...).

    python scripts/i18n.py update    # extract messages, add new ones to each feature's vi catalogue
    python scripts/i18n.py compile   # .po -> .mo (make does this; .mo files are not committed)
    python scripts/i18n.py fill F.json  # set Vietnamese strings from a {"English": "Tiếng Việt"} file
    python scripts/i18n.py clashes   # messages translated differently by two features (unify fixes them)
    python scripts/i18n.py check     # list untranslated or clashing messages; exit 1 if any

Messages are written in English in the code; Vietnamese is the default language of the UI, so every
message must have a Vietnamese translation (tests/core/test_i18n.py runs `check`).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "caseapp"
LOCALES = ("vi",)
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
# shared templates and the landing page have their messages in core's catalogue
EXTRA_SOURCES = {"core": [PACKAGE / "templates"]}
SKIP = {"templates", "static", "__pycache__"}


def features() -> list[Path]:
    return sorted(p for p in PACKAGE.iterdir() if p.is_dir() and p.name not in SKIP)


def extract(feature: Path) -> Catalog:
    catalog = Catalog(locale=None, project="caseapp")
    for source in [feature, *EXTRA_SOURCES.get(feature.name, [])]:
        methods = METHODS if source == feature else [("**.html", "jinja2.ext:babel_extract")]
        options = {pattern: {"trimmed": "true"} for pattern, _ in methods if pattern.endswith(".html")}
        for filename, lineno, message, comments, context in extract_from_dir(
            str(source), methods, options_map=options, keywords=KEYWORDS
        ):
            catalog.add(
                message,
                None,
                [(str(Path(source.name) / filename), lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def po_path(feature: Path, locale: str) -> Path:
    return feature / "translations" / locale / "LC_MESSAGES" / "messages.po"


def read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale, project="caseapp")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def update() -> None:
    for feature in features():
        template = extract(feature)
        if not len(template):
            continue
        for locale in LOCALES:
            path = po_path(feature, locale)
            catalog = read(path, locale)
            catalog.update(template, no_fuzzy_matching=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            buffer = io.BytesIO()
            write_po(buffer, catalog, width=110, omit_header=False, ignore_obsolete=True)
            # only the creation date changed: keep the file as it is, so commits carry real changes only
            if not path.exists() or _undated(path.read_bytes()) != _undated(buffer.getvalue()):
                path.write_bytes(buffer.getvalue())
            print(f"{path.relative_to(ROOT)}: {len(catalog)} messages")


def _undated(po: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"', b"", po)


def compile_all() -> None:
    for path in sorted(PACKAGE.glob("*/translations/*/LC_MESSAGES/messages.po")):
        catalog = read(path, path.parts[-3])
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


def missing() -> Iterator[str]:
    for feature in features():
        template = extract(feature)
        for locale in LOCALES:
            catalog = read(po_path(feature, locale), locale)
            for message in template:
                if not message.id:
                    continue
                found = catalog.get(message.id, context=message.context)
                strings = found.string if found else None
                values = strings if isinstance(strings, tuple | list) else (strings,)
                if found is None or found.fuzzy or not all(values):
                    yield f"{feature.name} [{locale}]: {message.id!r}"


def fill(translations: dict[str, str]) -> None:
    """Set Vietnamese strings for untranslated messages (used when adding many strings at once)."""
    for feature in features():
        path = po_path(feature, "vi")
        if not path.exists():
            continue
        catalog = read(path, "vi")
        for message in catalog:
            if message.id and not message.string and message.id in translations:
                message.string = translations[message.id]
        with path.open("wb") as handle:
            write_po(handle, catalog, width=110, ignore_obsolete=True)


def clashes() -> Iterator[str]:
    """Messages translated differently in two features: the merged catalogue would show only one."""
    seen: dict[tuple[str, str | None], tuple[str, str]] = {}
    for feature in features():
        path = po_path(feature, "vi")
        if not path.exists():
            continue
        for message in read(path, "vi"):
            if not message.id or not message.string or isinstance(message.id, tuple | list):
                continue
            key = (str(message.id), message.context)
            first = seen.setdefault(key, (feature.name, str(message.string)))
            if first[1] != message.string:
                yield f"{first[0]} and {feature.name} translate {message.id!r} differently"


# where two catalogues disagree, the casework wording wins ("thân chủ" for client, never "đối tượng")
PREFERRED = ("clients", "contacts", "referrals", "core", "indicators")


def unify() -> None:
    """Give every clashing message the translation of the first feature in PREFERRED that has it."""
    chosen: dict[tuple[str, str | None], str] = {}
    order = sorted(features(), key=lambda f: PREFERRED.index(f.name) if f.name in PREFERRED else 99)
    catalogs = {f: read(po_path(f, "vi"), "vi") for f in order if po_path(f, "vi").exists()}
    for catalog in catalogs.values():
        for message in catalog:
            if message.id and message.string and not isinstance(message.id, tuple | list):
                chosen.setdefault((str(message.id), message.context), str(message.string))
    for feature, catalog in catalogs.items():
        changed = False
        for message in catalog:
            best = chosen.get((str(message.id), message.context)) if message.string else None
            if best and message.string != best:
                message.string, changed = best, True
        if changed:
            with po_path(feature, "vi").open("wb") as handle:
                write_po(handle, catalog, width=110, ignore_obsolete=True)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "compile"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "fill":
        import json

        fill(json.loads(Path(argv[2]).read_text(encoding="utf-8")))
    elif command == "unify":
        unify()
    elif command == "clashes":
        found = list(clashes())
        for line in found:
            print(line)
        return 1 if found else 0
    elif command == "check":
        gaps = [*missing(), *clashes()]
        for gap in gaps:
            print(gap)
        return 1 if gaps else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
