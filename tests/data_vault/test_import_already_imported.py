"""Rows that last wrote their person are passed over on a re-import: counted unchanged, read no further."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files import File

from chapters.models import Chapter
from data_vault.importers.jobs import import_job_confirm, import_job_create, import_job_run, import_people
from data_vault.models import ImportJob, ImportRejection, Person
from tests.data_vault import import_files as files

pytestmark = pytest.mark.django_db
PATHS = [pytest.param(True, id="fast"), pytest.param(False, id="portable")]


def _hand_edit(chapter: Chapter, voter_id: str, **values: object) -> None:
    Person.objects.filter(chapter=chapter, state_voter_id=voter_id).update(**values)


@pytest.mark.parametrize("fast", PATHS)
def test_a_row_unchanged_since_it_wrote_its_person_is_passed_over(chapter: Chapter, tmp_path: Path, fast: bool) -> None:
    """A hand edit outlives a re-import of the same row; a changed row is read again in full."""
    path = files.write(tmp_path / "v1.txt", files.ncvoter_text())
    import_people(chapter=chapter, path=str(path), fast=fast)
    _hand_edit(chapter, "AA1", party="GRE")

    again = import_people(chapter=chapter, path=str(path), fast=fast)

    assert (again.created_count, again.updated_count, again.unchanged_count, again.rejected_count) == (0, 0, 3, 0)
    assert Person.objects.get(chapter=chapter, state_voter_id="AA1").party == "GRE"

    changed = [dict(person) for person in files.NCVOTER_PEOPLE]
    changed[0]["middle_name"] = "ROSA"
    job = import_people(
        chapter=chapter, path=str(files.write(tmp_path / "v2.txt", files.ncvoter_text(changed))), fast=fast
    )

    assert (job.updated_count, job.unchanged_count) == (1, 2)
    ana = Person.objects.get(chapter=chapter, state_voter_id="AA1")
    assert (ana.middle_name, ana.party) == ("Rosa", "DEM")


@pytest.mark.parametrize("fast", PATHS)
def test_a_voter_id_the_file_repeats_is_always_read(chapter: Chapter, tmp_path: Path, fast: bool) -> None:
    """A repeated voter id is never passed over, so the repeat is still named in the rejected rows."""
    people = [*files.NCVOTER_PEOPLE, {**files.NCVOTER_PEOPLE[0], "first_name": "ANNA"}]
    path = files.write(tmp_path / "v.txt", files.ncvoter_text(people))
    import_people(chapter=chapter, path=str(path), fast=fast)
    _hand_edit(chapter, "AA1", party="GRE")
    _hand_edit(chapter, "AA2", party="GRE")

    again = import_people(chapter=chapter, path=str(path), fast=fast)

    assert (again.updated_count, again.unchanged_count, again.rejected_count) == (1, 2, 1)
    rejection = ImportRejection.objects.get(job=again)
    assert (rejection.row_number, rejection.reason) == (5, "Same voter id as row 2")
    assert Person.objects.get(chapter=chapter, state_voter_id="AA1").party == "DEM"  # read again
    assert Person.objects.get(chapter=chapter, state_voter_id="AA2").party == "GRE"  # passed over


@pytest.mark.parametrize("fast", PATHS)
def test_another_mapping_reads_every_row_again(chapter: Chapter, tmp_path: Path, fast: bool) -> None:
    """The digest covers the mapping: the same file mapped another way is read again."""
    path = files.write(tmp_path / "v.txt", files.ncvoter_text())
    import_people(chapter=chapter, path=str(path), fast=fast)
    _hand_edit(chapter, "AA1", first_name="Annie")

    with path.open("rb") as stream:
        job = import_job_create(chapter=chapter, actor=None, upload=File(stream, name="v.txt"), original_name="v.txt")
    mapping = {name: column for name, column in job.mapping.items() if name != "party"}
    job = import_job_confirm(job=job, mapping=mapping, actor=None, queue=False)
    job = import_job_run(job_id=job.pk, fast=fast)

    assert job.status == ImportJob.Status.DONE
    assert (job.updated_count, job.unchanged_count) == (1, 2)
    assert Person.objects.get(chapter=chapter, state_voter_id="AA1").first_name == "Ana"


@pytest.mark.parametrize("fast", PATHS)
def test_a_voter_id_cell_not_written_as_the_vault_writes_it_is_read(
    chapter: Chapter, tmp_path: Path, fast: bool
) -> None:
    """A cell that reads as the voter id but is not written as it ("aa1" for AA1) is read again each time."""
    people = [{**files.NCVOTER_PEOPLE[0], "ncid": "aa1"}, *files.NCVOTER_PEOPLE[1:]]
    path = files.write(tmp_path / "v.txt", files.ncvoter_text(people))
    import_people(chapter=chapter, path=str(path), fast=fast)
    _hand_edit(chapter, "AA1", party="GRE")
    _hand_edit(chapter, "AA2", party="GRE")

    again = import_people(chapter=chapter, path=str(path), fast=fast)

    assert (again.updated_count, again.unchanged_count) == (1, 2)
    assert Person.objects.get(chapter=chapter, state_voter_id="AA1").party == "DEM"
    assert Person.objects.get(chapter=chapter, state_voter_id="AA2").party == "GRE"
