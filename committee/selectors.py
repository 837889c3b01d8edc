"""Every read of the committee app: scoped to the user's chapter, their national role, or the public."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from canvassing.models import Shift
from chapters.models import Chapter, Membership
from chapters.selectors import membership_get_for_user
from committee import permissions
from committee.models import (
    CAPACITY_DIMENSIONS,
    AssistanceRequest,
    CapacityAssessment,
    Report,
    ReportRender,
    Seat,
    StatewideTable,
    Subcommittee,
    SubcommitteeMember,
    SupportFeedback,
    Term,
    Training,
    TrainingMaterial,
    TrainingSignup,
)
from committee.services import term_current
from core.models import User
from core.permissions import Rule, require
from data_vault.models import SharingAgreement
from data_vault.permissions import VIEW_PEOPLE


def nec_require(*, user: User, rule: Rule = permissions.WORK_ON_REQUESTS) -> None:
    """Raise Http404 unless the user holds the national role the rule asks for."""
    require(rule, user if user.is_authenticated else None)


# --- the NEC and its roster ---------------------------------------------------------------


def term_list(*, user: User) -> QuerySet[Term]:
    """Return every term, newest first, for the co-chairs who manage them."""
    nec_require(user=user, rule=permissions.MANAGE_NEC)
    return Term.objects.annotate(
        seat_count=Count("seats", distinct=True), nomination_count=Count("nominations", distinct=True)
    ).order_by("-starts_on")


def term_get_for_user(*, user: User, pk: int) -> Term:
    """Return one term for a co-chair, or raise Http404."""
    nec_require(user=user, rule=permissions.MANAGE_NEC)
    return get_object_or_404(Term, pk=pk)


def term_detail(*, term: Term) -> dict[str, Any]:
    """Return the term's nominations, seats and subcommittees for its page."""
    return {
        "nominations": list(term.nominations.select_related("nominee", "chapter")),
        "seats": list(term.seats.select_related("holder", "chapter")),
        "subcommittees": list(term.subcommittees.annotate(member_count=Count("members"))),
    }


def subcommittee_get_for_user(*, user: User, pk: int) -> Subcommittee:
    """Return one subcommittee for a co-chair, or raise Http404."""
    nec_require(user=user, rule=permissions.MANAGE_NEC)
    return get_object_or_404(Subcommittee.objects.select_related("term"), pk=pk)


def subcommittee_members(*, subcommittee: Subcommittee) -> list[SubcommitteeMember]:
    """Return the subcommittee's members, co-chairs first."""
    return list(subcommittee.members.select_related("seat__holder", "seat__chapter"))


def subcommittee_list_current() -> QuerySet[Subcommittee]:
    """Return the running term's subcommittees, to route requests and host trainings."""
    term = term_current()
    return Subcommittee.objects.filter(term=term) if term else Subcommittee.objects.none()


@dataclass
class Roster:
    """The public roster of a term: its seats and its subcommittees with their members."""

    term: Term | None
    seats: list[Seat] = field(default_factory=list)
    subcommittees: list[Subcommittee] = field(default_factory=list)


def public_roster() -> Roster:
    """Return the running term's published roster: names, chapters, roles and contact emails only."""
    term = term_current()
    if term is None:
        return Roster(term=None)
    places = SubcommitteeMember.objects.select_related("seat__holder", "seat__chapter")
    return Roster(
        term=term,
        seats=list(term.seats.select_related("holder", "chapter")),
        subcommittees=list(term.subcommittees.prefetch_related(Prefetch("members", queryset=places))),
    )


# --- feedback ----------------------------------------------------------------------------


def feedback_list_for_user(*, user: User) -> QuerySet[SupportFeedback]:
    """Return the feedback a co-chair may read: all of it for NEC co-chairs, their own subcommittee's otherwise."""
    feedback = SupportFeedback.objects.select_related("chapter", "subcommittee")
    if permissions.VIEW_FEEDBACK.allows(user):
        return feedback
    chaired = SubcommitteeMember.objects.filter(seat__holder=user, cochair_slot__isnull=False).values("subcommittee_id")
    if not user.is_authenticated or not chaired.exists():
        raise Http404
    return feedback.filter(subcommittee_id__in=chaired)


# --- requests for help -------------------------------------------------------------------


def request_list(*, chapter: Chapter) -> QuerySet[AssistanceRequest]:
    """Return the chapter's own requests, newest first."""
    return (
        AssistanceRequest.objects.filter(chapter=chapter)
        .select_related("subcommittee")
        .annotate(comment_count=Count("comments"))
        .order_by("-created_at", "-pk")
    )


def request_get_for_user(*, user: User, chapter_slug: str, pk: int) -> tuple[Membership, AssistanceRequest]:
    """Return the membership and one of its chapter's requests, or raise Http404."""
    membership = membership_get_for_user(
        user=user, chapter_slug=chapter_slug, rule=permissions.VIEW_ASSISTANCE_REQUESTS
    )
    request = get_object_or_404(
        AssistanceRequest.objects.select_related("chapter", "subcommittee"), chapter=membership.chapter, pk=pk
    )
    return membership, request


def request_list_for_nec(
    *, user: User, status: str | None = None, subcommittee: int | None = None, open_only: bool = False
) -> QuerySet[AssistanceRequest]:
    """Return every chapter's requests for the NEC, oldest open first."""
    nec_require(user=user)
    requests = AssistanceRequest.objects.select_related("chapter", "subcommittee").annotate(
        comment_count=Count("comments")
    )
    if open_only:
        requests = requests.filter(status__in=AssistanceRequest.OPEN)
    if status:
        requests = requests.filter(status=status)
    if subcommittee:
        requests = requests.filter(subcommittee_id=subcommittee)
    return requests.order_by(F("closed_at").asc(nulls_first=True), "created_at", "pk")


def request_get_for_nec(*, user: User, pk: int) -> AssistanceRequest:
    """Return any chapter's request to an NEC member, or raise Http404."""
    nec_require(user=user)
    return get_object_or_404(AssistanceRequest.objects.select_related("chapter", "subcommittee"), pk=pk)


def request_comments(*, request: AssistanceRequest) -> QuerySet[Any]:
    """Return the request's conversation, oldest first."""
    return request.comments.select_related("author")


# --- trainings ---------------------------------------------------------------------------


def _reaches_trainings(user: User) -> bool:
    """Members of any chapter and NEC members may see and join trainings."""
    return user.is_authenticated and (
        permissions.RUN_TRAININGS.allows(user) or Membership.objects.filter(user=user).exists()
    )


def training_list(*, user: User, upcoming: bool = True) -> QuerySet[Training]:
    """Return upcoming (or past) trainings with their hosts and places taken."""
    if not _reaches_trainings(user):
        return Training.objects.none()
    now = timezone.now()
    trainings = (
        Training.objects.select_related("host_subcommittee", "host_chapter")
        .annotate(signup_count=Count("signups", distinct=True), material_count=Count("materials", distinct=True))
        .annotate(signed_up=Count("signups", filter=Q(signups__user=user), distinct=True))
    )
    if upcoming:
        return trainings.filter(starts_at__gte=now).order_by("starts_at")
    return trainings.filter(starts_at__lt=now).order_by("-starts_at")


def training_library(*, user: User, search: str = "") -> QuerySet[TrainingMaterial]:
    """Return the materials of past trainings, newest first, optionally searched by title."""
    if not _reaches_trainings(user):
        return TrainingMaterial.objects.none()
    materials = TrainingMaterial.objects.filter(training__starts_at__lt=timezone.now()).select_related(
        "training__host_subcommittee", "training__host_chapter"
    )
    if search.strip():
        materials = materials.filter(Q(title__icontains=search.strip()) | Q(training__title__icontains=search.strip()))
    return materials


def training_get_for_user(*, user: User, pk: int) -> Training:
    """Return a training to anyone who may join it, or raise Http404."""
    if not _reaches_trainings(user):
        raise Http404
    return get_object_or_404(Training.objects.select_related("host_subcommittee", "host_chapter"), pk=pk)


def training_may_host(*, user: User, training: Training) -> bool:
    """Return whether the user runs this training: NEC members for a subcommittee's, organizers for a chapter's."""
    if training.host_subcommittee_id:
        return permissions.RUN_TRAININGS.allows(user)
    membership = Membership.objects.filter(user=user, chapter=training.host_chapter).first()
    return permissions.HOST_TRAINING.allows(membership)


def training_get_for_host(*, user: User, pk: int) -> Training:
    """Return a training to one of its hosts, or raise Http404."""
    training = training_get_for_user(user=user, pk=pk)
    if not training_may_host(user=user, training=training):
        raise Http404
    return training


def training_signups(*, training: Training) -> QuerySet[TrainingSignup]:
    """Return who signed up, with their chapter, for the hosts' attendance sheet."""
    return training.signups.select_related("user", "chapter")


def material_get_for_user(*, user: User, pk: int) -> TrainingMaterial:
    """Return a training material to anyone who may see trainings, or raise Http404."""
    if not _reaches_trainings(user):
        raise Http404
    return get_object_or_404(TrainingMaterial.objects.select_related("training"), pk=pk)


# --- statewide tables --------------------------------------------------------------------


def table_list_for_user(*, user: User) -> QuerySet[StatewideTable]:
    """Return the tables of the user's chapters, or every table to NEC members."""
    tables = StatewideTable.objects.annotate(chapter_count=Count("chapters", distinct=True)).order_by("state")
    if permissions.WORK_ON_REQUESTS.allows(user):
        return tables
    return tables.filter(chapters__memberships__user=user).distinct() if user.is_authenticated else tables.none()


def table_get_for_user(*, user: User, state: str) -> StatewideTable:
    """Return a table to NEC members and members of its chapters, or raise Http404."""
    table = get_object_or_404(table_list_for_user(user=user), state=state.upper())
    return table


def table_detail(*, table: StatewideTable, user: User, shifts: int = 50) -> dict[str, Any]:
    """Return the table's chapters, their upcoming shifts and trainings, and the sharing agreements between them."""
    chapters = list(table.chapters.order_by("name"))
    ids = [chapter.pk for chapter in chapters]
    now = timezone.now()
    return {
        "chapters": chapters,
        "shifts": list(
            Shift.objects.filter(chapter_id__in=ids, starts_at__gte=now)
            .select_related("chapter", "campaign")
            .annotate(signup_count=Count("signups"))
            .order_by("starts_at", "pk")[:shifts]
        ),
        "sharing_chapters": [
            membership.chapter
            for membership in Membership.objects.filter(user=user, chapter_id__in=ids).select_related("chapter")
            if VIEW_PEOPLE.allows(membership)
        ],
        "trainings": list(
            Training.objects.filter(host_chapter_id__in=ids, starts_at__gte=now).select_related("host_chapter")
        ),
        "agreements": list(
            SharingAgreement.objects.filter(chapter_id__in=ids, partner_id__in=ids, revoked_at__isnull=True)
            .select_related("chapter", "partner", "saved_list")
            .order_by("chapter__name", "partner__name")
        ),
    }


# --- capacity ----------------------------------------------------------------------------


def assessment_list(*, chapter: Chapter) -> QuerySet[CapacityAssessment]:
    """Return the chapter's self-assessments, newest quarter first."""
    return CapacityAssessment.objects.filter(chapter=chapter)


@dataclass
class Heatmap:
    """Scores of every chapter across quarters (one capacity or the mean of six), and the latest quarter in full."""

    dimension: str
    periods: list[date]
    rows: list[tuple[str, list[float | None]]]
    latest: list[tuple[str, list[int]]]
    trend: dict[str, list[tuple[str, float]]]


def quarter_label(period: date) -> str:
    """Return a quarter's short label, such as 2026 Q3."""
    return f"{period.year} Q{(period.month - 1) // 3 + 1}"


def capacity_heatmap(*, user: User, dimension: str = "", quarters: int = 4) -> Heatmap:
    """Return the heatmap of the last quarters with assessments (three queries, whatever the chapter count)."""
    nec_require(user=user, rule=permissions.VIEW_CAPACITY_HEATMAP)
    dimension = dimension if dimension in CAPACITY_DIMENSIONS else ""
    periods = sorted(
        CapacityAssessment.objects.values_list("period", flat=True).distinct().order_by("-period")[:quarters]
    )
    scores: dict[tuple[str, date], float] = {}
    latest: dict[str, list[int]] = {}
    rows = CapacityAssessment.objects.filter(period__in=periods).values("chapter__name", "period", *CAPACITY_DIMENSIONS)
    for row in rows:
        values = [row[dimension]] if dimension else [row[name] for name in CAPACITY_DIMENSIONS]
        scores[(row["chapter__name"], row["period"])] = round(sum(values) / len(values), 1)
        if row["period"] == periods[-1]:
            latest[row["chapter__name"]] = [row[name] for name in CAPACITY_DIMENSIONS]
    names = sorted({name for name, _ in scores})
    grid = [(name, [scores.get((name, period)) for period in periods]) for name in names]
    averages = (
        CapacityAssessment.objects.filter(period__in=periods)
        .values("period")
        .annotate(**{name: Avg(name) for name in CAPACITY_DIMENSIONS})
        .order_by("period")
    )
    trend: dict[str, list[tuple[str, float]]] = {name.capitalize(): [] for name in CAPACITY_DIMENSIONS}
    for row in averages:
        averaged: dict[str, Any] = dict(row)
        for name in CAPACITY_DIMENSIONS:
            trend[name.capitalize()].append((quarter_label(averaged["period"]), round(float(averaged[name]), 2)))
    return Heatmap(dimension=dimension, periods=periods, rows=grid, latest=sorted(latest.items()), trend=trend)


# --- reports -----------------------------------------------------------------------------


def report_list(*, user: User) -> QuerySet[Report]:
    """Return every report, drafts included, to the NEC co-chairs."""
    nec_require(user=user, rule=permissions.WRITE_REPORTS)
    return (
        Report.objects.select_related("created_by")
        .annotate(section_count=Count("sections"))
        .order_by("-period_end", "-pk")
    )


def report_get_for_user(*, user: User, pk: int) -> Report:
    """Return one report to an NEC co-chair, or raise Http404."""
    nec_require(user=user, rule=permissions.WRITE_REPORTS)
    return get_object_or_404(Report, pk=pk)


def report_render_get(*, report: Report, pk: int) -> ReportRender:
    """Return one render job of the report, or raise Http404."""
    return get_object_or_404(ReportRender, report=report, pk=pk)


def report_render_latest(*, report: Report) -> ReportRender | None:
    """Return the report's latest render job, if any."""
    return report.renders.order_by("-created_at", "-pk").first()


def public_report_list() -> QuerySet[Report]:
    """Return the published reports, newest period first."""
    return Report.objects.filter(status=Report.Status.PUBLISHED)


def public_report_get(*, slug: str) -> Report:
    """Return a published report by its permanent slug, or raise Http404."""
    return get_object_or_404(Report.objects.prefetch_related("sections"), slug=slug, status=Report.Status.PUBLISHED)
