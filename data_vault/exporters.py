"""
The whole-vault export: a zip of CSV files and a README, which the chapter owns.

Importing the zip into a chapter (importers/archive.py) restores the same people,
households and history: the files carry references between them, not database ids.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from chapters.models import Chapter
from core.errors import ApplicationError
from core.exports import csv_safe_row
from core.models import AuditEvent, Job, User
from core.services import audit_record, job_finish, job_is_cancelled, job_progress, job_start
from data_vault.models import ContactEvent, DoNotContact, ExportJob, Household, LadderChange, Person, SavedList, Tag
from data_vault.services import export_erasure_refuse

ARCHIVE_MARKER = "blockwork-vault"
LIST_SEPARATOR = "|"
PROGRESS_EVERY = 2000
PERSON_COLUMNS = (
    "person_ref",
    "household_ref",
    "state_voter_id",
    "county_voter_id",
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "birth_date",
    "birth_year",
    "gender",
    "party",
    "registration_status",
    "registration_date",
    "county",
    "precinct",
    "congressional_district",
    "state_senate_district",
    "state_house_district",
    "municipality",
    "ward",
    "ladder",
    "support_score",
    "tags",
    "phones",
    "emails",
    "do_not_contact",
    "notes",
)
HOUSEHOLD_COLUMNS = (
    "household_ref",
    "house_number",
    "house_number_suffix",
    "street_name",
    "unit",
    "city",
    "state",
    "zip5",
    "precinct",
    "latitude",
    "longitude",
)
EVENT_COLUMNS = (
    "event_ref",
    "person_ref",
    "household_ref",
    "campaign",
    "channel",
    "result",
    "answers",
    "notes",
    "occurred_at",
    "recorded_by",
    "client_uuid",
)
LADDER_COLUMNS = ("person_ref", "previous", "level", "source", "created_at")
LIST_COLUMNS = ("name", "description", "filters")
TAG_COLUMNS = ("name",)

README = f"""{ARCHIVE_MARKER} export

A chapter's whole vault from Blockwork, as CSV files (UTF-8, comma-separated, header row).
Import this zip on the vault's import page to restore it into a chapter.
A cell a spreadsheet would run as a formula (starting =, +, -, @ or a tab) is written with
a leading apostrophe; real numbers such as -78.9 are written as they are.

people.csv: one row per person.
  person_ref       this export's reference for the person (other files use it)
  household_ref    the person's household in households.csv, or empty
  state_voter_id, county_voter_id
  first_name, middle_name, last_name, name_suffix
  birth_date       YYYY-MM-DD;  birth_year
  gender           female, male, other or empty
  party            party code, such as DEM, REP, UNA
  registration_status  active, inactive, removed, denied, temporary, unregistered or empty
  registration_date    YYYY-MM-DD
  county, precinct, congressional_district, state_senate_district, state_house_district,
  municipality, ward   districts
  ladder           unknown, voter, supporter, volunteer, member or leader
  support_score    1 (strong opposition) to 5 (strong support), or empty
  tags             tag names separated by |
  phones           JSON list of [number, kind]; kind is cell, landline or unknown
  emails           addresses separated by |
  do_not_contact   JSON list of [channel, reason, YYYY-MM-DD]; channel is door, phone, text or email
  notes

households.csv: one row per door.
  household_ref, house_number, house_number_suffix, street_name (normalized, such as MAIN ST),
  unit, city, state, zip5, precinct, latitude, longitude

contact_events.csv: every interaction.
  event_ref, person_ref (empty when only the door was reached), household_ref,
  campaign (its name), channel (door, phone, text, email, event), result,
  answers (JSON: survey question id to answer), notes,
  occurred_at (ISO 8601 with time zone), recorded_by (email), client_uuid

ladder_changes.csv: each step on the engagement ladder.
  person_ref, previous, level, source, created_at (ISO 8601)

tags.csv: the chapter's tags.  name

saved_lists.csv: the chapter's saved lists (universes).
  name, description, filters (JSON, as the people list takes it)
"""


def _csv_member(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_safe_row(header))
    for row in rows:
        writer.writerow(csv_safe_row(row))
        if buffer.tell() > 256 * 1024:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _people_rows(chapter: Chapter, tick: Callable[[], None]) -> Iterator[list[Any]]:
    people = (
        Person.objects.filter(chapter=chapter)
        .prefetch_related(
            "tags", "phones", "emails", Prefetch("do_not_contact", queryset=DoNotContact.objects.order_by("channel"))
        )
        .order_by("id")
    )
    for person in people.iterator(chunk_size=PROGRESS_EVERY):
        tick()
        yield [
            person.pk,
            person.household_id or "",
            *(getattr(person, name) for name in PERSON_COLUMNS[2:8]),
            _date(person.birth_date),
            person.birth_year or "",
            *(getattr(person, name) for name in PERSON_COLUMNS[10:13]),
            _date(person.registration_date),
            *(getattr(person, name) for name in PERSON_COLUMNS[14:22]),
            person.support_score or "",
            LIST_SEPARATOR.join(sorted(tag.name for tag in person.tags.all())),
            json.dumps([[phone.number, phone.kind] for phone in person.phones.all()]),
            LIST_SEPARATOR.join(email.address for email in person.emails.all()),
            json.dumps(
                [[entry.channel, entry.reason, _date(entry.recorded_on)] for entry in person.do_not_contact.all()]
            ),
            person.notes,
        ]


def _household_rows(chapter: Chapter) -> Iterator[list[Any]]:
    for household in Household.objects.filter(chapter=chapter).order_by("id").iterator(chunk_size=PROGRESS_EVERY):
        yield [
            household.pk,
            household.house_number if household.house_number is not None else "",
            household.house_number_suffix,
            household.street_name,
            household.unit,
            household.city,
            household.state,
            household.zip5,
            household.precinct,
            "" if household.latitude is None else household.latitude,
            "" if household.longitude is None else household.longitude,
        ]


def _event_rows(chapter: Chapter) -> Iterator[list[Any]]:
    events = ContactEvent.objects.filter(chapter=chapter).select_related("campaign", "recorded_by").order_by("id")
    for event in events.iterator(chunk_size=PROGRESS_EVERY):
        yield [
            event.pk,
            event.person_id or "",
            event.household_id or "",
            event.campaign.name if event.campaign else "",
            event.channel,
            event.result,
            json.dumps(event.answers, sort_keys=True),
            event.notes,
            event.occurred_at.isoformat(),
            event.recorded_by.email if event.recorded_by else "",
            event.client_uuid or "",
        ]


def _ladder_rows(chapter: Chapter) -> Iterator[list[Any]]:
    changes = LadderChange.objects.filter(person__chapter=chapter).order_by("id")
    for change in changes.iterator(chunk_size=PROGRESS_EVERY):
        yield [change.person_id, change.previous, change.level, change.source, change.created_at.isoformat()]


def vault_archive_write(*, chapter: Chapter, stream: Any, tick: Callable[[], None] = lambda: None) -> int:
    """Write the chapter's whole vault as a zip to a binary stream; return how many people it holds."""
    count = 0

    def counted() -> None:
        nonlocal count
        count += 1
        tick()

    members: list[tuple[str, Iterator[bytes]]] = [
        ("people.csv", _csv_member(PERSON_COLUMNS, _people_rows(chapter, counted))),
        ("households.csv", _csv_member(HOUSEHOLD_COLUMNS, _household_rows(chapter))),
        ("contact_events.csv", _csv_member(EVENT_COLUMNS, _event_rows(chapter))),
        ("ladder_changes.csv", _csv_member(LADDER_COLUMNS, _ladder_rows(chapter))),
        ("tags.csv", _csv_member(TAG_COLUMNS, ([tag.name] for tag in Tag.objects.filter(chapter=chapter)))),
        (
            "saved_lists.csv",
            _csv_member(
                LIST_COLUMNS,
                (
                    [saved.name, saved.description, json.dumps(saved.filters, sort_keys=True)]
                    for saved in SavedList.objects.filter(chapter=chapter).order_by("name")
                ),
            ),
        ),
    ]
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        for name, chunks in members:
            with archive.open(name, "w") as member:
                for chunk in chunks:
                    member.write(chunk)
    return count


def export_ttl() -> timedelta:
    """Return how long an export's download link works."""
    return timedelta(hours=settings.DATA_VAULT_EXPORT_TTL_HOURS)


@transaction.atomic
def vault_export_start(*, chapter: Chapter, actor: User) -> ExportJob:
    """Queue a whole-vault export; audited. A running one is returned instead of a second."""
    running = ExportJob.objects.filter(
        chapter=chapter, kind=ExportJob.Kind.VAULT, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    ).first()
    if running is not None:
        return running
    job = ExportJob.objects.create(chapter=chapter, kind=ExportJob.Kind.VAULT, created_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT, chapter=chapter, target=job, details={"kind": "vault"})
    from data_vault.tasks import vault_export_run_task

    transaction.on_commit(lambda: vault_export_run_task.delay(job.pk))
    return job


class ExportCancelledError(Exception):
    """Someone asked the export to stop."""


def vault_export_run(*, job_id: int) -> ExportJob:
    """Write the export's zip and set its expiry; safe to run twice."""
    job = ExportJob.objects.select_related("chapter").get(pk=job_id)
    if job.is_finished:
        return job
    total = Person.objects.filter(chapter=job.chapter).count()
    job_start(job, total=total, phase="Writing people")
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if done % PROGRESS_EVERY == 0:
            if job_is_cancelled(job):
                raise ExportCancelledError
            job_progress(job, done=done)

    try:
        with tempfile.TemporaryFile() as spool:
            rows = vault_archive_write(chapter=job.chapter, stream=spool, tick=tick)
            spool.seek(0)
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            job.file.save(f"{job.chapter.slug}-vault-{stamp}.zip", File(spool), save=False)
        if export_erasure_refuse(job):
            return job
        job_finish(
            job,
            phase="Done",
            file=job.file.name,
            row_count=rows,
            expires_at=timezone.now() + export_ttl(),
        )
    except ExportCancelledError:
        job_finish(job, status=Job.Status.CANCELLED, phase="Cancelled")
    return job


def vault_export_download(*, job: ExportJob, actor: User) -> File[Any]:
    """Open a finished export for download, refusing an expired one; audited."""
    if job.status != Job.Status.DONE or not job.file:
        raise ApplicationError("This export is not ready.")
    if job.is_expired:
        raise ApplicationError("This download link has expired; start a new export.")
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        chapter=job.chapter,
        target=job,
        details={"kind": "vault", "downloaded": True, "people": job.row_count},
    )
    return job.file.open("rb")
