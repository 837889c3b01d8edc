"""The reviewers' packet: a real Celery worker renders it with WeasyPrint, and its text reads back."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent, Job
from endorsements.models import PacketJob
from tests.endorsements.factories import DOSSIER, PLAN, endorsement_submitted_nationally
from tests.workers import job_wait


@pytest.mark.django_db(transaction=True)
def test_the_packet_is_rendered_by_the_worker_and_holds_the_whole_record(
    client: Client, organizer, nec_member, celery_worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    endorsement = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    client.force_login(nec_member)
    response = client.post(
        reverse("endorsements:national_packet_start", kwargs={"pk": endorsement.national_request.pk})
    )
    job = PacketJob.objects.get()
    assert response["Location"] == reverse(
        "endorsements:national_packet_status", kwargs={"pk": endorsement.national_request.pk, "job": job.pk}
    )
    job = job_wait(job)
    assert job.status == Job.Status.DONE, job.error
    assert (job.done, job.total) == (4, 4)

    download = client.get(f"{response['Location']}download/")
    assert download.status_code == 200
    exported = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (exported.actor, exported.chapter) == (nec_member, endorsement.chapter)
    pdf = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert f"Endorsement packet: {endorsement.candidate.name}" in text
    assert "Will you back participatory budgeting?" in text  # a questionnaire question, answered
    assert DOSSIER["viability_rationale"] in text
    assert "8 yes, 1 no, 1 abstaining" in text  # the chapter vote
    assert PLAN["messaging_plan"] in text
    assert "National request submitted" in text  # the timeline
    assert "National endorsement and a phonebank." in text


@pytest.mark.django_db
def test_the_packet_status_page_shows_progress(client: Client, organizer):
    endorsement = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    job = PacketJob.objects.create(endorsement=endorsement, created_by=organizer.user)
    client.force_login(organizer.user)
    url = reverse(
        "endorsements:packet_status", kwargs={"chapter": endorsement.chapter.slug, "pk": endorsement.pk, "job": job.pk}
    )
    assert "<progress" in client.get(url).content.decode()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<progress" in partial
    assert "<html" not in partial
    assert client.get(f"{url}download/").status_code == 404  # not rendered yet


@pytest.mark.django_db
def test_running_the_packet_task_twice_renders_once(organizer, settings, tmp_path):
    from endorsements.tasks import packet_render_task

    settings.MEDIA_ROOT = tmp_path
    endorsement = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    job = PacketJob.objects.create(endorsement=endorsement, created_by=organizer.user)
    packet_render_task(job.pk)
    job.refresh_from_db()
    first = job.file.name
    packet_render_task(job.pk)
    job.refresh_from_db()
    assert (job.status, job.file.name) == (Job.Status.DONE, first)
    assert len(list(tmp_path.rglob("*.pdf"))) == 1
