"""A failed or killed import changes nothing; running it again imports the file once; erased people stay out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chapters.models import Chapter, Membership
from core.errors import ApplicationError
from data_vault.importers.jobs import (
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_job_run,
    import_people,
)
from data_vault.models import Erasure, Household, ImportJob, ImportRejection, Person, Provenance
from data_vault.services import person_erase
from tests.data_vault import import_files as files

pytestmark = pytest.mark.django_db
PATHS = [pytest.param(True, id="fast"), pytest.param(False, id="portable")]
PHASES = ["Checking rows", "Saving households", "Matching people", "Saving people"]


class WorkerDied(BaseException):
    """Stands in for a worker killed mid-import: nothing in the task catches it."""


def _confirmed_job(chapter: Chapter, path: Path) -> ImportJob:
    from django.core.files import File

    with path.open("rb") as stream:
        job = import_job_create(
            chapter=chapter, actor=None, upload=File(stream, name=path.name), original_name=path.name
        )
    return import_job_confirm(job=job, mapping=job.mapping, actor=None, queue=False)


def _die_at(phase: str) -> Callable[[str], None]:
    def on_phase(name: str) -> None:
        if name == phase:
            raise WorkerDied

    return on_phase


@pytest.mark.parametrize(
    ("fast", "phase"),
    [
        *(pytest.param(fast.values[0], phase, id=f"{fast.id}-{phase}") for fast in PATHS for phase in PHASES),
        # The fast path checks its foreign keys before it says it is done, not at commit.
        pytest.param(True, "Checking links between records", id="fast-Checking links between records"),
    ],
)
def test_worker_killed_between_phases_then_run_again_imports_once(
    chapter: Chapter, tmp_path: Path, fast: bool, phase: str
) -> None:
    """A worker that dies at any phase leaves nothing; the task re-delivered imports every row once."""
    rows = [*files.NCVOTER_PEOPLE, {**files.NCVOTER_PEOPLE[0], "first_name": "ANNA"}]  # row 5 repeats AA1
    job = _confirmed_job(chapter, files.write(tmp_path / "ncvoter.txt", files.ncvoter_text(rows)))
    with pytest.raises(WorkerDied):
        import_job_run(job_id=job.pk, fast=fast, on_phase=_die_at(phase))
    assert not Person.objects.exists()
    assert not Household.objects.exists()
    assert not ImportRejection.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING

    job = import_job_run(job_id=job.pk, fast=fast)
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.rejected_count) == (3, 1)
    assert Person.objects.count() == 3
    assert ImportRejection.objects.filter(job=job).count() == 1

    again = import_job_run(job_id=job.pk, fast=fast)  # the task delivered once more after it finished
    assert again.created_count == 3
    assert Person.objects.count() == 3
    assert set(Person.objects.values_list("origin_import", flat=True)) == {job.pk}
    assert not Provenance.objects.exists()  # the people's creation is on them, once


@pytest.mark.parametrize("fast", PATHS)
def test_failed_reimport_leaves_the_vault_as_it_was(chapter: Chapter, tmp_path: Path, fast: bool) -> None:
    """An update that fails half-way through writes none of its changes."""
    import_people(chapter=chapter, path=str(files.write(tmp_path / "v1.txt", files.ncvoter_text())), fast=fast)
    changed = [{**person, "party_cd": "GRE"} for person in files.NCVOTER_PEOPLE]
    job = _confirmed_job(chapter, files.write(tmp_path / "v2.txt", files.ncvoter_text(changed)))
    with pytest.raises(WorkerDied):
        import_job_run(job_id=job.pk, fast=fast, on_phase=_die_at("Saving people"))
    assert set(Person.objects.values_list("party", flat=True)) == {"DEM"}
    assert Provenance.objects.filter(action="updated").count() == 0


def test_unconfirmed_job_does_not_run(chapter: Chapter, tmp_path: Path) -> None:
    from django.core.files import File

    path = files.write(tmp_path / "ncvoter.txt", files.ncvoter_text())
    with path.open("rb") as stream:
        job = import_job_create(chapter=chapter, actor=None, upload=File(stream, name="n.txt"), original_name="n.txt")
    with pytest.raises(ApplicationError):
        import_job_run(job_id=job.pk)
    assert not Person.objects.exists()


@pytest.mark.parametrize("fast", PATHS)
def test_people_erased_on_request_are_not_imported_again(
    chapter: Chapter, organizer: Membership, tmp_path: Path, fast: bool
) -> None:
    """A person erased on their page stays out: the voter by voter id, the contact by name, year and address."""
    voters = str(files.write(tmp_path / "v.txt", files.ncvoter_text()))
    contact = files.delimited([["first_name", "last_name", "birth_year", "address", "city", "zip"],
                               ["Ana", "Ruiz", "1990", "5 Oak Avenue", "Durham", "27701"],
                               ["Ben", "Ruiz", "1990", "5 Oak Avenue", "Durham", "27701"]])  # fmt: skip
    contacts = str(files.write(tmp_path / "c.csv", contact))
    import_people(chapter=chapter, path=voters, fast=fast)
    import_people(chapter=chapter, path=contacts, fast=fast)
    voter = Person.objects.get(state_voter_id="AA2")
    person_erase(person=voter, actor=organizer.user, reason="Asked to be removed")
    person_erase(person=Person.objects.get(first_name="Ana", last_name="Ruiz"), actor=organizer.user, reason="Asked")
    assert Erasure.objects.filter(chapter=chapter).count() == 2

    job = import_people(chapter=chapter, path=voters, fast=fast)
    assert (job.created_count, job.unchanged_count, job.rejected_count) == (0, 2, 1)
    assert not Person.objects.filter(state_voter_id="AA2").exists()
    rejection = ImportRejection.objects.get(job=job)
    assert (rejection.row_number, rejection.reason) == (3, "Erased on request; not imported again")
    job = import_people(chapter=chapter, path=contacts, fast=fast)
    assert (job.created_count, job.unchanged_count, job.rejected_count) == (0, 1, 1)
    rejection = ImportRejection.objects.get(job=job)
    assert (rejection.row_number, rejection.reason) == (2, "Erased on request; not imported again")
    assert not Person.objects.filter(first_name="Ana", last_name="Ruiz").exists()
    assert Person.objects.filter(first_name="Ben", last_name="Ruiz").exists()


@pytest.mark.parametrize("fast", PATHS)
def test_long_file_reports_progress_while_streaming(chapter: Chapter, tmp_path: Path, fast: bool) -> None:
    """Progress goes out every few thousand rows, even while COPY holds the connection."""
    people = [
        {"ncid": f"AB{n}", "first_name": "ANA", "last_name": f"ROW{n}", "res_street_address": f"{n} MAIN ST"}
        for n in range(6000)
    ]
    job = import_people(
        chapter=chapter, path=str(files.write(tmp_path / "big.txt", files.ncvoter_text(people))), fast=fast
    )
    assert (job.status, job.created_count, job.done, job.total) == (ImportJob.Status.DONE, 6000, 6000, 6000)


def test_cancelled_import_keeps_nothing(chapter: Chapter, organizer: Membership, tmp_path: Path) -> None:
    from core.services import job_cancel_request

    job = _confirmed_job(chapter, files.write(tmp_path / "ncvoter.txt", files.ncvoter_text()))
    job_cancel_request(job, actor=organizer.user)
    job = import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.CANCELLED
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("fast", "phase"),
    [pytest.param(fast.values[0], phase, id=f"{fast.id}-{phase}") for fast in PATHS for phase in PHASES],
)
def test_import_cancelled_while_it_runs_keeps_nothing(
    chapter: Chapter, organizer: Membership, tmp_path: Path, fast: bool, phase: str
) -> None:
    """A cancel asked for at any phase stops the import at its next check and rolls back what it did."""
    job = _confirmed_job(chapter, files.write(tmp_path / "ncvoter.txt", files.ncvoter_text()))

    def cancel_at(name: str) -> None:
        if name == phase:
            import_job_cancel(job=ImportJob.objects.get(pk=job.pk), actor=organizer.user)

    job = import_job_run(job_id=job.pk, fast=fast, on_phase=cancel_at)
    assert (job.status, job.phase) == (ImportJob.Status.CANCELLED, "Cancelled")
    assert not Person.objects.exists()
    assert not Household.objects.exists()
    assert not ImportRejection.objects.exists()


def test_the_upload_is_deleted_once_imported(chapter: Chapter, tmp_path: Path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    job = _confirmed_job(chapter, files.write(tmp_path / "ncvoter.txt", files.ncvoter_text()))
    stored = Path(job.file.path)
    assert stored.exists()
    import_job_run(job_id=job.pk)
    assert not stored.exists()
    assert ImportJob.objects.get(pk=job.pk).file.name == ""
