"""
The report's figures: national aggregates in a fixed, small number of SQL queries.

Every figure is a count, a sum, an average or a median across chapters; no row
names a person. The number of queries does not grow with the number of chapters.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from canvassing.models import Campaign
from chapters.models import Chapter
from committee.models import CAPACITY_DIMENSIONS, AssistanceRequest, CapacityAssessment, Training
from data_vault.models import Channel, ContactEvent
from endorsements.models import EndorsementStatus, NationalRequest

ELECTORAL_KINDS = (Campaign.Kind.CANDIDATE, Campaign.Kind.BALLOT_MEASURE)
# Results that mean someone was reached, on any channel.
CONVERSATIONS = (ContactEvent.Result.CONTACT, ContactEvent.Result.REPLIED, ContactEvent.Result.ATTENDED)


def _bounds(period_start: date, period_end: date) -> tuple[datetime, datetime]:
    """Return the period as aware datetimes, the end exclusive."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(period_start, time.min, tzinfo=zone)
    end = datetime.combine(period_end + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def campaign_figures(period_start: date, period_end: date) -> dict[str, int]:
    """Count the campaigns running in the period, and the chapters doing electoral work (one query)."""
    running = Campaign.objects.exclude(status=Campaign.Status.DRAFT).filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=period_end),
        Q(ends_on__isnull=True) | Q(ends_on__gte=period_start),
    )
    electoral = Q(kind__in=ELECTORAL_KINDS)
    counts = running.aggregate(
        campaigns=Count("id"),
        electoral_campaigns=Count("id", filter=electoral),
        issue_campaigns=Count("id", filter=~electoral),
        chapters_electoral=Count("chapter", distinct=True, filter=electoral),
        chapters_active=Count("chapter", distinct=True),
    )
    counts["chapters_total"] = Chapter.objects.count()
    return counts


def contact_figures(period_start: date, period_end: date) -> dict[str, Any]:
    """Count doors knocked, conversations and all contact attempts, by month (one query)."""
    start, end = _bounds(period_start, period_end)
    rows = (
        ContactEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .annotate(
            doors=Count("id", filter=Q(channel=Channel.DOOR)),
            conversations=Count("id", filter=Q(result__in=CONVERSATIONS)),
            attempts=Count("id"),
        )
        .order_by("month")
    )
    months = [
        {
            "month": row["month"].strftime("%Y-%m"),
            "doors": row["doors"],
            "conversations": row["conversations"],
            "attempts": row["attempts"],
        }
        for row in rows
    ]
    return {
        "doors": sum(m["doors"] for m in months),
        "conversations": sum(m["conversations"] for m in months),
        "attempts": sum(m["attempts"] for m in months),
        "by_month": months,
    }


def endorsement_figures(period_start: date, period_end: date) -> dict[str, int]:
    """Count the national endorsement requests filed in the period by where they stand now (one query)."""
    start, end = _bounds(period_start, period_end)
    rows = (
        NationalRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .values("endorsement__status")
        .annotate(n=Count("pk"))
        .order_by("endorsement__status")
    )
    return {str(EndorsementStatus(row["endorsement__status"]).label): row["n"] for row in rows}


def assistance_figures(period_start: date, period_end: date) -> dict[str, Any]:
    """Count requests opened and closed in the period, open at its end, and the median days to close (one query)."""
    start, end = _bounds(period_start, period_end)
    rows = AssistanceRequest.objects.filter(
        Q(created_at__lt=end), Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    ).values_list("created_at", "closed_at", "kind")
    opened = closed = still_open = 0
    days: list[float] = []
    by_kind: dict[str, int] = {}
    for created_at, closed_at, kind in rows:
        if created_at >= start:
            opened += 1
            label = str(AssistanceRequest.Kind(kind).label)
            by_kind[label] = by_kind.get(label, 0) + 1
        if closed_at is not None and start <= closed_at < end:
            closed += 1
            days.append((closed_at - created_at).total_seconds() / 86400)
        if closed_at is None or closed_at >= end:
            still_open += 1
    return {
        "opened": opened,
        "closed": closed,
        "open_at_end": still_open,
        "median_days_to_close": round(statistics.median(days), 1) if days else None,
        "opened_by_kind": dict(sorted(by_kind.items())),
    }


def training_figures(period_start: date, period_end: date) -> dict[str, int]:
    """Count trainings held in the period, their sign-ups and attendance (one query)."""
    start, end = _bounds(period_start, period_end)
    return Training.objects.filter(starts_at__gte=start, starts_at__lt=end).aggregate(
        held=Count("id", distinct=True),
        signed_up=Count("signups"),
        attended=Count("signups", filter=Q(signups__attended=True)),
        chapters_attending=Count("signups__chapter", distinct=True, filter=Q(signups__attended=True)),
    )


def capacity_figures(period_start: date, period_end: date) -> dict[str, Any]:
    """Average the chapters' self-assessments for quarters in the period (one query)."""
    quarter = date(period_start.year, (period_start.month - 1) // 3 * 3 + 1, 1)
    averages = CapacityAssessment.objects.filter(period__gte=quarter, period__lte=period_end).aggregate(
        assessments=Count("id"),
        chapters=Count("chapter", distinct=True),
        **{name: Avg(name) for name in CAPACITY_DIMENSIONS},
    )
    return {
        "assessments": averages.pop("assessments"),
        "chapters": averages.pop("chapters"),
        "averages": {name: round(value, 2) if value is not None else None for name, value in averages.items()},
    }


def report_figures(*, period_start: date, period_end: date) -> dict[str, Any]:
    """Return every figure of a report for the period, as JSON-ready aggregates."""
    return {
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat()},
        "campaigns": campaign_figures(period_start, period_end),
        "contacts": contact_figures(period_start, period_end),
        "endorsements": endorsement_figures(period_start, period_end),
        "assistance": assistance_figures(period_start, period_end),
        "trainings": training_figures(period_start, period_end),
        "capacity": capacity_figures(period_start, period_end),
    }
