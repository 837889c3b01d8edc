"""Tenancy walk entries for endorsements: chapter pages, national review pages and public pages."""

from __future__ import annotations

from types import SimpleNamespace

from endorsements import services
from endorsements.models import DossierAttachment, PacketJob
from tests.endorsements.factories import (
    EndorsementFactory,
    QuestionnaireTemplateFactory,
    endorsement_submitted_nationally,
)
from tests.tenancy.registry import Public, Route, Scoped


def build(w: SimpleNamespace) -> None:
    """Give chapter A a national request with every part, and an open questionnaire link."""
    actor = w.organizer.user
    w.endorsement = endorsement_submitted_nationally(w.chapter, actor)
    w.race, w.candidate = w.endorsement.race, w.endorsement.candidate
    w.template = QuestionnaireTemplateFactory.create(chapter=w.chapter)
    w.vote = w.endorsement.votes.get()
    w.national_request = w.endorsement.national_request
    w.commitment = services.commitment_add(endorsement=w.endorsement, preset="land_trusts", actor=actor)
    w.attachment = DossierAttachment.objects.create(
        dossier=w.endorsement.dossier, title="Polling memo", file="endorsements/dossiers/memo.pdf"
    )
    w.packet_job = PacketJob.objects.create(endorsement=w.endorsement, created_by=actor)
    draft = EndorsementFactory.create(chapter=w.chapter)
    _, link = services.questionnaire_send(
        endorsement=draft, template=w.template, sent_to="cand@example.org", actor=actor, expected_version=1
    )
    w.questionnaire_token = link.rstrip("/").rsplit("/", 1)[-1]


def _chapter(w: SimpleNamespace) -> dict[str, object]:
    return {"chapter": w.chapter.slug}


def _endorsement(w: SimpleNamespace, **extra: object) -> dict[str, object]:
    return {"chapter": w.chapter.slug, "pk": w.endorsement.pk, **extra}


def _national(w: SimpleNamespace, **extra: object) -> dict[str, object]:
    return {"pk": w.national_request.pk, **extra}


GET_POST = ("GET", "POST")

ROUTES: dict[str, Route] = {
    "endorsements:public_endorsements": Public(
        "Lists only national endorsements and endorsements chapters chose to publish, with public statements."
    ),
    "endorsements:public_questionnaire": Public(
        "The unguessable link is the candidate's credential; it shows only their own questionnaire.",
        kwargs=lambda w: {"token": w.questionnaire_token},
    ),
    "endorsements:race_list": Scoped(_chapter, methods=GET_POST),
    "endorsements:race_detail": Scoped(lambda w: {**_chapter(w), "pk": w.race.pk}, methods=GET_POST),
    "endorsements:candidate_list": Scoped(_chapter, methods=GET_POST),
    "endorsements:candidate_detail": Scoped(lambda w: {**_chapter(w), "pk": w.candidate.pk}, methods=GET_POST),
    "endorsements:questionnaire_template_list": Scoped(_chapter, methods=GET_POST),
    "endorsements:questionnaire_template_detail": Scoped(
        lambda w: {**_chapter(w), "pk": w.template.pk}, methods=GET_POST
    ),
    "endorsements:endorsement_list": Scoped(_chapter),
    "endorsements:endorsement_create": Scoped(_chapter, methods=GET_POST),
    "endorsements:endorsement_detail": Scoped(_endorsement),
    "endorsements:endorsement_transition": Scoped(lambda w: _endorsement(w, action="withdraw"), methods=("POST",)),
    "endorsements:questionnaire_send": Scoped(_endorsement, methods=GET_POST),
    "endorsements:dossier": Scoped(_endorsement, methods=GET_POST),
    "endorsements:dossier_attachment_add": Scoped(_endorsement, methods=("POST",)),
    "endorsements:dossier_attachment_download": Scoped(lambda w: _endorsement(w, attachment=w.attachment.pk)),
    "endorsements:comment_add": Scoped(_endorsement, methods=("POST",)),
    "endorsements:local_plan": Scoped(_endorsement, methods=GET_POST),
    "endorsements:vote": Scoped(_endorsement),
    "endorsements:vote_open": Scoped(_endorsement, methods=("POST",)),
    "endorsements:vote_counts": Scoped(lambda w: _endorsement(w, vote_pk=w.vote.pk), methods=("POST",)),
    "endorsements:ballot_cast": Scoped(lambda w: _endorsement(w, vote_pk=w.vote.pk), methods=("POST",)),
    "endorsements:vote_close": Scoped(lambda w: _endorsement(w, vote_pk=w.vote.pk), methods=("POST",)),
    "endorsements:national_request": Scoped(_endorsement, methods=GET_POST),
    "endorsements:publicity": Scoped(_endorsement, methods=("POST",)),
    "endorsements:commitments": Scoped(_endorsement, methods=GET_POST),
    "endorsements:commitment_check_in": Scoped(
        lambda w: _endorsement(w, commitment=w.commitment.pk), methods=("POST",)
    ),
    "endorsements:packet_start": Scoped(_endorsement, methods=("POST",)),
    "endorsements:packet_status": Scoped(lambda w: _endorsement(w, job=w.packet_job.pk)),
    "endorsements:packet_download": Scoped(lambda w: _endorsement(w, job=w.packet_job.pk)),
    # National pages: the outsider holds no national role, so every one of them is out of reach.
    "endorsements:national_queue": Scoped(),
    "endorsements:national_review": Scoped(_national),
    "endorsements:nec_assign": Scoped(_national, methods=("POST",)),
    "endorsements:nec_comment": Scoped(_national, methods=("POST",)),
    "endorsements:nec_recommend": Scoped(_national, methods=("POST",)),
    "endorsements:nec_vote": Scoped(_national, methods=("POST",)),
    "endorsements:npc_decide": Scoped(_national, methods=("POST",)),
    "endorsements:national_packet_start": Scoped(_national, methods=("POST",)),
    "endorsements:national_packet_status": Scoped(lambda w: _national(w, job=w.packet_job.pk)),
    "endorsements:national_packet_download": Scoped(lambda w: _national(w, job=w.packet_job.pk)),
    # API.
    "api:race_list": Scoped(_chapter),
    "api:race_detail": Scoped(lambda w: {**_chapter(w), "pk": w.race.pk}),
    "api:candidate_list": Scoped(_chapter),
    "api:candidate_detail": Scoped(lambda w: {**_chapter(w), "pk": w.candidate.pk}),
    "api:endorsement_list": Scoped(_chapter),
    "api:endorsement_detail": Scoped(_endorsement),
    "api:national_request_list": Scoped(),
    "api:national_request_detail": Scoped(_national),
    "api:nec_assign": Scoped(_national, methods=("POST",)),
    "api:nec_comment": Scoped(_national, methods=("POST",)),
    "api:nec_recommend": Scoped(_national, methods=("POST",)),
    "api:nec_vote": Scoped(_national, methods=("POST",)),
    "api:npc_decision": Scoped(_national, methods=("POST",)),
}
