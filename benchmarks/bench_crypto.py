"""Reading encrypted values: caseapp's EncryptedText against a plain column and sqlalchemy-utils.

    .venv/bin/python benchmarks/bench_crypto.py             # 20,000 rows (quick)
    .venv/bin/python benchmarks/bench_crypto.py --rows 100000

A script, not a test: timings depend on the machine, so it prints ratios measured in the same run.
Each variant stores the same values in its own table; every read is repeated and the fastest kept.
  orm     load entities and read the attribute (what the views do)
  column  values only: plain and peer select the column; ours selects (id, column) and opens each value,
          because a value is bound to its row; "plain+id" is the plain read of the same two columns
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import String, Unicode, Uuid, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy_utils import StringEncryptedType
from sqlalchemy_utils.types.encrypted.encrypted_type import AesGcmEngine

from caseapp import create_app
from caseapp.core.crypto import EncryptedText
from caseapp.core.crypto.envelope import column_context, pk_context
from caseapp.core.crypto.state import current_state
from caseapp.core.db import new_uuid
from caseapp.extensions import db

PEER_KEY = "benchmark-only-key-not-a-secret-0123456789"


class BenchBase(DeclarativeBase):
    pass


class Plain(BenchBase):
    __tablename__ = "bench_plain"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    value: Mapped[str] = mapped_column(String(200))


class Ours(BenchBase):
    __tablename__ = "bench_ours"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    value: Mapped[str] = mapped_column(EncryptedText)


class Peer(BenchBase):
    __tablename__ = "bench_peer"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    value: Mapped[str] = mapped_column(StringEncryptedType(Unicode, PEER_KEY, AesGcmEngine))


MODELS: tuple[type[Plain] | type[Ours] | type[Peer], ...] = (Plain, Ours, Peer)


def fill(rows: int) -> None:
    values = [f"Nguyễn Thị Hoa {n} – ghi chú ngắn" for n in range(rows)]
    for model in MODELS:
        for start in range(0, rows, 5000):
            db.session.add_all(model(value=v) for v in values[start : start + 5000])
            db.session.commit()
            db.session.expunge_all()


def read_orm(model: type[Plain] | type[Ours] | type[Peer]) -> int:
    db.session.expunge_all()
    total = sum(len(row.value) for row in db.session.scalars(select(model)))
    db.session.expunge_all()
    return total


def read_column(model: type[Plain] | type[Peer]) -> int:
    return sum(len(v) for v in db.session.scalars(select(model.value)))


def read_column_with_ids(model: type[Plain]) -> int:
    return sum(len(value) for _id, value in db.session.execute(select(model.id, model.value)))


def read_column_ours() -> int:
    state = current_state()
    context = column_context(Ours.__tablename__, "value")
    rows = db.session.execute(select(Ours.id, Ours.value))
    return sum(len(state.open(blob, context + pk_context((row_id,))).decode()) for row_id, blob in rows)


def best_of(repeats: int, action: Callable[[], int]) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def measure(repeats: int) -> dict[str, float]:
    cases: dict[str, Callable[[], int]] = {
        "orm plain": lambda: read_orm(Plain),
        "orm ours": lambda: read_orm(Ours),
        "orm peer": lambda: read_orm(Peer),
        "column plain": lambda: read_column(Plain),
        "column plain+id": lambda: read_column_with_ids(Plain),
        "column ours": read_column_ours,
        "column peer": lambda: read_column(Peer),
    }
    timings = {name: float("inf") for name in cases}
    for _ in range(repeats):  # interleaved, so a busy moment on a shared machine hits every variant
        for name, action in cases.items():
            timings[name] = min(timings[name], best_of(1, action))
    return timings


def report(timings: dict[str, float], rows: int) -> None:
    print(f"{rows} values per variant; best of the repeats; µs per value")
    for name, seconds in timings.items():
        print(f"  {name:<16} {seconds * 1e6 / rows:8.2f}")
    for level in ("orm", "column"):
        plain, ours, peer = (timings[f"{level} {v}"] for v in ("plain", "ours", "peer"))
        # below the noise of a shared machine the ratio of overheads means nothing
        extra = ours - plain
        overhead = f"{(peer - plain) / extra:.1f}x" if extra > 0.05 * plain else "n/a (within noise)"
        print(
            f"{level}: ours / plain = {ours / plain:.2f}x (target <= 2)   peer / ours = {peer / ours:.2f}x "
            f"(target >= 5)   decryption cost alone, peer / ours = {overhead}"
        )
    with_ids = timings["column ours"] / timings["column plain+id"]
    print(f"column: ours / plain read with its row ids (which ours needs to open a value) = {with_ids:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("test", instance_path=tmp, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3")
        with app.app_context():
            BenchBase.metadata.create_all(db.engine)
            fill(args.rows)
            report(measure(args.repeats), args.rows)
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
