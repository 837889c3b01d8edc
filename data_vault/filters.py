"""
The people filter: one definition shared by the people list, saved lists, the API and exports.

A filter is a small JSON-able dict (stored as ``SavedList.filters``, sent as
query parameters). ``people_filter_parse`` validates it into a ``PeopleFilter``;
``PeopleFilter.apply`` narrows a queryset of one chapter's people.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, TextField
from django.utils import timezone

from core.errors import ApplicationError
from data_vault.models import DNC_CHANNELS, LADDER_RANK, ContactEvent, DoNotContact, Email, Ladder, Person, Phone

CONTACT_CHOICES = {
    "reached": "Talked with them",
    "not_reached": "Not talked with them",
    "attempted": "Tried to reach them (any result)",
    "not_attempted": "Never tried",
}
DISTRICT_FIELDS = (
    "precinct",
    "county",
    "congressional_district",
    "state_senate_district",
    "state_house_district",
    "municipality",
    "ward",
    "zip5",
)
QUESTION_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
EMAIL_LIKE = re.compile(r"^[^@\s]+@[^@\s]+$")
PHONE_LIKE = re.compile(r"^[\d\s().+-]+$")
SEARCH_WORD = re.compile(r"[^\W_]+")


class AnswerText(Func):
    """The answer to one survey question as text; numeric question ids are keys, not array positions."""

    output_field = TextField()

    def __init__(self, question: str) -> None:
        super().__init__(F("answers"))
        self.question = question

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} ->> %s::text)", (*params, self.question)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(json_extract({sql}, %s) AS TEXT)", (*params, f'$."{self.question}"')


class SearchWords(Func):
    """
    Whether a person's search text holds a word starting with each searched word.

    On PostgreSQL this is the expression the person_precinct_words index holds,
    so the search reads the index. On SQLite each word is looked for anywhere.
    """

    output_field = BooleanField()

    def __init__(self, words: list[str]) -> None:
        super().__init__(F("search_text"))
        self.words = words

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        query = " & ".join(f"'{word.lower()}':*" for word in self.words)
        return (
            f"to_tsvector('simple'::regconfig, {sql}) @@ to_tsquery('simple'::regconfig, %s)",
            (*params, query),
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.source_expressions[0])
        condition = " AND ".join(f"instr({sql}, %s) > 0" for _ in self.words)
        return f"({condition})", tuple(value for word in self.words for value in (*params, word.upper()))


@dataclass
class PeopleFilter:
    """A validated people filter; empty fields filter nothing."""

    q: str = ""
    precinct: list[str] = field(default_factory=list)
    county: list[str] = field(default_factory=list)
    congressional_district: list[str] = field(default_factory=list)
    state_senate_district: list[str] = field(default_factory=list)
    state_house_district: list[str] = field(default_factory=list)
    municipality: list[str] = field(default_factory=list)
    ward: list[str] = field(default_factory=list)
    zip5: list[str] = field(default_factory=list)
    party: list[str] = field(default_factory=list)
    registration_status: list[str] = field(default_factory=list)
    age_min: int | None = None
    age_max: int | None = None
    ladder: list[str] = field(default_factory=list)
    ladder_min: str = ""
    tags: list[str] = field(default_factory=list)
    tags_exclude: list[str] = field(default_factory=list)
    support_min: int | None = None
    support_max: int | None = None
    answer_question: str = ""
    answer_value: str = ""
    answer_campaign: int | None = None
    contact: str = ""
    contact_campaign: int | None = None
    do_not_contact: str = ""
    contactable: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the filter as a compact dict, leaving out empty fields."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in ("", None, [])}

    def is_empty(self) -> bool:
        return not self.to_dict()

    def campaign_ids(self) -> set[int]:
        """Return the campaigns the filter names, to check they are the chapter's."""
        return {pk for pk in (self.answer_campaign, self.contact_campaign) if pk is not None}

    def apply(self, people: QuerySet[Person]) -> QuerySet[Person]:
        """Narrow one chapter's people to those the filter describes."""
        if self.q:
            people = people.filter(self._search_q())
        for name in DISTRICT_FIELDS:
            values = getattr(self, name)
            if values:
                lookup = "household__zip5__in" if name == "zip5" else f"{name}__in"
                people = people.filter(**{lookup: values})
        if self.party:
            people = people.filter(party__in=self.party)
        if self.registration_status:
            people = people.filter(registration_status__in=self.registration_status)
        year = timezone.localdate().year
        if self.age_min is not None:
            people = people.filter(birth_year__lte=year - self.age_min)
        if self.age_max is not None:
            people = people.filter(birth_year__gte=year - self.age_max)
        if self.ladder:
            people = people.filter(ladder__in=self.ladder)
        if self.ladder_min:
            people = people.filter(
                ladder__in=[lv for lv, rank in LADDER_RANK.items() if rank >= LADDER_RANK[self.ladder_min]]
            )
        if self.tags:
            people = people.filter(
                Exists(Person.tags.through.objects.filter(person=OuterRef("pk"), tag__name__in=self.tags))
            )
        if self.tags_exclude:
            people = people.exclude(
                Exists(Person.tags.through.objects.filter(person=OuterRef("pk"), tag__name__in=self.tags_exclude))
            )
        if self.support_min is not None:
            people = people.filter(support_score__gte=self.support_min)
        if self.support_max is not None:
            people = people.filter(support_score__lte=self.support_max)
        if self.answer_question:
            people = people.filter(self._answer_q())
        if self.contact:
            people = self._apply_contact(people)
        if self.do_not_contact:
            dnc = DoNotContact.objects.filter(person=OuterRef("pk"))
            if self.do_not_contact != "any":
                dnc = dnc.filter(channel=self.do_not_contact)
            people = people.filter(Exists(dnc))
        if self.contactable:
            people = self._apply_contactable(people)
        return people

    def _search_q(self) -> Q:
        """Match every word against name, address and voter id; a phone or an email on its own."""
        text = self.q.strip()
        if EMAIL_LIKE.match(text):
            return Q(Exists(Email.objects.filter(person=OuterRef("pk"), address=text.lower())))
        words = SEARCH_WORD.findall(text)
        matched = Q(SearchWords(words)) if words else Q()
        digits = re.sub(r"\D", "", text)
        if PHONE_LIKE.match(text) and len(digits) >= 7:
            # Nine digits may be a voter id as well as a phone number.
            return matched | Q(Exists(Phone.objects.filter(person=OuterRef("pk"), number__endswith=digits[-10:])))
        return matched

    def _answer_q(self) -> Q:
        events = ContactEvent.objects.annotate(answer=AnswerText(self.answer_question)).filter(person=OuterRef("pk"))
        events = events.filter(answer=self.answer_value) if self.answer_value else events.filter(answer__isnull=False)
        if self.answer_campaign is not None:
            events = events.filter(campaign_id=self.answer_campaign)
        return Q(Exists(events))

    def _apply_contact(self, people: QuerySet[Person]) -> QuerySet[Person]:
        events = ContactEvent.objects.all()
        if self.contact_campaign is not None:
            events = events.filter(campaign_id=self.contact_campaign)
        if self.contact in ("reached", "not_reached"):
            events = events.filter(person=OuterRef("pk"), result=ContactEvent.Result.CONTACT)
        else:
            # A door result for the whole household counts as an attempt on everyone there.
            events = events.filter(
                Q(person=OuterRef("pk")) | Q(person__isnull=True, household_id=OuterRef("household_id"))
            )
        if self.contact in ("reached", "attempted"):
            return people.filter(Exists(events))
        return people.exclude(Exists(events))

    def _apply_contactable(self, people: QuerySet[Person]) -> QuerySet[Person]:
        people = people.exclude(Exists(DoNotContact.objects.filter(person=OuterRef("pk"), channel=self.contactable)))
        if self.contactable == "door":
            return people.filter(household__isnull=False)
        if self.contactable == "email":
            return people.filter(Exists(Email.objects.filter(person=OuterRef("pk"))))
        phones = Phone.objects.filter(person=OuterRef("pk"))
        if self.contactable == "text":
            phones = phones.filter(kind=Phone.Kind.CELL)
        return people.filter(Exists(phones))


def _strings(raw: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(raw, "getlist", None)
    value: Any = getlist(name) if getlist else raw.get(name, [])
    if isinstance(value, str | int):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ApplicationError(f"The {name.replace('_', ' ')} filter must be a list of values.")
    cleaned = []
    for item in value:
        if not isinstance(item, str | int) or isinstance(item, bool):
            raise ApplicationError(f"The {name.replace('_', ' ')} filter must be a list of values.")
        text = " ".join(str(item).split())
        if len(text) > 100:
            raise ApplicationError(f"A {name.replace('_', ' ')} value is too long.")
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def _string(raw: Mapping[str, Any], name: str, *, choices: Mapping[str, Any] | None = None) -> str:
    values = _strings(raw, name)
    if len(values) > 1:
        raise ApplicationError(f"Give one {name.replace('_', ' ')}, not several.")
    value = values[0] if values else ""
    if value and choices is not None and value not in choices:
        raise ApplicationError(f"{value!r} is not a valid {name.replace('_', ' ')}.")
    return value


def _integer(raw: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    value = _string(raw, name)
    if not value:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise ApplicationError(f"The {name.replace('_', ' ')} must be a whole number from {low} to {high}.")
    return int(value)


def _choices(raw: Mapping[str, Any], name: str, choices: Mapping[str, Any]) -> list[str]:
    values = _strings(raw, name)
    wrong = [value for value in values if value not in choices]
    if wrong:
        raise ApplicationError(f"{wrong[0]!r} is not a valid {name.replace('_', ' ')}.")
    return values


def people_filter_parse(raw: Mapping[str, Any] | None) -> PeopleFilter:
    """Validate a filter from a form, query string or stored JSON; refuse unknown or bad values."""
    raw = raw or {}
    known = {f.name for f in fields(PeopleFilter)}
    unknown = sorted(set(raw.keys()) - known - {"page", "page_size", "format", "sort"})
    if unknown:
        raise ApplicationError(f"Unknown filter: {', '.join(unknown)}.")
    ladder_choices = dict(Ladder.choices)
    channels = {c.value: c.label for c in DNC_CHANNELS}
    people_filter = PeopleFilter(
        q=_string(raw, "q")[:100],
        party=[p.upper() for p in _strings(raw, "party")],
        registration_status=_choices(raw, "registration_status", dict(Person.RegistrationStatus.choices)),
        age_min=_integer(raw, "age_min", 0, 130),
        age_max=_integer(raw, "age_max", 0, 130),
        ladder=_choices(raw, "ladder", ladder_choices),
        ladder_min=_string(raw, "ladder_min", choices=ladder_choices),
        tags=_strings(raw, "tags"),
        tags_exclude=_strings(raw, "tags_exclude"),
        support_min=_integer(raw, "support_min", 1, 5),
        support_max=_integer(raw, "support_max", 1, 5),
        answer_question=_string(raw, "answer_question"),
        answer_value=_string(raw, "answer_value"),
        answer_campaign=_integer(raw, "answer_campaign", 1, 2**62),
        contact=_string(raw, "contact", choices=CONTACT_CHOICES),
        contact_campaign=_integer(raw, "contact_campaign", 1, 2**62),
        do_not_contact=_string(raw, "do_not_contact", choices={"any": "any", **channels}),
        contactable=_string(raw, "contactable", choices=channels),
    )
    for name in DISTRICT_FIELDS:
        setattr(people_filter, name, [value.upper() for value in _strings(raw, name)])
    low, high = people_filter.age_min, people_filter.age_max
    if low is not None and high is not None and low > high:
        raise ApplicationError("The lowest age is above the highest age.")
    low, high = people_filter.support_min, people_filter.support_max
    if low is not None and high is not None and low > high:
        raise ApplicationError("The lowest support score is above the highest.")
    if people_filter.answer_question and not QUESTION_KEY.match(people_filter.answer_question):
        raise ApplicationError("Choose a survey question.")
    if (people_filter.answer_value or people_filter.answer_campaign) and not people_filter.answer_question:
        raise ApplicationError("Choose the survey question the answer is for.")
    if people_filter.contact_campaign and not people_filter.contact:
        raise ApplicationError("Say whether you want people contacted or not contacted in that campaign.")
    return people_filter


# Fields a person types as "01, 02": one text box for several values.
COMMA_FIELDS = (*DISTRICT_FIELDS, "party")
# Query parameters of the list pages that are not part of the filter.
PAGE_PARAMETERS = ("page", "list", "page_size", "format", "sort")


def people_filter_query(query: Mapping[str, Any]) -> dict[str, list[str]]:
    """Return a query string's filter as lists, splitting comma-separated districts and parties."""
    getlist = getattr(query, "getlist", None)
    raw: dict[str, list[str]] = {}
    for key in query:
        if key in PAGE_PARAMETERS:
            continue
        values = getlist(key) if getlist else query[key]
        values = values if isinstance(values, list) else [values]
        if key in COMMA_FIELDS:
            values = [part for value in values for part in str(value).split(",")]
        values = [value for value in (str(v).strip() for v in values) if value]
        if values:
            raw[key] = values
    return raw
