"""Reads for endorsements: each takes the chapter or the user; national reads see submitted requests only."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from canvassing.models import Campaign
from chapters.models import Chapter, Membership
from chapters.selectors import membership_get_for_user
from core.models import User
from core.permissions import Rule, require
from endorsements import permissions, workflow
from endorsements.models import (
    AccountabilityCommitment,
    Candidate,
    ChapterVote,
    CommitmentCheckIn,
    Dossier,
    DossierAttachment,
    Endorsement,
    LocalPlan,
    NationalRequest,
    NecReviewerAssignment,
    PacketJob,
    Questionnaire,
    QuestionnaireTemplate,
    Race,
    StatusChange,
)
from endorsements.models import EndorsementStatus as S
from endorsements.services import token_digest

# What the NPC sees: requests the NEC has decided, and what followed.
NPC_VISIBLE = (
    S.NEC_RECOMMENDED,
    S.NEC_NOT_RECOMMENDED,
    S.NPC_RATIFIED,
    S.NPC_OVERRULED,
    S.NATIONALLY_ENDORSED,
    S.RESCINDED,
    S.WITHDRAWN,
)


def race_list(*, chapter: Chapter) -> QuerySet[Race]:
    """Return the chapter's races, soonest election first, with how many candidacies each has."""
    return Race.objects.filter(chapter=chapter).annotate(endorsement_count=Count("endorsements"))


def race_get(*, chapter: Chapter, pk: int) -> Race:
    """Return one of the chapter's races, or raise Http404."""
    return get_object_or_404(Race.objects.select_related("chapter"), chapter=chapter, pk=pk)


def candidate_list(*, chapter: Chapter) -> QuerySet[Candidate]:
    """Return the chapter's candidates by name."""
    return Candidate.objects.filter(chapter=chapter).annotate(endorsement_count=Count("endorsements"))


def candidate_get(*, chapter: Chapter, pk: int) -> Candidate:
    """Return one of the chapter's candidates, or raise Http404."""
    return get_object_or_404(Candidate.objects.select_related("chapter"), chapter=chapter, pk=pk)


def endorsement_list(*, chapter: Chapter, status: str | None = None) -> QuerySet[Endorsement]:
    """Return the chapter's endorsements with their race and candidate, soonest election first."""
    endorsements = Endorsement.objects.filter(chapter=chapter).select_related("race", "candidate", "chapter")
    return endorsements.filter(status=status) if status else endorsements


def endorsement_status_counts(*, chapter: Chapter) -> list[tuple[str, float]]:
    """Return how many of the chapter's endorsements stand at each status, in process order, leaving out zeros."""
    counts = dict(Endorsement.objects.filter(chapter=chapter).order_by().values_list("status").annotate(n=Count("pk")))
    return [(str(label), counts[value]) for value, label in S.choices if counts.get(value)]


def endorsement_get(*, chapter: Chapter, pk: int) -> Endorsement:
    """Return one of the chapter's endorsements with what its pages show, or raise Http404."""
    return get_object_or_404(
        Endorsement.objects.select_related("chapter", "race", "candidate", "national_request").prefetch_related(
            Prefetch("timeline", queryset=StatusChange.objects.select_related("actor"))
        ),
        chapter=chapter,
        pk=pk,
    )


def endorsement_get_for_user(
    *, user: User, chapter_slug: str, pk: int, rule: Rule = permissions.VIEW_ENDORSEMENTS
) -> tuple[Membership, Endorsement]:
    """Return the user's membership and one of the chapter's endorsements, or raise Http404."""
    membership = membership_get_for_user(user=user, chapter_slug=chapter_slug, rule=rule)
    return membership, endorsement_get(chapter=membership.chapter, pk=pk)


def questionnaire_template_list(*, chapter: Chapter) -> QuerySet[QuestionnaireTemplate]:
    """Return every version of the chapter's questionnaires, with their questions."""
    return QuestionnaireTemplate.objects.filter(chapter=chapter).prefetch_related("questions")


def questionnaire_template_latest(*, chapter: Chapter) -> QuerySet[QuestionnaireTemplate]:
    """Return the newest version of each of the chapter's questionnaires."""
    newest = (
        QuestionnaireTemplate.objects.filter(chapter=chapter, title=OuterRef("title")).order_by("-version").values("pk")
    )
    return QuestionnaireTemplate.objects.filter(chapter=chapter, pk=Subquery(newest[:1])).prefetch_related("questions")


def questionnaire_template_get(*, chapter: Chapter, pk: int) -> QuestionnaireTemplate:
    """Return one version of the chapter's questionnaires, or raise Http404."""
    return get_object_or_404(QuestionnaireTemplate.objects.prefetch_related("questions"), chapter=chapter, pk=pk)


def questionnaire_list(*, endorsement: Endorsement) -> QuerySet[Questionnaire]:
    """Return the questionnaires sent for an endorsement, newest first, with their answers."""
    return (
        Questionnaire.objects.filter(endorsement=endorsement)
        .select_related("template", "sent_by")
        .prefetch_related("answers__question")
    )


def questionnaire_returned(*, endorsement: Endorsement) -> Questionnaire | None:
    """Return the questionnaire the candidate submitted, with answers, or None."""
    return questionnaire_list(endorsement=endorsement).filter(submitted_at__isnull=False).first()


def questionnaire_get_by_token(*, token: str) -> Questionnaire:
    """Return the questionnaire a link carries, or raise Http404 for a forged one."""
    return get_object_or_404(
        Questionnaire.objects.select_related("endorsement__chapter", "endorsement__race", "endorsement__candidate")
        .select_related("template")
        .prefetch_related("template__questions", "answers"),
        token_digest=token_digest(token),
    )


def dossier_get(*, endorsement: Endorsement) -> Dossier | None:
    """Return the endorsement's dossier with its attachments, or None before any research."""
    return Dossier.objects.filter(endorsement=endorsement).prefetch_related("attachments").first()


def dossier_attachment_get(*, endorsement: Endorsement, pk: int) -> DossierAttachment:
    """Return one of the dossier's attachments, or raise Http404."""
    return get_object_or_404(DossierAttachment, dossier__endorsement=endorsement, pk=pk)


def local_plan_get(*, endorsement: Endorsement) -> LocalPlan | None:
    """Return the endorsement's local plan with its canvassing campaign, or None before it is started."""
    return LocalPlan.objects.filter(endorsement=endorsement).select_related("campaign").first()


def timeline_list(*, endorsement: Endorsement) -> QuerySet[StatusChange]:
    """Return the endorsement's timeline, oldest first."""
    return StatusChange.objects.filter(endorsement=endorsement).select_related("actor")


def vote_current(*, endorsement: Endorsement) -> ChapterVote | None:
    """Return the endorsement's most recent vote, or None."""
    return ChapterVote.objects.filter(endorsement=endorsement).first()


def vote_get(*, endorsement: Endorsement, pk: int) -> ChapterVote:
    """Return one of the endorsement's votes, or raise Http404."""
    return get_object_or_404(ChapterVote.objects.select_related("endorsement__chapter"), endorsement=endorsement, pk=pk)


def campaign_choices(*, chapter: Chapter) -> QuerySet[Campaign]:
    """Return the chapter's canvassing campaigns a local plan may link."""
    return Campaign.objects.filter(chapter=chapter).order_by("name")


def commitment_list(*, endorsement: Endorsement) -> QuerySet[AccountabilityCommitment]:
    """Return the candidate's commitments with their check-ins, newest check-in first."""
    return AccountabilityCommitment.objects.filter(endorsement=endorsement).prefetch_related(
        Prefetch("check_ins", queryset=CommitmentCheckIn.objects.select_related("checked_by"))
    )


def commitment_get(*, endorsement: Endorsement, pk: int) -> AccountabilityCommitment:
    """Return one of the endorsement's commitments, or raise Http404."""
    return get_object_or_404(AccountabilityCommitment, endorsement=endorsement, pk=pk)


def packet_job_get(*, endorsement: Endorsement, pk: int) -> PacketJob:
    """Return one of the endorsement's packet jobs, or raise Http404."""
    return get_object_or_404(PacketJob.objects.select_related("endorsement__chapter"), endorsement=endorsement, pk=pk)


# National.


def national_request_list_for_user(*, user: User, status: str | None = None) -> QuerySet[NationalRequest]:
    """Return the submitted requests the user's national role may see; never a chapter's drafts."""
    require(permissions.NATIONAL_VIEW, user)
    requests = NationalRequest.objects.select_related(
        "endorsement__chapter", "endorsement__race", "endorsement__candidate", "submitted_by"
    ).annotate(
        reviewer_count=Count("assignments", distinct=True),
        recommendation_count=Count("assignments", filter=~Q(assignments__recommendation=""), distinct=True),
    )
    if not permissions.NEC_REVIEW.allows(user):
        requests = requests.filter(endorsement__status__in=NPC_VISIBLE)
    return requests.filter(endorsement__status=status) if status else requests


def national_request_get_for_user(*, user: User, pk: int) -> NationalRequest:
    """Return one submitted request the user's national role may see, with its review, or raise Http404."""
    requests = national_request_list_for_user(user=user).prefetch_related(
        Prefetch("assignments", queryset=NecReviewerAssignment.objects.select_related("reviewer")),
        "nec_comments__author",
        Prefetch("endorsement__timeline", queryset=StatusChange.objects.select_related("actor")),
    )
    return get_object_or_404(requests.select_related("nec_vote", "npc_decision"), pk=pk)


def national_request_status_counts(*, submitted_from: datetime, submitted_before: datetime) -> dict[str, int]:
    """Count national requests submitted in a period by where they stand now; never a chapter's drafts."""
    rows = (
        NationalRequest.objects.filter(submitted_at__gte=submitted_from, submitted_at__lt=submitted_before)
        .values_list("endorsement__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict(rows)
    return {str(label): counts[value] for value, label in S.choices if counts.get(value)}


def nec_reviewer_choices() -> QuerySet[User]:
    """Return the NEC members a co-chair may assign as reviewers."""
    from chapters.models import NationalRole

    return User.objects.filter(
        national_roles__kind__in=[NationalRole.Kind.NEC_MEMBER, NationalRole.Kind.NEC_COCHAIR]
    ).distinct()


# Public.


def public_endorsement_list() -> QuerySet[Endorsement]:
    """Return national endorsements, chapter endorsements marked public, and rescissions of either."""
    was_national = Exists(StatusChange.objects.filter(endorsement=OuterRef("pk"), to_status=S.NATIONALLY_ENDORSED))
    return (
        Endorsement.objects.annotate(was_national=was_national)
        .filter(
            Q(status=S.NATIONALLY_ENDORSED)
            | Q(is_public=True, status__in=workflow.ENDORSED)
            | Q(status=S.RESCINDED) & (Q(is_public=True) | Q(was_national=True))
        )
        .select_related("chapter", "race", "candidate")
        .order_by("race__election_date", "race__office", "candidate__name")
    )
