"""Committee fixtures: a running term with its subcommittees, seated NEC members and co-chairs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chapters.models import Chapter, Membership, Role
from committee import services
from committee.models import Seat, Subcommittee, Term
from core.models import User
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def term(db: None) -> Term:
    today = timezone.localdate()
    admin = UserFactory.create()
    return services.term_create(
        name="2026–2027", starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=335), actor=admin
    )


def seat_for(term: Term, chapter: Chapter, name: str) -> Seat:
    """Nominate a new member of the chapter and seat them, as an election would."""
    membership = MembershipFactory.create(chapter=chapter, role=Role.ORGANIZER, user__name=name, user__mfa=True)
    nomination = services.nomination_create(term=term, nominee=membership.user, chapter=chapter, actor=membership.user)
    seat = services.seat_create(term=term, nomination=nomination, actor=membership.user)
    seat.holder.totp_secret = membership.user.totp_secret  # type: ignore[attr-defined]
    return seat


@pytest.fixture
def seats(term: Term, chapter: Chapter, other_chapter: Chapter) -> list[Seat]:
    """Four NEC seats: two from each chapter."""
    return [
        seat_for(term, chapter, "Ana Alpha"),
        seat_for(term, other_chapter, "Ben Beta"),
        seat_for(term, chapter, "Cam Alpha"),
        seat_for(term, other_chapter, "Dee Beta"),
    ]


@pytest.fixture
def cochairs(term: Term, seats: list[Seat]) -> tuple[Seat, Seat]:
    return services.nec_cochairs_set(term=term, seats=seats[:2], actor=seats[0].holder)


@pytest.fixture
def cochair(cochairs: tuple[Seat, Seat]) -> User:
    """An NEC co-chair who signs in with two factors."""
    return cochairs[0].holder


@pytest.fixture
def field(term: Term) -> Subcommittee:
    return term.subcommittees.get(kind=Subcommittee.Kind.FIELD)


@pytest.fixture
def organizer_b(other_chapter: Chapter) -> Membership:
    return MembershipFactory.create(chapter=other_chapter, role=Role.ORGANIZER)
