"""The NEC and each subcommittee have exactly two co-chairs."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from chapters.models import NationalRole
from chapters.permissions import IS_NEC_COCHAIR
from committee import services
from committee.models import Nomination, Seat, SubcommitteeMember
from core.errors import ApplicationError
from tests.committee.conftest import seat_for


def test_setting_nec_cochairs_takes_exactly_two(term, seats):
    for choice in ([], seats[:1], seats[:3], [seats[0], seats[0]]):
        with pytest.raises(ApplicationError, match="exactly two"):
            services.nec_cochairs_set(term=term, seats=choice, actor=seats[0].holder)
    assert not Seat.objects.filter(cochair_slot__isnull=False).exists()


def test_new_cochairs_replace_the_old_pair_and_their_national_roles(term, seats):
    services.nec_cochairs_set(term=term, seats=seats[:2], actor=seats[0].holder)
    services.nec_cochairs_set(term=term, seats=seats[2:], actor=seats[0].holder)
    cochairs = set(term.seats.filter(cochair_slot__isnull=False).values_list("pk", flat=True))
    assert cochairs == {seats[2].pk, seats[3].pk}
    holders = set(NationalRole.objects.filter(kind=NationalRole.Kind.NEC_COCHAIR).values_list("user_id", flat=True))
    assert holders == {seats[2].holder_id, seats[3].holder_id}
    assert not IS_NEC_COCHAIR.allows(type(seats[0].holder).objects.get(pk=seats[0].holder_id))


def test_the_database_refuses_a_third_cochair(term, cochairs, seats):
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.filter(pk=seats[2].pk).update(cochair_slot=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.filter(pk=seats[2].pk).update(cochair_slot=3)


def test_cochairs_must_hold_seats_in_the_term(term, seats, chapter):
    other = services.term_create(
        name="Next",
        starts_on=term.ends_on,
        ends_on=term.ends_on.replace(year=term.ends_on.year + 1),
        actor=seats[0].holder,
    )
    stranger = seat_for(other, chapter, "Eve Elsewhere")
    with pytest.raises(ApplicationError, match="this term"):
        services.nec_cochairs_set(term=term, seats=[seats[0], stranger], actor=seats[0].holder)


def test_subcommittee_cochairs_are_exactly_two_of_its_members(term, seats, field):
    places = [services.subcommittee_member_add(subcommittee=field, seat=seat, actor=seats[0].holder) for seat in seats]
    with pytest.raises(ApplicationError, match="exactly two"):
        services.subcommittee_cochairs_set(subcommittee=field, places=places[:3], actor=seats[0].holder)
    services.subcommittee_cochairs_set(subcommittee=field, places=places[1:3], actor=seats[0].holder)
    chairs = SubcommitteeMember.objects.filter(subcommittee=field, cochair_slot__isnull=False)
    assert set(chairs.values_list("seat_id", flat=True)) == {seats[1].pk, seats[2].pk}
    with pytest.raises(IntegrityError), transaction.atomic():
        SubcommitteeMember.objects.filter(pk=places[0].pk).update(cochair_slot=2)


def test_election_results_seat_the_top_nominees_and_keep_the_counts(term, chapter):
    from tests.factories import MembershipFactory

    members = [MembershipFactory.create(chapter=chapter) for _ in range(3)]
    nominations = [
        services.nomination_create(term=term, nominee=m.user, chapter=chapter, actor=m.user) for m in members
    ]
    seated = services.election_results_record(
        term=term,
        votes={nominations[0].pk: 10, nominations[1].pk: 30, nominations[2].pk: 20},
        seats=2,
        actor=members[0].user,
    )
    assert {seat.holder_id for seat in seated} == {members[1].user_id, members[2].user_id}
    statuses = dict(Nomination.objects.values_list("nominee_id", "status"))
    assert statuses[members[0].user_id] == Nomination.Status.NOT_ELECTED
    assert Nomination.objects.get(nominee=members[1].user).votes == 30


def test_a_chapter_nominates_only_its_own_members(term, chapter, outsider):
    with pytest.raises(ApplicationError, match="its own members"):
        services.nomination_create(term=term, nominee=outsider.user, chapter=chapter, actor=outsider.user)
