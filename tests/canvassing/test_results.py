"""Door results from phones: idempotent on the client UUID, answers' effects in the vault."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from canvassing import services
from canvassing.models import DoorVisit
from core.errors import ApplicationError
from core.models import AuditEvent
from data_vault.models import ContactEvent, DoNotContact, Ladder, LadderChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def turf(campaign, saved_list, street_doors, organizer, canvasser, captain, support_question, volunteer_question):
    turf = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)[0]
    services.turf_assign(turf=turf, canvasser=canvasser, actor=captain.user)
    return turf


def _url(turf) -> str:
    return reverse("api:canvass_result_submit", kwargs={"chapter": "alpha", "pk": turf.pk})


def test_a_resent_result_is_recorded_once(client, canvasser, turf, street_doors):
    client.force_login(canvasser.user)
    body = {"client_uuid": str(uuid.uuid4()), "household_id": street_doors[2].pk, "result": "not_home"}
    first = client.post(_url(turf), body, content_type="application/json")
    again = client.post(_url(turf), body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert ContactEvent.objects.count() == 1
    assert DoorVisit.objects.count() == 1


def test_contact_answers_apply_their_effects(client, canvasser, turf, street_doors, support_question,
                                            volunteer_question, campaign):  # fmt: skip
    person = street_doors[2].people.get()
    client.force_login(canvasser.user)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "household_id": street_doors[2].pk,
        "person_id": person.pk,
        "result": "contact",
        "answers": {str(support_question.pk): "strong_support", str(volunteer_question.pk): "yes"},
        "notes": "Wants a tenants' meeting",
    }
    assert client.post(_url(turf), body, content_type="application/json").status_code == 201
    person.refresh_from_db()
    event = ContactEvent.objects.get()
    assert (event.campaign, event.person, event.channel, event.recorded_by) == (campaign, person, "door",
                                                                                  canvasser.user)  # fmt: skip
    assert event.answers == {str(support_question.pk): "strong_support", str(volunteer_question.pk): "yes"}
    assert person.support_score == 5
    assert person.ladder == Ladder.VOLUNTEER
    assert set(person.tags.values_list("name", flat=True)) == {"rent control supporter", "volunteer"}
    assert LadderChange.objects.get(person=person).contact_event == event


def test_answers_at_the_door_are_kept_on_the_event_not_audited_one_by_one(campaign, turf, street_doors, canvasser,
                                                                           support_question):  # fmt: skip
    person = street_doors[2].people.get()
    services.door_result_record(turf=turf, household_id=street_doors[2].pk, recorded_by=canvasser.user,
                                result="contact", client_uuid=uuid.uuid4(), person_id=person.pk,
                                answers={str(support_question.pk): "strong_support"})  # fmt: skip
    event = ContactEvent.objects.get()
    assert event.effects["support_after"] == 5
    assert event.effects["tags_added"]
    assert not AuditEvent.objects.filter(target_id=str(person.pk)).exists()


def test_do_not_knock_answer_marks_the_person(campaign, turf, street_doors, canvasser):
    question = services.question_create(campaign=campaign, text="Knock again?", kind="single", options=["Yes", "No"])
    services.answer_option_effects_set(option=question.options.get(value="no"), do_not_contact=True)
    person = street_doors[3].people.get()
    services.door_result_record(turf=turf, household_id=street_doors[3].pk, recorded_by=canvasser.user,
                                result="contact", client_uuid=uuid.uuid4(), person_id=person.pk,
                                answers={str(question.pk): "no"})  # fmt: skip
    assert DoNotContact.objects.filter(person=person, channel="door").exists()


def test_multiple_choice_and_scale_answers(campaign, turf, street_doors, canvasser):
    issues = services.question_create(campaign=campaign, text="Issues?", kind="multiple", options=["Rent", "Heat"])
    urgency = services.question_create(campaign=campaign, text="Urgency?", kind="scale")
    notes = services.question_create(campaign=campaign, text="Anything else?", kind="text")
    visit, _ = services.door_result_record(
        turf=turf, household_id=street_doors[3].pk, recorded_by=canvasser.user, result="contact",
        client_uuid=uuid.uuid4(), answers={str(issues.pk): ["rent", "heat"], str(urgency.pk): "4",
                                           str(notes.pk): "  no heat since  March "},
    )  # fmt: skip
    assert visit.answers == {str(issues.pk): "rent|heat", str(urgency.pk): "4", str(notes.pk): "no heat since March"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"result": "contact", "answers": {"999999": "yes"}}, "does not ask"),
        ({"result": "not_home", "answers": {"Q": "strong_support"}}, "only when you talked"),
        ({"result": "contact", "answers": {"Q": "maybe"}}, "is not an answer"),
        ({"result": "contact", "answers": {"Q": ["strong_support", "oppose"]}}, "takes one answer"),
        ({"result": "deceased"}, "Choose one of the door results"),
        ({"client_uuid": "not-a-uuid"}, "not a valid UUID"),
    ],
)
def test_bad_results_are_refused_and_change_nothing(turf, street_doors, canvasser, support_question, change, message):
    person = street_doors[3].people.get()
    fields = {"turf": turf, "household_id": street_doors[3].pk, "recorded_by": canvasser.user,
              "result": "contact", "client_uuid": uuid.uuid4(), "person_id": person.pk}  # fmt: skip
    fields.update(change)
    if "answers" in change:
        fields["answers"] = {str(support_question.pk) if k == "Q" else k: v for k, v in change["answers"].items()}
    with pytest.raises(ApplicationError, match=message):
        services.door_result_record(**fields)
    assert not ContactEvent.objects.exists()


def test_door_off_the_turf_and_a_person_from_elsewhere_are_refused(client, canvasser, turf, chapter, street_doors):
    from tests.data_vault.factories import PersonFactory

    stranger = PersonFactory.create(chapter=chapter, household__street_name="FAR RD")
    client.force_login(canvasser.user)
    off = {"client_uuid": str(uuid.uuid4()), "household_id": stranger.household_id, "result": "not_home"}
    response = client.post(_url(turf), off, content_type="application/json")
    assert response.status_code == 400
    assert "not on this turf" in response.json()["detail"]
    wrong = {"client_uuid": str(uuid.uuid4()), "household_id": street_doors[3].pk, "result": "contact",
             "person_id": stranger.pk}  # fmt: skip
    assert client.post(_url(turf), wrong, content_type="application/json").status_code == 400
    assert not ContactEvent.objects.exists()


def test_canvasser_sees_only_their_turf_and_only_while_assigned(client, canvasser, turf, campaign, saved_list,
                                                                organizer, captain, chapter):  # fmt: skip
    from tests.data_vault.factories import HouseholdFactory, PersonFactory

    PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter, street_name="FAR RD"),
                         last_name="Faraway")  # fmt: skip
    other = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)[0]
    client.force_login(canvasser.user)
    walk = reverse("canvassing:canvass_walk", kwargs={"chapter": "alpha", "pk": turf.pk})
    doors = reverse("api:canvass_turf_doors", kwargs={"chapter": "alpha", "pk": turf.pk})
    page = client.get(walk)
    assert page.status_code == 200
    assert "Faraway" not in page.content.decode()
    assert client.get(doors).status_code == 200
    for name in ("canvassing:canvass_walk", "api:canvass_turf_doors"):
        assert client.get(reverse(name, kwargs={"chapter": "alpha", "pk": other.pk})).status_code == 404
    services.assignment_end(assignment=turf.assignments.get(), actor=captain.user)
    assert client.get(walk).status_code == 404
    assert client.get(doors).status_code == 404
    late = {"client_uuid": str(uuid.uuid4()), "household_id": turf.doors.first().household_id, "result": "not_home"}
    assert client.post(_url(turf), late, content_type="application/json").status_code == 404


def test_walk_page_carries_the_doors_in_order_and_the_service_worker_covers_it(client, canvasser, turf):
    client.force_login(canvasser.user)
    body = client.get(reverse("canvassing:canvass_walk", kwargs={"chapter": "alpha", "pk": turf.pk})).content.decode()
    assert body.index("101 MAIN ST") < body.index("103 MAIN ST") < body.index("102 MAIN ST")
    worker = client.get(reverse("canvassing:service_worker"))
    assert worker["Service-Worker-Allowed"] == "/"
    assert worker["Content-Type"].startswith("text/javascript")
    assert reverse("canvassing:service_worker") == "/canvass-sw.js"


def test_turf_code_opens_the_phone_page_for_its_canvasser(client, canvasser, turf):
    client.force_login(canvasser.user)
    response = client.get(reverse("canvassing:turf_code", kwargs={"code": turf.code.lower()}))
    assert response["Location"] == reverse("canvassing:canvass_walk", kwargs={"chapter": "alpha", "pk": turf.pk})


def test_doors_api_query_count_is_constant(client, canvasser, turf, chapter, django_assert_max_num_queries):
    client.force_login(canvasser.user)
    url = reverse("api:canvass_turf_doors", kwargs={"chapter": "alpha", "pk": turf.pk})
    with django_assert_max_num_queries(10):
        assert client.get(url).json()["count"] == 9
