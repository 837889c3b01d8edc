"""List exports: a Celery job with progress, audited, formula-safe, with a download link that expires."""

from __future__ import annotations

import csv
import io
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from data_vault.models import ExportJob, Phone
from data_vault.services import list_export_run, list_export_start, person_tag_add
from tests.data_vault.factories import HouseholdFactory, PersonFactory, SavedListFactory
from tests.workers import job_wait


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.django_db(transaction=True)
def test_organizer_exports_a_saved_list_through_the_worker(client, organizer, celery_worker):
    chapter = organizer.chapter
    north = HouseholdFactory.create(chapter=chapter, precinct="01", house_number=5, street_name="MAIN ST")
    ada = PersonFactory.create(chapter=chapter, household=north, first_name="=HYPERLINK(1)", last_name="Ng")
    Phone.objects.create(person=ada, number="9195550100", kind=Phone.Kind.CELL)
    person_tag_add(person=ada, tag_name="-tenant", actor=organizer.user)
    PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter, precinct="02"))
    saved_list = SavedListFactory.create(chapter=chapter, name="North", filters={"precinct": ["01"]})
    client.force_login(organizer.user)

    response = client.post(
        reverse("data_vault:saved_list_export", kwargs={"chapter": chapter.slug, "pk": saved_list.pk})
    )
    job = ExportJob.objects.get()
    assert response.url == reverse("data_vault:list_export_detail", kwargs={"chapter": chapter.slug, "pk": job.pk})
    job = job_wait(job)
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 1)
    assert job.expires_at is not None
    assert job.expires_at > timezone.now() + timedelta(hours=23)
    assert "Download the CSV" in client.get(response.url).content.decode()

    download = client.get(reverse("data_vault:list_export_download", kwargs={"chapter": chapter.slug, "pk": job.pk}))
    rows = _rows(download)
    assert len(rows) == 1
    assert rows[0]["first_name"] == "'=HYPERLINK(1)"
    assert rows[0]["tags"] == "'-tenant"
    assert rows[0]["cell_phones"] == "9195550100"
    assert rows[0]["address"] == "5 MAIN ST"
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, target_id=str(job.pk))
    assert exports.count() == 2
    assert exports.filter(details__downloaded=job.pk).exists()


def test_export_of_the_people_filter_writes_only_its_people(organizer, chapter):
    PersonFactory.create_batch(3, chapter=chapter, party="GRE")
    PersonFactory.create(chapter=chapter, party="DEM")
    job = list_export_start(chapter=chapter, actor=organizer.user, filters={"party": ["GRE"]})
    job = list_export_run(job_id=job.pk)
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 3)
    with job.file.open("rb") as handle:
        lines = handle.read().decode().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("person_id,state_voter_id,first_name")
    # Running the task again does nothing more.
    assert list_export_run(job_id=job.pk).row_count == 3


def test_an_expired_link_is_gone_and_its_file_deleted(client, organizer, chapter):
    PersonFactory.create(chapter=chapter)
    job = list_export_run(job_id=list_export_start(chapter=chapter, actor=organizer.user, filters={}).pk)
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(organizer.user)
    response = client.get(reverse("data_vault:list_export_download", kwargs={"chapter": chapter.slug, "pk": job.pk}))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    job.refresh_from_db()
    assert not job.file

    assert not os.path.exists(path)


def test_an_export_with_a_bad_filter_starts_nothing(client, organizer, chapter):
    client.force_login(organizer.user)
    client.post(reverse("data_vault:person_list_export", kwargs={"chapter": chapter.slug}), {"filters": "age_min=x"})
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("persona", ["captain", "canvasser", "member", "outsider"])
def test_only_organizers_and_chairs_export(client, request, chapter, persona):
    saved_list = SavedListFactory.create(chapter=chapter)
    client.force_login(request.getfixturevalue(persona).user)
    url = reverse("data_vault:saved_list_export", kwargs={"chapter": chapter.slug, "pk": saved_list.pk})
    assert client.post(url).status_code == 404
    assert not ExportJob.objects.exists()


def test_progress_shows_a_bar_until_the_job_is_done(client, organizer, chapter):
    job = ExportJob.objects.create(chapter=chapter, kind=ExportJob.Kind.LIST, created_by=organizer.user)
    client.force_login(organizer.user)
    url = reverse("data_vault:list_export_progress", kwargs={"chapter": chapter.slug, "pk": job.pk})
    assert "<progress" in client.get(url).content.decode()
