"""The whole-vault export, its download rules, and the round trip: export a vault, import it into an empty chapter."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chapters.models import Chapter, Membership
from core.models import AuditEvent
from data_vault.exporters import vault_export_run, vault_export_start
from data_vault.importers.jobs import import_people
from data_vault.importers.records import origin_names
from data_vault.models import (
    ContactEvent,
    DoNotContact,
    Email,
    ExportJob,
    Household,
    ImportJob,
    LadderChange,
    Person,
    Provenance,
    SavedList,
    Tag,
)
from tests.data_vault import import_files as files
from tests.data_vault.factories import ContactEventFactory
from tests.workers import job_wait

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def vault(chapter: Chapter, organizer: Membership, tmp_path: Path) -> Chapter:
    """Chapter A's vault: imported voters, a door-only result, tags, do-not-contact, a ladder step, a list."""
    import_people(chapter=chapter, path=str(files.write(tmp_path / "v.txt", files.ncvoter_text())))
    ana = Person.objects.get(chapter=chapter, state_voter_id="AA1")
    ana.notes = "=SUM(A1) is not a formula here"
    ana.support_score = 2
    ana.ladder = "volunteer"
    ana.birth_date = date(1980, 4, 2)
    ana.gender = "female"
    ana.congressional_district, ana.state_senate_district, ana.state_house_district = "4", "20", "29"
    ana.municipality, ana.ward, ana.county_voter_id = "DURHAM", "2", "C-17"
    ana.save()
    Household.objects.filter(people=ana).update(latitude=35.99, longitude=-78.9)
    ana.tags.add(Tag.objects.create(chapter=chapter, name="tenant leader"))
    Email.objects.create(person=ana, address="ana@example.org")
    DoNotContact.objects.create(person=ana, channel="phone", reason="Asked at the door", recorded_on=date(2026, 3, 1))
    ContactEventFactory.create(chapter=chapter, person=ana, answers={"7": "yes"}, notes="Talked rent")
    ContactEventFactory.create(chapter=chapter, person=None, household=ana.household, result="not_home")
    LadderChange.objects.create(person=ana, previous="unknown", level="volunteer", source="Canvass")
    SavedList.objects.create(chapter=chapter, name="Precinct 05", filters={"precinct": ["05"]})
    return chapter


def _export(chapter: Chapter, organizer: Membership) -> ExportJob:
    job = vault_export_start(chapter=chapter, actor=organizer.user)
    return vault_export_run(job_id=job.pk)


# What is the chapter's own and not the archive's to carry: keys, the import that wrote a row, and when.
NOT_CARRIED = {"id", "chapter", "household", "origin_import", "origin_fields", "import_digest", "created_at",
               "updated_at", "person", "recorded_by"}  # fmt: skip


def _fields(row: Model) -> tuple[object, ...]:
    """Return every field of a row that a restore must give back, by name."""
    return tuple(
        (field.name, getattr(row, field.attname))
        for field in row._meta.concrete_fields
        if field.name not in NOT_CARRIED
    )


def _snapshot(chapter: Chapter) -> dict[str, object]:
    people = []
    for person in Person.objects.filter(chapter=chapter).select_related("household").order_by("state_voter_id"):
        household = person.household
        people.append(
            (
                _fields(person),
                household.address_key if household else None,
                sorted(person.tags.values_list("name", flat=True)),
                sorted(person.phones.values_list("number", "kind")),
                sorted(person.emails.values_list("address", flat=True)),
                sorted(_fields(row) for row in person.do_not_contact.all()),
                sorted(person.ladder_changes.values_list("previous", "level", "source")),
            )
        )  # fmt: skip
    events = sorted(
        (e.person.state_voter_id if e.person else "", e.household.address_key if e.household else "", e.channel,
         e.result, e.answers, e.notes, e.occurred_at)
        for e in ContactEvent.objects.filter(chapter=chapter).select_related("person", "household")
    )  # fmt: skip
    households = sorted(_fields(household) for household in Household.objects.filter(chapter=chapter))
    lists = list(SavedList.objects.filter(chapter=chapter).values_list("name", "filters"))
    return {"people": people, "events": events, "households": households, "lists": lists}


def test_export_zip_holds_every_file_and_a_readme(vault: Chapter, organizer: Membership) -> None:
    job = _export(vault, organizer)
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 3)
    assert job.expires_at is not None
    with zipfile.ZipFile(job.file.path) as archive:
        names = set(archive.namelist())
        assert names == {"README.txt", "people.csv", "households.csv", "contact_events.csv", "ladder_changes.csv",
                         "tags.csv", "saved_lists.csv"}  # fmt: skip
        people = list(csv.DictReader(io.StringIO(archive.read("people.csv").decode())))
        assert "person_ref" in archive.read("README.txt").decode()
    ana = next(row for row in people if row["state_voter_id"] == "AA1")
    assert ana["notes"] == "'=SUM(A1) is not a formula here"
    assert ana["tags"] == "tenant leader"


def test_round_trip_into_an_empty_chapter_gives_the_same_vault(
    vault: Chapter, other_chapter: Chapter, organizer: Membership
) -> None:
    """Export chapter A, import the zip into chapter B: same people, households and history."""
    job = _export(vault, organizer)
    restored = import_people(chapter=other_chapter, path=job.file.path)
    assert restored.status == ImportJob.Status.DONE, restored.error
    assert (restored.created_count, restored.rejected_count) == (3, 0)
    assert _snapshot(other_chapter) == _snapshot(vault)
    # Each restored person names the restore as their origin, as an import's people do.
    people = Person.objects.filter(chapter=other_chapter)
    assert set(people.values_list("origin_import", flat=True)) == {restored.pk}
    assert all({"first_name", "last_name"} <= set(origin_names(person.origin_fields)) for person in people)
    assert not Provenance.objects.filter(person__chapter=other_chapter, action=Provenance.Action.CREATED).exists()
    again = import_people(chapter=other_chapter, path=job.file.path)  # restoring twice adds nothing
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert _snapshot(other_chapter) == _snapshot(vault)


def test_export_and_download_are_audited_and_the_link_expires(
    client: Client, vault: Chapter, organizer: Membership
) -> None:
    client.force_login(organizer.user)
    started = client.post(reverse("data_vault:vault_export_list", kwargs={"chapter": vault.slug}))
    job = ExportJob.objects.get()
    assert started["Location"] == reverse(
        "data_vault:vault_export_detail", kwargs={"chapter": vault.slug, "pk": job.pk}
    )
    vault_export_run(job_id=job.pk)
    download = client.get(reverse("data_vault:vault_export_download", kwargs={"chapter": vault.slug, "pk": job.pk}))
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()[0] == "README.txt"  # type: ignore[attr-defined]
    audits = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, target_id=str(job.pk))
    assert audits.count() == 2  # started, downloaded
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.get(
        reverse("data_vault:vault_export_download", kwargs={"chapter": vault.slug, "pk": job.pk}), follow=True
    )
    assert "This download link has expired" in expired.content.decode()
    assert audits.count() == 2


@pytest.mark.django_db(transaction=True)
def test_chair_exports_the_vault_through_the_worker_and_watches_the_bar(
    client: Client, vault: Chapter, chair: Membership, celery_worker: None
) -> None:
    """The chair starts the export on the page; the worker writes the zip while the page polls a progress bar."""
    client.force_login(chair.user)
    started = client.post(reverse("data_vault:vault_export_list", kwargs={"chapter": vault.slug}), follow=True)
    job = ExportJob.objects.get()
    assert started.redirect_chain[-1][0] == reverse(
        "data_vault:vault_export_detail", kwargs={"chapter": vault.slug, "pk": job.pk}
    )
    progress = reverse("data_vault:vault_export_progress", kwargs={"chapter": vault.slug, "pk": job.pk})
    job = job_wait(job)
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 3)
    assert job.created_by == chair.user
    assert client.get(progress, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    page = client.get(started.redirect_chain[-1][0]).content.decode()
    assert "Download the vault (zip)" in page
    download = client.get(reverse("data_vault:vault_export_download", kwargs={"chapter": vault.slug, "pk": job.pk}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    people = list(csv.DictReader(io.StringIO(archive.read("people.csv").decode())))
    assert sorted(row["state_voter_id"] for row in people) == ["AA1", "AA2", "AA3"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, actor=chair.user).count() == 2


def test_vault_export_progress_shows_a_bar_while_queued(client: Client, vault: Chapter, organizer: Membership) -> None:
    job = vault_export_start(chapter=vault, actor=organizer.user)
    client.force_login(organizer.user)
    progress = reverse("data_vault:vault_export_progress", kwargs={"chapter": vault.slug, "pk": job.pk})
    partial = client.get(progress, HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" in partial
    assert 'hx-trigger="every 1s"' in partial


def test_canvassers_and_members_cannot_export(
    client: Client, vault: Chapter, canvasser: Membership, member: Membership
) -> None:
    for membership in (canvasser, member):
        client.force_login(membership.user)
        assert client.post(reverse("data_vault:vault_export_list", kwargs={"chapter": vault.slug})).status_code == 404
    assert not ExportJob.objects.exists()


def test_vault_export_uploaded_on_the_import_page_skips_the_column_mapping(
    client: Client, vault: Chapter, other_chapter: Chapter, organizer: Membership, outsider: Membership
) -> None:
    """Chapter B's chair uploads chapter A's export: no columns to map, one button, then the same people."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from data_vault.importers.jobs import import_job_run

    export = _export(vault, organizer)
    client.force_login(outsider.user)
    with open(export.file.path, "rb") as stream:
        upload = SimpleUploadedFile("alpha-vault.zip", stream.read(), content_type="application/zip")
    client.post(reverse("data_vault:import_list", kwargs={"chapter": other_chapter.slug}), {"file": upload})
    job = ImportJob.objects.get(chapter=other_chapter)
    assert job.file_format == "vault"
    mapping = client.get(reverse("data_vault:import_mapping", kwargs={"chapter": other_chapter.slug, "pk": job.pk}))
    assert "This is a Blockwork vault export." in mapping.content.decode()
    client.post(reverse("data_vault:import_mapping", kwargs={"chapter": other_chapter.slug, "pk": job.pk}))
    job = import_job_run(job_id=job.pk)
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 3)
    assert _snapshot(other_chapter)["people"] == _snapshot(vault)["people"]
