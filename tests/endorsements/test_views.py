"""The pages: what each role sees, the candidate's link without an account, a public page that leaks nothing."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from endorsements import services
from endorsements.models import Endorsement, Questionnaire, QuestionnaireAnswer
from endorsements.models import EndorsementStatus as S
from tests.endorsements.factories import (
    EndorsementFactory,
    QuestionnaireTemplateFactory,
    endorsement_endorsed_locally,
    endorsement_submitted_nationally,
)

pytestmark = pytest.mark.django_db


def _url(name: str, endorsement: Endorsement, **extra: object) -> str:
    return reverse(f"endorsements:{name}", kwargs={"chapter": endorsement.chapter.slug, "pk": endorsement.pk, **extra})


def test_the_working_group_sees_every_page_of_the_process(client: Client, organizer):
    endorsement = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    services.comment_add(endorsement=endorsement, author=organizer.user, body="Door program is strong.")
    client.force_login(organizer.user)
    for name in ("endorsement_detail", "dossier", "local_plan", "vote", "national_request", "commitments",
                 "questionnaire_send"):  # fmt: skip
        response = client.get(_url(name, endorsement))
        assert response.status_code == 200, name
    body = client.get(_url("endorsement_detail", endorsement)).content.decode()
    assert "Door program is strong." in body
    assert "National request submitted" in body
    for name in ("race_list", "candidate_list", "endorsement_list", "questionnaire_template_list"):
        assert (
            client.get(reverse(f"endorsements:{name}", kwargs={"chapter": endorsement.chapter.slug})).status_code == 200
        )


def test_a_plain_member_sees_status_and_votes_but_not_internal_material(client: Client, organizer, member):
    endorsement = endorsement_endorsed_locally(organizer.chapter, organizer.user)
    services.comment_add(endorsement=endorsement, author=organizer.user, body="Secret strategy talk.")
    client.force_login(member.user)
    body = client.get(_url("endorsement_detail", endorsement)).content.decode()
    assert "Endorsed locally" in body
    assert "Secret strategy talk." not in body
    assert client.get(_url("vote", endorsement)).status_code == 200
    for name in ("dossier", "local_plan", "national_request", "commitments", "questionnaire_send"):
        assert client.get(_url(name, endorsement)).status_code == 404, name
    assert client.post(_url("comment_add", endorsement), {"body": "x"}).status_code == 404


def test_a_member_casts_one_ballot_through_the_page(client: Client, chapter, organizer, member):
    chapter.endorsement_requires_questionnaire = chapter.endorsement_requires_research = False
    chapter.save()
    endorsement = EndorsementFactory.create(chapter=chapter)
    vote = services.vote_open(endorsement=endorsement, method="ballots", actor=organizer.user, expected_version=1)
    client.force_login(member.user)
    url = _url("ballot_cast", endorsement, vote_pk=vote.pk)
    response = client.post(url, {"choice": "yes"}, follow=True)
    assert "Your ballot is cast." in response.content.decode()
    response = client.post(url, {"choice": "no"}, follow=True)
    assert "You have already voted. One member has one ballot." in response.content.decode()
    assert list(vote.ballots.values_list("choice", flat=True)) == ["yes"]


def test_a_stale_form_is_refused_with_a_clear_message(client: Client, organizer):
    endorsement = EndorsementFactory.create(chapter=organizer.chapter)
    organizer.chapter.endorsement_requires_questionnaire = False
    organizer.chapter.save()
    client.force_login(organizer.user)
    url = reverse(
        "endorsements:endorsement_transition",
        kwargs={"chapter": endorsement.chapter.slug, "pk": endorsement.pk, "action": "start_research"},
    )
    client.post(url, {"version": 1})
    response = client.post(url, {"version": 1}, follow=True)
    assert "Someone else changed this endorsement" in response.content.decode()
    endorsement.refresh_from_db()
    assert (endorsement.status, endorsement.version) == (S.RESEARCH, 2)


def test_a_forged_other_chapter_campaign_id_on_the_plan_changes_nothing(client: Client, organizer, other_chapter):
    from canvassing.models import Campaign

    theirs = Campaign.objects.create(chapter=other_chapter, name="Theirs", kind=Campaign.Kind.CANDIDATE)
    endorsement = EndorsementFactory.create(chapter=organizer.chapter)
    client.force_login(organizer.user)
    response = client.post(_url("local_plan", endorsement), {"campaign": theirs.pk, "data_plan": "Keep it."})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not hasattr(Endorsement.objects.get(pk=endorsement.pk), "local_plan")


def test_an_oversized_attachment_is_refused(client: Client, organizer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    settings.ENDORSEMENTS_ATTACHMENT_MAX_BYTES = 10
    endorsement = EndorsementFactory.create(chapter=organizer.chapter)
    client.force_login(organizer.user)
    upload = SimpleUploadedFile("memo.pdf", b"%PDF-1.4 more than ten bytes", content_type="application/pdf")
    response = client.post(_url("dossier_attachment_add", endorsement), {"title": "Memo", "file": upload}, follow=True)
    assert "Attachments can be at most" in response.content.decode()
    assert not list(tmp_path.rglob("*.pdf"))


# The candidate's link.


def _link(organizer) -> tuple[Questionnaire, str]:
    endorsement = EndorsementFactory.create(chapter=organizer.chapter)
    template = QuestionnaireTemplateFactory.create(chapter=organizer.chapter)
    questionnaire, link = services.questionnaire_send(
        endorsement=endorsement, template=template, sent_to="c@example.org", actor=organizer.user, expected_version=1
    )
    return questionnaire, reverse(
        "endorsements:public_questionnaire", kwargs={"token": link.rstrip("/").rsplit("/", 1)[-1]}
    )


def test_the_candidate_saves_a_draft_and_submits_without_an_account(client: Client, organizer):
    questionnaire, url = _link(organizer)
    first, second = questionnaire.template.questions.all()
    page = client.get(url).content.decode()
    assert first.prompt in page
    response = client.post(url, {f"q{first.pk}": "Draft answer", "save": ""}, follow=True)
    assert "Draft saved" in response.content.decode()
    assert "Draft answer" in response.content.decode()
    response = client.post(url, {f"q{first.pk}": "Yes", f"q{second.pk}": "Always", "submit": ""}, follow=True)
    assert "Your answers are submitted" in response.content.decode()
    response = client.post(url, {f"q{first.pk}": "Changed my mind", "submit": ""}, follow=True)
    assert "already submitted" in response.content.decode()
    assert QuestionnaireAnswer.objects.get(question=first).text == "Yes"


def test_an_expired_link_says_so(client: Client, organizer):
    questionnaire, url = _link(organizer)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    body = client.get(url).content.decode()
    assert "This questionnaire link has expired" in body
    assert "Submit answers" not in body


def test_a_forged_link_is_404(client: Client):
    assert client.get(reverse("endorsements:public_questionnaire", kwargs={"token": "forged"})).status_code == 404


# National visibility.


def test_nec_sees_the_submitted_request_but_never_chapter_drafts_or_discussion(client: Client, organizer, nec_member):
    submitted = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    services.comment_add(endorsement=submitted, author=organizer.user, body="Internal only.")
    draft = EndorsementFactory.create(chapter=organizer.chapter)
    client.force_login(nec_member)
    queue = client.get(reverse("endorsements:national_queue")).content.decode()
    assert submitted.candidate.name in queue
    assert draft.candidate.name not in queue
    review = client.get(reverse("endorsements:national_review", kwargs={"pk": submitted.national_request.pk}))
    assert review.status_code == 200
    assert "Internal only." not in review.content.decode()
    assert client.get(_url("endorsement_detail", submitted)).status_code == 404


def test_npc_sees_requests_once_the_nec_decided(client: Client, organizer, nec_cochair, npc_member):
    endorsement = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    request = endorsement.national_request
    review_url = reverse("endorsements:national_review", kwargs={"pk": request.pk})
    client.force_login(npc_member)
    assert client.get(review_url).status_code == 404
    services.nec_reviewers_assign(national_request=request, reviewers=[nec_cochair], actor=nec_cochair)
    endorsement.refresh_from_db()
    services.nec_vote_record(
        national_request=request,
        yes=5,
        no=1,
        abstain=0,
        note="",
        actor=nec_cochair,
        expected_version=endorsement.version,
    )
    body = client.get(review_url).content.decode()
    assert "The NEC recommends a national endorsement" in body
    assert "Record NPC decision" in body


def test_a_plain_nec_member_cannot_assign_or_record_the_nec_vote(client: Client, organizer, nec_member):
    endorsement = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    client.force_login(nec_member)
    pk = endorsement.national_request.pk
    assert (
        client.post(reverse("endorsements:nec_assign", kwargs={"pk": pk}), {"reviewers": [nec_member.pk]}).status_code
        == 404
    )
    assert client.post(reverse("endorsements:nec_vote", kwargs={"pk": pk}), {"yes": 1, "no": 0}).status_code == 404
    assert client.post(reverse("endorsements:npc_decide", kwargs={"pk": pk}), {"decision": "ratify"}).status_code == 404


# The public page.


def test_the_public_page_lists_public_endorsements_only_and_no_internal_material(client: Client, organizer):
    public = endorsement_endorsed_locally(organizer.chapter, organizer.user)
    services.endorsement_publicity_set(
        endorsement=public, is_public=True, public_statement="Housing for all.", actor=organizer.user
    )
    services.comment_add(endorsement=public, author=organizer.user, body="Internal strategy.")
    private = endorsement_endorsed_locally(organizer.chapter, organizer.user)
    response = client.get(reverse("endorsements:public_endorsements"))
    body = response.content.decode()
    assert public.candidate.name in body
    assert "Housing for all." in body
    assert private.candidate.name not in body
    for internal in ("Internal strategy.", "viability", "A 4-point margin", "Our own captains"):
        assert internal not in body
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert "csrftoken" not in response.cookies


def test_a_draft_cannot_be_marked_public(client: Client, organizer):
    endorsement = EndorsementFactory.create(chapter=organizer.chapter)
    client.force_login(organizer.user)
    response = client.post(_url("publicity", endorsement), {"is_public": "on"}, follow=True)
    assert "Only a candidate the chapter has endorsed" in response.content.decode()
    assert not Endorsement.objects.get(pk=endorsement.pk).is_public


def test_the_endorsement_list_makes_the_same_queries_at_5_and_50_rows(
    client: Client, organizer, django_assert_max_num_queries
):
    chapter = organizer.chapter
    client.force_login(organizer.user)
    url = reverse("endorsements:endorsement_list", kwargs={"chapter": chapter.slug})
    EndorsementFactory.create_batch(5, chapter=chapter)
    client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    EndorsementFactory.create_batch(45, chapter=chapter)
    with django_assert_max_num_queries(len(five)):
        body = client.get(url).content.decode()
    assert body.count(f'<td><a href="/c/{chapter.slug}/endorsements/') == 50


def test_an_attachment_is_uploaded_and_downloaded_by_the_working_group_only(
    client: Client, organizer, member, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    endorsement = EndorsementFactory.create(chapter=organizer.chapter)
    client.force_login(organizer.user)
    upload = SimpleUploadedFile("results.csv", b"precinct,votes\n12,340\n", content_type="text/csv")
    client.post(_url("dossier_attachment_add", endorsement), {"title": "Precinct results", "file": upload})
    attachment = endorsement.dossier.attachments.get()
    url = _url("dossier_attachment_download", endorsement, attachment=attachment.pk)
    assert b"".join(client.get(url).streaming_content) == b"precinct,votes\n12,340\n"  # type: ignore[attr-defined]
    download = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (download.actor, download.chapter, download.target_label) == (
        organizer.user,
        organizer.chapter,
        "Precinct results",
    )
    client.force_login(member.user)
    assert client.get(url).status_code == 404


def test_an_unexpected_file_type_is_refused(client: Client, organizer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    endorsement = EndorsementFactory.create(chapter=organizer.chapter)
    client.force_login(organizer.user)
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(_url("dossier_attachment_add", endorsement), {"title": "Bad", "file": upload}, follow=True)
    assert "File extension “exe” is not allowed" in response.content.decode()
    assert not list(tmp_path.rglob("*.exe"))


def test_the_local_plan_links_the_chapters_own_campaign(client: Client, organizer):
    from canvassing.models import Campaign

    ours = Campaign.objects.create(chapter=organizer.chapter, name="Ward 2 canvass", kind=Campaign.Kind.CANDIDATE)
    endorsement = EndorsementFactory.create(chapter=organizer.chapter)
    client.force_login(organizer.user)
    response = client.post(
        _url("local_plan", endorsement), {"campaign": ours.pk, "canvass_plan": "Six turfs."}, follow=True
    )
    assert "Still to write: our own data" in response.content.decode()
    assert endorsement.local_plan.campaign == ours


def test_commitments_and_check_ins_through_the_page(client: Client, organizer):
    endorsement = endorsement_endorsed_locally(organizer.chapter, organizer.user)
    client.force_login(organizer.user)
    client.post(_url("commitments", endorsement), {"preset": "police_accountability"})
    commitment = endorsement.commitments.get()
    today = timezone.localdate().isoformat()
    response = client.post(
        _url("commitment_check_in", endorsement, commitment=commitment.pk),
        {"status": "broken", "checked_on": today, "notes": "Voted for the police budget increase."},
        follow=True,
    )
    body = response.content.decode()
    assert "Police accountability" in body
    assert "Broken" in body
    assert "Voted for the police budget increase." in body


def test_the_national_request_page_warns_about_a_late_request(client: Client, organizer, settings):
    from tests.endorsements.factories import RaceFactory

    race = RaceFactory.create(
        chapter=organizer.chapter, election_date=timezone.localdate() + datetime.timedelta(weeks=3)
    )
    endorsement = endorsement_endorsed_locally(organizer.chapter, organizer.user, race=race)
    client.force_login(organizer.user)
    body = client.get(_url("national_request", endorsement)).content.decode()
    assert "Late request." in body
    assert "10 weeks before the election" in body


def test_a_rescinded_national_endorsement_stays_on_the_public_page_with_its_note(client: Client, organizer):
    endorsement = endorsement_endorsed_locally(organizer.chapter, organizer.user)
    Endorsement.objects.filter(pk=endorsement.pk).update(status=S.NPC_RATIFIED)
    endorsement.refresh_from_db()
    from endorsements import workflow

    workflow.transition(endorsement=endorsement, action="endorse_nationally", actor=None, actor_label="NPC")
    vote = services.vote_open(
        endorsement=endorsement,
        method="counts",
        kind="rescind",
        actor=organizer.user,
        expected_version=endorsement.version,
    )
    services.vote_counts_record(vote=vote, yes=12, no=2, abstain=0, actor=organizer.user)
    services.vote_close(
        vote=vote, actor=organizer.user, expected_version=endorsement.version, public_note="Voted against rent control."
    )
    body = client.get(reverse("endorsements:public_endorsements")).content.decode()
    assert endorsement.candidate.name in body
    assert "Endorsement rescinded" in body
    assert "Voted against rent control." in body


def test_the_endorsement_list_charts_candidacies_by_status(client: Client, organizer):
    EndorsementFactory.create_batch(2, chapter=organizer.chapter)
    EndorsementFactory.create(chapter=organizer.chapter, status=S.RESEARCH)
    client.force_login(organizer.user)
    body = client.get(
        reverse("endorsements:endorsement_list", kwargs={"chapter": organizer.chapter.slug})
    ).content.decode()
    assert "Endorsements by status" in body
    from endorsements.selectors import endorsement_status_counts

    assert endorsement_status_counts(chapter=organizer.chapter) == [("Draft", 2), ("Research", 1)]
