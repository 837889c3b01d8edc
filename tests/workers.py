"""Wait for a job the real Celery worker runs."""

from __future__ import annotations

import time
from typing import TypeVar

from core.models import Job

J = TypeVar("J", bound=Job)


def job_wait(job: J, *, seconds: float = 60) -> J:
    """Return the job once the worker has finished it (bounded: this asserts no timing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"{type(job).__name__} {job.pk} did not finish: {job.status} {job.phase}")
