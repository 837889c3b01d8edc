"""
Endorsements: races and candidates, the chapter's process (questionnaire, dossier,
discussion, vote, local plan), the national request and its NEC and NPC review,
and accountability after the election.
"""

from endorsements.models.accountability import AccountabilityCommitment, CommitmentCheckIn
from endorsements.models.national import NationalRequest, NecComment, NecReviewerAssignment, NecVote, NpcDecision
from endorsements.models.process import (
    Ballot,
    ChapterVote,
    Comment,
    Dossier,
    DossierAttachment,
    LocalPlan,
    PacketJob,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireQuestion,
    QuestionnaireTemplate,
    VoteChoice,
)
from endorsements.models.races import Candidate, Endorsement, EndorsementStatus, Race, StatusChange

__all__ = [
    "AccountabilityCommitment",
    "Ballot",
    "Candidate",
    "ChapterVote",
    "Comment",
    "CommitmentCheckIn",
    "Dossier",
    "DossierAttachment",
    "Endorsement",
    "EndorsementStatus",
    "LocalPlan",
    "NationalRequest",
    "NecComment",
    "NecReviewerAssignment",
    "NecVote",
    "NpcDecision",
    "PacketJob",
    "Questionnaire",
    "QuestionnaireAnswer",
    "QuestionnaireQuestion",
    "QuestionnaireTemplate",
    "Race",
    "StatusChange",
    "VoteChoice",
]
