"""Dashboards, quality flags, captain review with rollback, and lists built from earlier answers."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from canvassing import dashboards, services
from canvassing.models import Campaign, DoorVisit, QualityFlag
from chapters.models import Role
from core.errors import ApplicationError
from core.models import AuditEvent
from data_vault.models import Channel, ContactEvent, DoNotContact, Ladder
from data_vault.selectors import saved_list_people
from data_vault.services import tag_get_or_create
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def turf(campaign, saved_list, street_doors, organizer, canvasser, captain, volunteer_question):
    turf = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)[0]
    services.turf_assign(turf=turf, canvasser=canvasser, actor=captain.user)
    return turf


def _knock(turf, door, user, at, result="not_home", **extra):
    return services.door_result_record(turf=turf, household_id=door.household_id, recorded_by=user, result=result,
                                       client_uuid=uuid.uuid4(), occurred_at=at, **extra)[0]  # fmt: skip


def test_doors_recorded_seconds_apart_are_flagged_once(turf, canvasser, campaign):
    start = timezone.now() - timedelta(hours=1)
    doors = list(turf.doors.all())
    for n, door in enumerate(doors[:4]):
        _knock(turf, door, canvasser.user, start + timedelta(seconds=5 * n))
    _knock(turf, doors[4], canvasser.user, start + timedelta(minutes=10))  # a normal pace after
    flags = services.quality_flags_detect(campaign=campaign)
    assert [(f.kind, f.visits.count()) for f in flags] == [(QualityFlag.Kind.TOO_FAST, 4)]
    assert "4 doors in 15 seconds" in flags[0].detail
    assert services.quality_flags_detect(campaign=campaign) == []


def test_contact_rate_far_off_the_norm_is_flagged(chapter, campaign, street_doors, turf):
    household = street_doors[0]
    visits = []
    start = timezone.now() - timedelta(days=1)
    people = [MembershipFactory.create(chapter=chapter, role=Role.CANVASSER).user for _ in range(5)]
    for n, user in enumerate(people):
        for k in range(25):
            contact = k < 25 if n == 0 else k % 5 == 0  # the first talks at every door, the rest at one in five
            visits.append(DoorVisit(chapter=chapter, campaign=campaign, turf=turf, household=household, canvasser=user,
                                    result="contact" if contact else "not_home", client_uuid=uuid.uuid4(),
                                    occurred_at=start + timedelta(minutes=2 * (k + 30 * n))))  # fmt: skip
    DoorVisit.objects.bulk_create(visits)
    flags = services.quality_flags_detect(campaign=campaign)
    assert [(f.kind, f.canvasser) for f in flags] == [(QualityFlag.Kind.CONTACT_RATE, people[0])]
    assert flags[0].detail == "Contact rate 100% over 25 doors; the rest of the campaign's is 20%."


def test_rollback_removes_the_results_from_the_vault_and_is_audited(client, turf, canvasser, captain, campaign,
                                                                   volunteer_question, street_doors):  # fmt: skip
    start = timezone.now() - timedelta(hours=1)
    doors = list(turf.doors.all())
    person = street_doors[2].people.get()
    for n, door in enumerate(doors[:3]):
        extra = {}
        if door.household_id == street_doors[2].pk:
            extra = {"person_id": person.pk, "answers": {str(volunteer_question.pk): "yes"}}
        _knock(turf, door, canvasser.user, start + timedelta(seconds=3 * n), result="contact" if extra else "not_home",
               **extra)  # fmt: skip
    person.refresh_from_db()
    assert person.ladder == Ladder.VOLUNTEER
    flag = services.quality_flags_detect(campaign=campaign)[0]
    client.force_login(captain.user)
    review = reverse("canvassing:flag_review", kwargs={"chapter": "alpha", "pk": flag.pk})
    response = client.post(review, {"decision": "rollback", "reason": "Recorded from the car"}, follow=True)
    assert "Rolled back: 3 results removed from the vault." in response.content.decode()
    person.refresh_from_db()
    flag.refresh_from_db()
    assert not ContactEvent.objects.filter(campaign=campaign).exists()
    assert person.ladder == Ladder.UNKNOWN
    assert flag.status == QualityFlag.Status.ROLLED_BACK
    assert set(flag.visits.values_list("review", flat=True)) == {DoorVisit.Review.ROLLED_BACK}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ROLLBACK, chapter=campaign.chapter).count() == 2
    assert dashboards.campaign_totals(campaign=campaign).attempts == 0
    assert client.post(review, {"decision": "accept"}, follow=True).status_code == 200
    flag.refresh_from_db()
    assert flag.status == QualityFlag.Status.ROLLED_BACK  # reviewed once only


def test_rollback_needs_a_reason(turf, canvasser, captain, campaign):
    start = timezone.now() - timedelta(hours=1)
    for n, door in enumerate(list(turf.doors.all())[:3]):
        _knock(turf, door, canvasser.user, start + timedelta(seconds=n))
    flag = services.quality_flags_detect(campaign=campaign)[0]
    with pytest.raises(ApplicationError, match="Say why"):
        services.quality_flag_rollback(flag=flag, actor=captain.user, reason=" ")
    assert ContactEvent.objects.count() == 3


def test_accept_keeps_the_results(turf, canvasser, captain, campaign):
    start = timezone.now() - timedelta(hours=1)
    for n, door in enumerate(list(turf.doors.all())[:3]):
        _knock(turf, door, canvasser.user, start + timedelta(seconds=n))
    flag = services.quality_flags_detect(campaign=campaign)[0]
    services.quality_flag_accept(flag=flag, actor=captain.user)
    assert ContactEvent.objects.count() == 3
    assert set(DoorVisit.objects.values_list("review", flat=True)) == {DoorVisit.Review.ACCEPTED}


def test_dashboard_shows_figures_by_turf_shift_and_canvasser(client, turf, canvasser, captain, campaign,
                                                             volunteer_question, street_doors,
                                                             django_assert_max_num_queries):  # fmt: skip
    start = timezone.now() - timedelta(hours=2)
    doors = list(turf.doors.all())
    for n, door in enumerate(doors[:4]):
        person = door.household.people.first()
        if n % 2:
            _knock(turf, door, canvasser.user, start + timedelta(minutes=5 * n), result="contact",
                   person_id=person.pk, answers={str(volunteer_question.pk): "yes"})  # fmt: skip
        else:
            _knock(turf, door, canvasser.user, start + timedelta(minutes=5 * n))
    client.force_login(captain.user)
    url = reverse("canvassing:campaign_dashboard", kwargs={"chapter": "alpha", "pk": campaign.pk})
    with django_assert_max_num_queries(20):
        body = client.get(url).content.decode()
    totals = dashboards.campaign_totals(campaign=campaign)
    assert (totals.doors, totals.contacts, totals.contact_percent) == (4, 2, 50)
    assert body.count("<svg") >= 5
    assert "Contact rate by canvasser" in body
    assert canvasser.user.email in body
    answers = dashboards.campaign_answers(campaign=campaign, questions=[volunteer_question])
    assert answers[0].counts == [("Yes", 2), ("No", 0)]


def test_next_campaign_reuses_supporters_from_an_earlier_one(client, organizer, turf, canvasser, campaign, chapter,
                                                             support_question, street_doors):  # fmt: skip
    supporter = street_doors[2].people.get()
    _knock(turf, turf.doors.get(household=street_doors[2]), canvasser.user, timezone.now(), result="contact",
           person_id=supporter.pk, answers={str(support_question.pk): "strong_support"})  # fmt: skip
    client.force_login(organizer.user)
    url = reverse("canvassing:list_from_answers", kwargs={"chapter": "alpha", "pk": campaign.pk})
    client.post(url, {"answer": f"{support_question.pk}:strong_support", "name": "Rent control supporters"})
    saved = chapter.saved_lists.get(name="Rent control supporters")
    assert list(saved_list_people(saved_list=saved)) == [supporter]
    council = Campaign.objects.create(chapter=chapter, name="Council race", kind=Campaign.Kind.CANDIDATE)
    turfs = services.turf_cut(campaign=council, saved_list=saved, target_doors=60, actor=organizer.user)
    assert [d.household for d in turfs[0].doors.all()] == [street_doors[2]]


def test_a_list_from_a_free_text_question_is_refused(campaign, organizer):
    question = services.question_create(campaign=campaign, text="Anything else?", kind="text")
    with pytest.raises(ApplicationError):
        services.saved_list_from_answers(
            campaign=campaign, question=question, value="x", name="X", actor=organizer.user
        )


def test_rollback_undoes_the_support_tags_and_do_not_knock_the_answers_set(turf, canvasser, captain, campaign,
                                                                         support_question, street_doors):  # fmt: skip
    refused = services.question_create(campaign=campaign, text="Come back?", kind="single", options=["Yes", "Never"])
    services.answer_option_effects_set(option=refused.options.get(value="never"), do_not_contact=True)
    keep_tag = tag_get_or_create(chapter=campaign.chapter, name="tenant")
    start = timezone.now() - timedelta(hours=1)
    doors = list(turf.doors.all())
    people = []
    for n, door in enumerate(doors[:3]):
        person = door.household.people.first()
        person.support_score = 3
        person.save()
        person.tags.add(keep_tag)
        people.append(person)
        answers = {str(support_question.pk): "strong_support"} if n < 2 else {str(refused.pk): "never"}
        _knock(turf, door, canvasser.user, start + timedelta(seconds=3 * n), result="contact",
               person_id=person.pk, answers=answers)  # fmt: skip
    supporter, edited, blocked = people
    edited.refresh_from_db()
    edited.support_score = 4  # an organizer changed it after the canvass: the rollback leaves it
    edited.save()
    assert DoNotContact.objects.filter(person=blocked, channel=Channel.DOOR).exists()

    flag = services.quality_flags_detect(campaign=campaign)[0]
    services.quality_flag_rollback(flag=flag, actor=captain.user, reason="Recorded from the car")

    for person in people:
        person.refresh_from_db()
    assert (supporter.support_score, edited.support_score, blocked.support_score) == (3, 4, 3)
    assert [set(p.tags.values_list("name", flat=True)) for p in people] == [{"tenant"}] * 3
    assert not DoNotContact.objects.filter(person__in=people).exists()
