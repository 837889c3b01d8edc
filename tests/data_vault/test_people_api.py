"""The people API: people with filters, contact events idempotent on client_uuid, saved lists."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from data_vault.models import ContactEvent, SavedList
from data_vault.services import person_tag_add
from tests.data_vault.factories import HouseholdFactory, PersonFactory, SavedListFactory


def _api(chapter, rest: str = "") -> str:
    return f"/api/v1/chapters/{chapter.slug}/{rest}"


def test_people_list_filters_and_searches(client, organizer, chapter):
    north = HouseholdFactory.create(chapter=chapter, precinct="01", street_name="ELM ST")
    ana = PersonFactory.create(chapter=chapter, household=north, first_name="Ana", last_name="Reyes")
    PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter, precinct="02"))
    person_tag_add(person=ana, tag_name="captain", actor=organizer.user)
    client.force_login(organizer.user)
    response = client.get(_api(chapter, "people/"), {"precinct": "01", "q": "reyes"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == ana.pk
    assert body["results"][0]["tags"] == ["captain"]
    assert body["results"][0]["household"]["precinct"] == "01"


def test_a_bad_filter_is_a_400_with_the_reason(client, organizer, chapter):
    client.force_login(organizer.user)
    response = client.get(_api(chapter, "people/"), {"support_min": "9"})
    assert response.status_code == 400
    assert "support min" in response.json()["detail"]


def test_people_list_has_a_constant_query_count(client, organizer, chapter):
    client.force_login(organizer.user)

    def add(count: int) -> None:
        for person in PersonFactory.create_batch(count, chapter=chapter):
            person_tag_add(person=person, tag_name="t", actor=organizer.user)

    add(5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(_api(chapter, "people/")).json()["count"] == 5
    add(45)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(_api(chapter, "people/")).json()["count"] == 50
    assert len(five) == len(fifty)


def test_person_detail(client, organizer, chapter):
    person = PersonFactory.create(chapter=chapter, notes="Met at the tenants' meeting")
    client.force_login(organizer.user)
    body = client.get(_api(chapter, f"people/{person.pk}/")).json()
    assert body["notes"] == "Met at the tenants' meeting"
    assert body["state_voter_id"] == person.state_voter_id


def test_contact_event_create_is_idempotent_on_client_uuid(client, organizer, chapter, campaign):
    person = PersonFactory.create(chapter=chapter)
    client.force_login(organizer.user)
    payload = {
        "person": person.pk, "campaign": campaign.pk, "channel": "phone", "result": "contact",
        "answers": {"7": "yes"}, "client_uuid": str(uuid.uuid4()),
    }  # fmt: skip
    first = client.post(_api(chapter, "contact-events/"), payload, content_type="application/json")
    second = client.post(_api(chapter, "contact-events/"), payload, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    event = ContactEvent.objects.get()
    assert (event.person, event.campaign, event.answers, event.recorded_by) == (
        person, campaign, {"7": "yes"}, organizer.user
    )  # fmt: skip


@pytest.mark.parametrize(
    "payload",
    [
        {"channel": "phone", "result": "contact"},
        {"channel": "pigeon", "result": "contact", "person": 0},
        {"channel": "phone", "result": "contact", "person": 1, "client_uuid": "not-a-uuid"},
        {"channel": "phone", "result": "contact", "person": 1, "answers": {"1": ["a", "b"]}},
    ],
)
def test_bad_contact_events_are_refused_and_change_nothing(client, organizer, chapter, payload):
    person = PersonFactory.create(chapter=chapter)
    payload = {**payload, "person": person.pk} if payload.get("person") == 1 else payload
    client.force_login(organizer.user)
    response = client.post(_api(chapter, "contact-events/"), payload, content_type="application/json")
    assert response.status_code == 400
    assert not ContactEvent.objects.exists()


def test_contact_event_for_another_chapters_person_is_404(client, organizer, chapter, other_chapter):
    stranger = PersonFactory.create(chapter=other_chapter)
    client.force_login(organizer.user)
    payload = {"person": stranger.pk, "channel": "phone", "result": "contact"}
    response = client.post(_api(chapter, "contact-events/"), payload, content_type="application/json")
    assert response.status_code == 404
    assert not ContactEvent.objects.exists()


def test_saved_lists_create_change_read_and_delete(client, organizer, chapter):
    PersonFactory.create(chapter=chapter, party="GRE")
    PersonFactory.create(chapter=chapter, party="DEM")
    client.force_login(organizer.user)
    created = client.post(
        _api(chapter, "lists/"), {"name": "Greens", "filters": {"party": ["GRE"]}}, content_type="application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert client.get(_api(chapter, f"lists/{pk}/people/")).json()["count"] == 1
    changed = client.patch(
        _api(chapter, f"lists/{pk}/"), {"filters": {"party": ["GRE", "DEM"]}}, content_type="application/json"
    )
    assert changed.json()["filters"] == {"party": ["GRE", "DEM"]}
    assert client.get(_api(chapter, f"lists/{pk}/people/")).json()["count"] == 2
    assert client.delete(_api(chapter, f"lists/{pk}/")).status_code == 204
    assert not SavedList.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, target_label="Greens").exists()


def test_a_saved_list_with_a_bad_filter_is_refused(client, organizer, chapter):
    client.force_login(organizer.user)
    response = client.post(
        _api(chapter, "lists/"), {"name": "X", "filters": {"colour": ["red"]}}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not SavedList.objects.exists()


@pytest.mark.parametrize("persona", ["captain", "canvasser", "member", "outsider"])
def test_people_api_is_404_beyond_organizers(client, request, chapter, persona):
    saved_list = SavedListFactory.create(chapter=chapter)
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(_api(chapter, "people/")).status_code == 404
    assert client.get(_api(chapter, f"lists/{saved_list.pk}/")).status_code == 404


def test_api_token_reaches_the_people_api(client, organizer, chapter):
    from core.services import api_token_create

    PersonFactory.create(chapter=chapter)
    _, raw = api_token_create(user=organizer.user, name="sync")
    response = client.get(_api(chapter, "people/"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["count"] == 1
