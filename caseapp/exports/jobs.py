"""Export jobs: recorded by the request, made by a background thread, downloaded by their requester.

A thread in the web process is enough here: a few exports a month, each a few seconds to minutes of pure
Python after a handful of queries. If the process stops mid-job the job shows as interrupted after
STALE_AFTER and can simply be asked for again: it holds no input that would be lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Collection

from flask import Flask, current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import defer

from caseapp.core.db import prepare_write, utcnow
from caseapp.exports.models import KEEP_DAYS, ExportJob, JobStatus
from caseapp.exports.service import monthly_export
from caseapp.extensions import db

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(hours=2)
RECENT = 10
_threads: list[threading.Thread] = []


def request_export(
    *, user_id: int, year: int, month: int, fmt: str, k: int, wards: Collection[int] | None
) -> ExportJob:
    """Record the job and start it (inline when EXPORT_JOBS_INLINE is set, e.g. in most tests)."""
    job = ExportJob(
        requested_by=user_id,
        month=f"{year:04d}-{month:02d}",
        threshold=k,
        fmt=fmt,
        scope=None if wards is None else sorted(wards),
        status=JobStatus.PENDING.value,
    )
    db.session.add(job)
    db.session.commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("EXPORT_JOBS_INLINE"):
        run(job.id)
    else:
        thread = threading.Thread(target=_run_in_app, args=(app, job.id), name="export-job", daemon=True)
        _threads.append(thread)
        thread.start()
    return job


def _run_in_app(app: Flask, job_id: uuid.UUID) -> None:
    with app.app_context():
        try:
            run(job_id)
        finally:
            db.session.remove()


def run(job_id: uuid.UUID) -> None:
    """Make the file; on any failure the job is marked failed (the log has the error, not the data)."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status != JobStatus.PENDING:
        return
    year, month = (int(part) for part in job.month.split("-"))
    try:
        produced = monthly_export(
            year=year,
            month=month,
            fmt=job.fmt,
            k=job.threshold,
            wards=job.scope,
            generated_at=utcnow().replace(microsecond=0),
            actor_id=job.requested_by,
        )
        job = db.session.get(ExportJob, job_id) or job  # the engine ended the read transaction
        job.content, job.sha256 = produced.content, produced.sha256
        job.status, job.finished_at = JobStatus.DONE.value, utcnow()
        db.session.commit()
    except Exception:
        log.exception("export job %s failed", job_id)
        db.session.rollback()
        failed = db.session.get(ExportJob, job_id)
        if failed is not None:
            failed.status, failed.finished_at = JobStatus.FAILED.value, utcnow()
            db.session.commit()


def wait_for_jobs(timeout: float = 60.0) -> None:
    """Join the threads started so far (tests and the command line)."""
    while _threads:
        _threads.pop().join(timeout)


def recent_jobs(user_id: int) -> list[ExportJob]:
    """The user's latest jobs, newest first, without their files; old ones are deleted on the way."""
    expired = ExportJob.requested_at < utcnow() - dt.timedelta(days=KEEP_DAYS)
    if db.session.scalar(select(ExportJob.id).where(expired).limit(1)) is not None:
        prepare_write()  # the page is a GET: see caseapp.core.db
        db.session.execute(delete(ExportJob).where(expired))
        db.session.commit()
    stmt = (
        select(ExportJob)
        .options(defer(ExportJob.content))
        .where(ExportJob.requested_by == user_id)
        .order_by(ExportJob.requested_at.desc())
        .limit(RECENT)
    )
    return list(db.session.scalars(stmt))


def shown_status(job: ExportJob) -> str:
    """pending, done, failed, or interrupted (pending for too long: the process stopped)."""
    if job.status == JobStatus.PENDING and job.requested_at < utcnow() - STALE_AFTER:
        return "interrupted"
    return job.status


def own_job(user_id: int, job_id: uuid.UUID) -> ExportJob | None:
    """A finished job of this user, or None: nobody downloads another person's export."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.requested_by != user_id or job.status != JobStatus.DONE:
        return None
    return job
