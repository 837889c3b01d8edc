"""Reads of the field operation: every one takes the chapter, or an object already scoped to it."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from canvassing.models import (
    AnswerOption,
    Campaign,
    Script,
    ScriptVersion,
    Shift,
    SurveyQuestion,
    Turf,
    TurfAssignment,
    TurfDoor,
)
from chapters.models import Chapter
from data_vault.models import Channel, DoNotContact, Person


def campaign_list(*, chapter: Chapter) -> QuerySet[Campaign]:
    """Return the chapter's campaigns with their turf and shift counts."""
    return (
        Campaign.objects.filter(chapter=chapter)
        .select_related("chapter", "script")
        .annotate(turf_count=Count("turfs", distinct=True), shift_count=Count("shifts", distinct=True))
    )


def campaign_get(*, chapter: Chapter, pk: int) -> Campaign:
    """Return one of the chapter's campaigns, or raise Http404."""
    return get_object_or_404(Campaign.objects.select_related("chapter", "script"), chapter=chapter, pk=pk)


def question_list(*, campaign: Campaign) -> QuerySet[SurveyQuestion]:
    """Return a campaign's questions in order, with their answer options."""
    return SurveyQuestion.objects.filter(campaign=campaign).prefetch_related(
        Prefetch("options", queryset=AnswerOption.objects.order_by("position", "id"))
    )


def question_get(*, campaign: Campaign, pk: int) -> SurveyQuestion:
    """Return one of the campaign's questions, or raise Http404."""
    return get_object_or_404(SurveyQuestion.objects.select_related("campaign"), campaign=campaign, pk=pk)


def answer_option_get(*, campaign: Campaign, pk: int) -> AnswerOption:
    """Return one answer option of the campaign's questions, or raise Http404."""
    return get_object_or_404(AnswerOption.objects.select_related("question"), question__campaign=campaign, pk=pk)


def script_list(*, chapter: Chapter) -> QuerySet[Script]:
    """Return the chapter's scripts with how many versions each has."""
    return Script.objects.filter(chapter=chapter).select_related("chapter").annotate(version_count=Count("versions"))


def script_get(*, chapter: Chapter, pk: int) -> Script:
    """Return one of the chapter's scripts, or raise Http404."""
    return get_object_or_404(Script.objects.select_related("chapter"), chapter=chapter, pk=pk)


def script_versions(*, script: Script) -> QuerySet[ScriptVersion]:
    """Return a script's versions, newest first."""
    return ScriptVersion.objects.filter(script=script).select_related("created_by").order_by("-number")


def script_current_version(*, script: Script | None) -> ScriptVersion | None:
    """Return the version canvassers see: the newest."""
    if script is None:
        return None
    return ScriptVersion.objects.filter(script=script).order_by("-number").first()


def script_version_get(*, script: Script, number: int) -> ScriptVersion:
    """Return one version of a script, or raise Http404."""
    return get_object_or_404(ScriptVersion, script=script, number=number)


def turf_list(*, campaign: Campaign) -> QuerySet[Turf]:
    """Return a campaign's turfs with door counts and active assignments."""
    active = TurfAssignment.objects.filter(ended_at__isnull=True).select_related("canvasser__user", "partner__user")
    return (
        Turf.objects.filter(campaign=campaign)
        .annotate(door_count=Count("doors"))
        .prefetch_related(Prefetch("assignments", queryset=active, to_attr="active_assignments"))
        .order_by("name", "id")
    )


def shift_list(*, campaign: Campaign) -> QuerySet[Shift]:
    """Return a campaign's shifts in time order, with sign-up counts and captains."""
    return (
        Shift.objects.filter(campaign=campaign)
        .select_related("captain__user", "campaign")
        .annotate(signup_count=Count("signups"))
        .order_by("starts_at", "id")
    )


def turf_get(*, chapter: Chapter, pk: int) -> Turf:
    """Return one of the chapter's turfs, or raise Http404."""
    return get_object_or_404(Turf.objects.select_related("chapter", "campaign", "saved_list"), chapter=chapter, pk=pk)


def turf_doors(*, turf: Turf) -> QuerySet[TurfDoor]:
    """Return a turf's doors in walking order, each with the people to knock for (no do-not-knock)."""
    people = (
        Person.objects.exclude(Exists(DoNotContact.objects.filter(person=OuterRef("pk"), channel=Channel.DOOR)))
        .filter(chapter_id=turf.chapter_id)
        .order_by("last_name", "first_name", "id")
    )
    return (
        TurfDoor.objects.filter(turf=turf)
        .select_related("household")
        .prefetch_related(Prefetch("household__people", queryset=people, to_attr="door_people"))
        .order_by("position")
    )


def turf_map_points(*, turf: Turf) -> list[dict[str, object]]:
    """Return the turf's doors that have coordinates, in walking order, for the map."""
    rows = (
        TurfDoor.objects.filter(turf=turf, household__latitude__isnull=False, household__longitude__isnull=False)
        .order_by("position")
        .values_list("position", "household__latitude", "household__longitude", "household__street_name",
                     "household__house_number")
    )  # fmt: skip
    return [
        {"n": n, "lat": lat, "lng": lng, "label": f"{n}. {number or ''} {street}".strip()}
        for n, lat, lng, street, number in rows
    ]
