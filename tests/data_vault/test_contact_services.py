"""The writes canvassing relies on: contact results, the ladder, tags, support and rollback."""

from __future__ import annotations

import uuid

import pytest

from core.errors import ApplicationError
from core.models import AuditEvent
from data_vault import services
from data_vault.models import ContactEvent, DoNotContact, LadderChange, Person
from tests.data_vault.factories import HouseholdFactory, PersonFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_a_resent_result_with_the_same_uuid_lands_once(chapter, canvasser, campaign):
    person = PersonFactory.create(chapter=chapter)
    key = uuid.uuid4()
    first, created = services.contact_event_record(
        chapter=chapter,
        recorded_by=canvasser.user,
        channel="door",
        result="contact",
        person=person,
        answers={7: "yes"},
        campaign=campaign,
        client_uuid=key,
    )
    again, created_again = services.contact_event_record(
        chapter=chapter,
        recorded_by=canvasser.user,
        channel="door",
        result="contact",
        person=person,
        campaign=campaign,
        client_uuid=str(key),
    )
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert ContactEvent.objects.filter(chapter=chapter).count() == 1
    assert first.answers == {"7": "yes"}
    assert first.household == person.household


def test_a_door_result_may_name_only_the_household(chapter, canvasser):
    household = HouseholdFactory.create(chapter=chapter)
    event, created = services.contact_event_record(
        chapter=chapter, recorded_by=canvasser.user, channel="door", result="not_home", household=household
    )
    assert created
    assert event.person is None
    assert event.household == household


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"channel": "pigeon", "result": "contact"}, "not a contact channel"),
        ({"channel": "door", "result": "maybe"}, "not a contact result"),
        ({"channel": "door", "result": "contact", "client_uuid": "nope"}, "not a valid UUID"),
        ({"channel": "door", "result": "contact", "answers": ["yes"]}, "map each question"),
    ],
)
def test_bad_contact_results_are_refused(chapter, canvasser, kwargs, message):
    person = PersonFactory.create(chapter=chapter)
    with pytest.raises(ApplicationError, match=message):
        services.contact_event_record(chapter=chapter, recorded_by=canvasser.user, person=person, **kwargs)
    assert not ContactEvent.objects.exists()


def test_another_chapters_person_or_campaign_is_refused(chapter, other_chapter, canvasser, campaign):
    stranger = PersonFactory.create(chapter=other_chapter)
    with pytest.raises(ApplicationError):
        services.contact_event_record(
            chapter=chapter, recorded_by=canvasser.user, channel="door", result="contact", person=stranger
        )
    mine = PersonFactory.create(chapter=other_chapter)
    with pytest.raises(ApplicationError):
        services.contact_event_record(
            chapter=other_chapter,
            recorded_by=None,
            channel="door",
            result="contact",
            person=mine,
            campaign=campaign,
        )
    assert not ContactEvent.objects.exists()


def test_a_text_opt_out_marks_the_person_do_not_text(chapter, organizer):
    person = PersonFactory.create(chapter=chapter)
    services.contact_event_record(
        chapter=chapter, recorded_by=organizer.user, channel="text", result="opted_out", person=person
    )
    assert DoNotContact.objects.filter(person=person, channel="text").exists()


def test_the_ladder_only_goes_up_and_each_step_is_recorded(chapter, canvasser):
    person = PersonFactory.create(chapter=chapter, ladder="voter")
    change = services.person_ladder_raise(person=person, level="volunteer", actor=canvasser.user, source="door")
    assert change is not None
    assert change.previous == "voter"
    assert services.person_ladder_raise(person=person, level="supporter", actor=None, source="door") is None
    person.refresh_from_db()
    assert person.ladder == "volunteer"
    assert LadderChange.objects.filter(person=person).count() == 1


def test_tagging_twice_and_in_any_case_uses_one_tag(chapter, organizer):
    person = PersonFactory.create(chapter=chapter)
    TagFactory.create(chapter=chapter, name="Tenant leader")
    services.person_tag_add(person=person, tag_name="tenant  LEADER", actor=organizer.user)
    services.person_tag_add(person=person, tag_name="Tenant leader", actor=organizer.user)
    assert list(person.tags.values_list("name", flat=True)) == ["Tenant leader"]


def test_support_scores_run_from_one_to_five(chapter, organizer):
    person = PersonFactory.create(chapter=chapter)
    services.person_support_set(person=person, score=2, actor=organizer.user)
    with pytest.raises(ApplicationError):
        services.person_support_set(person=person, score=6, actor=organizer.user)
    person.refresh_from_db()
    assert person.support_score == 2


def test_a_rollback_deletes_the_results_undoes_their_ladder_steps_and_is_audited(chapter, captain):
    person = PersonFactory.create(chapter=chapter, ladder="voter")
    event, _ = services.contact_event_record(
        chapter=chapter, recorded_by=captain.user, channel="door", result="contact", person=person
    )
    services.person_ladder_raise(
        person=person, level="supporter", actor=captain.user, source="door", contact_event=event
    )
    deleted = services.contact_events_delete(
        chapter=chapter, event_ids=[event.pk], actor=captain.user, reason="made up by a bot"
    )
    assert deleted == 1
    assert not ContactEvent.objects.exists()
    assert Person.objects.get(pk=person.pk).ladder == "voter"
    audit = AuditEvent.objects.get(action=AuditEvent.Action.ROLLBACK)
    assert audit.details["contact_event_ids"] == [event.pk]


def test_a_rollback_refuses_another_chapters_results(chapter, other_chapter, captain):
    theirs, _ = services.contact_event_record(
        chapter=other_chapter,
        recorded_by=None,
        channel="door",
        result="contact",
        person=PersonFactory.create(chapter=other_chapter),
    )
    with pytest.raises(ApplicationError):
        services.contact_events_delete(chapter=chapter, event_ids=[theirs.pk], actor=captain.user, reason="x")
    assert ContactEvent.objects.filter(pk=theirs.pk).exists()
