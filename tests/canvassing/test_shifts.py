"""Shifts: capacity, double sign-up, check-in, turf assignment and the email reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from canvassing import services
from canvassing.models import ShiftSignup, TurfAssignment
from chapters.models import Role
from core.errors import ApplicationError
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shift(campaign, captain):
    campaign.status = campaign.Status.ACTIVE
    campaign.save()
    start = timezone.now() + timedelta(hours=20)
    return services.shift_create(
        campaign=campaign,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="Union hall, 12 Main St",
        capacity=2,
        actor=captain.user,
        captain=captain,
    )


def test_full_shift_refuses_more_signups(shift, chapter):
    first, second, third = (MembershipFactory.create(chapter=chapter, role=Role.MEMBER) for _ in range(3))
    services.shift_signup(shift=shift, member=first)
    services.shift_signup(shift=shift, member=second)
    with pytest.raises(ApplicationError, match="This shift is full"):
        services.shift_signup(shift=shift, member=third)
    assert shift.signups.count() == 2


def test_double_signup_does_nothing(shift, member):
    first = services.shift_signup(shift=shift, member=member)
    again = services.shift_signup(shift=shift, member=member)
    assert first == again
    assert ShiftSignup.objects.count() == 1


def test_member_signs_up_on_the_page_and_sees_full_shifts(client, shift, member, chapter):
    client.force_login(member.user)
    home = reverse("canvassing:canvass_home", kwargs={"chapter": "alpha"})
    signup = reverse("canvassing:shift_signup", kwargs={"chapter": "alpha", "pk": shift.pk})
    client.post(signup)
    client.post(signup)  # a double submit
    assert ShiftSignup.objects.filter(member=member).count() == 1
    assert "You are signed up" in client.get(home).content.decode()
    other = MembershipFactory.create(chapter=chapter, role=Role.MEMBER)
    services.shift_signup(shift=shift, member=other)
    late = MembershipFactory.create(chapter=chapter, role=Role.MEMBER)
    client.force_login(late.user)
    assert "Full" in client.get(home).content.decode()
    response = client.post(signup, follow=True)
    assert "This shift is full." in response.content.decode()


def test_captain_checks_in_and_assigns_a_pair(client, shift, captain, chapter, campaign, saved_list, street_doors,
                                              organizer):  # fmt: skip
    turf = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)[0]
    one = MembershipFactory.create(chapter=chapter, role=Role.CANVASSER)
    two = MembershipFactory.create(chapter=chapter, role=Role.CANVASSER)
    signup = services.shift_signup(shift=shift, member=one)
    client.force_login(captain.user)
    client.post(reverse("canvassing:shift_check_in", kwargs={"chapter": "alpha", "pk": shift.pk,
                                                             "signup_pk": signup.pk}))  # fmt: skip
    signup.refresh_from_db()
    assert signup.checked_in_at is not None
    response = client.post(
        reverse("canvassing:turf_assign", kwargs={"chapter": "alpha", "pk": campaign.pk}),
        {"turf": turf.pk, "canvasser": one.pk, "partner": two.pk, "shift": shift.pk},
    )
    assert response.status_code == 302
    assignment = TurfAssignment.objects.get()
    assert (assignment.canvasser, assignment.partner, assignment.shift) == (one, two, shift)


def test_a_plain_member_cannot_be_given_turf(shift, campaign, saved_list, street_doors, organizer, member):
    turf = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)[0]
    with pytest.raises(ApplicationError, match="not a canvasser"):
        services.turf_assign(turf=turf, canvasser=member, actor=organizer.user)


def test_reminder_is_emailed_once_before_the_shift(shift, member, canvasser):
    services.shift_signup(shift=shift, member=member)
    services.shift_signup(shift=shift, member=canvasser)
    assert services.shift_reminders_send() == 2
    assert services.shift_reminders_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.user.email, canvasser.user.email])
    assert "Union hall, 12 Main St" in mail.outbox[0].body


def test_no_reminder_for_a_shift_days_away(shift, member):
    shift.starts_at = timezone.now() + timedelta(days=5)
    shift.ends_at = shift.starts_at + timedelta(hours=2)
    shift.save()
    services.shift_signup(shift=shift, member=member)
    assert services.shift_reminders_send() == 0


def test_reminder_task_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["canvassing-shift-reminders"]
    assert entry["task"] == "canvassing.tasks.shift_reminders_send_task"


def test_shift_that_ends_before_it_starts_is_refused(client, captain, campaign):
    client.force_login(captain.user)
    url = reverse("canvassing:shift_create", kwargs={"chapter": "alpha", "pk": campaign.pk})
    response = client.post(url, {"starts_at": "2026-05-01T10:00", "ends_at": "2026-05-01T09:00", "place": "Hall",
                                 "capacity": "5"})  # fmt: skip
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
