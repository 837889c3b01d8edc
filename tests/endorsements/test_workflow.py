"""Every move in the endorsement process: legal ones succeed and are recorded, illegal ones change nothing."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from core.errors import ApplicationError
from endorsements import workflow
from endorsements.models import Endorsement, EndorsementStatus, StatusChange
from tests.endorsements.factories import EndorsementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", sorted(workflow.TRANSITIONS))
def test_each_move_is_legal_only_from_its_sources(chapter, organizer, action):
    """From each of its sources a move lands on its target; from every other status it is refused."""
    move = workflow.TRANSITIONS[action]
    endorsement = EndorsementFactory.create(chapter=chapter)
    for status in EndorsementStatus.values:
        Endorsement.objects.filter(pk=endorsement.pk).update(status=status, version=7)
        endorsement.refresh_from_db()
        before = StatusChange.objects.count()
        if status in move.sources:
            workflow.transition(
                endorsement=endorsement, action=action, actor=organizer.user, reason="why", expected_version=7
            )
            endorsement.refresh_from_db()
            assert (endorsement.status, endorsement.version) == (move.target, 8), f"{action} from {status}"
            change = StatusChange.objects.latest("id")
            assert (change.from_status, change.to_status, change.actor, change.reason) == (
                status,
                move.target,
                organizer.user,
                "why",
            )
        else:
            with pytest.raises(ApplicationError, match=f"You cannot {move.label} while the endorsement is"):
                workflow.transition(endorsement=endorsement, action=action, actor=organizer.user, expected_version=7)
            endorsement.refresh_from_db()
            assert (endorsement.status, endorsement.version) == (status, 7), f"{action} from {status}"
            assert StatusChange.objects.count() == before


def test_the_issue_paths_are_all_reachable():
    """The happy path, the declines, and withdrawn and rescinded, each through legal moves only."""
    paths = [
        ["send_questionnaire", "return_questionnaire", "start_research", "open_vote", "endorse_locally",
         "submit_national", "begin_nec_review", "nec_recommend", "npc_ratify", "endorse_nationally"],
        ["send_questionnaire", "return_questionnaire", "start_research", "open_vote", "decline"],
        ["open_vote", "endorse_locally", "submit_national", "begin_nec_review", "nec_not_recommend", "npc_overrule",
         "endorse_nationally"],
        ["start_research", "withdraw"],
        ["open_vote", "endorse_locally", "submit_national", "begin_nec_review", "nec_recommend", "npc_overrule",
         "rescind"],
    ]  # fmt: skip
    for path in paths:
        status: str = EndorsementStatus.DRAFT
        for action in path:
            move = workflow.TRANSITIONS[action]
            assert status in move.sources, f"{action} from {status}"
            status = move.target


def test_final_statuses_offer_no_moves_but_rescinding_a_standing_endorsement():
    assert workflow.allowed_actions(EndorsementStatus.DECLINED) == []
    assert workflow.allowed_actions(EndorsementStatus.WITHDRAWN) == []
    assert workflow.allowed_actions(EndorsementStatus.RESCINDED) == []
    assert [t.action for t in workflow.allowed_actions(EndorsementStatus.NATIONALLY_ENDORSED)] == ["rescind"]


def test_a_stale_version_is_refused_with_what_changed(chapter, organizer):
    endorsement = EndorsementFactory.create(chapter=chapter)
    workflow.transition(endorsement=endorsement, action="start_research", actor=organizer.user, expected_version=1)
    with pytest.raises(ApplicationError, match=r"Someone else changed this endorsement.*it is now research"):
        workflow.transition(endorsement=endorsement, action="withdraw", actor=organizer.user, expected_version=1)
    endorsement.refresh_from_db()
    assert (endorsement.status, endorsement.version) == (EndorsementStatus.RESEARCH, 2)


def test_an_unknown_move_is_refused(chapter, organizer):
    endorsement = EndorsementFactory.create(chapter=chapter)
    with pytest.raises(ApplicationError, match="is not a step"):
        workflow.transition(endorsement=endorsement, action="teleport", actor=organizer.user)


@pytest.mark.django_db(transaction=True)
def test_two_people_acting_at_once_cannot_both_move_it(chapter, organizer, chair):
    """Both start from version 1; the row lock makes one wait, and the version check refuses it."""
    endorsement = EndorsementFactory.create(chapter=chapter, status=EndorsementStatus.CHAPTER_VOTE)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(action: str, user) -> None:
        try:
            barrier.wait()
            workflow.transition(endorsement=endorsement, action=action, actor=user, expected_version=1)
            outcomes.append(action)
        except ApplicationError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("endorse_locally", organizer.user)),
        threading.Thread(target=act, args=("decline", chair.user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    endorsement.refresh_from_db()
    assert endorsement.version == 2
    assert endorsement.status in (EndorsementStatus.ENDORSED_LOCALLY, EndorsementStatus.DECLINED)
    assert sum(1 for o in outcomes if o.startswith("Someone else changed")) == 1
    assert StatusChange.objects.filter(endorsement=endorsement).count() == 1


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "threshold", "quorum", "result"),
    [
        (3, 2, 0, 60, 5, "passed"),  # exactly 60%
        (5, 4, 0, 60, 5, "failed"),  # 55.6%
        (3, 0, 1, 60, 5, "no_quorum"),  # 4 ballots of 5
        (3, 2, 10, 60, 5, "passed"),  # abstentions count to quorum, not to the share
        (0, 0, 5, 50, 5, "failed"),  # quorum met, nobody decided
        (2, 1, 0, 67, 3, "failed"),  # 66.7% under two thirds rounded up
        (4, 0, 0, 100, 4, "passed"),
        (9, 1, 0, 100, 4, "failed"),
    ],
)
def test_vote_result_against_threshold_and_quorum(yes, no, abstain, threshold, quorum, result):
    assert workflow.Tally(yes, no, abstain, threshold, quorum).result == result


def test_each_side_sees_only_its_own_moves():
    chapter_moves = workflow.allowed_actions(EndorsementStatus.CHAPTER_VOTE, side=workflow.Side.CHAPTER)
    assert {t.action for t in chapter_moves} == {"endorse_locally", "decline", "withdraw"}
    assert (
        workflow.allowed_actions(EndorsementStatus.NEC_RECOMMENDED, side=workflow.Side.CHAPTER)[0].action == "rescind"
    )
    npc_moves = workflow.allowed_actions(EndorsementStatus.NEC_RECOMMENDED, side=workflow.Side.NPC)
    assert {t.action for t in npc_moves} == {"npc_ratify", "npc_overrule"}
