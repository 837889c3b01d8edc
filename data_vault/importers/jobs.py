"""
Imports as jobs: the one entry point the page, the API and the command share.

``import_job_create`` checks the upload and guesses the mapping,
``import_job_confirm`` fixes the mapping and queues the task, and
``import_job_run`` (the task's body) imports the file in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from chapters.models import Chapter
from chapters.selectors import membership_get_for_user
from core.errors import ApplicationError
from core.models import AuditEvent, Job, User
from core.services import audit_record, job_cancel_request, job_finish, job_progress, job_start
from core.tasks import TRANSIENT_ERRORS
from data_vault import permissions
from data_vault.importers.archive import archive_check, archive_restore
from data_vault.importers.pipeline import ImportCancelledError, context_build, import_merge, rejections_save
from data_vault.importers.presets import FIELD_NAMES, Mapping_, mapping_check, mapping_guess, preset_detect, preset_get
from data_vault.importers.readers import ImportFileError, TableFile, megabytes, table_open
from data_vault.models import Household, ImportJob, ImportRejection, Person

logger = logging.getLogger(__name__)
SAMPLE_ROWS = 5
RAGGED_CHECK_ROWS = 1000
VAULT_FORMAT = "vault"
LOCK_CLASS = 7301  # pg_advisory_xact_lock(class, chapter): one import merges into a chapter at a time


def import_max_bytes() -> int:
    """Return the upload size limit for imports."""
    return int(getattr(settings, "DATA_VAULT_IMPORT_MAX_BYTES", settings.IMPORT_MAX_UPLOAD_BYTES))


def _header_read(table: TableFile, preset_name: str) -> tuple[str, list[str], list[list[str]]]:
    """Return the preset, header and first rows; refuse ragged rows near the top."""
    try:
        rows = list(islice(table.rows(), RAGGED_CHECK_ROWS + 1))
    except UnicodeDecodeError as error:
        raise ImportFileError("The file's text encoding could not be read.") from error
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportFileError("The file is empty.")
    detected, has_header = preset_detect(rows[0])
    preset = preset_get(preset_name) if preset_name else detected
    if preset.headerless:
        # A header-less layout's file may still carry its own header row.
        has_header = has_header and detected.name == preset.name
        if not has_header and len(rows[0]) != len(preset.columns):
            raise ImportFileError(
                f"A {preset.label} has {len(preset.columns)} columns and no header, "
                f"but this file's first row has {len(rows[0])}."
            )
    else:
        has_header = True
    header = [cell.strip().lstrip("\ufeff") for cell in rows[0]] if has_header else list(preset.columns)
    data = rows[1:] if has_header else rows
    if has_header and len(header) < 2:
        raise ImportFileError("The file has a single column; the vault needs at least a first and a last name.")
    if has_header and not data:
        raise ImportFileError("The file has a header row but no people in it.")
    if has_header and len(set(header)) != len(header):
        repeated = sorted({name for name in header if header.count(name) > 1})
        raise ImportFileError(f"The header names some columns twice: {', '.join(repeated)}.")
    first = 2 if has_header else 1
    if table.file_format == "xlsx":  # a spreadsheet leaves trailing empty cells out
        data = [row + [""] * (len(header) - len(row)) for row in data]
    for offset, row in enumerate(data):
        if len(row) < len(header) or any(cell.strip() for cell in row[len(header) :]):
            raise ImportFileError(
                f"Row {first + offset} has {len(row)} columns but the header has {len(header)}. "
                "The rows are ragged: check the separator and the quoting, then upload the file again."
            )
    return preset.name, header, [row[: len(header)] for row in data[:SAMPLE_ROWS]] if has_header else data[:SAMPLE_ROWS]


@transaction.atomic
def import_job_create(
    *,
    chapter: Chapter,
    actor: User | None,
    upload: File[Any],
    original_name: str,
    source: str = ImportJob.Source.WEB,
    preset: str = "",
    mapping: Mapping[str, Any] | None = None,
    require_mapping: bool = False,
) -> ImportJob:
    """
    Check an uploaded file and keep it as a job, with its header, first rows and a guessed mapping.

    ``require_mapping`` (the API and the command) refuses the file at once when
    the guessed or given mapping misses a required field; the page instead
    shows the mapping screen. A refused file leaves nothing behind.
    """
    size = upload.size or 0
    if size == 0:
        raise ImportFileError("The file is empty.")
    limit = import_max_bytes()
    if size > limit:
        raise ImportFileError(f"The file is {megabytes(size)}; imports are limited to {megabytes(limit)}.")
    if preset:
        preset_get(preset)
    job = ImportJob(
        chapter=chapter,
        created_by=actor,
        original_name=(original_name or "upload")[-255:],
        size_bytes=size,
        source=source,
    )
    job.file.save(job.original_name.rsplit("/", 1)[-1] or "upload", upload, save=False)
    try:
        table = table_open(job.file.path, job.original_name)
        job.file_format, job.encoding, job.delimiter = table.file_format, table.encoding, table.delimiter
        if table.file_format == VAULT_FORMAT:
            job.header, job.sample_rows = archive_check(job.file.path)
            job.save()
            return job
        job.preset, job.header, job.sample_rows = _header_read(table, preset)
        guessed = mapping_guess(job.header, preset_get(job.preset))
        job.mapping = guessed
        if mapping is not None:
            job.mapping = mapping_check(mapping, job.header)
        elif require_mapping:
            job.mapping = mapping_check(guessed, job.header)
        job.save()
    except Exception:
        job.file.delete(save=False)
        raise
    return job


@transaction.atomic
def import_job_confirm(
    *, job: ImportJob, mapping: Mapping[str, Any], actor: User | None, queue: bool = True
) -> ImportJob:
    """Fix the mapping and queue the import task (unless the caller runs it); confirming twice queues it once."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.confirmed_at is not None:
        return locked
    if locked.file_format != VAULT_FORMAT:
        locked.mapping = mapping_check(mapping, locked.header)
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["mapping", "confirmed_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        chapter=locked.chapter,
        target=locked,
        details={"file": locked.original_name, "preset": locked.preset, "source": locked.source},
    )
    if queue:
        from data_vault.tasks import import_job_run_task

        transaction.on_commit(lambda: import_job_run_task.delay(locked.pk))
    return locked


def import_job_cancel(*, job: ImportJob, actor: User) -> None:
    """Ask a queued or running import to stop; what it did so far is rolled back."""
    if job.confirmed_at is None and not job.is_finished:
        job_finish(job, status=Job.Status.CANCELLED)
        return
    job_cancel_request(job, actor=actor)


def _merge_lock(chapter_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, chapter_id])


def import_job_run(
    *, job_id: int, fast: bool | None = None, on_phase: Callable[[str], None] | None = None
) -> ImportJob:
    """
    Import a confirmed job's file; safe to run twice.

    Everything, rejections and the job's counts included, commits in one
    transaction: a failure or a killed worker changes nothing, and running the
    job again after that imports the file once. A finished job is left alone.
    """
    job = ImportJob.objects.select_related("chapter", "created_by").get(pk=job_id)
    if job.is_finished:
        return job
    if job.confirmed_at is None:
        raise ApplicationError("Confirm the mapping before importing.")
    use_fast = settings.DATA_VAULT_IMPORT_FAST_PATH if fast is None else fast
    job_start(job, phase="Reading rows")
    try:
        with transaction.atomic():
            _merge_lock(job.chapter_id)
            if ImportJob.objects.filter(pk=job.pk, status__in=Job.FINISHED).exists():
                job.refresh_from_db()
                return job
            ImportRejection.objects.filter(job=job).delete()
            if job.file_format == VAULT_FORMAT:
                job_progress(job, done=0, phase="Restoring the vault export")
                outcome = archive_restore(job)
                rejections_save(job, outcome.rejections)
            else:
                ctx = context_build(job, table_open(job.file.path, job.original_name), on_phase)
                outcome = import_merge(ctx, fast=use_fast)
                if not (use_fast and connection.vendor == "postgresql"):
                    rejections_save(job, outcome.rejections)
            job_finish(
                job,
                phase="Done",
                created_count=outcome.created,
                updated_count=outcome.updated,
                unchanged_count=outcome.unchanged,
                rejected_count=outcome.rejected,
                households_created_count=outcome.households_created,
            )
            audit_record(
                actor=job.created_by,
                action=AuditEvent.Action.IMPORT,
                chapter=job.chapter,
                target=job,
                details={
                    "created": outcome.created,
                    "updated": outcome.updated,
                    "unchanged": outcome.unchanged,
                    "rejected": outcome.rejected,
                },
            )
    except ImportCancelledError:
        job_finish(job, status=Job.Status.CANCELLED, phase="Cancelled")
    except ApplicationError as error:
        job_finish(job, status=Job.Status.FAILED, error=f"{error.message} Nothing was imported.")
    except TRANSIENT_ERRORS:
        raise  # the task retries; the rolled-back run left nothing behind
    except Exception:
        logger.exception("Import %s failed", job.pk)
        job_finish(job, status=Job.Status.FAILED, error="The import failed unexpectedly. Nothing was imported.")
    if job.status == Job.Status.DONE:
        _statistics_refresh(job)
    if job.is_finished and job.file:
        # The upload is personal data: once imported (or refused) it goes; the vault keeps what it took.
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
    return job


def _statistics_refresh(job: ImportJob) -> None:
    """
    Refresh the planner's statistics of people and households after an import that wrote many of them.

    Many is at least DATA_VAULT_IMPORT_ANALYZE_ROWS people and at least a fifth
    of the people the planner last counted (pg_class.reltuples; a table never
    counted always qualifies). Below that the statistics barely move, and a
    re-import touching a tenth of a big chapter should not pay for ANALYZE.
    Otherwise, until autovacuum gets to it, the planner would choose the people
    list's plans from figures that miss the new rows. ANALYZE runs after the
    commit, so it holds its lock for its own second or so, not for the import.
    """
    written = job.created_count + job.updated_count
    if connection.vendor != "postgresql" or written < settings.DATA_VAULT_IMPORT_ANALYZE_ROWS:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Person._meta.db_table])
        (counted,) = cursor.fetchone()
        if counted >= 0 and written * 5 < counted:
            return
        cursor.execute(f"ANALYZE {Person._meta.db_table}, {Household._meta.db_table}")


def import_job_list(*, chapter: Chapter) -> QuerySet[ImportJob]:
    """Return the chapter's imports, newest first."""
    return (
        ImportJob.objects.filter(chapter=chapter).select_related("chapter", "created_by").order_by("-created_at", "-id")
    )


def import_job_get_for_user(*, user: User, chapter_slug: str, pk: int) -> ImportJob:
    """Return one of the chapter's imports if the user may import there, or raise Http404."""
    membership = membership_get_for_user(user=user, chapter_slug=chapter_slug, rule=permissions.IMPORT_PEOPLE)
    return get_object_or_404(
        ImportJob.objects.select_related("chapter", "created_by"), chapter=membership.chapter, pk=pk
    )


def import_rejection_list(*, job: ImportJob) -> QuerySet[ImportRejection]:
    """Return an import's rejected rows in file order."""
    return ImportRejection.objects.filter(job=job).order_by("row_number", "id")


def import_people(
    *, chapter: Chapter, path: str, preset: str = "", actor: User | None = None, fast: bool | None = None
) -> ImportJob:
    """Import a file from disk straight away, as the command does: create, confirm and run."""
    with open(path, "rb") as stream:
        job = import_job_create(
            chapter=chapter,
            actor=actor,
            upload=File(stream, name=path.rsplit("/", 1)[-1]),
            original_name=path.rsplit("/", 1)[-1],
            source=ImportJob.Source.COMMAND,
            preset=preset,
            require_mapping=True,
        )
    job = import_job_confirm(job=job, mapping=job.mapping, actor=actor, queue=False)
    return import_job_run(job_id=job.pk, fast=fast)


def mapping_from_form(post: Mapping[str, Any], header: list[str]) -> Mapping_:
    """Read the mapping screen's choices: one select per vault field, naming a column or nothing."""
    mapping: Mapping_ = {}
    for name in FIELD_NAMES:
        column = str(post.get(f"map_{name}", "")).strip()
        parts = column.split(" + ")
        if column and column not in header and len(parts) > 1 and all(part in header for part in parts):
            mapping[name] = parts
        elif column:
            mapping[name] = column
    return mapping
