"""Tenancy walk entries for the field operation's pages and API."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from canvassing import services
from canvassing.models import Campaign, QualityFlag
from tests.data_vault.factories import HouseholdFactory, PersonFactory, SavedListFactory
from tests.tenancy.registry import Public, Route, Scoped


def build(w: SimpleNamespace) -> None:
    """Give chapter A a campaign with a script and a question."""
    w.script = services.script_create(chapter=w.chapter, name="Door script", intro="Hello", actor=w.organizer.user)
    w.campaign = services.campaign_create(
        chapter=w.chapter, actor=w.organizer.user, name="Alpha canvass", kind=Campaign.Kind.ISSUE, script=w.script
    )
    w.question = services.question_create(campaign=w.campaign, text="Support?", kind="single", options=["Yes", "No"])
    w.option = w.question.options.first()
    w.saved_list = SavedListFactory.create(chapter=w.chapter, name="Alpha doors")
    for number in (1, 2, 3, 4):
        PersonFactory.create(
            chapter=w.chapter, household=HouseholdFactory.create(chapter=w.chapter, house_number=number)
        )
    # Other apps' walk entries give chapter A more doors; the first two turfs are enough here.
    w.turf, w.turf_b, *_ = services.turf_cut(
        campaign=w.campaign, saved_list=w.saved_list, target_doors=2, actor=w.organizer.user
    )
    w.walk_list = services.walk_list_request(turf=w.turf, actor=w.captain.user)
    now = timezone.now()
    w.shift = services.shift_create(campaign=w.campaign, starts_at=now + timedelta(days=1),
                                    ends_at=now + timedelta(days=1, hours=3), place="Union hall", capacity=5,
                                    actor=w.captain.user, captain=w.captain)  # fmt: skip
    w.signup = services.shift_signup(shift=w.shift, member=w.member)
    # The canvasser has the second turf; the first is nobody's.
    w.assignment = services.turf_assign(turf=w.turf_b, canvasser=w.canvasser, shift=w.shift, actor=w.captain.user)
    w.flag = QualityFlag.objects.create(chapter=w.chapter, campaign=w.campaign, canvasser=w.canvasser.user,
                                        kind=QualityFlag.Kind.TOO_FAST, detail="3 doors in 4 seconds")  # fmt: skip


def _c(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug}


def _campaign(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug, "pk": w.campaign.pk}


def _turf(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug, "pk": w.turf.pk}


def _shift(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug, "pk": w.shift.pk}


def _api_campaign(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug, "pk": w.campaign.pk}


ROUTES: dict[str, Route] = {
    "canvassing:campaign_list": Scoped(_c),
    "canvassing:campaign_create": Scoped(_c, methods=("GET", "POST")),
    "canvassing:campaign_detail": Scoped(_campaign),
    "canvassing:campaign_edit": Scoped(_campaign, methods=("GET", "POST")),
    "canvassing:question_add": Scoped(_campaign, methods=("POST",)),
    "canvassing:question_delete": Scoped(lambda w: {**_campaign(w), "question_pk": w.question.pk}, methods=("POST",)),
    "canvassing:answer_effects": Scoped(lambda w: {**_campaign(w), "option_pk": w.option.pk}, methods=("GET", "POST")),
    "canvassing:script_list": Scoped(_c, methods=("GET", "POST")),
    "canvassing:script_detail": Scoped(
        lambda w: {"chapter": w.chapter.slug, "pk": w.script.pk}, methods=("GET", "POST")
    ),
    "canvassing:turf_cut": Scoped(_campaign, methods=("GET", "POST")),
    "canvassing:turf_detail": Scoped(_turf),
    "canvassing:turf_move": Scoped(_turf, methods=("POST",)),
    "canvassing:turf_split": Scoped(_turf, methods=("POST",)),
    "canvassing:turf_merge": Scoped(_turf, methods=("POST",)),
    "canvassing:walk_list_create": Scoped(_turf, methods=("POST",)),
    "canvassing:turf_csv": Scoped(_turf),
    "canvassing:paper_results": Scoped(_turf, methods=("GET", "POST")),
    "canvassing:walk_list_job": Scoped(lambda w: {"chapter": w.chapter.slug, "pk": w.walk_list.pk}),
    "canvassing:walk_list_download": Scoped(lambda w: {"chapter": w.chapter.slug, "pk": w.walk_list.pk}),
    "canvassing:turf_code": Scoped(lambda w: {"code": w.turf.code}),
    "canvassing:canvass_home": Scoped(_c),
    "canvassing:canvass_walk": Scoped(_turf),
    "canvassing:service_worker": Public("The phone page's service worker script; it holds no data."),
    "canvassing:shift_create": Scoped(_campaign, methods=("GET", "POST")),
    "canvassing:turf_assign": Scoped(_campaign, methods=("POST",)),
    "canvassing:shift_detail": Scoped(_shift),
    "canvassing:shift_signup": Scoped(_shift, methods=("POST",)),
    "canvassing:shift_cancel": Scoped(_shift, methods=("POST",)),
    "canvassing:shift_check_in": Scoped(lambda w: {**_shift(w), "signup_pk": w.signup.pk}, methods=("POST",)),
    "canvassing:assignment_end": Scoped(
        lambda w: {"chapter": w.chapter.slug, "pk": w.assignment.pk}, methods=("POST",)
    ),
    "api:canvass_campaign_list": Scoped(_c),
    "api:canvass_campaign_detail": Scoped(_api_campaign),
    "api:canvass_turf_list": Scoped(_api_campaign),
    "api:canvass_shift_list": Scoped(_api_campaign),
    "api:canvass_turf_doors": Scoped(_turf),
    "api:canvass_result_submit": Scoped(_turf, methods=("POST",)),
    "canvassing:campaign_dashboard": Scoped(_campaign),
    "canvassing:flag_list": Scoped(_campaign),
    "canvassing:list_from_answers": Scoped(_campaign, methods=("POST",)),
    "canvassing:flag_detail": Scoped(lambda w: {"chapter": w.chapter.slug, "pk": w.flag.pk}),
    "canvassing:flag_review": Scoped(lambda w: {"chapter": w.chapter.slug, "pk": w.flag.pk}, methods=("POST",)),
}
