"""Writes for endorsements: every one validates, owns its transaction and records what it did."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from canvassing.models import Campaign
from chapters.models import Chapter, Membership
from chapters.permissions import IS_NEC_MEMBER
from core.errors import ApplicationError
from core.models import AuditEvent, User
from core.services import audit_record
from endorsements import workflow
from endorsements.models import (
    AccountabilityCommitment,
    Ballot,
    Candidate,
    ChapterVote,
    Comment,
    CommitmentCheckIn,
    Dossier,
    DossierAttachment,
    Endorsement,
    LocalPlan,
    NationalRequest,
    NecComment,
    NecReviewerAssignment,
    NecVote,
    NpcDecision,
    PacketJob,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireQuestion,
    QuestionnaireTemplate,
    Race,
    StatusChange,
    VoteChoice,
)
from endorsements.models import EndorsementStatus as S
from endorsements.models.national import Recommendation

DOSSIER_FIELDS = (
    "district_partisanship",
    "past_results",
    "fundraising",
    "opposition",
    "viability_rating",
    "viability_rationale",
)


def _validated(instance: Any) -> None:
    """Run the model's own validation and turn it into one clear refusal."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error


def token_digest(token: str) -> str:
    """Return the SHA-256 digest under which a questionnaire link is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


# Races and candidates.


@transaction.atomic
def race_save(*, chapter: Chapter, actor: User, race: Race | None = None, **fields: Any) -> Race:
    """Create a race for the chapter, or change one of its races."""
    race = race or Race(chapter=chapter)
    for name, value in fields.items():
        setattr(race, name, value)
    _validated(race)
    created = race.pk is None
    race.save()
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE
    audit_record(actor=actor, action=action, chapter=chapter, target=race)
    return race


@transaction.atomic
def candidate_save(*, chapter: Chapter, actor: User, candidate: Candidate | None = None, **fields: Any) -> Candidate:
    """Create a candidate for the chapter, or change one of its candidates."""
    candidate = candidate or Candidate(chapter=chapter)
    for name, value in fields.items():
        setattr(candidate, name, value)
    _validated(candidate)
    created = candidate.pk is None
    candidate.save()
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE
    audit_record(actor=actor, action=action, chapter=chapter, target=candidate)
    return candidate


# The endorsement itself.


@transaction.atomic
def endorsement_start(*, chapter: Chapter, race: Race, candidate: Candidate, actor: User) -> Endorsement:
    """Open the chapter's consideration of a candidate in a race, as a draft."""
    if race.chapter_id != chapter.pk or candidate.chapter_id != chapter.pk:
        raise ApplicationError("Choose one of your chapter's races and candidates.")
    if Endorsement.objects.filter(chapter=chapter, race=race, candidate=candidate).exists():
        raise ApplicationError(f"{candidate} is already being considered for {race}.")
    endorsement = Endorsement.objects.create(chapter=chapter, race=race, candidate=candidate, created_by=actor)
    StatusChange.objects.create(
        endorsement=endorsement, to_status=S.DRAFT, actor=actor, actor_label=actor.email, reason="Started."
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=chapter, target=endorsement)
    return endorsement


@transaction.atomic
def endorsement_publicity_set(
    *, endorsement: Endorsement, is_public: bool, public_statement: str, actor: User
) -> Endorsement:
    """Choose whether the chapter's endorsement appears on the public page, and what it says."""
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if is_public and endorsement.status not in workflow.ENDORSED:
        raise ApplicationError("Only a candidate the chapter has endorsed can be shown on the public page.")
    endorsement.is_public = is_public
    endorsement.public_statement = public_statement.strip()
    endorsement.save(update_fields=["is_public", "public_statement", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.PUBLISH if is_public else AuditEvent.Action.UPDATE,
        chapter=endorsement.chapter,
        target=endorsement,
        details={"is_public": is_public},
    )
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, endorsement: Endorsement, actor: User, reason: str, expected_version: int) -> Endorsement:
    """Withdraw the endorsement process; any open questionnaire link stops working."""
    if not reason.strip():
        raise ApplicationError("Say why the endorsement is withdrawn; the timeline keeps the reason.")
    endorsement = workflow.transition(
        endorsement=endorsement, action="withdraw", actor=actor, reason=reason, expected_version=expected_version
    )
    Questionnaire.objects.filter(endorsement=endorsement, submitted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return endorsement


@transaction.atomic
def endorsement_research_start(*, endorsement: Endorsement, actor: User, expected_version: int) -> Endorsement:
    """Move to research, skipping the questionnaire only when the chapter's rules allow it."""
    if endorsement.status == S.DRAFT and endorsement.chapter.endorsement_requires_questionnaire:
        raise ApplicationError("Your chapter's rules require the candidate's questionnaire before research.")
    return workflow.transition(
        endorsement=endorsement, action="start_research", actor=actor, expected_version=expected_version
    )


# Questionnaires.


@transaction.atomic
def questionnaire_template_create(
    *, chapter: Chapter, title: str, introduction: str, prompts: list[str], actor: User
) -> QuestionnaireTemplate:
    """Create version 1 of a chapter questionnaire."""
    title = title.strip()
    if QuestionnaireTemplate.objects.filter(chapter=chapter, title__iexact=title).exists():
        raise ApplicationError(f"Your chapter already has a questionnaire called “{title}”. Revise that one instead.")
    return _template_version_create(
        chapter=chapter, title=title, version=1, introduction=introduction, prompts=prompts, actor=actor
    )


@transaction.atomic
def questionnaire_template_revise(
    *, template: QuestionnaireTemplate, introduction: str, prompts: list[str], actor: User
) -> QuestionnaireTemplate:
    """Save changes as the next version; questionnaires already sent keep the version they were sent."""
    Chapter.objects.select_for_update().get(pk=template.chapter_id)
    latest = (
        QuestionnaireTemplate.objects.filter(chapter_id=template.chapter_id, title=template.title)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return _template_version_create(
        chapter=template.chapter,
        title=template.title,
        version=(latest or 0) + 1,
        introduction=introduction,
        prompts=prompts,
        actor=actor,
    )


def _template_version_create(
    *, chapter: Chapter, title: str, version: int, introduction: str, prompts: list[str], actor: User
) -> QuestionnaireTemplate:
    prompts = [p.strip() for p in prompts if p.strip()]
    if not title:
        raise ApplicationError("Give the questionnaire a title.")
    if not prompts:
        raise ApplicationError("Add at least one question.")
    template = QuestionnaireTemplate.objects.create(
        chapter=chapter, title=title, version=version, introduction=introduction.strip(), created_by=actor
    )
    QuestionnaireQuestion.objects.bulk_create(
        QuestionnaireQuestion(template=template, position=position, prompt=prompt)
        for position, prompt in enumerate(prompts, start=1)
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=chapter, target=template)
    return template


def _questionnaire_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("endorsements:public_questionnaire", kwargs={"token": token})


def _questionnaire_email_send(questionnaire: Questionnaire, link: str) -> None:
    chapter = questionnaire.endorsement.chapter
    send_mail(
        subject=f"{chapter.name}: candidate questionnaire",
        message=(
            f"{chapter.name} invites you to answer its candidate questionnaire for "
            f"{questionnaire.endorsement.race}.\n\nOpen this link to answer; you can save a draft and come back. "
            f"It works until {timezone.localtime(questionnaire.expires_at):%B %-d, %Y}.\n\n{link}\n"
        ),
        from_email=None,
        recipient_list=[questionnaire.sent_to],
    )


@transaction.atomic
def questionnaire_send(
    *, endorsement: Endorsement, template: QuestionnaireTemplate, sent_to: str, actor: User, expected_version: int
) -> tuple[Questionnaire, str]:
    """Send the candidate a unique, expiring link; a new link replaces any still open."""
    if template.chapter_id != endorsement.chapter_id:
        raise ApplicationError("Choose one of your chapter's questionnaires.")
    if not sent_to.strip():
        raise ApplicationError("Enter the candidate's email address.")
    if endorsement.status == S.DRAFT:
        endorsement = workflow.transition(
            endorsement=endorsement,
            action="send_questionnaire",
            actor=actor,
            reason=f"Sent “{template}” to {sent_to}.",
            expected_version=expected_version,
        )
    else:
        locked = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
        if locked.version != expected_version:
            raise ApplicationError("Someone else changed this endorsement. Reload the page and try again.")
        if locked.status != S.QUESTIONNAIRE_SENT:
            raise ApplicationError(
                f"A questionnaire can only be sent to a draft, or sent again while waiting for answers; "
                f"this endorsement is {locked.get_status_display().lower()}."
            )
        endorsement = locked
    Questionnaire.objects.filter(endorsement=endorsement, submitted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    questionnaire = Questionnaire(
        endorsement=endorsement,
        template=template,
        token_digest=token_digest(token),
        sent_to=sent_to.strip(),
        sent_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.ENDORSEMENTS_QUESTIONNAIRE_LINK_DAYS),
    )
    _validated(questionnaire)
    questionnaire.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        chapter=endorsement.chapter,
        target=questionnaire,
        target_label=f"Questionnaire to {questionnaire.sent_to}",
    )
    link = _questionnaire_link(token)
    transaction.on_commit(lambda: _questionnaire_email_send(questionnaire, link))
    return questionnaire, link


QUESTIONNAIRE_CLOSED_MESSAGES: dict[str, str] = {
    Questionnaire.Status.SUBMITTED: "These answers were already submitted, so they can no longer be changed. "
    "Thank you. If you need to correct something, contact the chapter.",
    Questionnaire.Status.EXPIRED: "This questionnaire link has expired. Ask the chapter to send you a new one.",
    Questionnaire.Status.REVOKED: "This questionnaire link is no longer in use: the chapter replaced or withdrew it. "
    "Use the newest link the chapter sent you.",
}


@transaction.atomic
def questionnaire_answers_save(*, questionnaire: Questionnaire, answers: dict[int, str], submit: bool) -> Questionnaire:
    """Save the candidate's answers as a draft, or submit them, which locks them."""
    questionnaire = (
        Questionnaire.objects.select_for_update()
        .select_related("endorsement__candidate", "endorsement__chapter")
        .get(pk=questionnaire.pk)
    )
    status = questionnaire.status
    if status != Questionnaire.Status.OPEN:
        raise ApplicationError(QUESTIONNAIRE_CLOSED_MESSAGES[status])
    question_ids = set(questionnaire.template.questions.values_list("pk", flat=True))
    unknown = set(answers) - question_ids
    if unknown:
        raise ApplicationError("Some answers do not belong to this questionnaire. Reload the page and try again.")
    for question_id in question_ids:
        QuestionnaireAnswer.objects.update_or_create(
            questionnaire=questionnaire,
            question_id=question_id,
            defaults={"text": answers.get(question_id, "").strip()},
        )
    now = timezone.now()
    questionnaire.draft_saved_at = now
    fields = ["draft_saved_at"]
    if submit:
        blank = sum(1 for question_id in question_ids if not answers.get(question_id, "").strip())
        if blank:
            raise ApplicationError(
                f"Answer every question before submitting ({blank} still blank). Your draft was not submitted."
            )
        questionnaire.submitted_at = now
        fields.append("submitted_at")
        workflow.transition(
            endorsement=questionnaire.endorsement,
            action="return_questionnaire",
            actor=None,
            actor_label=f"{questionnaire.endorsement.candidate} (questionnaire link)",
            reason="The candidate submitted the questionnaire.",
        )
    questionnaire.save(update_fields=fields)
    return questionnaire


# Research, discussion and the local plan.


@transaction.atomic
def dossier_update(*, endorsement: Endorsement, actor: User, **fields: Any) -> Dossier:
    """Save the chapter's research on the candidate's viability."""
    if endorsement.status in (S.WITHDRAWN, S.RESCINDED, S.DECLINED):
        raise ApplicationError(f"This endorsement is {endorsement.get_status_display().lower()}; research is closed.")
    dossier, _ = Dossier.objects.select_for_update().get_or_create(endorsement=endorsement)
    for name in DOSSIER_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(dossier, name, value.strip() if isinstance(value, str) else value)
    dossier.updated_by = actor
    _validated(dossier)
    dossier.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, chapter=endorsement.chapter, target=dossier)
    return dossier


@transaction.atomic
def dossier_attachment_add(
    *, endorsement: Endorsement, title: str, upload: UploadedFile, actor: User
) -> DossierAttachment:
    """Attach a file to the dossier, refusing oversized or unexpected files."""
    limit = settings.ENDORSEMENTS_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ApplicationError(f"Attachments can be at most {limit // (1024 * 1024)} MB; this file is larger.")
    if not title.strip():
        raise ApplicationError("Give the attachment a title.")
    dossier, _ = Dossier.objects.get_or_create(endorsement=endorsement)
    attachment = DossierAttachment(dossier=dossier, title=title.strip(), file=upload, uploaded_by=actor)
    _validated(attachment)
    attachment.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=endorsement.chapter, target=attachment)
    return attachment


@transaction.atomic
def comment_add(*, endorsement: Endorsement, author: User, body: str) -> Comment:
    """Add a working-group member's comment to the internal discussion."""
    if not body.strip():
        raise ApplicationError("Write something before posting.")
    return Comment.objects.create(endorsement=endorsement, author=author, body=body.strip())


@transaction.atomic
def local_plan_update(
    *, endorsement: Endorsement, actor: User, campaign: Campaign | None = None, **sections: Any
) -> LocalPlan:
    """Save the local plan: how a win builds the chapter."""
    if campaign is not None and campaign.chapter_id != endorsement.chapter_id:
        raise ApplicationError("Choose one of your chapter's canvassing campaigns.")
    if endorsement.status in (S.WITHDRAWN, S.RESCINDED, S.DECLINED):
        raise ApplicationError(f"This endorsement is {endorsement.get_status_display().lower()}; its plan is closed.")
    plan, _ = LocalPlan.objects.select_for_update().get_or_create(endorsement=endorsement)
    for name in LocalPlan.SECTIONS:
        if name in sections:
            setattr(plan, name, sections[name].strip())
    plan.campaign = campaign
    plan.updated_by = actor
    plan.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, chapter=endorsement.chapter, target=plan)
    return plan


# The chapter vote.


def vote_tally(vote: ChapterVote) -> workflow.Tally:
    """Return the vote's counts judged against the threshold and quorum it opened with."""
    if vote.method == ChapterVote.Method.BALLOTS:
        counts = dict.fromkeys(VoteChoice.values, 0)
        for choice in vote.ballots.values_list("choice", flat=True):
            counts[choice] += 1
        yes, no, abstain = counts[VoteChoice.YES], counts[VoteChoice.NO], counts[VoteChoice.ABSTAIN]
    else:
        yes, no, abstain = vote.yes_count, vote.no_count, vote.abstain_count
    return workflow.Tally(yes, no, abstain, vote.threshold_percent, vote.quorum)


@transaction.atomic
def vote_open(
    *, endorsement: Endorsement, method: str, actor: User, expected_version: int, kind: str = ChapterVote.Kind.ENDORSE
) -> ChapterVote:
    """Open a chapter vote to endorse, or to rescind, under the chapter's current rules."""
    if method not in ChapterVote.Method.values:
        raise ApplicationError("Choose how the vote is recorded: counts from a meeting, or one ballot per member.")
    chapter = endorsement.chapter
    if ChapterVote.objects.filter(endorsement=endorsement, closed_at__isnull=True).exists():
        raise ApplicationError("A vote is already open on this endorsement. Close it first.")
    if kind == ChapterVote.Kind.ENDORSE:
        if (
            chapter.endorsement_requires_questionnaire
            and not endorsement.questionnaires.filter(submitted_at__isnull=False).exists()
        ):
            raise ApplicationError(
                "Your chapter's rules require the candidate's returned questionnaire before the vote."
            )
        if chapter.endorsement_requires_research:
            dossier = Dossier.objects.filter(endorsement=endorsement).first()
            if dossier is None or not dossier.is_complete:
                raise ApplicationError(
                    "Your chapter's rules require a complete research dossier before the vote: partisanship, "
                    "fundraising, opposition, and a viability rating with its rationale."
                )
        workflow.transition(endorsement=endorsement, action="open_vote", actor=actor, expected_version=expected_version)
    else:
        locked = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
        if locked.version != expected_version:
            raise ApplicationError("Someone else changed this endorsement. Reload the page and try again.")
        if locked.status not in workflow.ENDORSED:
            raise ApplicationError("Only an endorsement the chapter has made can be rescinded.")
    vote = ChapterVote.objects.create(
        endorsement=endorsement,
        kind=kind,
        method=method,
        threshold_percent=chapter.endorsement_threshold_percent,
        quorum=chapter.endorsement_quorum,
        opened_by=actor,
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=chapter, target=vote)
    return vote


def _open_vote_locked(vote: ChapterVote) -> ChapterVote:
    locked = ChapterVote.objects.select_for_update().select_related("endorsement__chapter").get(pk=vote.pk)
    if not locked.is_open:
        raise ApplicationError("This vote is closed.")
    return locked


@transaction.atomic
def ballot_cast(*, vote: ChapterVote, member: Membership, choice: str) -> Ballot:
    """Cast a member's one ballot."""
    if choice not in VoteChoice.values:
        raise ApplicationError("Choose yes, no or abstain.")
    vote = _open_vote_locked(vote)
    if vote.method != ChapterVote.Method.BALLOTS:
        raise ApplicationError("This vote is recorded as counts from a meeting, not as ballots.")
    if member.chapter_id != vote.endorsement.chapter_id:
        raise ApplicationError("Only members of the chapter can vote.")
    if Ballot.objects.filter(vote=vote, member=member).exists():
        raise ApplicationError("You have already voted. One member has one ballot.")
    try:
        with transaction.atomic():
            return Ballot.objects.create(vote=vote, member=member, choice=choice)
    except IntegrityError as error:
        raise ApplicationError("You have already voted. One member has one ballot.") from error


@transaction.atomic
def vote_counts_record(*, vote: ChapterVote, yes: int, no: int, abstain: int, actor: User) -> ChapterVote:
    """Record the counts from a meeting's vote."""
    vote = _open_vote_locked(vote)
    if vote.method != ChapterVote.Method.COUNTS:
        raise ApplicationError("This vote takes one ballot per member; counts cannot be entered.")
    if min(yes, no, abstain) < 0:
        raise ApplicationError("Counts cannot be negative.")
    vote.yes_count, vote.no_count, vote.abstain_count = yes, no, abstain
    vote.save(update_fields=["yes_count", "no_count", "abstain_count"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        chapter=vote.endorsement.chapter,
        target=vote,
        details={"yes": yes, "no": no, "abstain": abstain},
    )
    return vote


@transaction.atomic
def vote_close(
    *, vote: ChapterVote, actor: User, expected_version: int, public_note: str = ""
) -> tuple[ChapterVote, workflow.Tally]:
    """Close the vote and apply its result; without quorum the vote stays open."""
    vote = _open_vote_locked(vote)
    tally = vote_tally(vote)
    if not tally.quorum_met:
        raise ApplicationError(
            f"The quorum is {tally.quorum} ballots and only {tally.ballots} were cast. "
            "The vote stays open until quorum is reached."
        )
    endorsement = vote.endorsement
    summary = f"{tally.yes} yes, {tally.no} no, {tally.abstain} abstaining; {tally.threshold_percent}% needed."
    if vote.kind == ChapterVote.Kind.RESCIND:
        if tally.passed and not public_note.strip():
            raise ApplicationError("Write the public note that explains why the endorsement is rescinded.")
        if tally.passed:
            workflow.transition(
                endorsement=endorsement,
                action="rescind",
                actor=actor,
                reason=f"Rescind vote passed: {summary}",
                expected_version=expected_version,
            )
            Endorsement.objects.filter(pk=endorsement.pk).update(public_note=public_note.strip())
    else:
        workflow.transition(
            endorsement=endorsement,
            action="endorse_locally" if tally.passed else "decline",
            actor=actor,
            reason=f"Chapter vote {'passed' if tally.passed else 'failed'}: {summary}",
            expected_version=expected_version,
        )
    if vote.method == ChapterVote.Method.BALLOTS:
        vote.yes_count, vote.no_count, vote.abstain_count = tally.yes, tally.no, tally.abstain
    vote.result = tally.result
    vote.closed_at = timezone.now()
    vote.save(update_fields=["yes_count", "no_count", "abstain_count", "result", "closed_at"])
    return vote, tally


# The national request.


def national_request_blockers(endorsement: Endorsement) -> list[str]:
    """Return what still stands between the chapter and a national request; empty when it may submit."""
    blockers = []
    if endorsement.status != S.ENDORSED_LOCALLY:
        blockers.append("The chapter must endorse the candidate locally first.")
    plan = LocalPlan.objects.filter(endorsement=endorsement).first()
    if plan is None:
        blockers.append("Write the local plan: every section must be filled in.")
    elif not plan.is_complete:
        blockers.append(f"Finish the local plan: {', '.join(plan.missing_sections)}.")
    dossier = Dossier.objects.filter(endorsement=endorsement).first()
    if dossier is None or not dossier.viability_rationale.strip():
        blockers.append("Fill in the viability rationale in the dossier: the candidate's credible path to victory.")
    return blockers


def national_request_late_warning(endorsement: Endorsement, *, today: date | None = None) -> str:
    """Return a warning when a request filed today would miss the national deadline, else an empty string."""
    election = endorsement.race.election_date
    if not workflow.national_request_is_late(election, today=today):
        return ""
    deadline = workflow.national_deadline(election)
    return (
        f"National asks for requests {settings.ENDORSEMENTS_NATIONAL_DEADLINE_WEEKS} weeks before the election; "
        f"the deadline for this race was {deadline:%B %-d, %Y}. The NEC may not be able to review it in time."
    )


@transaction.atomic
def national_request_submit(
    *, endorsement: Endorsement, local_request: str, actor: User, expected_version: int
) -> NationalRequest:
    """Ask national to endorse; only a local endorsement with a complete plan and a viability rationale may ask."""
    Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    endorsement.refresh_from_db()
    blockers = national_request_blockers(endorsement)
    if blockers:
        raise ApplicationError(" ".join(blockers))
    if not local_request.strip():
        raise ApplicationError(
            "Say what the chapter asks of national: the first question is always what the local wants."
        )
    late = bool(national_request_late_warning(endorsement))
    workflow.transition(
        endorsement=endorsement,
        action="submit_national",
        actor=actor,
        reason="Submitted late, after the national deadline." if late else "",
        expected_version=expected_version,
    )
    return NationalRequest.objects.create(
        endorsement=endorsement,
        local_request=local_request.strip(),
        submitted_by=actor,
        deadline=workflow.national_deadline(endorsement.race.election_date),
        is_late=late,
    )


# NEC review.


@transaction.atomic
def nec_reviewers_assign(
    *, national_request: NationalRequest, reviewers: list[User], actor: User
) -> list[NecReviewerAssignment]:
    """Assign NEC reviewers to a request; the first assignment opens the NEC review."""
    if not reviewers:
        raise ApplicationError("Choose at least one NEC member to review.")
    not_nec = [r.email for r in reviewers if not IS_NEC_MEMBER.allows(r)]
    if not_nec:
        raise ApplicationError(f"Only NEC members can review: {', '.join(not_nec)} is not on the NEC.")
    endorsement = national_request.endorsement
    if endorsement.status == S.NATIONAL_REQUESTED:
        workflow.transition(
            endorsement=endorsement,
            action="begin_nec_review",
            actor=actor,
            reason="Reviewers assigned: " + ", ".join(r.email for r in reviewers),
        )
    elif endorsement.status != S.NEC_REVIEW:
        raise ApplicationError(
            f"Reviewers can only be assigned while the request awaits review; it is "
            f"{endorsement.get_status_display().lower()}."
        )
    assignments = []
    for reviewer in reviewers:
        assignment, _ = NecReviewerAssignment.objects.get_or_create(
            national_request=national_request, reviewer=reviewer, defaults={"assigned_by": actor}
        )
        assignments.append(assignment)
    return assignments


@transaction.atomic
def nec_comment_add(*, national_request: NationalRequest, author: User, body: str) -> NecComment:
    """Add a reviewer's comment to the NEC's discussion of a request."""
    if not body.strip():
        raise ApplicationError("Write something before posting.")
    return NecComment.objects.create(national_request=national_request, author=author, body=body.strip())


@transaction.atomic
def nec_recommendation_record(
    *, national_request: NationalRequest, reviewer: User, recommendation: str, rationale: str
) -> NecReviewerAssignment:
    """Record an assigned reviewer's recommendation."""
    if recommendation not in Recommendation.values:
        raise ApplicationError("Choose to recommend or not to recommend.")
    if not rationale.strip():
        raise ApplicationError("Give the reasons for your recommendation.")
    assignment = (
        NecReviewerAssignment.objects.select_for_update()
        .filter(national_request=national_request, reviewer=reviewer)
        .first()
    )
    if assignment is None:
        raise ApplicationError("Only reviewers a co-chair assigned to this request can recommend.")
    if national_request.endorsement.status != S.NEC_REVIEW:
        raise ApplicationError("The NEC review of this request is over.")
    assignment.recommendation = recommendation
    assignment.rationale = rationale.strip()
    assignment.recommended_at = timezone.now()
    assignment.save(update_fields=["recommendation", "rationale", "recommended_at"])
    return assignment


@transaction.atomic
def nec_vote_record(
    *, national_request: NationalRequest, yes: int, no: int, abstain: int, note: str, actor: User, expected_version: int
) -> NecVote:
    """Record the NEC's vote; a majority of those voting yes or no recommends."""
    if min(yes, no, abstain) < 0 or yes + no == 0:
        raise ApplicationError("Enter the NEC's yes and no votes; at least one must be cast.")
    recommendation = Recommendation.RECOMMEND if yes > no else Recommendation.DO_NOT_RECOMMEND
    workflow.transition(
        endorsement=national_request.endorsement,
        action="nec_recommend" if recommendation == Recommendation.RECOMMEND else "nec_not_recommend",
        actor=actor,
        reason=f"NEC vote: {yes} yes, {no} no, {abstain} abstaining. {note}".strip(),
        expected_version=expected_version,
    )
    return NecVote.objects.create(
        national_request=national_request,
        yes_count=yes,
        no_count=no,
        abstain_count=abstain,
        recommendation=recommendation,
        note=note.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def npc_decision_record(
    *,
    national_request: NationalRequest,
    decision: str,
    actor: User,
    expected_version: int,
    note: str = "",
    yes: int | None = None,
    no: int | None = None,
    abstain: int | None = None,
) -> NpcDecision:
    """Ratify the NEC's decision, or overrule it by a recorded full NPC vote; endorse nationally when that follows."""
    if decision not in NpcDecision.Decision.values:
        raise ApplicationError("Choose to ratify or to overrule the NEC's decision.")
    overrule = decision == NpcDecision.Decision.OVERRULE
    if overrule:
        if yes is None or no is None or abstain is None or min(yes, no, abstain) < 0:
            raise ApplicationError("An overrule is a full NPC vote: record the yes, no and abstaining votes.")
        if yes <= no:
            raise ApplicationError(f"The overrule did not carry ({yes} yes, {no} no); the NEC's decision stands.")
    recommended = national_request.endorsement.status == S.NEC_RECOMMENDED
    votes = f" NPC vote: {yes} yes, {no} no, {abstain} abstaining." if overrule else ""
    endorsement = workflow.transition(
        endorsement=national_request.endorsement,
        action="npc_overrule" if overrule else "npc_ratify",
        actor=actor,
        reason=(note.strip() + votes).strip(),
        expected_version=expected_version,
    )
    npc_decision = NpcDecision.objects.create(
        national_request=national_request,
        decision=decision,
        yes_count=yes if overrule else None,
        no_count=no if overrule else None,
        abstain_count=abstain if overrule else None,
        note=note.strip(),
        recorded_by=actor,
    )
    if recommended != overrule:  # ratifying a recommendation, or overruling a refusal
        workflow.transition(
            endorsement=endorsement, action="endorse_nationally", actor=actor, reason="Following the NPC's decision."
        )
    return npc_decision


# Accountability after the election.


@transaction.atomic
def commitment_add(
    *, endorsement: Endorsement, preset: str, actor: User, title: str = "", description: str = ""
) -> AccountabilityCommitment:
    """Record a commitment the candidate made: one of the presets, or the chapter's own."""
    if preset not in AccountabilityCommitment.Preset.values:
        raise ApplicationError("Choose one of the commitments, or the chapter's own.")
    if preset == AccountabilityCommitment.Preset.CUSTOM and not title.strip():
        raise ApplicationError("Give the chapter's own commitment a title.")
    title = title.strip() or str(AccountabilityCommitment.Preset(preset).label)
    if AccountabilityCommitment.objects.filter(endorsement=endorsement, title__iexact=title).exists():
        raise ApplicationError(f"“{title}” is already one of this candidate's commitments.")
    commitment = AccountabilityCommitment.objects.create(
        endorsement=endorsement, preset=preset, title=title, description=description.strip(), created_by=actor
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=endorsement.chapter, target=commitment)
    return commitment


@transaction.atomic
def commitment_check_in(
    *, commitment: AccountabilityCommitment, status: str, notes: str, checked_on: date, actor: User
) -> CommitmentCheckIn:
    """Record whether a commitment is being kept, at risk, or broken."""
    if status not in CommitmentCheckIn.Status.values:
        raise ApplicationError("Choose kept, at risk or broken.")
    if checked_on > timezone.localdate():
        raise ApplicationError("A check-in cannot be dated in the future.")
    return CommitmentCheckIn.objects.create(
        commitment=commitment, status=status, notes=notes.strip(), checked_on=checked_on, checked_by=actor
    )


# The reviewers' packet and files leaving the app.


def file_download_record(*, endorsement: Endorsement, actor: User, target: DossierAttachment | PacketJob) -> None:
    """Record in the chapter's audit trail that someone downloaded an attachment or a packet."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        chapter=endorsement.chapter,
        target=target,
        details={"endorsement": endorsement.pk},
    )


@transaction.atomic
def packet_job_start(*, endorsement: Endorsement, actor: User) -> PacketJob:
    """Queue the packet PDF for rendering by a Celery task."""
    from endorsements.tasks import packet_render_task

    job = PacketJob.objects.create(endorsement=endorsement, created_by=actor)
    transaction.on_commit(lambda: packet_render_task.delay(job.pk))
    return job
