"""The chapter's process and the national review, through the services the pages and API call."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.http import Http404
from django.utils import timezone

from core.errors import ApplicationError
from endorsements import selectors, services
from endorsements.models import (
    ChapterVote,
    Endorsement,
    LocalPlan,
    NationalRequest,
    Questionnaire,
    QuestionnaireAnswer,
    StatusChange,
    VoteChoice,
)
from endorsements.models import EndorsementStatus as S
from tests.endorsements.factories import (
    EndorsementFactory,
    QuestionnaireTemplateFactory,
    RaceFactory,
    endorsement_endorsed_locally,
    endorsement_submitted_nationally,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _send(endorsement: Endorsement, actor) -> tuple[Questionnaire, str]:
    template = QuestionnaireTemplateFactory.create(chapter=endorsement.chapter)
    questionnaire, link = services.questionnaire_send(
        endorsement=endorsement, template=template, sent_to="cand@example.org", actor=actor, expected_version=1
    )
    return questionnaire, link.rstrip("/").rsplit("/", 1)[-1]


def _answers(questionnaire: Questionnaire, text: str = "Yes, fully.") -> dict[int, str]:
    return {q.pk: text for q in questionnaire.template.questions.all()}


# Questionnaire links.


def test_sending_a_questionnaire_emails_a_unique_link_and_moves_the_status(
    chapter, organizer, django_capture_on_commit_callbacks
):
    endorsement = EndorsementFactory.create(chapter=chapter)
    with django_capture_on_commit_callbacks(execute=True):
        questionnaire, token = _send(endorsement, organizer.user)
    endorsement.refresh_from_db()
    assert endorsement.status == S.QUESTIONNAIRE_SENT
    assert selectors.questionnaire_get_by_token(token=token) == questionnaire
    assert token not in questionnaire.token_digest
    assert mail.outbox[0].to == ["cand@example.org"]
    assert f"/public/questionnaire/{token}/" in mail.outbox[0].body


def test_a_candidate_saves_a_draft_then_submits_which_locks_the_answers(chapter, organizer):
    endorsement = EndorsementFactory.create(chapter=chapter)
    questionnaire, _ = _send(endorsement, organizer.user)
    first, second = questionnaire.template.questions.all()
    services.questionnaire_answers_save(questionnaire=questionnaire, answers={first.pk: "Draft"}, submit=False)
    assert QuestionnaireAnswer.objects.get(question=first).text == "Draft"
    endorsement.refresh_from_db()
    assert endorsement.status == S.QUESTIONNAIRE_SENT

    with pytest.raises(ApplicationError, match=r"Answer every question before submitting \(1 still blank\)"):
        services.questionnaire_answers_save(questionnaire=questionnaire, answers={first.pk: "Final"}, submit=True)
    assert QuestionnaireAnswer.objects.get(question=first).text == "Draft"  # the refusal changed nothing

    services.questionnaire_answers_save(questionnaire=questionnaire, answers=_answers(questionnaire), submit=True)
    endorsement.refresh_from_db()
    assert endorsement.status == S.QUESTIONNAIRE_RETURNED
    change = endorsement.timeline.last()
    assert change is not None
    assert change.actor is None
    assert change.actor_label == f"{endorsement.candidate} (questionnaire link)"

    with pytest.raises(ApplicationError, match="already submitted"):
        services.questionnaire_answers_save(questionnaire=questionnaire, answers={second.pk: "Changed"}, submit=False)
    assert QuestionnaireAnswer.objects.get(question=second).text == "Yes, fully."


def test_an_expired_link_is_refused_and_changes_nothing(chapter, organizer):
    endorsement = EndorsementFactory.create(chapter=chapter)
    questionnaire, _ = _send(endorsement, organizer.user)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ApplicationError, match="expired"):
        services.questionnaire_answers_save(questionnaire=questionnaire, answers=_answers(questionnaire), submit=True)
    assert not QuestionnaireAnswer.objects.exists()


def test_a_resent_link_replaces_the_old_one(chapter, organizer):
    endorsement = EndorsementFactory.create(chapter=chapter)
    old, _ = _send(endorsement, organizer.user)
    endorsement.refresh_from_db()
    new, _ = services.questionnaire_send(
        endorsement=endorsement,
        template=old.template,
        sent_to="cand@example.org",
        actor=organizer.user,
        expected_version=endorsement.version,
    )
    old.refresh_from_db()
    assert (old.status, new.status) == (Questionnaire.Status.REVOKED, Questionnaire.Status.OPEN)
    with pytest.raises(ApplicationError, match="no longer in use"):
        services.questionnaire_answers_save(questionnaire=old, answers={}, submit=False)


def test_a_forged_link_is_not_found(chapter):
    with pytest.raises(Http404):
        selectors.questionnaire_get_by_token(token="not-a-real-token")


def test_answers_to_another_questionnaires_questions_are_refused(chapter, organizer):
    endorsement = EndorsementFactory.create(chapter=chapter)
    questionnaire, _ = _send(endorsement, organizer.user)
    other = QuestionnaireTemplateFactory.create(chapter=chapter).questions.first()
    assert other is not None
    with pytest.raises(ApplicationError, match="do not belong"):
        services.questionnaire_answers_save(questionnaire=questionnaire, answers={other.pk: "x"}, submit=False)
    assert not QuestionnaireAnswer.objects.exists()


def test_withdrawing_closes_an_open_link(chapter, organizer):
    endorsement = EndorsementFactory.create(chapter=chapter)
    questionnaire, _ = _send(endorsement, organizer.user)
    services.endorsement_withdraw(
        endorsement=endorsement, actor=organizer.user, reason="Dropped out", expected_version=2
    )
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.REVOKED


def test_revising_a_questionnaire_makes_the_next_version(chapter, organizer):
    v1 = services.questionnaire_template_create(
        chapter=chapter, title="2026 council", introduction="", prompts=["One?"], actor=organizer.user
    )
    v2 = services.questionnaire_template_revise(
        template=v1, introduction="", prompts=["One?", "Two?"], actor=organizer.user
    )
    assert (v1.version, v2.version, v2.title, v2.questions.count()) == (1, 2, "2026 council", 2)
    assert list(selectors.questionnaire_template_latest(chapter=chapter)) == [v2]
    with pytest.raises(ApplicationError, match="already has a questionnaire"):
        services.questionnaire_template_create(
            chapter=chapter, title="2026 Council", introduction="", prompts=["x"], actor=organizer.user
        )


# The chapter's rules and the vote.


def test_the_vote_waits_for_the_questionnaire_and_research_the_chapter_requires(chapter, organizer):
    endorsement = EndorsementFactory.create(chapter=chapter)
    with pytest.raises(ApplicationError, match="questionnaire before research"):
        services.endorsement_research_start(endorsement=endorsement, actor=organizer.user, expected_version=1)
    with pytest.raises(ApplicationError, match="returned questionnaire before the vote"):
        services.vote_open(endorsement=endorsement, method="counts", actor=organizer.user, expected_version=1)
    chapter.endorsement_requires_questionnaire = False
    chapter.save()
    endorsement.refresh_from_db()
    with pytest.raises(ApplicationError, match="complete research dossier"):
        services.vote_open(endorsement=endorsement, method="counts", actor=organizer.user, expected_version=1)
    chapter.endorsement_requires_research = False
    chapter.save()
    endorsement.refresh_from_db()
    vote = services.vote_open(endorsement=endorsement, method="counts", actor=organizer.user, expected_version=1)
    assert (vote.threshold_percent, vote.quorum) == (60, 5)
    assert Endorsement.objects.get(pk=endorsement.pk).status == S.CHAPTER_VOTE


def _open_ballot_vote(chapter, organizer, **rules) -> tuple[Endorsement, ChapterVote]:
    for name, value in {
        "endorsement_requires_questionnaire": False,
        "endorsement_requires_research": False,
        **rules,
    }.items():
        setattr(chapter, name, value)
    chapter.save()
    endorsement = EndorsementFactory.create(chapter=chapter)
    vote = services.vote_open(endorsement=endorsement, method="ballots", actor=organizer.user, expected_version=1)
    endorsement.refresh_from_db()
    return endorsement, vote


def test_ballots_one_per_member_decide_the_vote(chapter, organizer):
    endorsement, vote = _open_ballot_vote(chapter, organizer, endorsement_quorum=3, endorsement_threshold_percent=60)
    members = [MembershipFactory.create(chapter=chapter) for _ in range(3)]
    services.ballot_cast(vote=vote, member=members[0], choice=VoteChoice.YES)
    with pytest.raises(ApplicationError, match="already voted"):
        services.ballot_cast(vote=vote, member=members[0], choice=VoteChoice.NO)
    services.ballot_cast(vote=vote, member=members[1], choice=VoteChoice.YES)
    with pytest.raises(ApplicationError, match="quorum is 3 ballots and only 2 were cast"):
        services.vote_close(vote=vote, actor=organizer.user, expected_version=endorsement.version)
    services.ballot_cast(vote=vote, member=members[2], choice=VoteChoice.NO)
    vote, _tally = services.vote_close(vote=vote, actor=organizer.user, expected_version=endorsement.version)
    assert (vote.yes_count, vote.no_count, vote.result) == (2, 1, ChapterVote.Result.PASSED)
    endorsement.refresh_from_db()
    assert endorsement.status == S.ENDORSED_LOCALLY
    assert "2 yes, 1 no, 0 abstaining; 60% needed" in endorsement.timeline.last().reason  # type: ignore[union-attr]
    with pytest.raises(ApplicationError, match="This vote is closed"):
        services.ballot_cast(vote=vote, member=organizer, choice=VoteChoice.YES)


def test_a_member_of_another_chapter_cannot_cast_a_ballot(chapter, organizer, outsider):
    _, vote = _open_ballot_vote(chapter, organizer)
    with pytest.raises(ApplicationError, match="Only members of the chapter"):
        services.ballot_cast(vote=vote, member=outsider, choice=VoteChoice.YES)


def test_a_failed_vote_declines(chapter, organizer):
    endorsement, vote = _open_ballot_vote(chapter, organizer)
    vote.method = ChapterVote.Method.COUNTS
    vote.save()
    services.vote_counts_record(vote=vote, yes=4, no=4, abstain=0, actor=organizer.user)
    services.vote_close(vote=vote, actor=organizer.user, expected_version=endorsement.version)
    endorsement.refresh_from_db()
    assert endorsement.status == S.DECLINED


def test_rescinding_needs_a_passed_vote_and_a_public_note(chapter, organizer):
    endorsement = endorsement_endorsed_locally(chapter, organizer.user)
    vote = services.vote_open(
        endorsement=endorsement,
        method="counts",
        kind="rescind",
        actor=organizer.user,
        expected_version=endorsement.version,
    )
    services.vote_counts_record(vote=vote, yes=9, no=1, abstain=0, actor=organizer.user)
    with pytest.raises(ApplicationError, match="public note"):
        services.vote_close(vote=vote, actor=organizer.user, expected_version=endorsement.version)
    services.vote_close(
        vote=vote, actor=organizer.user, expected_version=endorsement.version, public_note="Broke the pledge."
    )
    endorsement.refresh_from_db()
    assert (endorsement.status, endorsement.public_note) == (S.RESCINDED, "Broke the pledge.")


# The national request.


def test_the_national_request_waits_for_local_endorsement_plan_and_rationale(chapter, organizer):
    endorsement = EndorsementFactory.create(chapter=chapter)
    blockers = services.national_request_blockers(endorsement)
    assert len(blockers) == 3
    endorsement = endorsement_endorsed_locally(chapter, organizer.user)
    LocalPlan.objects.filter(endorsement=endorsement).update(messaging_plan="")
    with pytest.raises(ApplicationError, match="Finish the local plan: independent messaging"):
        services.national_request_submit(
            endorsement=endorsement,
            local_request="Endorse us",
            actor=organizer.user,
            expected_version=endorsement.version,
        )
    assert not NationalRequest.objects.exists()
    services.local_plan_update(endorsement=endorsement, actor=organizer.user, messaging_plan="Our own scripts.")
    request = services.national_request_submit(
        endorsement=endorsement, local_request="Endorse us", actor=organizer.user, expected_version=endorsement.version
    )
    endorsement.refresh_from_db()
    assert endorsement.status == S.NATIONAL_REQUESTED
    assert not request.is_late


def test_a_late_request_is_warned_about_and_flagged(chapter, organizer, settings):
    settings.ENDORSEMENTS_NATIONAL_DEADLINE_WEEKS = 10
    race = RaceFactory.create(chapter=chapter, election_date=timezone.localdate() + datetime.timedelta(weeks=4))
    endorsement = endorsement_endorsed_locally(chapter, organizer.user, race=race)
    assert "10 weeks before the election" in services.national_request_late_warning(endorsement)
    request = services.national_request_submit(
        endorsement=endorsement, local_request="Endorse us", actor=organizer.user, expected_version=endorsement.version
    )
    assert request.is_late
    assert request.deadline == race.election_date - datetime.timedelta(weeks=10)


def test_a_local_plan_cannot_link_another_chapters_campaign(chapter, other_chapter, organizer):
    from canvassing.models import Campaign

    campaign = Campaign.objects.create(chapter=other_chapter, name="Theirs", kind=Campaign.Kind.CANDIDATE)
    endorsement = EndorsementFactory.create(chapter=chapter)
    with pytest.raises(ApplicationError, match="your chapter's canvassing campaigns"):
        services.local_plan_update(endorsement=endorsement, actor=organizer.user, campaign=campaign)


# NEC review and NPC decision.


def test_nec_review_to_npc_ratification_endorses_nationally(chapter, organizer, nec_cochair, nec_member, npc_member):
    endorsement = endorsement_submitted_nationally(chapter, organizer.user)
    request = endorsement.national_request
    services.nec_reviewers_assign(national_request=request, reviewers=[nec_member], actor=nec_cochair)
    endorsement.refresh_from_db()
    assert endorsement.status == S.NEC_REVIEW
    with pytest.raises(ApplicationError, match="Only reviewers a co-chair assigned"):
        services.nec_recommendation_record(
            national_request=request, reviewer=nec_cochair, recommendation="recommend", rationale="Good"
        )
    services.nec_comment_add(national_request=request, author=nec_member, body="The plan is strong.")
    services.nec_recommendation_record(
        national_request=request, reviewer=nec_member, recommendation="recommend", rationale="Credible path."
    )
    services.nec_vote_record(
        national_request=request,
        yes=7,
        no=2,
        abstain=1,
        note="",
        actor=nec_cochair,
        expected_version=endorsement.version,
    )
    endorsement.refresh_from_db()
    assert endorsement.status == S.NEC_RECOMMENDED
    services.npc_decision_record(
        national_request=request, decision="ratify", actor=npc_member, expected_version=endorsement.version
    )
    endorsement.refresh_from_db()
    assert endorsement.status == S.NATIONALLY_ENDORSED
    assert list(endorsement.timeline.values_list("to_status", flat=True))[-2:] == [
        S.NPC_RATIFIED,
        S.NATIONALLY_ENDORSED,
    ]


def test_an_npc_overrule_needs_a_carried_full_vote(chapter, organizer, nec_cochair, npc_member):
    endorsement = endorsement_submitted_nationally(chapter, organizer.user)
    request = endorsement.national_request
    services.nec_reviewers_assign(national_request=request, reviewers=[nec_cochair], actor=nec_cochair)
    endorsement.refresh_from_db()
    services.nec_vote_record(
        national_request=request,
        yes=6,
        no=2,
        abstain=0,
        note="",
        actor=nec_cochair,
        expected_version=endorsement.version,
    )
    endorsement.refresh_from_db()
    with pytest.raises(ApplicationError, match="full NPC vote"):
        services.npc_decision_record(
            national_request=request, decision="overrule", actor=npc_member, expected_version=endorsement.version
        )
    with pytest.raises(ApplicationError, match="did not carry"):
        services.npc_decision_record(
            national_request=request, decision="overrule", actor=npc_member, expected_version=endorsement.version,
            yes=10, no=12, abstain=0,
        )  # fmt: skip
    services.npc_decision_record(
        national_request=request, decision="overrule", actor=npc_member, expected_version=endorsement.version,
        yes=20, no=12, abstain=3, note="Not a credible path.",
    )  # fmt: skip
    endorsement.refresh_from_db()
    assert endorsement.status == S.NPC_OVERRULED  # a recommendation overruled: no national endorsement
    assert "NPC vote: 20 yes, 12 no, 3 abstaining." in StatusChange.objects.latest("id").reason


def test_only_nec_members_can_be_assigned(chapter, organizer, nec_cochair, member):
    endorsement = endorsement_submitted_nationally(chapter, organizer.user)
    with pytest.raises(ApplicationError, match="is not on the NEC"):
        services.nec_reviewers_assign(
            national_request=endorsement.national_request, reviewers=[member.user], actor=nec_cochair
        )


def test_nec_sees_submitted_requests_only_and_npc_only_decided_ones(chapter, organizer, nec_member, npc_member, member):
    EndorsementFactory.create(chapter=chapter)  # a draft
    endorsement_endorsed_locally(chapter, organizer.user)  # endorsed, not yet submitted
    submitted = endorsement_submitted_nationally(chapter, organizer.user)
    assert [r.endorsement for r in selectors.national_request_list_for_user(user=nec_member)] == [submitted]
    assert list(selectors.national_request_list_for_user(user=npc_member)) == []
    with pytest.raises(Http404):
        selectors.national_request_list_for_user(user=member.user)


# Accountability.


def test_commitments_from_presets_or_custom_with_check_ins(chapter, organizer):
    endorsement = endorsement_endorsed_locally(chapter, organizer.user)
    preset = services.commitment_add(endorsement=endorsement, preset="tenant_protections", actor=organizer.user)
    assert preset.title == "Tenant protections"
    with pytest.raises(ApplicationError, match="title"):
        services.commitment_add(endorsement=endorsement, preset="custom", actor=organizer.user)
    services.commitment_add(endorsement=endorsement, preset="custom", title="Fund the library", actor=organizer.user)
    check_in = services.commitment_check_in(
        commitment=preset,
        status="at_risk",
        notes="Voted to delay",
        checked_on=timezone.localdate(),
        actor=organizer.user,
    )
    assert check_in.get_status_display() == "At risk"
    with pytest.raises(ApplicationError, match="future"):
        services.commitment_check_in(
            commitment=preset,
            status="kept",
            notes="",
            checked_on=timezone.localdate() + datetime.timedelta(days=2),
            actor=organizer.user,
        )


def test_national_request_counts_leave_out_chapter_drafts(chapter, organizer):
    EndorsementFactory.create(chapter=chapter)  # a draft: never counted nationally
    endorsement_endorsed_locally(chapter, organizer.user)  # endorsed, but no request
    endorsement_submitted_nationally(chapter, organizer.user)
    now = timezone.now()
    counts = selectors.national_request_status_counts(
        submitted_from=now - datetime.timedelta(days=1), submitted_before=now + datetime.timedelta(days=1)
    )
    assert counts == {"National request submitted": 1}
