"""The import pages, the API and the command: one pipeline, scoped to the chapter, with clear refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from chapters.models import Chapter, Membership
from core.models import AuditEvent
from data_vault.importers.jobs import import_job_run, import_people
from data_vault.models import ImportJob, Person
from tests.data_vault import import_files as files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _url(name: str, job: ImportJob) -> str:
    return reverse(f"data_vault:{name}", kwargs={"chapter": job.chapter.slug, "pk": job.pk})


def test_upload_map_run_and_read_the_result(client: Client, organizer: Membership, chapter: Chapter) -> None:
    """An organizer uploads, fixes a column on the mapping screen, and reads counts and rejected rows."""
    client.force_login(organizer.user)
    text = files.delimited(
        [["Given", "Family", "Zip"], ["Ana", "Ruiz", "27701"], ["Ben", "Ode", "=HYPERLINK(1)"], ["Cy", "Lu", "27701"]]
    )
    response = client.post(
        reverse("data_vault:import_list", kwargs={"chapter": chapter.slug}), {"file": _upload("list.csv", text)}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("import_mapping", job)

    page = client.get(_url("import_mapping", job)).content.decode()
    assert "Choose the column for first name and last name." in page
    assert "<td>Ana</td>" in page
    assert '<small class="muted" id="map_zip_example">For example: 27701</small>' in page

    refused = client.post(_url("import_mapping", job), {"map_first_name": "Given"})
    assert refused.status_code == 400
    assert "no column for last name" in refused.content.decode()
    assert ImportJob.objects.get().confirmed_at is None

    confirmed = client.post(
        _url("import_mapping", job), {"map_first_name": "Given", "map_last_name": "Family", "map_zip": "Zip"}
    )
    assert confirmed["Location"] == job.get_absolute_url()
    assert "Cancel the import" in client.get(job.get_absolute_url()).content.decode()

    import_job_run(job_id=job.pk)  # what the queued task does
    detail = client.get(job.get_absolute_url()).content.decode()
    assert '<dd id="count-created">2</dd>' in detail
    assert '<dd id="count-rejected">1</dd>' in detail
    assert "Not a zip code" in detail
    download = client.get(_url("import_rejections_csv", job))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows == [["row", "column", "value", "reason"], ["3", "Zip", "'=HYPERLINK(1)", "Not a zip code"]]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, target_id=str(job.pk)).exists()


def test_progress_partial_polls_then_refreshes_the_page_when_done(
    client: Client, organizer: Membership, chapter: Chapter, tmp_path: Path
) -> None:
    client.force_login(organizer.user)
    text = files.delimited([["first_name", "last_name"], ["Ana", "Ruiz"]])
    client.post(reverse("data_vault:import_list", kwargs={"chapter": chapter.slug}), {"file": _upload("l.csv", text)})
    job = ImportJob.objects.get()
    client.post(_url("import_mapping", job), {"map_first_name": "first_name", "map_last_name": "last_name"})
    partial = client.get(_url("import_progress", job), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    import_job_run(job_id=job.pk)
    done = client.get(_url("import_progress", job), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("empty.csv", b"", "The submitted file is empty."),
        ("pic.csv", b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image, not a table"),
        ("ragged.csv", b"first_name,last_name\nAna,Ruiz\nBen\n", "Row 3 has 1 columns but the header has 2"),
    ],
)
def test_bad_uploads_show_a_clear_message_and_keep_nothing(
    client: Client, organizer: Membership, chapter: Chapter, name: str, payload: bytes, message: str
) -> None:
    client.force_login(organizer.user)
    response = client.post(
        reverse("data_vault:import_list", kwargs={"chapter": chapter.slug}),
        {"file": SimpleUploadedFile(name, payload)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_oversized_upload_is_refused(client: Client, organizer: Membership, chapter: Chapter, settings) -> None:
    settings.DATA_VAULT_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(organizer.user)
    big = "first_name,last_name\n" + "Ana,Ruiz\n" * 200_000
    response = client.post(
        reverse("data_vault:import_list", kwargs={"chapter": chapter.slug}), {"file": _upload("big.csv", big)}
    )
    assert response.status_code == 400
    assert "imports are limited to 1.0 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_canvassers_cannot_reach_imports(client: Client, canvasser: Membership, chapter: Chapter) -> None:
    client.force_login(canvasser.user)
    assert client.get(reverse("data_vault:import_list", kwargs={"chapter": chapter.slug})).status_code == 404


def test_another_chapters_import_is_404_on_pages_and_api(
    client: Client, outsider: Membership, chapter: Chapter, tmp_path: Path
) -> None:
    """An import id of chapter A, used under chapter B's own slug, does not exist for B."""
    path = files.write(tmp_path / "ncvoter.txt", files.ncvoter_text())
    job = import_people(chapter=chapter, path=str(path))
    client.force_login(outsider.user)
    own = outsider.chapter.slug
    assert client.get(reverse("data_vault:import_detail", kwargs={"chapter": own, "pk": job.pk})).status_code == 404
    assert (
        client.get(reverse("data_vault:import_rejections_csv", kwargs={"chapter": own, "pk": job.pk})).status_code
        == 404
    )
    assert client.get(reverse("api:import_detail", kwargs={"chapter": own, "pk": job.pk})).status_code == 404
    assert client.get(reverse("api:import_rejection_list", kwargs={"chapter": own, "pk": job.pk})).status_code == 404


def test_api_upload_queues_the_import_and_reports_status(
    client: Client, organizer: Membership, chapter: Chapter
) -> None:
    client.force_login(organizer.user)
    url = reverse("api:import_list", kwargs={"chapter": chapter.slug})
    text = files.delimited([["Given", "Family", "Zip"], ["Ana", "Ruiz", "27701"], ["Ben", "Ode", "nope"]])
    mapping = json.dumps({"first_name": "Given", "last_name": "Family", "zip": "Zip"})
    response = client.post(url, {"file": _upload("list.csv", text), "mapping": mapping})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued"
    assert body["mapping"]["zip"] == "Zip"
    import_job_run(job_id=body["id"])
    status = client.get(reverse("api:import_detail", kwargs={"chapter": chapter.slug, "pk": body["id"]})).json()
    assert (status["status"], status["created_count"], status["rejected_count"]) == ("done", 1, 1)
    rejections = client.get(
        reverse("api:import_rejection_list", kwargs={"chapter": chapter.slug, "pk": body["id"]})
    ).json()
    assert rejections["results"] == [{"row_number": 3, "column": "Zip", "value": "nope", "reason": "Not a zip code"}]


def test_api_status_reports_live_progress_while_the_import_runs(
    client: Client, organizer: Membership, chapter: Chapter
) -> None:
    """A client polling the status reads the running phase, rows done and the total, then the finished counts."""
    client.force_login(organizer.user)
    text = files.delimited([["first_name", "last_name"], ["Ana", "Ruiz"], ["Ben", "Ode"]])
    body = client.post(
        reverse("api:import_list", kwargs={"chapter": chapter.slug}), {"file": _upload("l.csv", text)}
    ).json()
    url = reverse("api:import_detail", kwargs={"chapter": chapter.slug, "pk": body["id"]})
    seen: list[dict] = []

    def poll(phase: str) -> None:
        if phase == "Saving people":
            seen.append(client.get(url).json())

    import_job_run(job_id=body["id"], on_phase=poll)
    assert seen[0]["status"] == "running"
    assert seen[0]["progress"] == {"done": 0, "total": 2, "phase": "Saving people"}
    final = client.get(url).json()
    assert (final["status"], final["created_count"]) == ("done", 2)
    assert final["progress"] == {"done": 2, "total": 2, "phase": "Done"}


def test_the_cancel_button_stops_a_confirmed_import(client: Client, organizer: Membership, chapter: Chapter) -> None:
    client.force_login(organizer.user)
    text = files.delimited([["first_name", "last_name"], ["Ana", "Ruiz"]])
    client.post(reverse("data_vault:import_list", kwargs={"chapter": chapter.slug}), {"file": _upload("l.csv", text)})
    job = ImportJob.objects.get()
    client.post(_url("import_mapping", job), {"map_first_name": "first_name", "map_last_name": "last_name"})
    response = client.post(_url("import_cancel", job), follow=True)
    assert "The import is being stopped; nothing it read will be kept." in response.content.decode()
    job = import_job_run(job_id=job.pk)  # the queued task starts, sees the request and stops
    assert job.status == ImportJob.Status.CANCELLED
    assert not Person.objects.exists()
    refused = client.post(_url("import_cancel", job), follow=True)
    assert "This job has already finished." in refused.content.decode()


def test_api_refuses_a_file_missing_a_required_column(client: Client, organizer: Membership, chapter: Chapter) -> None:
    client.force_login(organizer.user)
    url = reverse("api:import_list", kwargs={"chapter": chapter.slug})
    response = client.post(url, {"file": _upload("list.csv", "Given,Email\nAna,a@example.org\n")})
    assert response.status_code == 400
    assert "no column for first name and last name" in response.json()["detail"]
    assert not ImportJob.objects.exists()


def test_api_cancel_stops_a_queued_import(client: Client, organizer: Membership, chapter: Chapter) -> None:
    client.force_login(organizer.user)
    text = files.delimited([["first_name", "last_name"], ["Ana", "Ruiz"]])
    body = client.post(
        reverse("api:import_list", kwargs={"chapter": chapter.slug}), {"file": _upload("l.csv", text)}
    ).json()
    cancel = client.post(reverse("api:import_cancel", kwargs={"chapter": chapter.slug, "pk": body["id"]}))
    assert cancel.status_code == 202
    job = import_job_run(job_id=body["id"])
    assert job.status == ImportJob.Status.CANCELLED
    assert not Person.objects.exists()


def test_command_prints_the_counts(chapter: Chapter, tmp_path: Path) -> None:
    path = files.write(tmp_path / "ncvoter.txt", files.ncvoter_text())
    out = io.StringIO()
    call_command("import_people", "--chapter", chapter.slug, "--preset", "ncvoter", str(path), stdout=out)
    assert out.getvalue().splitlines()[0] == "created=3 updated=0 unchanged=0 rejected=0"
    out = io.StringIO()
    call_command("import_people", "--chapter", chapter.slug, str(path), stdout=out)
    assert out.getvalue().splitlines()[0] == "created=0 updated=0 unchanged=3 rejected=0"


def test_command_refuses_unknown_chapter_and_bad_file(chapter: Chapter, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no chapter 'nowhere'"):
        call_command("import_people", "--chapter", "nowhere", "x.csv")
    with pytest.raises(CommandError, match="The file is empty"):
        call_command("import_people", "--chapter", chapter.slug, str(files.write(tmp_path / "e.csv", "")))


def test_import_list_uses_a_constant_number_of_queries(client: Client, organizer: Membership, chapter: Chapter) -> None:
    """The imports page costs the same queries at 5 imports and at 50."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organizer.user)
    url = reverse("data_vault:import_list", kwargs={"chapter": chapter.slug})
    counts = []
    for total in (5, 50):
        ImportJob.objects.bulk_create(
            ImportJob(chapter=chapter, created_by=organizer.user, file=f"imports/{n}.csv", original_name=f"{n}.csv")
            for n in range(total - ImportJob.objects.count())
        )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.content.decode().count("badge queued") == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
