"""Staff fix single vault records in the admin; tags and saved lists import and export, people never export."""

from __future__ import annotations

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from data_vault.models import SavedList, Tag
from tests.data_vault.factories import PersonFactory, SavedListFactory
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


def test_saved_lists_round_trip_through_an_export_and_an_import(chapter, other_chapter):
    from data_vault.admin import SavedListResource

    SavedListFactory.create(
        chapter=chapter, name="South supporters", description="Doors for May", filters={"precinct": ["07"]}
    )
    SavedListFactory.create(chapter=chapter, name="Everyone", filters={})
    SavedListFactory.create(chapter=other_chapter, name="Theirs", filters={"ladder": ["member"]})
    exported = SavedListResource().export(queryset=SavedList.objects.filter(chapter=chapter))
    csv_text = exported.csv
    assert "Theirs" not in csv_text
    SavedList.objects.filter(chapter=chapter).delete()

    dataset = tablib.Dataset().load(csv_text, format="csv")
    result = SavedListResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    restored = {s.name: (s.description, s.filters) for s in SavedList.objects.filter(chapter=chapter)}
    assert restored == {"South supporters": ("Doors for May", {"precinct": ["07"]}), "Everyone": ("", {})}

    again = SavedListResource().import_data(dataset, dry_run=False)
    assert [row.import_type for row in again.rows] == ["skip", "skip"]
    assert SavedList.objects.filter(chapter=chapter).count() == 2


def test_a_saved_list_import_with_a_bad_filter_or_unknown_chapter_changes_nothing(chapter):
    from data_vault.admin import SavedListResource

    dataset = tablib.Dataset(headers=["chapter", "name", "description", "filters"])
    dataset.append([chapter.slug, "Bad", "", '{"shoe_size": 9}'])
    dataset.append([chapter.slug, "Not JSON", "", "{precinct"])
    dataset.append(["nowhere", "Lost", "", "{}"])
    result = SavedListResource().import_data(dataset, dry_run=False)
    assert len(result.invalid_rows) + len(result.row_errors()) == 3
    assert not SavedList.objects.exists()


def test_staff_export_saved_lists_but_not_people_households_or_contacts(staff_client, chapter):
    SavedListFactory.create(chapter=chapter, name="South supporters", filters={"precinct": ["07"]})
    assert "/admin/data_vault/savedlist/export/" in staff_client.get("/admin/data_vault/savedlist/").content.decode()
    for model in ("person", "household", "contactevent"):
        page = staff_client.get(f"/admin/data_vault/{model}/").content.decode()
        assert f"/admin/data_vault/{model}/export/" not in page
        assert f"/admin/data_vault/{model}/import/" not in page
