"""Merging duplicates, deleting a person on request, and tagging a whole list."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from data_vault import services
from data_vault.exporters import vault_export_run, vault_export_start
from data_vault.importers import normalize
from data_vault.importers.records import origin_mask
from data_vault.models import (
    ContactEvent,
    DoNotContact,
    Erasure,
    ExportJob,
    Household,
    ImportJob,
    LadderChange,
    Person,
    Phone,
    Provenance,
)
from data_vault.services import (
    contact_event_record,
    erasure_checker,
    erasure_matches,
    list_export_run,
    list_export_start,
    person_do_not_contact_set,
    person_erase,
    person_ladder_set,
    person_merge,
    person_tag_add,
)
from tests.data_vault.factories import HouseholdFactory, PersonFactory, SavedListFactory


def _url(name: str, person: Person) -> str:
    return reverse(f"data_vault:{name}", kwargs={"chapter": person.chapter.slug, "pk": person.pk})


@pytest.fixture
def twins(chapter, organizer):
    """The same voter twice: once from the voter file, once from a sign-up sheet."""
    voter = PersonFactory.create(chapter=chapter, first_name="June", last_name="Park", state_voter_id="NC1", notes="")
    signup = PersonFactory.create(
        chapter=chapter, household=None, first_name="June", last_name="Park", state_voter_id="", notes="Tenant union"
    )
    Phone.objects.create(person=voter, number="9195550100", kind=Phone.Kind.CELL)
    Phone.objects.create(person=signup, number="9195550100", kind=Phone.Kind.CELL)
    Phone.objects.create(person=signup, number="9195550199", kind=Phone.Kind.LANDLINE)
    contact_event_record(chapter=chapter, recorded_by=organizer.user, channel="phone", result="contact", person=signup)
    person_tag_add(person=signup, tag_name="tenant", actor=organizer.user)
    person_ladder_set(person=signup, level="volunteer", actor=organizer.user)
    person_do_not_contact_set(person=signup, channel="email", reason="Asked", actor=organizer.user)
    return voter, signup


def test_merge_moves_history_onto_the_survivor_and_is_audited(organizer, twins):
    voter, signup = twins
    survivor = person_merge(survivor=voter, duplicate=signup, actor=organizer.user)
    assert not Person.objects.filter(pk=signup.pk).exists()
    assert survivor.state_voter_id == "NC1"
    assert survivor.notes == "Tenant union"
    assert survivor.ladder == "volunteer"
    assert ContactEvent.objects.get().person == survivor
    assert sorted(survivor.phones.values_list("number", flat=True)) == ["9195550100", "9195550199"]
    assert [t.name for t in survivor.tags.all()] == ["tenant"]
    assert DoNotContact.objects.get().person == survivor
    assert LadderChange.objects.filter(person=survivor).count() == 2
    assert Provenance.objects.get(person=survivor, action=Provenance.Action.MERGED).fields == ["notes"]
    audit = AuditEvent.objects.get(action=AuditEvent.Action.MERGE)
    assert audit.details["merged_person"] == signup.pk


def test_merge_page_finds_same_name_records_and_merges_the_chosen_way(client, organizer, twins):
    voter, signup = twins
    client.force_login(organizer.user)
    page = client.get(_url("person_merge", voter))
    assert list(page.context["candidates"]) == [signup]
    response = client.post(_url("person_merge", voter), {"other": signup.pk, "survivor": "other"})
    assert response.url == _url("person_detail", signup)
    assert list(Person.objects.values_list("pk", flat=True)) == [signup.pk]
    signup.refresh_from_db()
    assert signup.state_voter_id == "NC1"


def test_merging_with_another_chapters_person_is_404_and_changes_nothing(client, organizer, twins, other_chapter):
    voter, _ = twins
    stranger = PersonFactory.create(chapter=other_chapter)
    client.force_login(organizer.user)
    response = client.post(_url("person_merge", voter), {"other": stranger.pk, "survivor": "this"})
    assert response.status_code == 404
    assert Person.objects.count() == 3


def test_a_merge_submitted_twice_merges_once(client, organizer, twins):
    voter, signup = twins
    client.force_login(organizer.user)
    client.post(_url("person_merge", voter), {"other": signup.pk, "survivor": "this"})
    again = client.post(_url("person_merge", voter), {"other": signup.pk, "survivor": "this"})
    assert again.status_code == 404
    assert Person.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MERGE).count() == 1


def test_erasure_deletes_everywhere_and_leaves_only_digests(client, organizer, chapter):
    door = HouseholdFactory.create(chapter=chapter, house_number=9, street_name="ASH ST")
    person = PersonFactory.create(
        chapter=chapter, household=door, first_name="Omar", last_name="Khan", state_voter_id="NC77", birth_year=1985
    )
    contact_event_record(chapter=chapter, recorded_by=organizer.user, channel="door", result="not_home", household=door)
    contact_event_record(chapter=chapter, recorded_by=organizer.user, channel="door", result="contact", person=person)
    client.force_login(organizer.user)
    client.get(_url("person_detail", person))
    response = client.post(_url("person_erase", person), {"reason": "Asked by email", "confirm": "on"})
    assert response.status_code == 302
    assert not Person.objects.exists()
    assert not Household.objects.exists()
    assert not ContactEvent.objects.exists()
    erasure = Erasure.objects.get()
    assert "NC77" not in erasure.voter_id_digest
    assert "KHAN" not in erasure.match_digest
    audit = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert "Omar" not in audit.target_label
    assert not AuditEvent.objects.filter(target_label__icontains="Khan").exists()


def test_erasure_withdraws_the_exports_already_written(
    client, organizer, chapter, other_chapter, settings, tmp_path, django_capture_on_commit_callbacks
):
    """A vault or list export written before the erasure may hold the person: its file goes and its link ends."""
    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory.create(chapter=chapter, last_name="Khan")
    PersonFactory.create(chapter=other_chapter)
    vault = vault_export_run(job_id=vault_export_start(chapter=chapter, actor=organizer.user).pk)
    listed = list_export_run(job_id=list_export_start(chapter=chapter, actor=organizer.user, filters={}).pk)
    theirs = vault_export_run(job_id=vault_export_start(chapter=other_chapter, actor=None).pk)  # type: ignore[arg-type]
    files = [Path(job.file.path) for job in (vault, listed, theirs)]
    assert all(path.exists() for path in files)

    client.force_login(organizer.user)
    warning = client.get(_url("person_erase", person)).content.decode()
    assert "Exports of the vault or of lists already written may hold them" in warning
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("person_erase", person), {"reason": "Asked by email", "confirm": "on"})
    assert [path.exists() for path in files] == [False, False, True]
    assert AuditEvent.objects.get(action=AuditEvent.Action.DELETE).details["exports_withdrawn"] == 2
    page = client.get(reverse("data_vault:vault_export_detail", kwargs={"chapter": chapter.slug, "pk": vault.pk}))
    assert "Start a new export." in page.content.decode()
    download = client.get(
        reverse("data_vault:vault_export_download", kwargs={"chapter": chapter.slug, "pk": vault.pk}), follow=True
    )
    assert "Download the vault (zip)" not in download.content.decode()


def test_an_export_written_while_someone_is_erased_is_refused(organizer, chapter, settings, tmp_path, monkeypatch):
    """The export read the person before the erasure: it fails and keeps no file, rather than leak them."""
    settings.MEDIA_ROOT = tmp_path
    people = PersonFactory.create_batch(2, chapter=chapter)
    job = list_export_start(chapter=chapter, actor=organizer.user, filters={})
    row = services._list_export_row

    def erase_midway(person: Person) -> list[object]:
        written = row(person)
        if Person.objects.filter(pk=people[1].pk).exists():
            person_erase(person=people[1], actor=organizer.user, reason="Asked")
        return written

    monkeypatch.setattr(services, "_list_export_row", erase_midway)
    job = list_export_run(job_id=job.pk)
    assert (job.status, job.error, job.file.name) == (ExportJob.Status.FAILED, services.ERASED_WHILE_EXPORTING, "")
    assert not any(tmp_path.rglob("*.csv"))


def test_an_erased_person_is_recognised_by_voter_id_or_name_birth_year_and_address(organizer, chapter, other_chapter):
    door = HouseholdFactory.create(chapter=chapter, house_number=9, street_name="ASH ST")
    with_id = PersonFactory.create(chapter=chapter, household=door, last_name="Khan", state_voter_id="NC77")
    without_id = PersonFactory.create(
        chapter=chapter, household=door, first_name="Ana", last_name="Lima", state_voter_id="", birth_year=1970
    )
    person_erase(person=with_id, actor=organizer.user, reason="Asked")
    person_erase(person=without_id, actor=organizer.user, reason="Asked")
    assert erasure_matches(chapter=chapter, voter_id=" nc77 ")
    assert not erasure_matches(chapter=other_chapter, voter_id="NC77")
    assert not erasure_matches(chapter=chapter, voter_id="NC78")
    check = erasure_checker(chapter=chapter)
    key = normalize.name_key(last_name="Lima", first_name="Ana")
    assert check(name_key=key, birth_year=1970, address_key=door.address_key)
    assert not check(name_key=key, birth_year=1971, address_key=door.address_key)


def test_erasure_needs_a_reason_and_confirmation(client, organizer, chapter):
    person = PersonFactory.create(chapter=chapter)
    client.force_login(organizer.user)
    assert client.post(_url("person_erase", person), {"reason": "Asked"}).status_code == 400
    assert client.post(_url("person_erase", person), {"reason": " ", "confirm": "on"}).status_code == 400
    assert Person.objects.exists()
    assert not Erasure.objects.exists()


def test_bulk_tag_tags_everyone_in_a_list_once(client, organizer, chapter):
    north = HouseholdFactory.create(chapter=chapter, precinct="01")
    in_list = PersonFactory.create_batch(3, chapter=chapter, household=north)
    outside = PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter, precinct="02"))
    person_tag_add(person=in_list[0], tag_name="phonebank", actor=organizer.user)
    saved_list = SavedListFactory.create(chapter=chapter, filters={"precinct": ["01"]})
    client.force_login(organizer.user)
    url = reverse("data_vault:saved_list_tag", kwargs={"chapter": chapter.slug, "pk": saved_list.pk})
    client.post(url, {"name": "Phonebank"})
    assert all(p.tags.filter(name="phonebank").exists() for p in in_list)
    assert not outside.tags.exists()
    audit = AuditEvent.objects.get(details__tag="phonebank")
    assert audit.details["people_tagged"] == 2


def test_bulk_tag_from_the_people_filter(client, organizer, chapter):
    people = PersonFactory.create_batch(2, chapter=chapter, party="GRE")
    PersonFactory.create(chapter=chapter, party="DEM")
    client.force_login(organizer.user)
    url = reverse("data_vault:person_list_tag", kwargs={"chapter": chapter.slug})
    client.post(url, {"name": "greens", "filters": "party=GRE"})
    assert Person.objects.filter(tags__name="greens").count() == 2
    assert set(Person.objects.filter(tags__name="greens")) == set(people)


def _door_visit(person: Person, campaign):
    from canvassing.models import DoorVisit

    assert person.household is not None
    return DoorVisit.objects.create(
        chapter=person.chapter, campaign=campaign, household=person.household, person=person,
        result="contact", answers={"rent": "yes"}, client_uuid=uuid.uuid4(), occurred_at=timezone.now(),
    )  # fmt: skip


def test_merge_moves_door_visits_from_canvassing_too(organizer, chapter, campaign):
    survivor = PersonFactory.create(chapter=chapter)
    duplicate = PersonFactory.create(chapter=chapter)
    visit = _door_visit(duplicate, campaign)
    person_merge(survivor=survivor, duplicate=duplicate, actor=organizer.user)
    visit.refresh_from_db()
    assert visit.person == survivor


def test_erasure_leaves_no_door_visit_naming_the_person(organizer, chapter, campaign):
    from canvassing.models import DoorVisit

    person = PersonFactory.create(chapter=chapter)
    neighbour = PersonFactory.create(chapter=chapter, household=person.household)
    _door_visit(person, campaign)
    kept = _door_visit(neighbour, campaign)
    person_erase(person=person, actor=organizer.user, reason="Asked")
    assert list(DoorVisit.objects.all()) == [kept]


@pytest.mark.parametrize("fast", [pytest.param(True, id="fast"), pytest.param(False, id="portable")])
def test_a_person_erased_on_the_page_is_not_imported_again(organizer, chapter, tmp_path, fast):
    """The importer recognises the digests the erasure leaves, by voter id and by name, year and address."""
    from data_vault.importers.jobs import import_people
    from tests.data_vault import import_files as files

    path = str(files.write(tmp_path / "v.txt", files.ncvoter_text()))
    first = import_people(chapter=chapter, path=path, fast=fast)
    erased = Person.objects.filter(chapter=chapter).order_by("id").first()
    assert erased is not None
    voter_id, total = erased.state_voter_id, Person.objects.filter(chapter=chapter).count()
    person_erase(person=erased, actor=organizer.user, reason="Asked to be removed")
    again = import_people(chapter=chapter, path=path, fast=fast)
    assert again.rejected_count == first.rejected_count + 1
    assert not Person.objects.filter(chapter=chapter, state_voter_id=voter_id).exists()
    assert Person.objects.filter(chapter=chapter).count() == total - 1


def test_merge_keeps_the_import_that_created_the_duplicate(organizer, twins):
    voter, signup = twins
    job = ImportJob.objects.create(chapter=signup.chapter, created_by=organizer.user, original_name="signups.csv")
    Person.objects.filter(pk=signup.pk).update(origin_import=job, origin_fields=origin_mask(["first_name", "tags"]))
    survivor = person_merge(survivor=voter, duplicate=signup, actor=organizer.user)
    created = Provenance.objects.get(person=survivor, action=Provenance.Action.CREATED)
    assert (created.import_job, created.fields, created.actor) == (job, ["first_name", "tags"], organizer.user)
    assert created.source == f"signups.csv (#{signup.pk})"


def test_merge_reads_a_creating_import_removed_outside_the_orm_as_an_unnamed_import(organizer, twins):
    """origin_import has no database constraint, so a raw delete can leave it pointing nowhere."""
    voter, signup = twins
    job = ImportJob.objects.create(chapter=signup.chapter, created_by=organizer.user, original_name="signups.csv")
    Person.objects.filter(pk=signup.pk).update(origin_import=job, origin_fields=origin_mask(["first_name"]))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ImportJob._meta.db_table} WHERE id = %s", [job.pk])
    survivor = person_merge(survivor=voter, duplicate=signup, actor=organizer.user)
    created = Provenance.objects.get(person=survivor, action=Provenance.Action.CREATED)
    assert (created.import_job, created.fields, created.actor) == (None, ["first_name"], None)
    assert created.source == f"An import (#{signup.pk})"
