"""
The endorsement's state machine: every status, every legal move, and the one
function that makes a move.

A move locks the endorsement's row, checks the version the person was looking
at, checks the move is legal from the current status, and records who made it,
when and why. Two people acting at once therefore cannot both succeed from the
same starting point: the second is told what changed and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AuditEvent, User
from core.services import audit_record
from endorsements.models import ChapterVote, Endorsement, StatusChange
from endorsements.models import EndorsementStatus as S


class Side:
    """Who may make a move: the chapter, NEC co-chairs, the NEC vote, the NPC, the candidate, or the app."""

    CHAPTER = "chapter"
    CANDIDATE = "candidate"
    NEC_COCHAIR = "nec_cochair"
    NPC = "npc"


@dataclass(frozen=True)
class Transition:
    """One legal move: from any of its sources to its target."""

    action: str
    sources: frozenset[str]
    target: str
    label: str
    side: str


PRE_VOTE = frozenset({S.DRAFT, S.QUESTIONNAIRE_SENT, S.QUESTIONNAIRE_RETURNED, S.RESEARCH, S.CHAPTER_VOTE})
NATIONAL_PENDING = frozenset({S.NATIONAL_REQUESTED, S.NEC_REVIEW})
# Every status in which the chapter's endorsement stands: a vote passed and was not undone.
ENDORSED = frozenset(
    {
        S.ENDORSED_LOCALLY,
        S.NATIONAL_REQUESTED,
        S.NEC_REVIEW,
        S.NEC_RECOMMENDED,
        S.NEC_NOT_RECOMMENDED,
        S.NPC_RATIFIED,
        S.NPC_OVERRULED,
        S.NATIONALLY_ENDORSED,
    }
)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "send_questionnaire", frozenset({S.DRAFT}), S.QUESTIONNAIRE_SENT, "send the questionnaire", Side.CHAPTER
        ),
        Transition(
            "return_questionnaire",
            frozenset({S.QUESTIONNAIRE_SENT}),
            S.QUESTIONNAIRE_RETURNED,
            "return the questionnaire",
            Side.CANDIDATE,
        ),
        Transition(
            "start_research", frozenset({S.DRAFT, S.QUESTIONNAIRE_RETURNED}), S.RESEARCH, "start research", Side.CHAPTER
        ),
        Transition(
            "open_vote",
            frozenset({S.DRAFT, S.QUESTIONNAIRE_RETURNED, S.RESEARCH}),
            S.CHAPTER_VOTE,
            "open the chapter vote",
            Side.CHAPTER,
        ),
        Transition("endorse_locally", frozenset({S.CHAPTER_VOTE}), S.ENDORSED_LOCALLY, "endorse", Side.CHAPTER),
        Transition("decline", frozenset({S.CHAPTER_VOTE}), S.DECLINED, "decline", Side.CHAPTER),
        Transition(
            "submit_national",
            frozenset({S.ENDORSED_LOCALLY}),
            S.NATIONAL_REQUESTED,
            "submit a national request",
            Side.CHAPTER,
        ),
        Transition(
            "begin_nec_review", frozenset({S.NATIONAL_REQUESTED}), S.NEC_REVIEW, "begin NEC review", Side.NEC_COCHAIR
        ),
        Transition("nec_recommend", frozenset({S.NEC_REVIEW}), S.NEC_RECOMMENDED, "recommend", Side.NEC_COCHAIR),
        Transition(
            "nec_not_recommend", frozenset({S.NEC_REVIEW}), S.NEC_NOT_RECOMMENDED, "not recommend", Side.NEC_COCHAIR
        ),
        Transition(
            "npc_ratify",
            frozenset({S.NEC_RECOMMENDED, S.NEC_NOT_RECOMMENDED}),
            S.NPC_RATIFIED,
            "ratify the NEC's decision",
            Side.NPC,
        ),
        Transition(
            "npc_overrule",
            frozenset({S.NEC_RECOMMENDED, S.NEC_NOT_RECOMMENDED}),
            S.NPC_OVERRULED,
            "overrule the NEC's decision",
            Side.NPC,
        ),
        Transition(
            "endorse_nationally",
            frozenset({S.NPC_RATIFIED, S.NPC_OVERRULED}),
            S.NATIONALLY_ENDORSED,
            "endorse nationally",
            Side.NPC,
        ),
        Transition("withdraw", PRE_VOTE | NATIONAL_PENDING, S.WITHDRAWN, "withdraw", Side.CHAPTER),
        Transition("rescind", ENDORSED, S.RESCINDED, "rescind", Side.CHAPTER),
    )
}


def allowed_actions(status: str, *, side: str | None = None) -> list[Transition]:
    """Return the moves legal from a status, in the order the process runs; only one side's when given."""
    return [t for t in TRANSITIONS.values() if status in t.sources and side in (None, t.side)]


def _status_label(status: str) -> str:
    return str(S(status).label).lower()


def transition(
    *,
    endorsement: Endorsement,
    action: str,
    actor: User | None,
    reason: str = "",
    expected_version: int | None = None,
    actor_label: str = "",
) -> Endorsement:
    """Make one move on the locked endorsement and record it; refuse an illegal or stale one."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise ApplicationError(f"“{action}” is not a step in the endorsement process.")
    with transaction.atomic():
        locked = Endorsement.objects.select_for_update().select_related("chapter").get(pk=endorsement.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ApplicationError(
                f"Someone else changed this endorsement while you were looking at it: it is now "
                f"{_status_label(locked.status)}. Reload the page and try again.",
                extra={"status": locked.status, "version": locked.version},
            )
        if locked.status not in move.sources:
            legal = ", ".join(t.label for t in allowed_actions(locked.status)) or "nothing: this is a final status"
            raise ApplicationError(
                f"You cannot {move.label} while the endorsement is {_status_label(locked.status)}. "
                f"From here you can: {legal}.",
                extra={"status": locked.status, "version": locked.version},
            )
        previous = locked.status
        locked.status = move.target
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        StatusChange.objects.create(
            endorsement=locked,
            from_status=previous,
            to_status=move.target,
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=actor_label or (actor.email if actor is not None else "Blockwork"),
            reason=reason.strip(),
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.STATUS_CHANGE,
            chapter=locked.chapter,
            target=locked,
            details={"from": previous, "to": move.target, "reason": reason.strip()},
        )
    endorsement.status, endorsement.version = locked.status, locked.version
    return locked


@dataclass(frozen=True)
class Tally:
    """A vote's counts judged against a threshold and a quorum."""

    yes: int
    no: int
    abstain: int
    threshold_percent: int
    quorum: int

    @property
    def ballots(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def quorum_met(self) -> bool:
        return self.ballots >= self.quorum

    @property
    def yes_percent(self) -> float:
        decided = self.yes + self.no
        return 100 * self.yes / decided if decided else 0.0

    @property
    def passed(self) -> bool:
        decided = self.yes + self.no
        return self.quorum_met and decided > 0 and self.yes * 100 >= self.threshold_percent * decided

    @property
    def result(self) -> str:
        if not self.quorum_met:
            return ChapterVote.Result.NO_QUORUM
        return ChapterVote.Result.PASSED if self.passed else ChapterVote.Result.FAILED


def national_deadline(election_date: date) -> date:
    """Return the last day national asks for requests for an election on this date."""
    return election_date - timedelta(weeks=settings.ENDORSEMENTS_NATIONAL_DEADLINE_WEEKS)


def national_request_is_late(election_date: date, *, today: date | None = None) -> bool:
    """Return whether a request filed today misses the national deadline."""
    return (today or timezone.localdate()) > national_deadline(election_date)
