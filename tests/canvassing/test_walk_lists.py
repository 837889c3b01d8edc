"""Walk lists: the PDF read back in order, its cache, the audited CSV and the paper-results grid."""

from __future__ import annotations

import csv
import io
import re
import time
import uuid

import pytest
from django.urls import reverse
from pypdf import PdfReader

from canvassing import services
from canvassing.models import DoorVisit, WalkListJob
from core.models import AuditEvent
from data_vault.models import ContactEvent, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def turf(campaign, saved_list, street_doors, organizer, support_question):
    return services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)[0]


def _pdf_text(job: WalkListJob) -> str:
    with job.file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def test_pdf_lists_every_household_in_walking_order_with_page_numbers(turf, captain):
    job = services.walk_list_request(turf=turf, actor=captain.user)
    services.walk_list_render(job_id=job.pk)
    job.refresh_from_db()
    text = _pdf_text(job)
    assert job.status == WalkListJob.Status.DONE
    addresses = re.findall(r"\d+\. (\d+ [A-Z]+ [A-Z]+)", text)
    assert addresses == [
        "101 MAIN ST", "103 MAIN ST", "105 MAIN ST", "106 MAIN ST", "104 MAIN ST", "102 MAIN ST",
        "1 OAK AVE", "3 OAK AVE", "2 OAK AVE",
    ]  # fmt: skip
    assert f"Page 1 of {job.page_count}" in text
    assert f"Page {job.page_count} of {job.page_count}" in text
    assert turf.code in text
    assert f"/t/{turf.code}/" in text
    assert "Do you support rent control?" in text  # the answer key
    for person in Person.objects.filter(household__turf_doors__turf=turf):
        assert person.last_name in text


def test_long_turf_runs_over_many_pages_in_order(chapter, campaign, saved_list, organizer):
    from tests.data_vault.factories import HouseholdFactory, PersonFactory

    for number in range(1, 121):
        PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(
            chapter=chapter, street_name="LONG RD", house_number=number * 2 - 1))  # fmt: skip
    turf = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=200, actor=organizer.user)[0]
    job = services.walk_list_request(turf=turf, actor=organizer.user)
    services.walk_list_render(job_id=job.pk)
    job.refresh_from_db()
    text = _pdf_text(job)
    numbers = [int(n) for n in re.findall(r"\d+\. (\d+) LONG RD", text)]
    assert numbers == list(range(1, 240, 2))
    assert job.page_count > 3
    assert f"Page {job.page_count} of {job.page_count}" in text


def test_pdf_is_cached_until_the_turf_changes(turf, campaign, organizer, captain):
    first = services.walk_list_request(turf=turf, actor=captain.user)
    services.walk_list_render(job_id=first.pk)
    assert services.walk_list_request(turf=turf, actor=captain.user) == first
    second_turf = services.turf_split(turf=turf, at_position=7, actor=organizer.user)
    turf.refresh_from_db()
    fresh = services.walk_list_request(turf=turf, actor=captain.user)
    assert fresh != first
    assert fresh.turf_revision == turf.revision
    assert second_turf.pk != turf.pk


def test_pdf_task_runs_on_a_real_worker_with_progress(client, celery_worker, captain, turf):
    client.force_login(captain.user)
    response = client.post(reverse("canvassing:walk_list_create", kwargs={"chapter": "alpha", "pk": turf.pk}))
    job = WalkListJob.objects.get()
    assert response["Location"] == reverse("canvassing:walk_list_job", kwargs={"chapter": "alpha", "pk": job.pk})
    for _ in range(200):
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.1)
    assert job.status == WalkListJob.Status.DONE
    assert job.done == job.total == job.page_count
    page = client.get(response["Location"]).content.decode()
    assert "Download the walk list" in page
    download = client.get(reverse("canvassing:walk_list_download", kwargs={"chapter": "alpha", "pk": job.pk}))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, target_id=str(turf.pk)).exists()


def test_canvasser_cannot_print_walk_lists(client, canvasser, turf):
    client.force_login(canvasser.user)
    url = reverse("canvassing:walk_list_create", kwargs={"chapter": "alpha", "pk": turf.pk})
    assert client.post(url).status_code == 404
    assert not WalkListJob.objects.exists()


def test_csv_is_audited_and_safe_against_formulas(client, captain, turf, street_doors):
    person = street_doors[1].people.get()
    person.first_name = "=HYPERLINK(1)"
    person.save()
    client.force_login(captain.user)
    response = client.get(reverse("canvassing:turf_csv", kwargs={"chapter": "alpha", "pk": turf.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["door", "address", "unit"]
    assert "'=HYPERLINK(1)" in [row[4] for row in rows]
    assert [row[1] for row in rows[1:3]] == ["101 MAIN ST", "101 MAIN ST"]  # two people, one door
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.details == {"format": "csv", "rows": 10}


def _grid_post(turf, rows: dict[int, dict[str, str]]) -> dict[str, str]:
    data = {}
    for door in turf.doors.all():
        data[f"d{door.household_id}-uuid"] = str(uuid.uuid5(uuid.NAMESPACE_OID, f"{turf.pk}-{door.household_id}"))
        for key, value in rows.get(door.position, {}).items():
            data[f"d{door.household_id}-{key}"] = value
    return data


def test_paper_grid_records_results_and_a_resubmit_records_nothing_twice(client, captain, turf, support_question):
    client.force_login(captain.user)
    url = reverse("canvassing:paper_results", kwargs={"chapter": "alpha", "pk": turf.pk})
    assert "autofocus" in client.get(url).content.decode()
    q = f"q{support_question.pk}"
    data = _grid_post(turf, {1: {"result": "nh"}, 2: {"result": "C", q: "1"}, 3: {"result": "R", "note": "dog"}})
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same sheet again
    assert DoorVisit.objects.filter(source=DoorVisit.Source.PAPER).count() == 3
    contact = ContactEvent.objects.get(result=ContactEvent.Result.CONTACT)
    assert contact.answers == {str(support_question.pk): "strong_support"}
    assert contact.person is not None
    assert contact.person.support_score == 5


def test_paper_grid_refuses_a_bad_row_and_saves_nothing(client, captain, turf, support_question):
    client.force_login(captain.user)
    url = reverse("canvassing:paper_results", kwargs={"chapter": "alpha", "pk": turf.pk})
    q = f"q{support_question.pk}"
    data = _grid_post(turf, {1: {"result": "NH"}, 2: {"result": "C", q: "9"}, 3: {"result": "ZZ"}})
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Door 2: Q1: type an answer number from 1 to 4." in body
    assert "Door 3: &#x27;ZZ&#x27; is not a result code" in body
    assert 'value="ZZ"' in body  # what was typed stays
    assert not DoorVisit.objects.exists()
    assert not ContactEvent.objects.exists()
