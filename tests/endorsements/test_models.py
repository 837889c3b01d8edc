"""The endorsement records keep their own integrity, whatever the code above them does."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from endorsements.models import Ballot, ChapterVote, Endorsement, EndorsementStatus, NpcDecision, VoteChoice
from endorsements.models.national import NationalRequest
from tests.endorsements.factories import EndorsementFactory

pytestmark = pytest.mark.django_db


def test_a_new_endorsement_starts_as_a_draft_at_version_one(chapter):
    endorsement = EndorsementFactory.create(chapter=chapter)
    assert (endorsement.status, endorsement.version) == (EndorsementStatus.DRAFT, 1)
    assert endorsement.race.chapter == endorsement.candidate.chapter == chapter


def test_one_candidacy_has_one_endorsement_per_chapter(chapter):
    endorsement = EndorsementFactory.create(chapter=chapter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(chapter=chapter, race=endorsement.race, candidate=endorsement.candidate)


def test_an_unknown_status_is_refused_by_the_database(chapter):
    endorsement = EndorsementFactory.create(chapter=chapter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.filter(pk=endorsement.pk).update(status="sort_of_endorsed")


def test_one_member_has_one_ballot(chapter, member):
    endorsement = EndorsementFactory.create(chapter=chapter)
    vote = ChapterVote.objects.create(
        endorsement=endorsement, method=ChapterVote.Method.BALLOTS, threshold_percent=60, quorum=1
    )
    Ballot.objects.create(vote=vote, member=member, choice=VoteChoice.YES)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, member=member, choice=VoteChoice.NO)


def test_an_npc_overrule_must_record_the_full_vote(chapter):
    endorsement = EndorsementFactory.create(chapter=chapter)
    request = NationalRequest.objects.create(
        endorsement=endorsement, local_request="Endorse", deadline=endorsement.race.election_date
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        NpcDecision.objects.create(national_request=request, decision=NpcDecision.Decision.OVERRULE)
    NpcDecision.objects.create(
        national_request=request, decision=NpcDecision.Decision.OVERRULE, yes_count=20, no_count=5, abstain_count=1
    )
