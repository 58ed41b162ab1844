"""Count the SQL statements and ORM objects a block of code causes: N+1 and "no rows in Python" tests.

with count_queries() as log:
    staff.get("/indicators/")
assert log.count == before.count          # does not grow with the data
assert log.loaded("Contact") == 0          # no contact row became a Python object
for statement, parameters in log.selects:  # e.g. EXPLAIN each of them
    ...
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from caseapp.extensions import Model, db

# statements that are transaction plumbing, not queries (SQLite's BEGIN IMMEDIATE, savepoints)
PLUMBING = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass
class QueryLog:
    """The statements run inside the block, and how many ORM objects of each model were loaded."""

    statements: list[tuple[str, Any]] = field(default_factory=list)
    instances: Counter[str] = field(default_factory=Counter)

    @property
    def queries(self) -> list[tuple[str, Any]]:
        return [(s, p) for s, p in self.statements if not s.lstrip().upper().startswith(PLUMBING)]

    @property
    def count(self) -> int:
        """Statements that are queries (transaction plumbing excluded)."""
        return len(self.queries)

    @property
    def selects(self) -> list[tuple[str, Any]]:
        return [(s, p) for s, p in self.queries if s.lstrip().upper().startswith(("SELECT", "WITH"))]

    def loaded(self, model_name: str) -> int:
        """How many instances of a model (by class name) were built from database rows."""
        return self.instances[model_name]


@contextmanager
def count_queries(engine: Engine | None = None) -> Iterator[QueryLog]:
    """Record every statement sent to `engine` (default: the app's) and every ORM object loaded."""
    target = engine if engine is not None else db.engine
    log = QueryLog()

    def before_cursor_execute(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        log.statements.append((statement, parameters))

    def on_load(instance: Any, _context: Any) -> None:
        log.instances[type(instance).__name__] += 1

    event.listen(target, "before_cursor_execute", before_cursor_execute)
    event.listen(Model, "load", on_load, propagate=True)
    try:
        yield log
    finally:
        event.remove(target, "before_cursor_execute", before_cursor_execute)
        event.remove(Model, "load", on_load)
