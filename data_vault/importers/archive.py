"""
Restore a whole-vault export (exporters.py) into a chapter: people, households and history.

People match by state voter id as in every import; the rest are created. Contact
events get a client UUID derived from the archive, so restoring it twice adds
each event once. People erased on request stay out.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from canvassing.models import Campaign
from core.errors import ApplicationError
from core.exports import FORMULA_STARTS
from data_vault import services
from data_vault.exporters import ARCHIVE_MARKER, LIST_SEPARATOR
from data_vault.importers import normalize
from data_vault.importers.pipeline import ERASED, ImportOutcome
from data_vault.importers.records import ORIGIN_FIELDS, Rejection, origin_mask
from data_vault.models import (
    ContactEvent,
    DoNotContact,
    Email,
    Household,
    ImportJob,
    LadderChange,
    Person,
    Phone,
    Provenance,
    SavedList,
    Tag,
)

MEMBERS = {"README.txt", "people.csv", "households.csv", "contact_events.csv"}
EVENT_NAMESPACE = uuid.UUID("8f0b5f8e-3c1c-4d43-9d3e-6f0a9b1c2d3e")
PERSON_TEXT = (
    "state_voter_id",
    "county_voter_id",
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "gender",
    "party",
    "registration_status",
    "county",
    "precinct",
    "congressional_district",
    "state_senate_district",
    "state_house_district",
    "municipality",
    "ward",
    "ladder",
    "notes",
)


def is_vault_archive(names: set[str]) -> bool:
    """Return whether a zip's file names are a whole-vault export's."""
    return names >= MEMBERS


def archive_check(path: str) -> tuple[list[str], list[list[str]]]:
    """Return people.csv's header and first rows, or refuse an archive that is not a vault export."""
    with zipfile.ZipFile(path) as archive:
        if ARCHIVE_MARKER not in archive.read("README.txt").decode("utf-8", errors="replace")[:200]:
            raise ApplicationError("This zip is not a Blockwork vault export.")
        rows = list(_rows(archive, "people.csv", limit=6))
    if not rows:
        raise ApplicationError("The vault export has no people.csv header.")
    return rows[0], rows[1:]


def _plain(text: str) -> str:
    """Undo the export's formula guard: a leading apostrophe before a formula character."""
    return text[1:] if text.startswith("'") and text[1:2].startswith(FORMULA_STARTS) else text


def _rows(archive: zipfile.ZipFile, name: str, limit: int | None = None) -> Iterator[list[str]]:
    if name not in archive.namelist():
        return
    with archive.open(name) as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        for number, row in enumerate(reader):
            if limit is not None and number >= limit:
                return
            yield [_plain(cell) for cell in row]


def _dicts(archive: zipfile.ZipFile, name: str) -> Iterator[dict[str, str]]:
    rows = _rows(archive, name)
    header = next(rows, None)
    if header is None:
        return
    for row in rows:
        yield dict(zip(header, row, strict=False))


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _int(text: str) -> int | None:
    return int(text) if text else None


def _float(text: str) -> float | None:
    return float(text) if text else None


def archive_restore(job: ImportJob) -> ImportOutcome:
    """Restore a vault export into the job's chapter; the caller holds the transaction."""
    chapter = job.chapter
    outcome = ImportOutcome()
    now = timezone.now()
    try:
        with zipfile.ZipFile(job.file.path) as archive:
            households, outcome.households_created = _households_restore(archive, chapter.pk)
            people = _people_restore(archive, job, households, outcome, now)
            _events_restore(archive, job, people, households)
            _ladder_restore(archive, people)
            _lists_restore(archive, chapter.pk, job)
    except (ValueError, KeyError) as error:
        raise ApplicationError(f"The vault export is damaged: {error}") from error
    return outcome


def _households_restore(archive: zipfile.ZipFile, chapter_id: int) -> tuple[dict[int, Household], int]:
    """Create the archive's households (or find them by address); return ref → household, and how many are new."""
    refs: dict[int, Household] = {}
    created = 0
    for row in _dicts(archive, "households.csv"):
        house_number = _int(row["house_number"])
        key = normalize.address_key(
            house_number=house_number,
            house_number_suffix=row["house_number_suffix"],
            street_name=row["street_name"],
            unit=row["unit"],
            city=row["city"],
            zip5=row["zip5"],
        )
        household, made = Household.objects.get_or_create(
            chapter_id=chapter_id,
            address_key=key,
            defaults={
                "house_number": house_number,
                "house_number_suffix": row["house_number_suffix"],
                "street_name": row["street_name"],
                "unit": row["unit"],
                "city": row["city"],
                "state": row["state"],
                "zip5": row["zip5"],
                "street_side": normalize.street_side(house_number),
                "precinct": row["precinct"],
                "latitude": _float(row["latitude"]),
                "longitude": _float(row["longitude"]),
            },
        )
        created += made
        refs[int(row["household_ref"])] = household
    return refs, created


def _people_restore(
    archive: zipfile.ZipFile,
    job: ImportJob,
    households: dict[int, Household],
    outcome: ImportOutcome,
    now: datetime,
) -> dict[int, int]:
    """Create or update the archive's people with their contacts; return ref → id."""
    chapter_id = job.chapter_id
    erased = services.erasure_checker(chapter=job.chapter)
    tags = {tag.name.lower(): tag for tag in Tag.objects.filter(chapter_id=chapter_id)}
    refs: dict[int, int] = {}
    for number, row in enumerate(_dicts(archive, "people.csv"), start=2):
        household = households.get(_int(row["household_ref"]) or 0)
        household_id = household.pk if household else None
        name_key = normalize.name_key(last_name=row["last_name"], first_name=row["first_name"])
        address_key = household.address_key if household else ""
        voter_id = row["state_voter_id"]
        if erased(voter_id=voter_id, name_key=name_key, birth_year=_int(row["birth_year"]), address_key=address_key):
            outcome.rejections.append(Rejection(number, "", "", ERASED))
            outcome.rejected += 1
            continue
        values: dict[str, Any] = {name: row[name] for name in PERSON_TEXT}
        values.update(
            household_id=household_id,
            birth_date=_date(row["birth_date"]),
            birth_year=_int(row["birth_year"]),
            registration_date=_date(row["registration_date"]),
            support_score=_int(row["support_score"]),
            name_key=name_key,
        )
        person = Person.objects.filter(chapter_id=chapter_id, state_voter_id=voter_id).first() if voter_id else None
        fields: list[str] = []
        if person is None:
            filled = [_origin_name(name) for name, value in values.items() if value]
            filled = [name for name in filled if name in ORIGIN_FIELDS]  # not the match key, ladder or notes
            person = Person.objects.create(
                chapter_id=chapter_id, **values, origin_import=job, origin_fields=origin_mask(filled)
            )
            outcome.created += 1
        else:
            fields = [name for name, value in values.items() if getattr(person, name) != value]
            Person.objects.filter(pk=person.pk).update(**values, updated_at=now)
            outcome.updated += bool(fields)
            outcome.unchanged += not fields
        refs[int(row["person_ref"])] = person.pk
        for phone_number, kind in json.loads(row["phones"] or "[]"):
            Phone.objects.get_or_create(person=person, number=phone_number, defaults={"kind": kind})
        for address in filter(None, row["emails"].split(LIST_SEPARATOR)):
            Email.objects.get_or_create(person=person, address=address)
        for channel, reason, recorded_on in json.loads(row["do_not_contact"] or "[]"):
            DoNotContact.objects.get_or_create(
                person=person,
                channel=channel,
                defaults={"reason": reason, "recorded_on": _date(recorded_on) or now.date()},
            )
        for name in filter(None, row["tags"].split(LIST_SEPARATOR)):
            tag = tags.get(name.lower()) or Tag.objects.create(chapter_id=chapter_id, name=name)
            tags[name.lower()] = tag
            person.tags.add(tag)
        if fields:
            Provenance.objects.create(
                person=person,
                import_job=job,
                action=Provenance.Action.UPDATED,
                fields=fields,
                source=job.original_name[:255],
                actor=job.created_by,
            )
        Person.objects.filter(pk=person.pk).update(
            search_text=normalize.search_text(
                first_name=row["first_name"],
                middle_name=row["middle_name"],
                last_name=row["last_name"],
                name_suffix=row["name_suffix"],
                address=_address_words(household),
                state_voter_id=voter_id,
            )
        )
    return refs


def _origin_name(name: str) -> str:
    """Return an ORIGIN_FIELDS name for a restored column: household_id is the household."""
    return "household" if name == "household_id" else name


def _address_words(household: Household | None) -> str:
    if household is None:
        return ""
    return normalize.address_words(
        house_number=household.house_number,
        house_number_suffix=household.house_number_suffix,
        street_name=household.street_name,
        unit=household.unit,
        city=household.city,
        zip5=household.zip5,
    )


def _events_restore(
    archive: zipfile.ZipFile, job: ImportJob, people: dict[int, int], households: dict[int, Household]
) -> None:
    """Add the archive's contact history; an event already restored is not added twice."""
    campaigns = {campaign.name: campaign.pk for campaign in Campaign.objects.filter(chapter_id=job.chapter_id)}
    source = job.original_name
    events = []
    for row in _dicts(archive, "contact_events.csv"):
        person_id = people.get(_int(row["person_ref"]) or 0)
        household = households.get(_int(row["household_ref"]) or 0)
        household_id = household.pk if household else None
        if person_id is None and household_id is None:
            continue  # the person was erased, and the event named no door
        client_uuid = (
            uuid.UUID(row["client_uuid"])
            if row["client_uuid"]
            else uuid.uuid5(EVENT_NAMESPACE, f"{source}:{row['event_ref']}")
        )
        events.append(
            ContactEvent(
                chapter_id=job.chapter_id,
                person_id=person_id,
                household_id=household_id,
                campaign_id=campaigns.get(row["campaign"]),
                channel=row["channel"],
                result=row["result"],
                answers=json.loads(row["answers"] or "{}"),
                notes=row["notes"],
                occurred_at=datetime.fromisoformat(row["occurred_at"]),
                client_uuid=client_uuid,
            )
        )
    ContactEvent.objects.bulk_create(events, batch_size=2000, ignore_conflicts=True)


def _ladder_restore(archive: zipfile.ZipFile, people: dict[int, int]) -> None:
    """Add the archive's ladder steps to people who have none yet."""
    has_steps = set(LadderChange.objects.filter(person_id__in=people.values()).values_list("person_id", flat=True))
    changes = [
        LadderChange(
            person_id=people[int(row["person_ref"])],
            previous=row["previous"],
            level=row["level"],
            source=row["source"],
            created_at=datetime.fromisoformat(row["created_at"]),
        )
        for row in _dicts(archive, "ladder_changes.csv")
        if int(row["person_ref"]) in people and people[int(row["person_ref"])] not in has_steps
    ]
    LadderChange.objects.bulk_create(changes, batch_size=2000)


def _lists_restore(archive: zipfile.ZipFile, chapter_id: int, job: ImportJob) -> None:
    """Add the archive's saved lists and tags; names already in the chapter are kept as they are."""
    for row in _dicts(archive, "tags.csv"):
        if not Tag.objects.filter(chapter_id=chapter_id, name__iexact=row["name"]).exists():
            Tag.objects.create(chapter_id=chapter_id, name=row["name"])
    for row in _dicts(archive, "saved_lists.csv"):
        SavedList.objects.get_or_create(
            chapter_id=chapter_id,
            name=row["name"],
            defaults={
                "description": row["description"],
                "filters": json.loads(row["filters"] or "{}"),
                "created_by": job.created_by,
            },
        )
