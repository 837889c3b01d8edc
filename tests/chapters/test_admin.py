"""Staff import and export chapters and memberships as CSV or XLSX in the admin."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chapters.models import Chapter, Membership, Role
from tests.factories import UserFactory


@pytest.fixture
def staff_client(client, db):
    admin = UserFactory.create(is_staff=True, is_superuser=True, mfa=True)
    client.force_login(admin)
    return client


def test_staff_export_chapters_as_csv(staff_client, chapter):
    fields = ["slug", "name", "state", "region"]
    form = {"format": "0", "resource": "0", **{f"chapterresource_{field}": "on" for field in fields}}
    response = staff_client.post("/admin/chapters/chapter/export/", form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "slug,name,state" in body.splitlines()[0].replace('"', "")
    assert chapter.slug in body


def test_staff_import_memberships_from_csv(staff_client, chapter):
    person = UserFactory.create(email="imported@example.org")
    upload = SimpleUploadedFile("members.csv", f"email,chapter,role\n{person.email},{chapter.slug},captain\n".encode())
    response = staff_client.post(
        "/admin/chapters/membership/import/",
        {"format": "0", "import_file": upload, "resource": "0"},
    )
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    staff_client.post("/admin/chapters/membership/process_import/", confirm.initial)
    assert Membership.objects.get(user=person, chapter=chapter).role == Role.CAPTAIN


def test_admin_is_closed_to_chapter_chairs(client, chair):
    client.force_login(chair.user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert Chapter.objects.count() == 1
