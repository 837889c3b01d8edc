"""Progress and quality figures of a campaign: doors, contacts, contact rate, answers; by turf, shift, canvasser."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from canvassing.models import Campaign, DoorVisit, SurveyQuestion
from data_vault.models import ContactEvent


@dataclass(frozen=True)
class Tally:
    """Doors knocked and conversations had, for one slice of a campaign."""

    label: str
    attempts: int
    doors: int
    contacts: int

    @property
    def contact_rate(self) -> float:
        return self.contacts / self.attempts if self.attempts else 0.0

    @property
    def contact_percent(self) -> int:
        return round(self.contact_rate * 100)


def counted_visits(*, campaign: Campaign) -> QuerySet[DoorVisit]:
    """Return the campaign's results that count: rolled-back ones are gone from the vault."""
    return DoorVisit.objects.filter(campaign=campaign).exclude(review=DoorVisit.Review.ROLLED_BACK)


TALLY = {
    "attempts": Count("id"),
    "doors": Count("household_id", distinct=True),
    "contacts": Count("id", filter=Q(result=ContactEvent.Result.CONTACT)),
}


def campaign_totals(*, campaign: Campaign) -> Tally:
    """Return the whole campaign's figures."""
    row = counted_visits(campaign=campaign).aggregate(**TALLY)
    return Tally(label=campaign.name, **row)


def campaign_breakdown(*, campaign: Campaign, by: str) -> list[Tally]:
    """Return figures per turf, shift or canvasser, in one query."""
    label_field = {"turf": "turf__name", "shift": "shift__starts_at", "canvasser": "canvasser__email"}[by]
    rows = counted_visits(campaign=campaign).values(label_field).annotate(**TALLY).order_by(label_field)
    tallies = []
    for row in rows:
        label = row[label_field]
        if by == "shift":
            label = f"{label:%a %d %b %H:%M}" if label else "No shift"
        tallies.append(Tally(label=str(label or "—"), attempts=row["attempts"], doors=row["doors"],
                             contacts=row["contacts"]))  # fmt: skip
    return tallies


def campaign_doors_by_day(*, campaign: Campaign) -> list[tuple[str, float]]:
    """Return doors knocked per day."""
    rows = (
        counted_visits(campaign=campaign)
        .annotate(day=TruncDate("occurred_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return [(f"{row['day']:%b %d}", float(row["n"])) for row in rows]


@dataclass(frozen=True)
class AnswerCount:
    """How often each answer to one question was given."""

    question: SurveyQuestion
    counts: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


def campaign_answers(*, campaign: Campaign, questions: list[SurveyQuestion]) -> list[AnswerCount]:
    """Return the answer counts of each choice question."""
    counts: dict[str, Counter[str]] = {}
    given_answers = counted_visits(campaign=campaign).exclude(answers={}).values_list("answers", flat=True)
    for answers in given_answers.iterator(chunk_size=2000):
        for key, value in answers.items():
            for part in str(value).split("|"):
                counts.setdefault(key, Counter())[part] += 1
    answers = []
    for question in questions:
        if not question.has_options:
            continue
        given = counts.get(str(question.pk), Counter())
        answers.append(
            AnswerCount(question=question, counts=[(o.label, given[o.value]) for o in question.options.all()])
        )
    return answers
