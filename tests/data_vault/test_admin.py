"""Staff fix single vault records in the admin; tags import and export, people never export."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from data_vault.models import Tag
from tests.data_vault.factories import PersonFactory
from tests.factories import UserFactory


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True, mfa=True))
    return client


def test_staff_import_tags_from_csv(staff_client, chapter):
    upload = SimpleUploadedFile("tags.csv", f"chapter,name\n{chapter.slug},spanish\n".encode(), "text/csv")
    response = staff_client.post(
        "/admin/data_vault/tag/import/", {"format": "0", "resource": "0", "import_file": upload}
    )
    assert response.status_code == 200
    confirm = response.context["confirm_form"].initial
    staff_client.post("/admin/data_vault/tag/process_import/", confirm)
    assert list(Tag.objects.values_list("chapter__slug", "name")) == [(chapter.slug, "spanish")]


def test_people_have_no_admin_export_and_their_pages_open(staff_client, chapter):
    person = PersonFactory.create(chapter=chapter)
    changelist = staff_client.get("/admin/data_vault/person/")
    assert changelist.status_code == 200
    assert "/admin/data_vault/person/export/" not in changelist.content.decode()
    assert "/admin/data_vault/tag/export/" in staff_client.get("/admin/data_vault/tag/").content.decode()
    assert staff_client.get(f"/admin/data_vault/person/{person.pk}/change/").status_code == 200
    assert staff_client.get("/admin/data_vault/erasure/add/").status_code == 403
