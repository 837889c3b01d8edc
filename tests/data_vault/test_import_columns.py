"""The fast path's column-by-column staging: the same vault and the same reasons as reading row by row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files import File
from django.db import connection

from chapters.models import Chapter, Membership
from data_vault.importers import columns, pipeline, sql
from data_vault.importers.jobs import (
    RAGGED_CHECK_ROWS,
    import_job_confirm,
    import_job_create,
    import_job_run,
    import_people,
)
from data_vault.models import ImportJob, ImportRejection, Person
from data_vault.services import person_erase
from tests.data_vault import import_files as files
from tests.data_vault.test_import_atomic import WorkerDied, _die_at

pytestmark = pytest.mark.django_db

HEADER = [
    "voter_id", "first_name", "middle_name", "last_name", "suffix", "dob", "birth_year", "party", "gender",
    "address", "unit", "city", "state", "zip", "phone", "cell", "email", "tags", "support", "lat", "lng",
]  # fmt: skip
ROWS = [
    # ids already in form, and ids to be read: lower case, doubled spaces, too long
    ["NC1", "ANA", "", "GARCIA", "", "", "1980", "DEM", "F", "12 Main Street Apt 4", "", "Durham", "nc", "27701.0",
     "919-555-0101", "", "Ana@Example.org", "canvass; door", "4", "35.99", "-78.9"],
    ["nc 2", "luis", "maría", "GARCÍA", "jr", "1955-03-01", "", "dem", "m", "12 MAIN ST APT 4", "", "DURHAM", "NC",
     "27701", "", "(919) 555-0102", "", "", "", "", ""],
    ["NC3  B", "JO", "", "O'NEIL", "", "03/15/1977", "", "UNA", "X", "7 Elm Ave", "#2", "Durham", "NC", "27701-1234",
     "", "", "", "door", "", "", ""],
    ["X" * 41, "TOO", "", "LONG", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    # bad cells, one row each, and one row with two
    ["NC5", "BAD", "", "DATE", "", "31/31/1990", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["NC6", "BAD", "", "ZIP", "", "", "", "", "", "1 Oak Rd", "", "Durham", "NC", "27", "", "", "", "", "", "", ""],
    ["NC7", "BAD", "", "TWICE", "", "", "18", "", "", "", "", "", "XYZ", "", "555", "", "", "", "9", "", ""],
    ["NC8", "", "", "", "", "", "1980", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["NC9", "LONG", "", "STREET", "", "", "", "", "", "1 " + "Q" * 130 + " St", "", "Durham", "NC", "27701", "", "",
     "", "", "", "", ""],
    # no voter id: matched on name, birth year and address, and repeated
    ["", "Kim", "", "Lee", "", "", "1991", "GRE", "F", "5 Pine Rd", "", "Cary", "NC", "27511", "", "", "", "", "", "",
     ""],
    ["", "KIM", "", "LEE", "", "", "1991", "", "", "5 PINE ROAD", "", "CARY", "NC", "27511", "", "", "", "", "", "",
     ""],
    ["NC1", "ANA", "", "GARCIA", "", "", "1980", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["NC12", "Zoë", "", "Çelik", "", "20010704", "", "", "", "", "", "", "", "", "", "", "", "", "5", "", ""],
]  # fmt: skip


@pytest.fixture
def staged(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record whether each fast import staged its file column by column (True) or row by row (False)."""
    outcomes: list[bool] = []
    stage_file = columns.stage_file

    def recorded(*args: object, **kwargs: object) -> bool:
        outcomes.append(stage_file(*args, **kwargs))  # type: ignore[arg-type]
        return outcomes[-1]

    monkeypatch.setattr(sql, "stage_file", recorded)
    return outcomes


def _vault(chapter: Chapter) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for person in Person.objects.filter(chapter=chapter).select_related("household").order_by("id"):
        household = person.household
        rows.append(
            (
                tuple(
                    getattr(person, field.attname)
                    for field in Person._meta.concrete_fields
                    if field.attname not in {"id", "chapter_id", "household_id", "origin_import_id", "created_at",
                                             "updated_at"}
                ),
                household
                and tuple(
                    getattr(household, name)
                    for name in ("address_key", "house_number", "house_number_suffix", "street_name", "unit", "city",
                                 "state", "zip5", "street_side", "precinct", "latitude", "longitude")
                ),
                sorted(person.phones.values_list("number", "kind")),
                sorted(person.emails.values_list("address", flat=True)),
                sorted(person.tags.values_list("name", flat=True)),
            )
        )  # fmt: skip
    return rows


def _reasons(job: ImportJob) -> list[tuple[object, ...]]:
    return list(
        ImportRejection.objects.filter(job=job)
        .order_by("row_number", "id")
        .values_list("row_number", "column", "value", "reason")
    )


def _both(chapter: Chapter, other_chapter: Chapter, path: Path, preset: str = "") -> tuple[ImportJob, ImportJob]:
    fast = import_people(chapter=chapter, path=str(path), preset=preset, fast=True)
    portable = import_people(chapter=other_chapter, path=str(path), preset=preset, fast=False)
    counts = ("created_count", "updated_count", "unchanged_count", "rejected_count", "households_created_count")
    assert [getattr(fast, name) for name in counts] == [getattr(portable, name) for name in counts]
    assert _reasons(fast) == _reasons(portable)
    assert _vault(chapter) == _vault(other_chapter)
    return fast, portable


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", "\t"), ("latin-1", "|"), ("utf-16", ";")],
)
def test_columns_give_the_rows_vault_and_reasons(
    chapter: Chapter, other_chapter: Chapter, tmp_path: Path, staged: list[bool], encoding: str, delimiter: str
) -> None:
    """Every encoding and separator: the same people, households, contacts, counts and rejected rows."""
    path = files.write(
        tmp_path / "people.txt", files.delimited([HEADER, *ROWS], delimiter=delimiter), encoding=encoding
    )

    fast, _ = _both(chapter, other_chapter, path)

    assert staged == [True]
    assert (fast.created_count, fast.rejected_count) == (5, 8)
    reasons = {row: reason for row, _, _, reason in _reasons(fast)}
    assert reasons[5] == "Longer than 40 characters"
    assert reasons[6] == "Not a date"
    assert reasons[9] == "No first or last name"
    assert reasons[10] == "Address too long"
    assert reasons[12] == "Same name, birth year and address as row 11"
    assert reasons[13] == "Same voter id as row 2"
    assert sorted(str(column) for row, column, _, _ in _reasons(fast) if row == 8) == [
        "birth_year",
        "phone",
        "state",
        "support",
    ]
    ana = Person.objects.get(chapter=chapter, state_voter_id="NC1")
    assert (ana.first_name, ana.birth_year, ana.support_score, ana.search_text) == (
        "Ana",
        1980,
        4,
        "ANA GARCIA 12 MAIN ST 4 DURHAM 27701 NC1",
    )
    luis = Person.objects.get(chapter=chapter, state_voter_id="NC 2")
    assert (luis.middle_name, luis.last_name, luis.name_suffix, luis.birth_year) == ("María", "García", "JR", 1955)
    assert luis.household_id == ana.household_id


def test_ny_layout_joins_street_parts_and_fills_its_state(
    chapter: Chapter, other_chapter: Chapter, tmp_path: Path, staged: list[bool]
) -> None:
    """A mapping of several columns to one field, and a layout's constant, read the same column by column."""
    rows = [
        files.new_york_row(
            LASTNAME="LEE", FIRSTNAME="KIM", RADDNUMBER="55", RHALFCODE="1/2", RAPARTMENT="3F", RPREDIRECTION="W",
            RSTREETNAME="110TH STREET", RCITY="NEW YORK", RZIP5="10025", DOB="19910315", SBOEID=f"NY{n:018d}",
            REGDATE="20100101", ENROLLMENT="DEM", STATUS="A",
        )
        for n in range(3)
    ]  # fmt: skip
    path = files.write(tmp_path / "AllNYSVoters.txt", files.delimited(rows))

    fast, _ = _both(chapter, other_chapter, path, preset="new_york")

    assert staged == [True]
    assert fast.created_count == 3
    household = Person.objects.filter(chapter=chapter).first().household  # type: ignore[union-attr]
    assert household is not None
    assert (household.street_name, household.unit, household.state) == ("W 110TH ST", "3F", "NY")


@pytest.mark.parametrize(
    "text",
    [
        # a quote inside an unquoted cell is a literal to Python's csv module, a quoted cell to COPY
        'first_name,last_name,address\nANA,SMITH,"5 ""A"" ST"\nJO,O"NEIL"S,7 ELM AVE\n',
        # a byte that is not UTF-8 after a first megabyte that is
        "first_name,last_name,address,"
        + ",".join(f"n{i}" for i in range(10))
        + "\n"
        + "".join(f"JO{n},LEE,7 ELM AVE," + ",".join(["x" * 100_000] * 10) + "\n" for n in range(3))
        + "ZO,LI,\udcff ST,"
        + "," * 9
        + "\n",
    ],
    ids=["quote-in-cell", "broken-bytes"],
)
def test_files_copy_would_read_differently_are_read_row_by_row(
    chapter: Chapter, other_chapter: Chapter, tmp_path: Path, staged: list[bool], text: str
) -> None:
    """The fast path gives such files to the row reader, and stores what the portable path stores."""
    path = tmp_path / "people.csv"
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))

    _both(chapter, other_chapter, path)

    assert staged == [False]


@pytest.mark.parametrize("bad_line", ["JO,LEE", "\\."], ids=["short-row", "end-of-data-line"])
def test_ragged_rows_get_the_row_readers_message(
    chapter: Chapter, tmp_path: Path, staged: list[bool], bad_line: str
) -> None:
    """
    A ragged row past the rows checked at upload fails the import with the row reader's message.

    COPY refuses a short row, and would take a line of "\\." for the end of the data.
    """
    good = "".join(f"ANA,ROW{n},DURHAM\n" for n in range(RAGGED_CHECK_ROWS + 10))
    path = tmp_path / "ragged.csv"
    path.write_text(f"first_name,last_name,city\n{good}{bad_line}\nZO,LI,CARY\n")
    with open(path, "rb") as stream:
        job = import_job_create(
            chapter=chapter, actor=None, upload=File(stream, name="ragged.csv"), original_name="ragged.csv"
        )
    job = import_job_confirm(job=job, mapping=job.mapping, actor=None, queue=False)

    job = import_job_run(job_id=job.pk, fast=True)

    assert staged == [False]
    assert job.status == ImportJob.Status.FAILED
    assert re.match(rf"Row {RAGGED_CHECK_ROWS + 12} has [12] columns but the header has 3\.", job.error)
    assert not Person.objects.filter(chapter=chapter).exists()


def test_people_erased_on_request_stay_out_of_a_column_read_file(
    chapter: Chapter, organizer: Membership, tmp_path: Path, staged: list[bool]
) -> None:
    """The erasure digests are checked against the staged records; the erased row is a rejection."""
    path = files.write(tmp_path / "v.txt", files.ncvoter_text())
    import_people(chapter=chapter, path=str(path), fast=True)
    person_erase(person=Person.objects.get(state_voter_id="AA2"), actor=organizer.user, reason="Asked")

    job = import_people(chapter=chapter, path=str(path), fast=True)

    assert staged == [True, True]
    assert (job.unchanged_count, job.rejected_count) == (2, 1)
    assert _reasons(job) == [(3, "", "", "Erased on request; not imported again")]
    assert not Person.objects.filter(state_voter_id="AA2").exists()


def test_cells_already_in_form_are_checked_like_any_other(
    chapter: Chapter, other_chapter: Chapter, tmp_path: Path, staged: list[bool]
) -> None:
    """A column whose cells all read as themselves skips its readings, not the address length checks."""
    rows = [
        ["first_name", "last_name", "house_number", "street_name", "unit", "party"],
        ["ANA", "SMITH", "5", "ELM AVE", "", "DEM"],
        ["JO", "LEE", "7", "Q" * 121, "", "DEM"],
        ["ZO", "LI", "9", "OAK DR", "U" * 31, "REP"],
    ]
    fast, _ = _both(chapter, other_chapter, files.write(tmp_path / "parts.csv", files.delimited(rows)))

    assert staged == [True]
    assert fast.created_count == 1
    assert [(row, reason) for row, _, _, reason in _reasons(fast)] == [(3, "Address too long"), (4, "Address too long")]
    assert Person.objects.get(chapter=chapter).household.address_key == "5||ELM AVE|||"  # type: ignore[union-attr]


def test_a_file_filling_every_field_reads_the_same(
    chapter: Chapter, other_chapter: Chapter, tmp_path: Path, staged: list[bool]
) -> None:
    """More mapped columns than one GROUPING call takes (31): every field still reads as the row path reads it."""
    values = {
        "state_voter_id": "NC1", "county_voter_id": "c 1", "first_name": "ANA", "middle_name": "b", "last_name": "RUIZ",
        "name_suffix": "jr", "birth_date": "1980-02-03", "birth_year": "", "gender": "f", "party": "Democratic",
        "registration_status": "A", "registration_date": "20010101", "county": "Durham", "precinct": "7",
        "congressional_district": "4", "state_senate_district": "20", "state_house_district": "29",
        "municipality": "Durham", "ward": "2", "street_address": "12 Main Street", "house_number": "99",
        "house_number_suffix": "b", "street_name": "Main Street", "unit": "Apt 3", "city": "Durham", "state": "nc",
        "zip": "27701-1234", "latitude": "35.9", "longitude": "-78.9", "phone": "919 555 0100",
        "cell_phone": "1-919-555-0101", "landline_phone": "9195550102 x12", "email": "ANA@EXAMPLE.ORG",
        "tags": "door, phone", "support_score": "5",
    }  # fmt: skip
    second = {**values, "state_voter_id": "NC2", "first_name": "Luis", "phone": "", "tags": "door"}
    rows = [list(values), list(values.values()), list(second.values())]
    assert len(rows[0]) > 31

    fast, _ = _both(chapter, other_chapter, files.write(tmp_path / "every.csv", files.delimited(rows)))

    assert staged == [True]
    assert fast.created_count == 2
    ana = Person.objects.get(chapter=chapter, state_voter_id="NC1")
    assert (ana.county_voter_id, ana.party, ana.gender, ana.birth_year, ana.support_score) == (
        "C 1",
        "DEM",
        "female",
        1980,
        5,
    )
    assert sorted(ana.phones.values_list("number", flat=True)) == ["9195550100", "9195550101", "9195550102"]
    assert ana.household.address_key == "12||MAIN ST|3|DURHAM|27701"  # type: ignore[union-attr]


def test_a_small_file_against_many_people_joins_by_index(
    chapter: Chapter, other_chapter: Chapter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With few rows next to the people PostgreSQL counted, the merge looks people up by index: same vault."""
    Person.objects.bulk_create([Person(chapter=target, last_name=f"Filler{n}") for target in (chapter, other_chapter)
                                for n in range(20)])  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE data_vault_person")
    few = sql._few_rows
    by_index: list[bool] = []

    def recorded(cursor: object) -> bool:
        by_index.append(few(cursor))
        return by_index[-1]

    monkeypatch.setattr(sql, "_few_rows", recorded)
    path = files.write(tmp_path / "v1.txt", files.ncvoter_text())
    _both(chapter, other_chapter, path)
    changed = [dict(person) for person in files.NCVOTER_PEOPLE]
    changed[0]["party_cd"] = "UNA"
    changed[2]["res_street_address"] = "9 OAK LANE"

    fast, _ = _both(chapter, other_chapter, files.write(tmp_path / "v2.txt", files.ncvoter_text(changed)))

    assert by_index == [True, True]
    assert (fast.updated_count, fast.unchanged_count) == (2, 1)
    assert Person.objects.get(chapter=chapter, state_voter_id="AA1").party == "UNA"


def test_a_worker_killed_while_reading_columns_leaves_nothing(
    chapter: Chapter, tmp_path: Path, staged: list[bool]
) -> None:
    """The column phase reports itself; a worker dying there leaves nothing, and the task run again imports once."""
    path = files.write(tmp_path / "v.txt", files.ncvoter_text())
    with open(path, "rb") as stream:
        job = import_job_create(chapter=chapter, actor=None, upload=File(stream, name="v.txt"), original_name="v.txt")
    job = import_job_confirm(job=job, mapping=job.mapping, actor=None, queue=False)

    with pytest.raises(WorkerDied):
        import_job_run(job_id=job.pk, fast=True, on_phase=_die_at("Reading columns"))
    assert not Person.objects.filter(chapter=chapter).exists()

    job = import_job_run(job_id=job.pk, fast=True)

    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 3)
    assert staged == [True]


@pytest.mark.parametrize("fast", [pytest.param(True, id="fast"), pytest.param(False, id="portable")])
def test_people_saved_in_slices_move_the_bar_and_give_the_same_vault(
    chapter: Chapter, other_chapter: Chapter, tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    """
    Slices of two rows: the same people, updates and counts as one slice, and the bar moves after each.

    The SQL path saves DATA_VAULT_IMPORT_SLICE_ROWS file rows at a time, the portable path a BATCH of records.
    """
    reported: list[tuple[int, str | None]] = []
    publish = pipeline.job_progress

    def recorded(job: ImportJob, *, done: int, total: int | None = None, phase: str | None = None) -> None:
        reported.append((done, phase))
        publish(job, done=done, total=total, phase=phase)

    monkeypatch.setattr(pipeline, "job_progress", recorded)
    path = files.write(tmp_path / "people.txt", files.delimited([HEADER, *ROWS]))
    changed = [list(row) for row in ROWS]
    changed[0][7], changed[2][9] = "REP", "9 Oak Lane"
    again = files.write(tmp_path / "again.txt", files.delimited([HEADER, *changed]))

    def imported(target: Chapter, rows: int) -> list[ImportJob]:
        settings.DATA_VAULT_IMPORT_SLICE_ROWS = rows
        monkeypatch.setattr(pipeline, "BATCH", rows)
        return [import_people(chapter=target, path=str(each), fast=fast) for each in (path, again)]

    sliced = imported(chapter, 2)
    whole = imported(other_chapter, 100_000)

    counts = ("created_count", "updated_count", "unchanged_count", "rejected_count")
    assert [[getattr(job, name) for name in counts] for job in sliced] == [
        [getattr(job, name) for name in counts] for job in whole
    ]
    assert sliced[1].updated_count == 2
    assert _vault(chapter) == _vault(other_chapter)
    # The first import's bar while saving people: one report per slice of two rows, rising to every row.
    start = reported.index((0, "Saving people")) + 1
    end = next((i for i in range(start, len(reported)) if reported[i][1] is not None), len(reported))
    saving = [done for done, _ in reported[start:end]]
    assert saving == sorted(saving)
    assert len(saving) >= 3
    assert saving[-1] == len(ROWS)
