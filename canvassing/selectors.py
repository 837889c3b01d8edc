"""Reads of the field operation: every one takes the chapter, or an object already scoped to it."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from canvassing import permissions
from canvassing.models import (
    AnswerOption,
    Campaign,
    DoorVisit,
    QualityFlag,
    Script,
    ScriptVersion,
    Shift,
    ShiftSignup,
    SurveyQuestion,
    Turf,
    TurfAssignment,
    TurfDoor,
    WalkListJob,
)
from canvassing.pdf import SheetDoor, SheetPerson, sheet_door
from chapters.models import Chapter, Membership, Role
from chapters.selectors import membership_get_for_user
from core.models import User
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


def walk_sheet_doors(*, turf: Turf, today: date) -> list[SheetDoor]:
    """Return a turf's doors for a walk list: two queries, whatever the size."""
    doors = list(
        TurfDoor.objects.filter(turf=turf)
        .order_by("position")
        .values_list("position", "household_id", "household__house_number", "household__house_number_suffix",
                     "household__street_name", "household__unit")
    )  # fmt: skip
    people_by_household: dict[int, list[SheetPerson]] = {}
    people = (
        Person.objects.filter(household__turf_doors__turf=turf)
        .exclude(Exists(DoNotContact.objects.filter(person=OuterRef("pk"), channel=Channel.DOOR)))
        .annotate(last_contact=Max("contact_events__occurred_at"))
        .order_by("last_name", "first_name", "id")
        .values_list("household_id", "first_name", "last_name", "birth_year", "party", "last_contact")
    )
    for household_id, first, last, birth_year, party, last_contact in people:
        people_by_household.setdefault(household_id, []).append(
            SheetPerson(
                name=f"{first} {last}".strip(),
                age=today.year - birth_year if birth_year else None,
                party=party,
                last_contact=last_contact.date() if last_contact else None,
            )
        )
    sheet = []
    for position, household_id, number, suffix, street, unit in doors:
        line = f"{number or ''}{suffix and ' ' + suffix} {street}".strip() + (f" #{unit}" if unit else "")
        sheet.append(sheet_door(position, line, people_by_household.get(household_id, [])))
    return sheet


def walk_list_job_get(*, chapter: Chapter, pk: int) -> WalkListJob:
    """Return one of the chapter's walk-list jobs, or raise Http404."""
    return get_object_or_404(WalkListJob.objects.select_related("turf", "chapter"), chapter=chapter, pk=pk)


def turf_csv_rows(*, turf: Turf) -> tuple[list[str], list[list[object]]]:
    """Return a turf's walk list as a CSV header and rows: one row a person, in walking order."""
    header = ["door", "address", "unit", "precinct", "first_name", "last_name", "birth_year", "party", "phone"]
    people: dict[int, list[Person]] = {}
    for person in (
        Person.objects.filter(household__turf_doors__turf=turf)
        .exclude(Exists(DoNotContact.objects.filter(person=OuterRef("pk"), channel=Channel.DOOR)))
        .prefetch_related("phones")
        .order_by("last_name", "first_name", "id")
    ):
        people.setdefault(person.household_id or 0, []).append(person)
    rows: list[list[object]] = []
    for door in TurfDoor.objects.filter(turf=turf).select_related("household").order_by("position"):
        household = door.household
        place = [door.position, household.street_line, household.unit, household.precinct]
        for person in people.get(household.pk, []):
            phones = person.phones.all()
            rows.append([*place, person.first_name, person.last_name, person.birth_year or "", person.party,
                         str(phones[0]) if phones else ""])  # fmt: skip
        if household.pk not in people:
            rows.append([*place, "", "", "", "", ""])
    return header, rows


def turf_get_for_canvasser(*, user: User, chapter_slug: str, pk: int) -> tuple[Membership, Turf]:
    """
    Return a turf the user may canvass, with their membership, or raise Http404.

    A canvasser reaches a turf only while it is assigned to them (or their
    pair); captains and up reach every turf of their chapter.
    """
    membership = membership_get_for_user(user=user, chapter_slug=chapter_slug, rule=permissions.CANVASS)
    turfs = Turf.objects.select_related("chapter", "campaign__script").filter(chapter=membership.chapter, pk=pk)
    if not permissions.RUN_SHIFTS.allows(membership):
        turfs = turfs.filter(
            Exists(
                TurfAssignment.objects.filter(turf=OuterRef("pk"), ended_at__isnull=True).filter(
                    Q(canvasser=membership) | Q(partner=membership)
                )
            )
        )
    return membership, get_object_or_404(turfs)


def turf_get_by_code(*, user: User, code: str) -> tuple[Membership, Turf]:
    """Return the turf a walk list's short code names, if the user may canvass it; else raise Http404."""
    turf = Turf.objects.filter(code=code.upper(), chapter__memberships__user=user).select_related("chapter").first()
    if turf is None:
        raise Http404
    return turf_get_for_canvasser(user=user, chapter_slug=turf.chapter.slug, pk=turf.pk)


def assignment_list_for_member(*, membership: Membership) -> QuerySet[TurfAssignment]:
    """Return the turfs assigned to a member (alone or as a pair) right now."""
    return (
        TurfAssignment.objects.filter(ended_at__isnull=True)
        .filter(Q(canvasser=membership) | Q(partner=membership))
        .select_related("turf__campaign", "turf__chapter", "shift", "canvasser__user", "partner__user")
        .annotate(door_count=Count("turf__doors"))
        .order_by("-created_at")
    )


def shift_get(*, chapter: Chapter, pk: int) -> Shift:
    """Return one of the chapter's shifts, or raise Http404."""
    return get_object_or_404(
        Shift.objects.select_related("chapter", "campaign", "captain__user"), chapter=chapter, pk=pk
    )


def shift_upcoming(*, chapter: Chapter, member: Membership, now: datetime) -> QuerySet[Shift]:
    """Return the chapter's shifts not yet over, with sign-up counts and whether the member is on each."""
    return (
        Shift.objects.filter(chapter=chapter, ends_at__gt=now)
        .exclude(campaign__status__in=[Campaign.Status.DRAFT, Campaign.Status.COMPLETED])
        .select_related("campaign", "captain__user", "chapter")
        .annotate(
            signup_count=Count("signups"),
            is_signed_up=Exists(ShiftSignup.objects.filter(shift=OuterRef("pk"), member=member)),
        )
        .order_by("starts_at", "id")
    )


def shift_signups(*, shift: Shift) -> QuerySet[ShiftSignup]:
    """Return who signed up for a shift, with their accounts."""
    return ShiftSignup.objects.filter(shift=shift).select_related("member__user", "checked_in_by")


def shift_signup_get(*, shift: Shift, pk: int) -> ShiftSignup:
    """Return one sign-up of a shift, or raise Http404."""
    return get_object_or_404(ShiftSignup.objects.select_related("member__user"), shift=shift, pk=pk)


def canvasser_list(*, chapter: Chapter) -> QuerySet[Membership]:
    """Return the chapter's members who may canvass, for assignment forms."""
    return (
        Membership.objects.filter(chapter=chapter)
        .exclude(role=Role.MEMBER)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def assignment_get(*, chapter: Chapter, pk: int) -> TurfAssignment:
    """Return one of the chapter's turf assignments, or raise Http404."""
    return get_object_or_404(TurfAssignment.objects.select_related("turf__chapter"), turf__chapter=chapter, pk=pk)


def walk_page_state(*, turf: Turf) -> dict[str, object]:
    """Return everything the phone page needs to knock the turf with no connection."""
    doors = [
        {
            "household_id": door.household_id,
            "position": door.position,
            "address": door.household.street_line,
            "people": [{"id": p.pk, "name": p.full_name, "party": p.party} for p in door.household.door_people],  # type: ignore[attr-defined]
        }
        for door in turf_doors(turf=turf)
    ]
    questions = [
        {
            "id": q.pk,
            "text": q.text,
            "kind": q.kind,
            "options": [{"value": o.value, "label": o.label} for o in q.options.all()],
        }
        for q in question_list(campaign=turf.campaign)
    ]
    done = sorted(set(DoorVisit.objects.filter(turf=turf).values_list("household_id", flat=True)))
    return {"turf": {"id": turf.pk, "name": turf.name, "code": turf.code}, "doors": doors,
            "questions": questions, "done": done}  # fmt: skip


def quality_flag_list(*, campaign: Campaign) -> QuerySet[QualityFlag]:
    """Return a campaign's quality flags, open ones first, with how many results each holds."""
    return (
        QualityFlag.objects.filter(campaign=campaign)
        .select_related("canvasser", "reviewed_by", "chapter")
        .annotate(visit_count=Count("visits"))
    )


def quality_flag_get(*, chapter: Chapter, pk: int) -> QualityFlag:
    """Return one of the chapter's quality flags, or raise Http404."""
    return get_object_or_404(
        QualityFlag.objects.select_related("campaign", "canvasser", "reviewed_by", "chapter"), chapter=chapter, pk=pk
    )


def quality_flag_visits(*, flag: QualityFlag) -> QuerySet[DoorVisit]:
    """Return a flag's results in time order, with their doors and people."""
    return flag.visits.select_related("household", "person", "turf").order_by("occurred_at", "id")
