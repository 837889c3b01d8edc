"""Moving a person to another door: a typed address or an existing household; audited, idempotent, scoped."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import ApplicationError
from core.models import AuditEvent
from data_vault import selectors, services
from data_vault.models import Household, Person, Provenance
from tests.data_vault.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _url(person: Person) -> str:
    return reverse("data_vault:person_household_move", kwargs={"chapter": person.chapter.slug, "pk": person.pk})


@pytest.fixture
def person(chapter) -> Person:
    door = HouseholdFactory.create(chapter=chapter, house_number=41, street_name="PINE ST", precinct="07")
    PersonFactory.create(chapter=chapter, household=door, first_name="Rosa", last_name="Diaz")
    return PersonFactory.create(chapter=chapter, household=door, first_name="Luis", last_name="Diaz", precinct="07")


def _moves(person: Person):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, target_id=str(person.pk), details__fields=["household"]
    )


def test_a_typed_new_address_makes_the_household_and_updates_the_search(client, organizer, person, chapter):
    old = person.household
    client.force_login(organizer.user)
    address = {"street_address": "12 oak street apt. 4", "city": "durham", "state": "nc", "zip": "27701-1234"}
    response = client.post(_url(person), address)
    assert response.status_code == 302
    person.refresh_from_db()
    door = person.household
    assert door != old
    assert (door.chapter, door.house_number, door.street_name, door.unit, door.city, door.state, door.zip5) == (
        chapter,
        12,
        "OAK ST",
        "4",
        "DURHAM",
        "NC",
        "27701",
    )
    assert door.address_key == "12||OAK ST|4|DURHAM|27701"
    assert (door.street_side, door.precinct) == ("even", "07")
    assert "12 OAK ST 4 DURHAM 27701" in person.search_text
    assert "PINE" not in person.search_text
    assert list(selectors.person_filter(chapter=chapter, filters={"q": "oak"})) == [person]
    assert Household.objects.filter(pk=old.pk).exists()
    provenance = Provenance.objects.get(person=person)
    assert (provenance.action, provenance.fields, provenance.actor) == ("edited", ["household"], organizer.user)
    assert _moves(person).get().details["household"] == [old.pk, door.pk]
    assert "12 OAK ST #4" in client.get(response["Location"]).content.decode()


def test_a_typed_address_the_chapter_has_joins_that_household(client, organizer, person, chapter):
    existing = HouseholdFactory.create(chapter=chapter, house_number=7, street_name="ELM ST", city="DURHAM")
    neighbour = PersonFactory.create(chapter=chapter, household=existing)
    client.force_login(organizer.user)
    client.post(_url(person), {"street_address": "7 Elm Street", "city": "Durham", "zip": existing.zip5})
    person.refresh_from_db()
    assert person.household == existing
    assert set(existing.people.all()) == {person, neighbour}
    assert Household.objects.filter(chapter=chapter, street_name="ELM ST").count() == 1


def test_a_double_submit_changes_nothing_the_second_time(client, organizer, person):
    client.force_login(organizer.user)
    address = {"street_address": "12 Oak St", "city": "Durham", "zip": "27701"}
    client.post(_url(person), address)
    person.refresh_from_db()
    updated_at = person.updated_at
    second = client.post(_url(person), address, follow=True)
    assert "Already at 12 OAK ST" in second.content.decode()
    person.refresh_from_db()
    assert person.updated_at == updated_at
    assert _moves(person).count() == 1
    assert Provenance.objects.filter(person=person).count() == 1
    assert Household.objects.filter(street_name="OAK ST").count() == 1


def test_move_to_a_door_found_by_search(client, organizer, person, chapter):
    door = HouseholdFactory.create(chapter=chapter, house_number=300, street_name="MAPLE AVE")
    PersonFactory.create(chapter=chapter, household=door, first_name="Zora", last_name="Neale")
    client.force_login(organizer.user)
    page = client.get(_url(person), {"q": "Zora"})
    assert page.status_code == 200
    assert "300 MAPLE AVE" in page.content.decode()
    assert client.post(_url(person), {"household": door.pk}).status_code == 302
    person.refresh_from_db()
    assert person.household == door
    assert "MAPLE AVE" in person.search_text


def test_another_chapters_household_is_404_and_changes_nothing(client, organizer, person, other_chapter):
    theirs = HouseholdFactory.create(chapter=other_chapter)
    client.force_login(organizer.user)
    assert client.post(_url(person), {"household": theirs.pk}).status_code == 404
    person.refresh_from_db()
    assert person.household.street_name == "PINE ST"
    assert not _moves(person).exists()
    with pytest.raises(ApplicationError):
        services.person_household_move(person=person, actor=organizer.user, household=theirs)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ({"street_address": ""}, "Type the new street address"),
        ({"street_address": ".,", "city": "Durham"}, "Give the street address"),
        ({"street_address": "12 Oak St", "zip": "ABCDE"}, "Zip: Not a zip code."),
        ({"street_address": "12 Oak St", "state": "N1"}, "State: Not a two-letter state."),
    ],
)
def test_a_bad_address_is_refused_with_a_reason_and_changes_nothing(client, organizer, person, address, reason):
    client.force_login(organizer.user)
    response = client.post(_url(person), address)
    assert response.status_code == 400
    assert reason in response.content.decode()
    person.refresh_from_db()
    assert person.household.street_name == "PINE ST"
    assert not Household.objects.filter(street_name="OAK ST").exists()


def test_the_person_page_links_to_the_move_page_for_editors(client, organizer, person):
    client.force_login(organizer.user)
    assert (
        _url(person)
        in client.get(
            reverse("data_vault:person_detail", kwargs={"chapter": "alpha", "pk": person.pk})
        ).content.decode()
    )
    page = client.get(_url(person)).content.decode()
    assert '<label for="id_street_address"' in page
    assert '<label for="id_zip"' in page


@pytest.mark.parametrize("persona", ["captain", "canvasser", "member", "outsider"])
def test_the_move_page_is_404_beyond_organizers(client, request, person, persona):
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(_url(person)).status_code == 404
    assert client.post(_url(person), {"street_address": "12 Oak St"}).status_code == 404
    person.refresh_from_db()
    assert person.household.street_name == "PINE ST"
