"""Reads of the vault: every one takes the chapter (or an object already scoped to it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from canvassing.models import Campaign, SurveyQuestion
from chapters.models import Chapter
from data_vault.filters import PeopleFilter, people_filter_parse
from data_vault.importers.records import origin_names
from data_vault.models import (
    ContactEvent,
    ExportJob,
    Household,
    ImportJob,
    Ladder,
    Person,
    Provenance,
    SavedList,
    SharingAgreement,
    Tag,
)

WALK_ORDER = ("precinct", "street_name", "street_side", "house_number", "house_number_suffix", "unit", "id")


def person_filter(*, chapter: Chapter, filters: Mapping[str, Any] | PeopleFilter | None = None) -> QuerySet[Person]:
    """Return the chapter's people matching a filter (validated here; raises ApplicationError)."""
    people_filter = filters if isinstance(filters, PeopleFilter) else people_filter_parse(filters)
    return people_filter.apply(Person.objects.filter(chapter=chapter))


def person_list(*, chapter: Chapter, filters: Mapping[str, Any] | PeopleFilter | None = None) -> QuerySet[Person]:
    """Return the chapter's people for list pages: filtered, with household, phones and tags."""
    return (
        person_filter(chapter=chapter, filters=filters)
        .select_related("household")
        .prefetch_related("tags", "phones", "do_not_contact")
        .order_by("last_name", "first_name", "id")
    )


def person_get(*, chapter: Chapter, pk: int) -> Person:
    """Return one of the chapter's people, or raise Http404."""
    return get_object_or_404(
        Person.objects.select_related("household", "chapter").prefetch_related(
            "tags", "phones", "emails", "do_not_contact"
        ),
        chapter=chapter,
        pk=pk,
    )


def household_get(*, chapter: Chapter, pk: int) -> Household:
    """Return one of the chapter's households, or raise Http404."""
    return get_object_or_404(Household, chapter=chapter, pk=pk)


def household_search(*, chapter: Chapter, q: str, limit: int = 10) -> QuerySet[Household]:
    """Return the chapter's doors where someone matches a name or address search, with how many live there."""
    people = person_filter(chapter=chapter, filters={"q": q}).filter(household__isnull=False)
    return (
        Household.objects.filter(chapter=chapter, pk__in=people.order_by().values("household_id"))
        .annotate(people_count=Count("people"))
        .order_by("street_name", "house_number", "house_number_suffix", "unit", "id")[:limit]
    )


def household_people(*, household: Household) -> QuerySet[Person]:
    """Return the people at a door."""
    return Person.objects.filter(household=household).order_by("last_name", "first_name", "id")


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a person's history: a contact, a ladder step or an import or edit."""

    at: datetime
    kind: str
    title: str
    detail: str
    actor: str


def person_timeline(*, person: Person) -> list[TimelineEntry]:
    """Return the person's contact history, ladder changes and provenance, newest first."""
    entries: list[TimelineEntry] = []
    reached = Q(person=person)
    if person.household_id:
        reached |= Q(household_id=person.household_id, person__isnull=True)
    events = ContactEvent.objects.filter(reached).select_related("campaign", "recorded_by")
    for event in events.order_by("-occurred_at", "-id")[:500]:
        campaign = f" · {event.campaign.name}" if event.campaign else ""
        answers = ", ".join(f"{key}: {value}" for key, value in sorted(event.answers.items()))
        detail = " — ".join(part for part in (answers, event.notes) if part)
        household_only = " (household)" if event.person_id is None else ""
        entries.append(
            TimelineEntry(
                at=event.occurred_at,
                kind="contact",
                title=f"{event.get_channel_display()}: {event.get_result_display()}{household_only}{campaign}",
                detail=detail,
                actor=str(event.recorded_by or ""),
            )
        )
    for change in person.ladder_changes.select_related("actor")[:200]:
        entries.append(
            TimelineEntry(
                at=change.created_at,
                kind="ladder",
                title=f"Ladder: {change.get_previous_display()} → {change.get_level_display()}",
                detail=change.source,
                actor=str(change.actor or ""),
            )
        )
    for record in person_provenance(person=person, limit=200):
        entries.append(
            TimelineEntry(
                at=record.created_at,
                kind="provenance",
                title=f"{record.get_action_display()} by {record.source or 'an edit'}",
                detail=", ".join(record.fields),
                actor=str(record.actor or ""),
            )
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def person_provenance(*, person: Person, limit: int = 50) -> list[Provenance]:
    """Return which imports and edits created or changed the person's fields, newest first; the creation last."""
    records = list(person.provenance.select_related("import_job", "actor")[:limit])
    if person.origin_import_id is None and not person.origin_fields:
        return records
    job = None
    if person.origin_import_id is not None:
        job = ImportJob.objects.select_related("created_by").filter(pk=person.origin_import_id).first()
    # The import that created the person keeps it on the person itself (Person.origin_fields).
    created = Provenance(
        person=person,
        import_job=job,
        action=Provenance.Action.CREATED,
        fields=origin_names(person.origin_fields),
        source=job.original_name if job else "an import",
        actor=job.created_by if job else None,
        created_at=person.created_at,
    )
    return [*records, created]


def contact_event_list(*, chapter: Chapter) -> QuerySet[ContactEvent]:
    """Return the chapter's contact history, newest first."""
    return ContactEvent.objects.filter(chapter=chapter).select_related("person", "household", "campaign", "recorded_by")


def contact_event_get(*, chapter: Chapter, pk: int) -> ContactEvent:
    """Return one of the chapter's contact events, or raise Http404."""
    return get_object_or_404(ContactEvent, chapter=chapter, pk=pk)


def tag_list(*, chapter: Chapter) -> QuerySet[Tag]:
    """Return the chapter's tags by name."""
    return Tag.objects.filter(chapter=chapter).order_by("name")


def saved_list_list(*, chapter: Chapter) -> QuerySet[SavedList]:
    """Return the chapter's saved lists by name."""
    return SavedList.objects.filter(chapter=chapter).select_related("created_by").order_by("name")


def saved_list_get(*, chapter: Chapter, pk: int) -> SavedList:
    """Return one of the chapter's own saved lists, or raise Http404."""
    return get_object_or_404(SavedList.objects.select_related("chapter", "created_by"), chapter=chapter, pk=pk)


def saved_list_people(*, saved_list: SavedList) -> QuerySet[Person]:
    """Return the people a saved list holds now, in name order."""
    return person_filter(chapter=saved_list.chapter, filters=saved_list.filters).order_by(
        "last_name", "first_name", "id"
    )


def saved_list_households(*, saved_list: SavedList) -> QuerySet[Household]:
    """Return the doors of a saved list's people, in walking order: precinct, street, side, number."""
    people = person_filter(chapter=saved_list.chapter, filters=saved_list.filters)
    return (
        Household.objects.filter(chapter=saved_list.chapter)
        .filter(Exists(people.filter(household_id=OuterRef("pk"))))
        .order_by(*WALK_ORDER)
    )


def saved_list_households_with_people(*, saved_list: SavedList) -> QuerySet[Household]:
    """Return the list's doors in walking order, each with only the list's people prefetched."""
    people = person_filter(chapter=saved_list.chapter, filters=saved_list.filters).order_by("last_name", "first_name")
    return saved_list_households(saved_list=saved_list).prefetch_related(
        Prefetch("people", queryset=people, to_attr="listed_people")
    )


def campaign_choices(*, chapter: Chapter) -> QuerySet[Campaign]:
    """Return the chapter's campaigns, for filters and the contact log."""
    return Campaign.objects.filter(chapter=chapter).order_by("name")


def survey_question_choices(*, chapter: Chapter) -> QuerySet[SurveyQuestion]:
    """Return the survey questions of the chapter's campaigns, with their answers, for the answer filter."""
    return (
        SurveyQuestion.objects.filter(campaign__chapter=chapter)
        .select_related("campaign")
        .prefetch_related("options")
        .order_by("campaign__name", "position", "id")
    )


def filters_query(filters: Mapping[str, Any]) -> str:
    """Return a stored filter as the people list's query string."""
    return urlencode({key: value if isinstance(value, list) else [value] for key, value in filters.items()}, doseq=True)


FILTER_LABELS = {
    "q": "Search",
    "precinct": "Precinct",
    "county": "County",
    "congressional_district": "Congressional district",
    "state_senate_district": "State senate district",
    "state_house_district": "State house district",
    "municipality": "Municipality",
    "ward": "Ward or council district",
    "zip5": "Zip",
    "party": "Party",
    "registration_status": "Registration",
    "age_min": "Age at least",
    "age_max": "Age at most",
    "ladder": "Ladder",
    "ladder_min": "Ladder at least",
    "tags": "Tagged",
    "tags_exclude": "Not tagged",
    "support_min": "Support score from",
    "support_max": "Support score to",
    "answer_question": "Survey question",
    "answer_value": "Answer",
    "answer_campaign": "Answer in campaign",
    "contact": "Contact",
    "contact_campaign": "In campaign",
    "do_not_contact": "Do not contact",
    "contactable": "Reachable by",
}


def filter_labels(filters: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return a stored filter as (label, value) pairs a person can read."""
    return [
        (FILTER_LABELS.get(key, key), ", ".join(map(str, value)) if isinstance(value, list) else str(value))
        for key, value in filters.items()
    ]


def sharing_agreement_list(*, saved_list: SavedList) -> QuerySet[SharingAgreement]:
    """Return the agreements sharing one list, active first."""
    return (
        SharingAgreement.objects.filter(saved_list=saved_list)
        .select_related("partner", "created_by", "revoked_by")
        .order_by("revoked_at", "-created_at")
    )


def tag_get(*, chapter: Chapter, pk: int) -> Tag:
    """Return one of the chapter's tags, or raise Http404."""
    return get_object_or_404(Tag, chapter=chapter, pk=pk)


def person_duplicates(*, person: Person, q: str = "") -> QuerySet[Person]:
    """Return people who may be the same as this one: same name, or matching a search."""
    people = Person.objects.filter(chapter_id=person.chapter_id).exclude(pk=person.pk).select_related("household")
    if q:
        people = person_filter(chapter=person.chapter, filters={"q": q}).exclude(pk=person.pk)
    else:
        people = people.filter(name_key=person.name_key) if person.name_key.strip("|") else people.none()
    return people.select_related("household").order_by("last_name", "first_name", "id")[:25]


def list_export_get(*, chapter: Chapter, pk: int) -> ExportJob:
    """Return one of the chapter's list exports, or raise Http404."""
    return get_object_or_404(
        ExportJob.objects.select_related("chapter", "saved_list", "created_by"),
        chapter=chapter,
        kind=ExportJob.Kind.LIST,
        pk=pk,
    )


def list_export_list(*, chapter: Chapter) -> QuerySet[ExportJob]:
    """Return the chapter's list exports, newest first."""
    return (
        ExportJob.objects.filter(chapter=chapter, kind=ExportJob.Kind.LIST)
        .select_related("saved_list", "created_by")
        .order_by("-created_at")
    )


def sharing_partner_choices(*, chapter: Chapter) -> QuerySet[Chapter]:
    """Return the chapters a list can be shared with: the rest of the chapter's statewide table."""
    return Chapter.objects.filter(statewide_tables__chapters=chapter).exclude(pk=chapter.pk).distinct().order_by("name")


def sharing_agreements_given(*, chapter: Chapter) -> QuerySet[SharingAgreement]:
    """Return the lists the chapter shares with others, active first."""
    return (
        SharingAgreement.objects.filter(chapter=chapter)
        .select_related("partner", "saved_list", "created_by", "revoked_by")
        .order_by("revoked_at", "-created_at")
    )


def sharing_agreements_received(*, chapter: Chapter) -> QuerySet[SharingAgreement]:
    """Return the lists other chapters share with this one, active first."""
    return (
        SharingAgreement.objects.filter(partner=chapter)
        .select_related("chapter", "saved_list", "revoked_by")
        .order_by("revoked_at", "-created_at")
    )


def sharing_agreement_given_get(*, chapter: Chapter, pk: int) -> SharingAgreement:
    """Return an agreement the chapter gave, or raise Http404."""
    return get_object_or_404(
        SharingAgreement.objects.select_related("chapter", "partner", "saved_list"), chapter=chapter, pk=pk
    )


def shared_list_get(*, partner: Chapter, pk: int) -> SharingAgreement:
    """Return an active agreement sharing a list with the partner chapter, or raise Http404."""
    return get_object_or_404(
        SharingAgreement.objects.select_related("chapter", "partner", "saved_list", "saved_list__chapter"),
        partner=partner,
        revoked_at__isnull=True,
        pk=pk,
    )


def shared_list_people(*, agreement: SharingAgreement) -> QuerySet[Person]:
    """Return the people a shared list holds now: only what the agreement covers, name and door."""
    saved_list = agreement.saved_list
    return (
        person_filter(chapter=saved_list.chapter, filters=saved_list.filters)
        .select_related("household")
        .only(*SHARED_FIELDS)
        .order_by("last_name", "first_name", "id")
    )


# What a partner chapter sees of a shared list's people: enough to knock the door, nothing of the history.
SHARED_FIELDS = (
    "id", "first_name", "last_name", "precinct", "household__house_number", "household__house_number_suffix",
    "household__street_name", "household__unit", "household__city", "household__zip5",
)  # fmt: skip


@dataclass(frozen=True)
class VaultFigures:
    """The vault at a glance, for the chapter overview."""

    people: int
    households: int
    contacts_recent: int
    # People above "unknown", lowest level first: an import's unplaced voters would dwarf every bar.
    ladder: list[tuple[str, float]]


RECENT_DAYS = 30


def vault_figures(*, chapter: Chapter) -> VaultFigures:
    """Return the chapter's counts of people, households and recent contacts, and its ladder above unknown."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    climbed = Person.objects.filter(chapter=chapter).exclude(ladder=Ladder.UNKNOWN)  # the person_ladder_climbed index
    counts = dict(climbed.order_by().values_list("ladder").annotate(total=Count("id")))
    return VaultFigures(
        people=Person.objects.filter(chapter=chapter).count(),
        households=Household.objects.filter(chapter=chapter).count(),
        contacts_recent=ContactEvent.objects.filter(chapter=chapter, occurred_at__gte=since).count(),
        ladder=[(str(label), counts.get(level, 0)) for level, label in Ladder.choices if level != Ladder.UNKNOWN],
    )


def person_ladder_counts(*, people: QuerySet[Person]) -> list[tuple[str, float]]:
    """Return how many of these people stand on each ladder level, lowest level first."""
    counts = dict(people.order_by().values_list("ladder").annotate(total=Count("id")))
    return [(str(label), counts.get(level, 0)) for level, label in Ladder.choices]
