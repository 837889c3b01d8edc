"""
The import pipeline every entry point runs: read, check, merge, count.

Phases, in one transaction so a failure changes nothing:

1. reading: each row becomes a normalized record or rejections (records.py); a row that last
   wrote its person, unchanged since, is passed over (Person.import_digest);
2. checking: rows repeating an earlier row are rejected (people erased on request already were, in reading);
3. households: one per normalized address, created or refreshed;
4. matching: by state voter id, then by name, birth year and household;
5. writing: changed fields of matched people, new people, phones, emails, tags, provenance.

On PostgreSQL a delimited file is read column by column from a raw COPY of it
(columns.py), or else the records stream into the staging table with COPY, and
phases 2–5 are set-based SQL (sql.py). Elsewhere the portable path below runs
the same rules in Python with batched ORM queries; tests check both agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from core.services import job_is_cancelled, job_progress
from data_vault import services
from data_vault.importers.presets import FIELD_LABELS, Mapping_, mapping_check, preset_get
from data_vault.importers.readers import ImportFileError, TableFile
from data_vault.importers.records import (
    INDEX,
    PERSON_FIELDS,
    TAG_SEPARATOR,
    Rejection,
    RowReader,
    origin_mask,
)
from data_vault.models import (
    Email,
    Household,
    ImportJob,
    ImportRejection,
    Person,
    Phone,
    Provenance,
    Tag,
)

PROGRESS_EVERY = 5000
BATCH = 2000
NULLABLE_FIELDS = {"birth_date", "birth_year", "registration_date", "support_score"}
ERASED = "Erased on request; not imported again"
VOTER_ID, NAME_KEY, BIRTH_YEAR, ADDRESS_KEY = (
    INDEX[name] for name in ("state_voter_id", "name_key", "birth_year", "address_key")
)
PHONE_KINDS = (("cell_phone", Phone.Kind.CELL), ("landline_phone", Phone.Kind.LANDLINE), ("phone", Phone.Kind.UNKNOWN))


class ImportCancelledError(Exception):
    """Someone asked the import to stop; the transaction is rolled back."""


@dataclass
class ImportOutcome:
    """What an import did, for the job's counts."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    households_created: int = 0
    rejections: list[Rejection] = field(default_factory=list)


@dataclass
class ImportContext:
    """One run of one job: its file, mapping and where it reports progress."""

    job: ImportJob
    table: TableFile
    reader: RowReader
    headerless: bool
    voter_id_label: str
    total: int
    # Called between phases: tests use it to simulate a worker dying there.
    on_phase: Callable[[str], None] | None = None
    # Rows passed over unread: each is the row that last wrote its person (Person.import_digest).
    already_imported: int = 0

    def phase(self, name: str, done: int) -> None:
        """Report a new phase, and stop if the import was cancelled."""
        if job_is_cancelled(self.job):
            raise ImportCancelledError
        job_progress(self.job, done=done, total=self.total, phase=name)
        if self.on_phase is not None:
            self.on_phase(name)

    def progress(self, done: int) -> None:
        """Report rows read, and stop if the import was cancelled; no query, as a COPY may hold the connection."""
        if cache.get(f"{self.job.progress_key}:cancel"):
            raise ImportCancelledError
        job_progress(self.job, done=done)


def context_build(job: ImportJob, table: TableFile, on_phase: Callable[[str], None] | None = None) -> ImportContext:
    """Prepare the reading of a job's file with its confirmed mapping."""
    preset = preset_get(job.preset or "generic")
    header = list(job.header)
    mapping: Mapping_ = mapping_check(job.mapping, header)
    voter_id_source = mapping.get("state_voter_id", "")
    voter_id_label = " + ".join(voter_id_source) if isinstance(voter_id_source, list) else voter_id_source
    return ImportContext(
        job=job,
        table=table,
        reader=RowReader(header=header, mapping=mapping, constants=preset.constants),
        headerless=preset.headerless and _first_row(table) != header,
        voter_id_label=voter_id_label or FIELD_LABELS["state_voter_id"],
        total=0,
        on_phase=on_phase,
    )


def _first_row(table: TableFile) -> list[str]:
    """Return the file's first row as a header would read: a file in a header-less layout may carry one."""
    first = next(iter(table.rows()), [])
    return [cell.strip().lstrip("\ufeff") for cell in first]


def records_read(ctx: ImportContext, rejections: list[Rejection]) -> Iterator[tuple[Any, ...]]:
    """
    Return the good rows' records, one by one; add the bad rows' reasons, and people erased on request, to rejections.

    The erasures, and the digests of rows already imported, load now, before any row: while a COPY streams
    the records, the connection runs no other query.
    """
    return _records(ctx, rejections, services.erasure_checker(chapter=ctx.job.chapter), _already_imported_test(ctx))


def _records(
    ctx: ImportContext,
    rejections: list[Rejection],
    erased: Callable[..., bool],
    already_imported: Callable[[Sequence[str]], bool] | None,
) -> Iterator[tuple[Any, ...]]:
    width = len(ctx.job.header)
    padded = ctx.table.file_format == "xlsx"  # a spreadsheet leaves trailing empty cells out
    for row_number, cells in _file_rows(ctx):
        if padded and len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        if already_imported is not None and len(cells) == width and already_imported(cells):
            ctx.already_imported += 1
            continue
        if len(cells) != width:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < width or any(cell.strip() for cell in cells[width:]):
                raise ImportFileError(
                    f"Row {row_number} has {len(cells)} columns but the header has {width}. "
                    "The rows are ragged: check the separator and the quoting, then upload the file again."
                )
            cells = cells[:width]
        if row_number % PROGRESS_EVERY == 0:
            ctx.progress(row_number)
        record, bad = ctx.reader.read(row_number, cells)
        if record is None:
            rejections.extend(bad)
        elif erased(
            voter_id=record[VOTER_ID],
            name_key=record[NAME_KEY],
            birth_year=record[BIRTH_YEAR],
            address_key=record[ADDRESS_KEY],
        ):
            rejections.append(Rejection(row_number, "", "", ERASED))
        else:
            yield record


def _file_rows(ctx: ImportContext) -> Iterator[tuple[int, list[str]]]:
    """Yield each row after the header, if the file has one, with its row number in the file."""
    rows = iter(ctx.table.rows())
    if not ctx.headerless:
        next(rows, None)
    return enumerate(rows, start=1 if ctx.headerless else 2)


def _already_imported_test(ctx: ImportContext) -> Callable[[Sequence[str]], bool] | None:
    """
    Return a test of whether a row is the one that last wrote its person, or None when no row can be.

    Such a row's voter id cell, as it stands, is the person's voter id (so reading it would give
    that id), no other row of the file repeats the cell, and the digest of its mapped cells is the
    person's import_digest: reading it again would change nothing the file says. The column path
    (columns.py) applies the same rule in SQL.
    """
    reader = ctx.reader
    if not reader.voter_id_positions:
        return None
    digests = dict(
        Person.objects.filter(chapter_id=ctx.job.chapter_id)
        .exclude(import_digest="")
        .exclude(state_voter_id="")
        .values_list("state_voter_id", "import_digest")
    )
    if not digests:
        return None
    width = len(ctx.job.header)
    seen = Counter(reader.voter_id_cell([*cells, *[""] * (width - len(cells))]) for _, cells in _file_rows(ctx))

    def test(cells: Sequence[str]) -> bool:
        voter_id = reader.voter_id_cell(cells)
        return bool(voter_id) and seen[voter_id] == 1 and digests.get(voter_id) == reader.digest(cells)

    return test


def _rejected_rows(rejections: list[Rejection]) -> int:
    return len({rejection.row_number for rejection in rejections})


def import_merge(ctx: ImportContext, *, fast: bool) -> ImportOutcome:
    """Run every phase for one job inside the caller's transaction; return the counts."""
    ctx.total = max(ctx.table.line_count() - (0 if ctx.headerless else 1), 0)
    ctx.phase("Reading rows", 0)
    if fast and connection.vendor == "postgresql":
        from data_vault.importers import sql

        return sql.merge(ctx)
    return _portable_merge(ctx)


def rejections_save(job: ImportJob, rejections: list[Rejection]) -> None:
    """Store the rejected rows' reasons."""
    ImportRejection.objects.bulk_create(
        (
            ImportRejection(
                job=job,
                row_number=rejection.row_number,
                column=rejection.column[:120],
                value=rejection.value[:200],
                reason=rejection.reason[:200],
            )
            for rejection in rejections
        ),
        batch_size=BATCH,
    )


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _portable_merge(ctx: ImportContext) -> ImportOutcome:
    """Merge with the ORM, batch by batch: the path for SQLite, with the SQL path's rules."""
    job, chapter_id = ctx.job, ctx.job.chapter_id
    outcome = ImportOutcome()
    records = list(records_read(ctx, outcome.rejections))
    ctx.phase("Checking rows", len(records))
    records = _portable_check(ctx, records, outcome.rejections)

    ctx.phase("Saving households", 0)
    household_ids, outcome.households_created = _portable_households(chapter_id, records)

    ctx.phase("Matching people", 0)
    person_ids = _portable_match(chapter_id, records, household_ids)

    ctx.phase("Saving people", 0)
    now = timezone.now()
    source = job.original_name[:255]
    provenance: list[Provenance] = []
    matched = [record for record in records if record[0] in person_ids]
    new = [record for record in records if record[0] not in person_ids]
    changed_ids: set[int] = set()
    saved = 0  # the bar moves after each batch, as the SQL path's does after each slice
    for batch in _chunks(matched):
        ids = [person_ids[record[0]] for record in batch]
        people = Person.objects.in_bulk(ids)
        phones = _existing(Phone.objects.filter(person_id__in=ids).values_list("person_id", "number"))
        emails = _existing(Email.objects.filter(person_id__in=ids).values_list("person_id", "address"))
        tags = _existing(
            Person.tags.through.objects.filter(person_id__in=ids).values_list("person_id", "tag__name"), lower=True
        )
        changed_people: list[Person] = []
        changed_fields: set[str] = set()
        digest_only: list[Person] = []
        for record in batch:
            person = people[person_ids[record[0]]]
            changed = _changes(record, person, household_ids, phones, emails, tags)
            digest = record[INDEX["import_digest"]]
            if not changed:
                outcome.unchanged += 1
                if person.import_digest != digest:
                    person.import_digest = digest
                    digest_only.append(person)
                continue
            outcome.updated += 1
            person.import_digest = digest
            for name in PERSON_FIELDS:
                value = record[INDEX[name]]
                if value not in ("", None):
                    setattr(person, name, value)
            if record[INDEX["address_key"]]:
                person.household_id = household_ids[record[INDEX["address_key"]]]
            person.updated_at = now
            changed_people.append(person)
            changed_fields.update(changed)
            changed_ids.add(person.pk)
            provenance.append(
                Provenance(
                    person=person,
                    import_job=job,
                    action=Provenance.Action.UPDATED,
                    fields=changed,
                    source=source,
                    actor=job.created_by,
                    created_at=now,
                )
            )
        if changed_people:
            fields = [name for name in PERSON_FIELDS if name in changed_fields]
            fields += ["household_id"] if "household" in changed_fields else []
            Person.objects.bulk_update(changed_people, [*fields, "import_digest", "updated_at"])
        Person.objects.bulk_update(digest_only, ["import_digest"])
        saved += len(batch)
        ctx.progress(round(ctx.total * saved / len(records)))
    for batch in _chunks(new):
        people_new = [
            Person(
                chapter_id=chapter_id,
                household_id=household_ids.get(record[INDEX["address_key"]]),
                **{name: _blank(name, record[INDEX[name]]) for name in PERSON_FIELDS},
                name_key=record[INDEX["name_key"]],
                search_text=record[INDEX["search_text"]],
                origin_import=job,
                origin_fields=origin_mask(_filled(record)),
                import_digest=record[INDEX["import_digest"]],
                created_at=now,
                updated_at=now,
            )
            for record in batch
        ]
        Person.objects.bulk_create(people_new)
        for record, person in zip(batch, people_new, strict=True):
            person_ids[record[0]] = person.pk
        saved += len(batch)
        ctx.progress(round(ctx.total * saved / len(records)))
    outcome.created = len(new)
    _portable_contacts(chapter_id, records, person_ids, now)
    Provenance.objects.bulk_create(provenance, batch_size=BATCH)
    _portable_search_text(changed_ids)
    outcome.rejected = _rejected_rows(outcome.rejections)
    outcome.unchanged += ctx.already_imported
    return outcome


def _blank(name: str, value: Any) -> Any:
    return value if name in NULLABLE_FIELDS else (value or "")


def _filled(record: tuple[Any, ...]) -> list[str]:
    """Return the fields a new person got from the record."""
    fields = [name for name in PERSON_FIELDS if record[INDEX[name]] not in ("", None)]
    if record[INDEX["address_key"]]:
        fields.append("household")
    if any(record[INDEX[name]] for name, _ in PHONE_KINDS):
        fields.append("phones")
    if record[INDEX["email"]]:
        fields.append("emails")
    if record[INDEX["tags"]]:
        fields.append("tags")
    return fields


def _existing(pairs: Any, *, lower: bool = False) -> set[tuple[int, str]]:
    return {(person_id, value.lower() if lower else value) for person_id, value in pairs}


def _changes(
    record: tuple[Any, ...],
    person: Person,
    household_ids: dict[str, int],
    phones: set[tuple[int, str]],
    emails: set[tuple[int, str]],
    tags: set[tuple[int, str]],
) -> list[str]:
    """Return the fields a record would change on a person; blank cells change nothing."""
    changed = [
        name
        for name in PERSON_FIELDS
        if record[INDEX[name]] not in ("", None) and record[INDEX[name]] != getattr(person, name)
    ]
    key = record[INDEX["address_key"]]
    if key and household_ids[key] != person.household_id:
        changed.append("household")
    if any(record[INDEX[name]] and (person.pk, record[INDEX[name]]) not in phones for name, _ in PHONE_KINDS):
        changed.append("phones")
    if record[INDEX["email"]] and (person.pk, record[INDEX["email"]]) not in emails:
        changed.append("emails")
    names = record[INDEX["tags"]].split(TAG_SEPARATOR) if record[INDEX["tags"]] else []
    if any((person.pk, name.lower()) not in tags for name in names):
        changed.append("tags")
    return changed


def match_key(record: tuple[Any, ...]) -> tuple[str, int, str]:
    """Return the key that finds a person without a voter id: name, birth year, address."""
    return (record[INDEX["name_key"]], record[INDEX["birth_year"]] or 0, record[INDEX["address_key"]])


def _portable_check(ctx: ImportContext, records: list[tuple[Any, ...]], rejections: list[Rejection]) -> list[Any]:
    """Reject rows that repeat an earlier row."""
    first_by_voter_id: dict[str, int] = {}
    first_by_key: dict[tuple[str, int, str], int] = {}
    kept = []
    for record in records:
        row, voter_id = record[0], record[INDEX["state_voter_id"]]
        if voter_id:
            first = first_by_voter_id.setdefault(voter_id, row)
            if first != row:
                rejections.append(Rejection(row, ctx.voter_id_label, voter_id, f"Same voter id as row {first}"))
                continue
        else:
            first = first_by_key.setdefault(match_key(record), row)
            if first != row:
                rejections.append(Rejection(row, "", "", f"Same name, birth year and address as row {first}"))
                continue
        kept.append(record)
    return kept


def _portable_households(chapter_id: int, records: list[tuple[Any, ...]]) -> tuple[dict[str, int], int]:
    """Create or refresh one household per address; the first row at an address describes it."""
    first: dict[str, tuple[Any, ...]] = {}
    for record in records:
        key = record[INDEX["address_key"]]
        if key and key not in first:
            first[key] = record
    ids: dict[str, int] = {}
    created = 0
    now = timezone.now()
    for keys in _chunks(list(first)):
        existing = {h.address_key: h for h in Household.objects.filter(chapter_id=chapter_id, address_key__in=keys)}
        refreshed = []
        for key, household in existing.items():
            record = first[key]
            precinct, state = record[INDEX["precinct"]], record[INDEX["state"]]
            latitude, longitude = record[INDEX["latitude"]], record[INDEX["longitude"]]
            new_values = {
                "precinct": precinct or household.precinct,
                "state": state or household.state,
                "latitude": household.latitude if latitude is None else latitude,
                "longitude": household.longitude if longitude is None else longitude,
            }
            if any(getattr(household, name) != value for name, value in new_values.items()):
                for name, value in new_values.items():
                    setattr(household, name, value)
                household.updated_at = now
                refreshed.append(household)
        if refreshed:
            Household.objects.bulk_update(refreshed, ["precinct", "state", "latitude", "longitude", "updated_at"])
        missing = [
            Household(
                chapter_id=chapter_id,
                address_key=key,
                house_number=first[key][INDEX["house_number"]],
                house_number_suffix=first[key][INDEX["house_number_suffix"]],
                street_name=first[key][INDEX["street_name"]],
                unit=first[key][INDEX["unit"]],
                city=first[key][INDEX["city"]],
                state=first[key][INDEX["state"]],
                zip5=first[key][INDEX["zip5"]],
                street_side=first[key][INDEX["street_side"]],
                precinct=first[key][INDEX["precinct"]],
                latitude=first[key][INDEX["latitude"]],
                longitude=first[key][INDEX["longitude"]],
                created_at=now,
                updated_at=now,
            )
            for key in keys
            if key not in existing
        ]
        Household.objects.bulk_create(missing)
        created += len(missing)
        ids.update({household.address_key: household.pk for household in [*existing.values(), *missing]})
    return ids, created


def _portable_match(chapter_id: int, records: list[tuple[Any, ...]], household_ids: dict[str, int]) -> dict[int, int]:
    """Return row number → matched person id: by voter id, then by name, birth year and household."""
    matched: dict[int, int] = {}
    with_voter_id = [record for record in records if record[INDEX["state_voter_id"]]]
    for batch in _chunks(with_voter_id):
        found = dict(
            Person.objects.filter(
                chapter_id=chapter_id, state_voter_id__in=[record[INDEX["state_voter_id"]] for record in batch]
            ).values_list("state_voter_id", "id")
        )
        for record in batch:
            if record[INDEX["state_voter_id"]] in found:
                matched[record[0]] = found[record[INDEX["state_voter_id"]]]
    claimed = set(matched.values())
    rest = [record for record in records if record[0] not in matched]
    claims: dict[int, int] = {}
    for batch in _chunks(rest):
        candidates: dict[tuple[str, int, int], list[tuple[int, str]]] = {}
        people = Person.objects.filter(
            chapter_id=chapter_id, name_key__in={record[INDEX["name_key"]] for record in batch}
        ).values_list("id", "name_key", "birth_year", "household_id", "state_voter_id")
        for person_id, name_key, birth_year, household_id, voter_id in people:
            candidates.setdefault((name_key, birth_year or 0, household_id or 0), []).append((person_id, voter_id))
        for record in batch:
            key = record[INDEX["address_key"]]
            lookup = (
                record[INDEX["name_key"]],
                record[INDEX["birth_year"]] or 0,
                household_ids.get(key, 0) if key else 0,
            )
            eligible = [
                person_id
                for person_id, voter_id in candidates.get(lookup, [])
                if person_id not in claimed and (not record[INDEX["state_voter_id"]] or not voter_id)
            ]
            if eligible:
                person_id = min(eligible)
                if person_id not in claims or claims[person_id] > record[0]:
                    claims[person_id] = record[0]
    matched.update({row: person_id for person_id, row in claims.items()})
    return matched


def _portable_contacts(chapter_id: int, records: list[tuple[Any, ...]], person_ids: dict[int, int], now: Any) -> None:
    """Add the records' phones, emails and tags to their people; ones they have already stay."""
    phones = [
        Phone(person_id=person_ids[record[0]], number=record[INDEX[name]], kind=kind, created_at=now)
        for record in records
        for name, kind in PHONE_KINDS
        if record[INDEX[name]]
    ]
    Phone.objects.bulk_create(phones, batch_size=BATCH, ignore_conflicts=True)
    emails = [
        Email(person_id=person_ids[record[0]], address=record[INDEX["email"]], created_at=now)
        for record in records
        if record[INDEX["email"]]
    ]
    Email.objects.bulk_create(emails, batch_size=BATCH, ignore_conflicts=True)
    tagged = [
        (record[0], name)
        for record in records
        if record[INDEX["tags"]]
        for name in record[INDEX["tags"]].split(TAG_SEPARATOR)
    ]
    if not tagged:
        return
    tags = {tag.name.lower(): tag.pk for tag in Tag.objects.filter(chapter_id=chapter_id)}
    new_tags: dict[str, Tag] = {}
    for _, name in tagged:
        if name.lower() not in tags and name.lower() not in new_tags:
            new_tags[name.lower()] = Tag(chapter_id=chapter_id, name=name)
    Tag.objects.bulk_create(new_tags.values())
    tags.update({key: tag.pk for key, tag in new_tags.items()})
    links = {(person_ids[row], tags[name.lower()]) for row, name in tagged}
    Person.tags.through.objects.bulk_create(
        [Person.tags.through(person_id=person_id, tag_id=tag_id) for person_id, tag_id in links],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def _portable_search_text(person_ids: set[int]) -> None:
    """Refresh the match key and search words of the people an import changed."""
    for batch in _chunks(sorted(person_ids)):
        people = list(Person.objects.filter(pk__in=batch).select_related("household"))
        for person in people:
            services.person_keys_refresh(person)
        Person.objects.bulk_update(people, ["name_key", "search_text"])
