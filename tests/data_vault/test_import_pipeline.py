"""The import pipeline: formats, encodings, presets, normalization, matching, re-import, provenance."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from chapters.models import Chapter, Membership
from data_vault import selectors
from data_vault.importers.jobs import import_people
from data_vault.importers.records import origin_names
from data_vault.models import Household, ImportJob, Person, Provenance
from tests.data_vault import import_files as files

pytestmark = pytest.mark.django_db
PATHS = [pytest.param(True, id="fast"), pytest.param(False, id="portable")]


def _people(chapter: Chapter) -> dict[str, Person]:
    return {p.state_voter_id or p.full_name: p for p in Person.objects.filter(chapter=chapter)}


@pytest.mark.parametrize("fast", PATHS)
def test_ncvoter_file_creates_people_households_and_provenance(chapter: Chapter, tmp_path: Path, fast: bool) -> None:
    """People at one normalized address share a household; every field is normalized."""
    path = files.write(tmp_path / "ncvoter_durham.txt", files.ncvoter_text())
    job = import_people(chapter=chapter, path=str(path), fast=fast)
    assert job.status == ImportJob.Status.DONE, job.error
    assert job.preset == "ncvoter"
    assert (job.created_count, job.updated_count, job.unchanged_count, job.rejected_count) == (3, 0, 0, 0)
    people = _people(chapter)
    ana, luis, jo = people["AA1"], people["AA2"], people["AA3"]
    assert (ana.first_name, ana.last_name, ana.party, ana.gender, ana.birth_year) == (
        "Ana",
        "Garcia",
        "DEM",
        "female",
        1980,
    )
    assert ana.registration_status == "active"
    assert ana.registration_date == date(2004, 3, 15)
    assert ana.household_id == luis.household_id
    household = ana.household
    assert household is not None
    assert (household.house_number, household.street_name, household.unit, household.zip5) == (
        12,
        "MAIN ST",
        "4",
        "27701",
    )
    assert jo.last_name == "O'Neil"
    assert jo.household is not None
    assert jo.household.zip5 == "27701"
    assert jo.household.street_name == "ELM AVE"
    assert list(ana.phones.values_list("number", flat=True)) == ["9195550101"]
    assert ana.search_text == "ANA GARCIA 12 MAIN ST 4 DURHAM 27701 AA1"
    assert ana.name_key == "GARCIA|ANA"
    # The import that created a person is kept on the person; provenance rows record later changes.
    assert ana.origin_import == job
    assert {"first_name", "party", "household", "phones"} <= set(origin_names(ana.origin_fields))
    assert "emails" not in origin_names(ana.origin_fields)
    assert not Provenance.objects.filter(person=ana).exists()
    created = selectors.person_provenance(person=ana)[-1]
    assert (created.action, created.import_job, created.source) == ("created", job, job.original_name)
    assert Household.objects.filter(chapter=chapter).count() == 2


@pytest.mark.parametrize("fast", PATHS)
def test_deleting_an_import_keeps_its_people_and_forgets_their_origin(
    chapter: Chapter, tmp_path: Path, fast: bool
) -> None:
    """The origin key has no database constraint: the ORM's delete still nulls it on every person."""
    job = import_people(
        chapter=chapter, path=str(files.write(tmp_path / "ncvoter.txt", files.ncvoter_text())), fast=fast
    )
    assert set(Person.objects.filter(chapter=chapter).values_list("origin_import", flat=True)) == {job.pk}
    job.delete()
    assert Person.objects.filter(chapter=chapter).count() == 3
    assert set(Person.objects.filter(chapter=chapter).values_list("origin_import", flat=True)) == {None}


@pytest.mark.parametrize("fast", PATHS)
def test_deleting_an_import_or_its_actor_keeps_the_provenance_it_left(
    chapter: Chapter, organizer: Membership, tmp_path: Path, fast: bool
) -> None:
    """Provenance points at its import and actor without database constraints; the ORM's deletes still null them."""
    import_people(chapter=chapter, path=str(files.write(tmp_path / "v1.txt", files.ncvoter_text())), fast=fast)
    changed = [dict(person) for person in files.NCVOTER_PEOPLE]
    changed[0]["party_cd"] = "GRE"
    job = import_people(
        chapter=chapter,
        path=str(files.write(tmp_path / "v2.txt", files.ncvoter_text(changed))),
        actor=organizer.user,
        fast=fast,
    )
    row = Provenance.objects.get(import_job=job)
    assert (row.actor_id, row.fields, row.source) == (organizer.user.pk, ["party"], "v2.txt")

    job.delete()
    organizer.user.delete()

    row.refresh_from_db()
    assert (row.import_job_id, row.actor_id, row.fields, row.source) == (None, None, ["party"], "v2.txt")


@pytest.mark.parametrize("fast", PATHS)
def test_reimport_updates_changed_people_and_never_duplicates(chapter: Chapter, tmp_path: Path, fast: bool) -> None:
    """An updated file changes what changed, leaves the rest, and records which fields moved."""
    first = files.write(tmp_path / "v1.txt", files.ncvoter_text())
    import_people(chapter=chapter, path=str(first), fast=fast)
    changed = [dict(person) for person in files.NCVOTER_PEOPLE]
    changed[0]["party_cd"] = "UNA"
    changed[2]["res_street_address"] = "9 OAK LANE"
    second = files.write(tmp_path / "v2.txt", files.ncvoter_text(changed))
    job = import_people(chapter=chapter, path=str(second), fast=fast)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 2, 1)
    assert Person.objects.filter(chapter=chapter).count() == 3
    people = _people(chapter)
    assert people["AA1"].party == "UNA"
    jo = people["AA3"]
    assert jo.household is not None
    assert jo.household.street_name == "OAK LN"
    assert "9 OAK LN" in jo.search_text
    updated = Provenance.objects.get(person=people["AA1"], action="updated")
    assert updated.fields == ["party"]
    assert Provenance.objects.get(person=jo, action="updated").fields == ["household"]
    again = import_people(chapter=chapter, path=str(second), fast=fast)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)


@pytest.mark.parametrize("fast", PATHS)
def test_blank_cells_never_erase_what_the_vault_knows(chapter: Chapter, tmp_path: Path, fast: bool) -> None:
    """A contact list without party or birth year leaves a voter's party and birth year alone."""
    import_people(chapter=chapter, path=str(files.write(tmp_path / "v.txt", files.ncvoter_text())), fast=fast)
    contacts = files.delimited(
        [
            ["first_name", "last_name", "email", "zip_code", "can2_phone"],
            ["Ana", "Garcia", "ANA@EXAMPLE.ORG", "27701", ""],
        ]
    )
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "an.csv", contacts)), fast=fast)
    assert job.preset == "action_network"
    # No voter id and no address in the list: it matches nobody by name, year and address, so it is new.
    assert job.created_count == 1
    people = Person.objects.filter(chapter=chapter, first_name="Ana")
    assert people.count() == 2
    assert people.get(state_voter_id="AA1").party == "DEM"


@pytest.mark.parametrize("fast", PATHS)
def test_people_without_voter_id_match_on_name_birth_year_and_address(
    chapter: Chapter, tmp_path: Path, fast: bool
) -> None:
    """A contact list re-imported with a new email updates the same person."""
    header = ["First Name", "Last Name", "Birth Year", "Address", "City", "Zip", "Email", "Tags"]
    one = files.delimited([header, ["Rosa", "Parks", "1960", "4 Hill St", "Durham", "27701", "", "tenant leader"]])
    two = files.delimited(
        [
            header,
            [
                "ROSA",
                "PARKS",
                "1960",
                "4 Hill Street",
                "DURHAM",
                "27701-1234",
                "rosa@example.org",
                "Tenant Leader; spanish",
            ],
        ]
    )
    import_people(chapter=chapter, path=str(files.write(tmp_path / "one.csv", one)), fast=fast)
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "two.csv", two)), fast=fast)
    assert (job.created_count, job.updated_count) == (0, 1)
    rosa = Person.objects.get(chapter=chapter)
    assert list(rosa.emails.values_list("address", flat=True)) == ["rosa@example.org"]
    assert sorted(rosa.tags.values_list("name", flat=True)) == ["spanish", "tenant leader"]
    assert Provenance.objects.get(person=rosa, action="updated").fields == ["emails", "tags"]


@pytest.mark.parametrize("fast", PATHS)
def test_later_voter_file_gives_a_contact_their_voter_id(chapter: Chapter, tmp_path: Path, fast: bool) -> None:
    """Someone first known from a contact list is matched, not duplicated, when the voter file arrives."""
    header = ["first_name", "last_name", "birth_year", "address", "city", "zip"]
    contact = files.delimited([header, ["Ana", "Garcia", "1980", "12 Main St #4", "Durham", "27701"]])
    import_people(chapter=chapter, path=str(files.write(tmp_path / "c.csv", contact)), fast=fast)
    job = import_people(chapter=chapter, path=str(files.write(tmp_path / "v.txt", files.ncvoter_text())), fast=fast)
    assert (job.created_count, job.updated_count) == (2, 1)
    assert Person.objects.filter(chapter=chapter, first_name="Ana").get().state_voter_id == "AA1"


def test_fast_and_portable_paths_give_the_same_vault(chapter: Chapter, other_chapter: Chapter, tmp_path: Path) -> None:
    """Both paths store the same people, households, contacts and provenance."""
    path = files.write(tmp_path / "ncvoter.txt", files.ncvoter_text())
    changed = [dict(person) for person in files.NCVOTER_PEOPLE]
    changed[1]["middle_name"] = "MARIA"
    again = files.write(tmp_path / "ncvoter2.txt", files.ncvoter_text(changed))
    for target, fast in ((chapter, True), (other_chapter, False)):
        import_people(chapter=target, path=str(path), fast=fast)
        import_people(chapter=target, path=str(again), fast=fast)

    def snapshot(target: Chapter) -> list[tuple[object, ...]]:
        rows: list[tuple[object, ...]] = []
        for person in Person.objects.filter(chapter=target).select_related("household").order_by("state_voter_id"):
            household = person.household
            rows.append(
                (
                    tuple(getattr(person, name) for name in ("state_voter_id", "first_name", "middle_name", "last_name",
                                                            "birth_year", "party", "name_key", "search_text")),
                    household and (household.address_key, household.precinct, household.street_side),
                    sorted(person.phones.values_list("number", "kind")),
                    [(p.action, p.fields) for p in person.provenance.order_by("id")],
                    (person.origin_import and person.origin_import.original_name, origin_names(person.origin_fields)),
                )
            )  # fmt: skip
        return rows

    assert snapshot(chapter) == snapshot(other_chapter)


def _analyze_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'data_vault_person'")
        return int(cursor.fetchone()[0])


def _people_counted(chapter: Chapter, filler: int) -> None:
    """Give the table `filler` other people and let the planner count them (reltuples)."""
    Person.objects.bulk_create([Person(chapter=chapter, last_name=f"Filler{n}") for n in range(filler)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE data_vault_person")


@pytest.mark.parametrize(
    ("threshold", "filler", "analyzed"), [(3, 0, True), (4, 0, False), (3, 15, True), (3, 16, False)]
)
def test_an_import_writing_many_people_refreshes_the_planner_statistics(
    chapter: Chapter, other_chapter: Chapter, tmp_path: Path, settings, threshold: int, filler: int, analyzed: bool
) -> None:
    """The people list's plans see a big import at once, not when autovacuum comes by."""
    settings.DATA_VAULT_IMPORT_ANALYZE_ROWS = threshold
    _people_counted(other_chapter, filler)  # three people are a fifth of fifteen, not of sixteen
    path = files.write(tmp_path / "ncvoter.txt", files.ncvoter_text())  # three people

    before = _analyze_count()
    assert import_people(chapter=chapter, path=str(path), fast=True).created_count == 3
    assert (_analyze_count() > before) is analyzed


def test_a_small_reimport_of_a_big_table_leaves_the_statistics_to_autovacuum(
    chapter: Chapter, other_chapter: Chapter, tmp_path: Path, settings
) -> None:
    """Updating a few people among many moves the statistics too little to pay for ANALYZE."""
    settings.DATA_VAULT_IMPORT_ANALYZE_ROWS = 2
    import_people(chapter=chapter, path=str(files.write(tmp_path / "v1.txt", files.ncvoter_text())), fast=True)
    _people_counted(other_chapter, 20)  # 23 people counted: two updated are less than a fifth
    changed = [dict(person) for person in files.NCVOTER_PEOPLE]
    changed[0]["party_cd"] = "UNA"
    changed[1]["party_cd"] = "UNA"

    before = _analyze_count()
    job = import_people(
        chapter=chapter, path=str(files.write(tmp_path / "v2.txt", files.ncvoter_text(changed))), fast=True
    )
    assert (job.created_count, job.updated_count) == (0, 2)
    assert _analyze_count() == before
