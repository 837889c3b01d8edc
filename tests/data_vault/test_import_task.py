"""The import runs in a real Celery worker, queued when the organizer confirms the mapping."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.files import File

from chapters.models import Chapter, Membership
from data_vault.importers.jobs import import_job_confirm, import_job_create
from data_vault.models import ImportJob, Person
from tests.data_vault import import_files as files
from tests.workers import job_wait


@pytest.mark.django_db(transaction=True)
def test_confirming_queues_the_task_and_a_worker_imports_the_file(
    celery_worker: None, chapter: Chapter, organizer: Membership, settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    path = files.write(tmp_path / "ncvoter.txt", files.ncvoter_text())
    with path.open("rb") as stream:
        job = import_job_create(
            chapter=chapter, actor=organizer.user, upload=File(stream, name=path.name), original_name=path.name
        )
    import_job_confirm(job=job, mapping=job.mapping, actor=organizer.user)
    job = job_wait(job)
    assert (job.status, job.created_count, job.phase, job.done, job.total) == (ImportJob.Status.DONE, 3, "Done", 3, 3)
    assert Person.objects.filter(chapter=chapter).count() == 3
    # Confirming again (a double submit) queues nothing new and changes nothing.
    import_job_confirm(job=job, mapping=job.mapping, actor=organizer.user)
    time.sleep(0.5)
    assert Person.objects.filter(chapter=chapter).count() == 3
