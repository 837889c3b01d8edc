"""Writes to the vault: contact history, the ladder, tags, support, do-not-contact, lists, merges and erasure."""

from __future__ import annotations

import csv
import io
import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, models, transaction
from django.db.models import IntegerField, Value
from django.utils import timezone
from django.utils.crypto import salted_hmac

from chapters.models import Chapter
from core.errors import ApplicationError
from core.exports import csv_safe_row
from core.models import AuditEvent, User
from core.services import audit_record, job_finish, job_is_cancelled, job_progress, job_start
from core.tasks import TRANSIENT_ERRORS
from data_vault.filters import people_filter_parse
from data_vault.importers import normalize, records
from data_vault.importers.presets import FIELD_LABELS
from data_vault.models import (
    DNC_CHANNELS,
    LADDER_RANK,
    PERSON_EDITABLE,
    Channel,
    ContactEvent,
    DoNotContact,
    Email,
    Erasure,
    ExportJob,
    Household,
    ImportJob,
    Ladder,
    LadderChange,
    Person,
    Phone,
    Provenance,
    SavedList,
    SharingAgreement,
    Tag,
)

if TYPE_CHECKING:
    from canvassing.models import Campaign

# Results that mean "stop reaching me this way".
OPT_OUT_RESULTS = {ContactEvent.Result.OPTED_OUT}
MAX_ANSWERS = 100


def _answers_clean(answers: Mapping[Any, Any] | None) -> dict[str, Any]:
    if answers is None:
        return {}
    if not isinstance(answers, Mapping):
        raise ApplicationError("Survey answers must map each question to its answer.")
    if len(answers) > MAX_ANSWERS:
        raise ApplicationError("Too many survey answers.")
    cleaned: dict[str, Any] = {}
    for key, value in answers.items():
        if not isinstance(key, str | int) or isinstance(key, bool) or not str(key).strip():
            raise ApplicationError("Each survey answer needs its question's id.")
        if value is not None and not isinstance(value, str | int | bool):
            raise ApplicationError("Each survey answer must be a single value.")
        if isinstance(value, str) and len(value) > 500:
            raise ApplicationError("A survey answer is too long.")
        cleaned[str(key).strip()] = value
    return cleaned


def _same_chapter(chapter: Chapter, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.chapter_id != chapter.pk:
            raise ApplicationError("That record does not belong to this chapter.")


@transaction.atomic
def contact_event_record(
    *,
    chapter: Chapter,
    recorded_by: User | None,
    channel: str,
    result: str,
    household: Household | None = None,
    person: Person | None = None,
    answers: Mapping[Any, Any] | None = None,
    notes: str = "",
    occurred_at: datetime | None = None,
    campaign: Campaign | None = None,
    client_uuid: uuid.UUID | str | None = None,
) -> tuple[ContactEvent, bool]:
    """
    Record one interaction; return it and whether it is new.

    A result re-sent with the same ``client_uuid`` returns the event already
    recorded (created is False) and changes nothing.
    """
    if client_uuid is not None and not isinstance(client_uuid, uuid.UUID):
        try:
            client_uuid = uuid.UUID(str(client_uuid))
        except ValueError as error:
            raise ApplicationError("The client UUID is not a valid UUID.") from error
    if client_uuid is not None:
        existing = ContactEvent.objects.filter(chapter=chapter, client_uuid=client_uuid).first()
        if existing is not None:
            return existing, False
    if channel not in Channel.values:
        raise ApplicationError(f"{channel!r} is not a contact channel.")
    if result not in ContactEvent.Result.values:
        raise ApplicationError(f"{result!r} is not a contact result.")
    if person is None and household is None:
        raise ApplicationError("Say who was contacted: a person or a household.")
    _same_chapter(chapter, person, household, campaign)
    if household is None and person is not None:
        household = person.household
    if occurred_at is not None and occurred_at > timezone.now() + timedelta(minutes=10):
        raise ApplicationError("A contact cannot happen in the future.")
    if len(notes) > 5000:
        raise ApplicationError("The notes are too long.")
    event = ContactEvent(
        chapter=chapter,
        person=person,
        household=household,
        campaign=campaign,
        channel=channel,
        result=result,
        answers=_answers_clean(answers),
        notes=notes.strip(),
        recorded_by=recorded_by,
        occurred_at=occurred_at or timezone.now(),
        client_uuid=client_uuid,
    )
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        # Two copies of the same result raced; the first one in wins.
        existing = ContactEvent.objects.filter(chapter=chapter, client_uuid=client_uuid).first()
        if existing is None or client_uuid is None:
            raise
        return existing, False
    if result in OPT_OUT_RESULTS and person is not None and channel in [c.value for c in DNC_CHANNELS]:
        person_do_not_contact_set(
            person=person,
            channel=channel,
            reason=f"Opted out ({event.get_result_display()})",
            actor=recorded_by,
            contact_event=event,
        )
    return event, True


@transaction.atomic
def person_ladder_raise(
    *, person: Person, level: str, actor: User | None, source: str, contact_event: ContactEvent | None = None
) -> LadderChange | None:
    """Raise a person on the ladder to ``level``; never lower. Return the change, or None if none."""
    if level not in Ladder.values:
        raise ApplicationError(f"{level!r} is not a ladder level.")
    lower = [value for value, rank in LADDER_RANK.items() if rank < LADDER_RANK[level]]
    current = Person.objects.select_for_update().filter(pk=person.pk).values_list("ladder", flat=True).first()
    if current is None or current not in lower:
        return None
    Person.objects.filter(pk=person.pk).update(ladder=level, updated_at=timezone.now())
    person.ladder = level
    return LadderChange.objects.create(
        person=person, previous=current, level=level, source=source[:200], actor=actor, contact_event=contact_event
    )


@transaction.atomic
def person_ladder_set(*, person: Person, level: str, actor: User, reason: str = "") -> LadderChange | None:
    """Set a person's ladder level by hand, up or down; audited."""
    if level not in Ladder.values:
        raise ApplicationError(f"{level!r} is not a ladder level.")
    current = Person.objects.select_for_update().filter(pk=person.pk).values_list("ladder", flat=True).get()
    if current == level:
        return None
    Person.objects.filter(pk=person.pk).update(ladder=level, updated_at=timezone.now())
    person.ladder = level
    change = LadderChange.objects.create(
        person=person, previous=current, level=level, source=(reason or "Set by hand")[:200], actor=actor
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        chapter=person.chapter,
        target=person,
        details={"ladder": [current, level]},
    )
    return change


def tag_name_clean(name: str) -> str:
    """Return a tag name with spaces collapsed, or refuse an empty or long one."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ApplicationError("Give the tag a name.")
    if len(cleaned) > 60:
        raise ApplicationError("Tag names are at most 60 characters.")
    return cleaned


def tag_get_or_create(*, chapter: Chapter, name: str) -> Tag:
    """Return the chapter's tag of that name (any case), creating it if new."""
    name = tag_name_clean(name)
    tag = Tag.objects.filter(chapter=chapter, name__iexact=name).first()
    if tag is None:
        try:
            with transaction.atomic():
                tag = Tag.objects.create(chapter=chapter, name=name)
        except IntegrityError:
            tag = Tag.objects.get(chapter=chapter, name=name)
    return tag


def _person_lock(person: Person) -> None:
    """Hold the person's row until the transaction ends, so two edits cannot both count as the change."""
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()


def _hand_edit_audit(*, person: Person, actor: User | None, details: dict[str, Any]) -> None:
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, chapter=person.chapter, target=person, details=details)


# Tags, support scores and do-not-contact marks are set by hand (audited here) or
# by a contact event's answers. The second kind passes ``contact_event``: the
# event already records who did it and when, and its ``effects`` what it changed,
# so the audit trail is not written once per answer at every door.


@transaction.atomic
def person_tag_add(
    *, person: Person, tag_name: str, actor: User | None, contact_event: ContactEvent | None = None
) -> Tag:
    """
    Tag a person, creating the chapter's tag if new; tagging twice changes nothing.

    A hand edit (no ``contact_event``) that adds the tag is audited.
    """
    tag = tag_get_or_create(chapter=person.chapter, name=tag_name)
    _person_lock(person)
    if person.tags.filter(pk=tag.pk).exists():
        return tag
    person.tags.add(tag)
    if contact_event is None:
        _hand_edit_audit(person=person, actor=actor, details={"tag_added": tag.name})
    return tag


@transaction.atomic
def person_tag_remove(
    *, person: Person, tag: Tag, actor: User | None, contact_event: ContactEvent | None = None
) -> None:
    """Take a tag off a person; a hand edit that removes one is audited."""
    _same_chapter(person.chapter, tag)
    _person_lock(person)
    if not person.tags.filter(pk=tag.pk).exists():
        return
    person.tags.remove(tag)
    if contact_event is None:
        _hand_edit_audit(person=person, actor=actor, details={"tag_removed": tag.name})


@transaction.atomic
def person_support_set(
    *, person: Person, score: int | None, actor: User | None, contact_event: ContactEvent | None = None
) -> Person:
    """
    Set a person's support score, 1 (strong opposition) to 5 (strong support), or clear it.

    A hand edit (no ``contact_event``) that changes the score is audited and
    kept in the person's provenance, as ``person_update`` keeps it; setting the
    same score again writes nothing.
    """
    if score is not None and (isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5):
        raise ApplicationError("A support score is a whole number from 1 to 5.")
    current = Person.objects.select_for_update().filter(pk=person.pk).values_list("support_score", flat=True).get()
    person.support_score = score
    if current == score:
        return person
    Person.objects.filter(pk=person.pk).update(support_score=score, updated_at=timezone.now())
    if contact_event is None:
        Provenance.objects.create(
            person=person,
            action=Provenance.Action.EDITED,
            fields=["support_score"],
            source=(f"Edited by {actor}" if actor is not None else "Edited")[:255],
            actor=actor,
        )
        _hand_edit_audit(
            person=person, actor=actor, details={"fields": ["support_score"], "support_score": [current, score]}
        )
    return person


@transaction.atomic
def person_do_not_contact_set(
    *, person: Person, channel: str, reason: str, actor: User | None, contact_event: ContactEvent | None = None
) -> DoNotContact:
    """
    Record that a person must not be reached on a channel; recording it twice keeps the first.

    A hand edit (no ``contact_event``) that adds the mark is audited.
    """
    if channel not in [c.value for c in DNC_CHANNELS]:
        raise ApplicationError(f"{channel!r} is not a channel you can mark do-not-contact.")
    _person_lock(person)
    entry, created = DoNotContact.objects.get_or_create(
        person=person, channel=channel, defaults={"reason": reason.strip()[:200], "recorded_by": actor}
    )
    if created and contact_event is None:
        _hand_edit_audit(person=person, actor=actor, details={"do_not_contact_set": channel})
    return entry


@transaction.atomic
def person_do_not_contact_clear(*, person: Person, channel: str, actor: User) -> None:
    """Lift a do-not-contact on one channel; audited."""
    deleted, _ = DoNotContact.objects.filter(person=person, channel=channel).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            chapter=person.chapter,
            target=person,
            details={"do_not_contact_cleared": channel},
        )


@transaction.atomic
def contact_events_delete(*, chapter: Chapter, event_ids: Iterable[int], actor: User, reason: str) -> int:
    """
    Delete some of the chapter's contact events, as a captain's rollback; audited.

    Ladder steps those events caused are undone when they are still the
    person's latest level; so are the support scores they set, and the tags and
    do-not-contact marks they added. Return how many events were deleted.
    """
    ids = sorted({int(pk) for pk in event_ids})
    if not ids:
        raise ApplicationError("Choose the results to roll back.")
    if not reason.strip():
        raise ApplicationError("Say why these results are rolled back.")
    events = list(ContactEvent.objects.select_for_update().filter(chapter=chapter, pk__in=ids))
    if len(events) != len(ids):
        raise ApplicationError("Some of those results do not exist in this chapter.")
    for change in LadderChange.objects.filter(contact_event__in=events).select_related("person"):
        Person.objects.filter(pk=change.person_id, ladder=change.level).update(ladder=change.previous)
        change.delete()
    for event in sorted(events, key=lambda e: (e.occurred_at, e.pk), reverse=True):
        _contact_effects_undo(event)
    ContactEvent.objects.filter(pk__in=ids).delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ROLLBACK,
        chapter=chapter,
        target_label=f"{len(ids)} contact result(s)",
        details={"contact_event_ids": ids, "reason": reason.strip()[:500]},
    )
    return len(ids)


def _contact_effects_undo(event: ContactEvent) -> None:
    """Undo what a contact event's answers changed, where nothing later changed it again."""
    effects, person_id = event.effects or {}, event.person_id
    if not effects or person_id is None:
        return
    if "support_after" in effects:
        Person.objects.filter(pk=person_id, support_score=effects["support_after"]).update(
            support_score=effects.get("support_before"), updated_at=timezone.now()
        )
    if effects.get("tags_added"):
        Person.tags.through.objects.filter(person_id=person_id, tag_id__in=effects["tags_added"]).delete()
    if effects.get("do_not_contact_added"):
        DoNotContact.objects.filter(person_id=person_id, channel__in=effects["do_not_contact_added"]).delete()


def _filters_clean(*, chapter: Chapter, filters: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate a people filter for storing; refuse campaigns of another chapter."""
    from canvassing.models import Campaign

    people_filter = people_filter_parse(filters)
    campaign_ids = people_filter.campaign_ids()
    if campaign_ids and Campaign.objects.filter(chapter=chapter, pk__in=campaign_ids).count() != len(campaign_ids):
        raise ApplicationError("That campaign does not belong to this chapter.")
    return people_filter.to_dict()


def saved_list_filters_clean(*, chapter: Chapter, filters: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return a list's filter as it is stored, or refuse a bad one (such as a campaign of another chapter)."""
    return _filters_clean(chapter=chapter, filters=filters)


def _saved_list_name_clean(*, chapter: Chapter, name: str, saved_list: SavedList | None = None) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise ApplicationError("Give the list a name.")
    if len(name) > 120:
        raise ApplicationError("List names are at most 120 characters.")
    taken = SavedList.objects.filter(chapter=chapter, name__iexact=name)
    if saved_list is not None:
        taken = taken.exclude(pk=saved_list.pk)
    if taken.exists():
        raise ApplicationError(f"The chapter already has a list named {name!r}.")
    return name


@transaction.atomic
def saved_list_create(
    *, chapter: Chapter, name: str, filters: Mapping[str, Any] | None, actor: User, description: str = ""
) -> SavedList:
    """Save a people filter as a list whose members are computed live; audited."""
    saved_list = SavedList.objects.create(
        chapter=chapter,
        name=_saved_list_name_clean(chapter=chapter, name=name),
        description=description.strip()[:2000],
        filters=_filters_clean(chapter=chapter, filters=filters),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        chapter=chapter,
        target=saved_list,
        details={"filters": saved_list.filters},
    )
    return saved_list


@transaction.atomic
def saved_list_update(
    *,
    saved_list: SavedList,
    actor: User,
    name: str | None = None,
    description: str | None = None,
    filters: Mapping[str, Any] | None = None,
) -> SavedList:
    """Rename a list, redescribe it or replace its filter; audited."""
    chapter = saved_list.chapter
    if name is not None:
        saved_list.name = _saved_list_name_clean(chapter=chapter, name=name, saved_list=saved_list)
    if description is not None:
        saved_list.description = description.strip()[:2000]
    if filters is not None:
        saved_list.filters = _filters_clean(chapter=chapter, filters=filters)
    saved_list.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        chapter=chapter,
        target=saved_list,
        details={"filters": saved_list.filters},
    )
    return saved_list


@transaction.atomic
def saved_list_delete(*, saved_list: SavedList, actor: User) -> None:
    """Delete a list and any sharing of it; the people stay. Audited."""
    audit_record(actor=actor, action=AuditEvent.Action.DELETE, chapter=saved_list.chapter, target=saved_list)
    saved_list.delete()


def person_keys_refresh(person: Person) -> None:
    """Recompute the match key and search text from the person's names and address."""
    household = person.household
    address = (
        normalize.address_words(
            house_number=household.house_number,
            house_number_suffix=household.house_number_suffix,
            street_name=household.street_name,
            unit=household.unit,
            city=household.city,
            zip5=household.zip5,
        )
        if household is not None
        else ""
    )
    person.name_key = normalize.name_key(last_name=person.last_name, first_name=person.first_name)
    person.search_text = normalize.search_text(
        first_name=person.first_name,
        middle_name=person.middle_name,
        last_name=person.last_name,
        name_suffix=person.name_suffix,
        address=address,
        state_voter_id=person.state_voter_id,
    )


# Codes and districts are kept in capitals, as imports write them.
PERSON_UPPER = ("party", "state_voter_id", "county", "precinct", "congressional_district",
                "state_senate_district", "state_house_district", "municipality", "ward")  # fmt: skip


@transaction.atomic
def person_update(*, person: Person, actor: User, changes: Mapping[str, Any]) -> list[str]:
    """Correct a person's details by hand; record provenance and audit it. Return the changed fields."""
    unknown = set(changes) - set(PERSON_EDITABLE)
    if unknown:
        raise ApplicationError(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    person = Person.objects.select_for_update(of=("self",)).select_related("household", "chapter").get(pk=person.pk)
    changed = []
    for name, value in changes.items():
        if isinstance(value, str):
            value = " ".join(value.split()) if name != "notes" else value.strip()
            value = value.upper() if name in PERSON_UPPER else value
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed.append(name)
    if not changed:
        return []
    if person.birth_date is not None and "birth_date" in changed:
        person.birth_year = person.birth_date.year
    person_keys_refresh(person)
    try:
        person.full_clean(exclude=["household", "tags"])
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error
    person.save()
    Provenance.objects.create(
        person=person, action=Provenance.Action.EDITED, fields=changed, source=f"Edited by {actor}"[:255], actor=actor
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, chapter=person.chapter, target=person, details={"fields": changed}
    )
    return changed


# What a typed address is read with: the import's own cell readers, field by field.
ADDRESS_INPUTS = ("street_address", "unit", "city", "state", "zip")


def household_address_read(*, chapter: Chapter, address: Mapping[str, str]) -> Household:
    """
    Return an unsaved household for an address typed as an import reads it, keyed like the import keys it.

    ``address`` holds ``street_address`` ("12 Main Street Apt 4"), and may hold
    ``unit``, ``city``, ``state`` and ``zip``. Refuse an address without a street.
    """
    unknown = set(address) - set(ADDRESS_INPUTS)
    if unknown:
        raise ApplicationError(f"These address fields are unknown: {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    for name in ADDRESS_INPUTS:
        raw = normalize.clean(address.get(name, ""))
        if not raw:
            continue
        try:
            values[name] = records.CELL_READERS[name](raw)
        except normalize.CellError as error:
            raise ApplicationError(f"{FIELD_LABELS[name]}: {error}.") from error
    try:
        house_number, suffix, street, unit, city, zip5, key = records.address_parts(values)
    except normalize.CellError as error:
        raise ApplicationError(f"{FIELD_LABELS['street_address']}: {error}.") from error
    if not key:
        raise ApplicationError("Give the street address, such as “12 Main St”.")
    return Household(
        chapter=chapter,
        address_key=key,
        house_number=house_number,
        house_number_suffix=suffix,
        street_name=street,
        unit=unit,
        city=city,
        state=values.get("state", ""),
        zip5=zip5,
        street_side=normalize.street_side(house_number),
    )


@transaction.atomic
def person_household_move(
    *,
    person: Person,
    actor: User,
    household: Household | None = None,
    address: Mapping[str, str] | None = None,
) -> Household:
    """
    Move a person to another door of the chapter: an existing household, or a typed address; audited.

    A typed address is read and keyed as imports read it, so it joins the
    chapter's household at that address if there is one; otherwise a new
    household is made, in the person's precinct (as an import would). The old
    household stays: it is still a door, with its own history. Moving a person
    to the door they are at changes nothing. Return the person's household.
    """
    if (household is None) == (address is None):
        raise ApplicationError("Choose a household or type an address.")
    person = Person.objects.select_for_update(of=("self",)).select_related("household", "chapter").get(pk=person.pk)
    chapter = person.chapter
    if household is not None:
        _same_chapter(chapter, household)
    else:
        typed = household_address_read(chapter=chapter, address=address or {})
        household = Household.objects.filter(chapter=chapter, address_key=typed.address_key).first()
        if household is None:
            typed.precinct = person.precinct
            try:
                with transaction.atomic():
                    typed.save()
                household = typed
            except IntegrityError:
                # Someone made the same door at the same moment: join it.
                household = Household.objects.get(chapter=chapter, address_key=typed.address_key)
    previous = person.household
    if previous is not None and previous.pk == household.pk:
        return household
    person.household = household
    person_keys_refresh(person)
    person.save(update_fields=["household", "name_key", "search_text", "updated_at"])
    Provenance.objects.create(
        person=person,
        action=Provenance.Action.EDITED,
        fields=["household"],
        source=f"Moved by {actor}"[:255],
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        chapter=chapter,
        target=person,
        details={"fields": ["household"], "household": [previous.pk if previous else None, household.pk]},
    )
    return household


# Fields a merge fills on the survivor when it has none and the duplicate has one.
MERGE_FILLED = (*PERSON_EDITABLE, "county_voter_id", "registration_date", "household")


@transaction.atomic
def person_merge(*, survivor: Person, duplicate: Person, actor: User) -> Person:
    """
    Merge a duplicate into the survivor, then delete the duplicate; audited.

    The survivor keeps its own values and takes the duplicate's where it has
    none. Contact history, ladder changes, provenance, tags, phones, emails and
    do-not-contact entries move over; the ladder keeps the higher level.
    """
    if survivor.chapter_id != duplicate.chapter_id:
        raise ApplicationError("Only people of the same chapter can be merged.")
    if survivor.pk == duplicate.pk:
        raise ApplicationError("Choose two different people to merge.")
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update(of=("self",))
        .select_related("chapter", "household")
        .filter(pk__in=[survivor.pk, duplicate.pk])
    }
    if len(locked) != 2:
        raise ApplicationError("One of these people was already merged or deleted.")
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    filled = [
        name
        for name in MERGE_FILLED
        if getattr(survivor, name) in ("", None) and getattr(duplicate, name) not in ("", None)
    ]
    moved = ContactEvent.objects.filter(person=duplicate).count()
    if duplicate.origin_import_id is not None or duplicate.origin_fields:
        # The import that created the duplicate is kept on it; the survivor keeps it as a provenance row.
        # The pointer has no database constraint: a job removed outside the ORM reads as an unnamed import.
        origin = (
            ImportJob.objects.select_related("created_by").filter(pk=duplicate.origin_import_id).first()
            if duplicate.origin_import_id is not None
            else None
        )
        Provenance.objects.create(
            person=survivor,
            import_job=origin,
            action=Provenance.Action.CREATED,
            fields=records.origin_names(duplicate.origin_fields),
            source=f"{origin.original_name if origin else 'An import'} (#{duplicate.pk})"[:255],
            actor=origin.created_by if origin else None,
            created_at=duplicate.created_at,
        )
    survivor.tags.add(*duplicate.tags.all())
    # Phones, emails and do-not-contact are one per value: the survivor's own copy wins.
    numbers = set(survivor.phones.values_list("number", flat=True))
    duplicate.phones.exclude(number__in=numbers).update(person=survivor)
    addresses = set(survivor.emails.values_list("address", flat=True))
    duplicate.emails.exclude(address__in=addresses).update(person=survivor)
    channels = set(survivor.do_not_contact.values_list("channel", flat=True))
    duplicate.do_not_contact.exclude(channel__in=channels).update(person=survivor)
    # Everything else that names the duplicate, in this app or another (such as door visits), moves over.
    for relation in Person._meta.related_objects:
        if relation.one_to_many and relation.related_model not in (Phone, Email, DoNotContact):
            field = relation.field.name
            relation.related_model._default_manager.filter(**{field: duplicate}).update(**{field: survivor})
    for name in filled:
        setattr(survivor, name, getattr(duplicate, name))
    higher = duplicate.ladder_rank > survivor.ladder_rank
    previous = survivor.ladder
    if higher:
        survivor.ladder = duplicate.ladder
    duplicate_label = f"{duplicate} (#{duplicate.pk})"
    duplicate_pk = duplicate.pk
    duplicate.delete()
    person_keys_refresh(survivor)
    survivor.save()
    if higher:
        LadderChange.objects.create(
            person=survivor, previous=previous, level=survivor.ladder, source=f"Merged {duplicate_label}", actor=actor
        )
    Provenance.objects.create(
        person=survivor,
        action=Provenance.Action.MERGED,
        fields=filled,
        source=f"Merged {duplicate_label}"[:255],
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MERGE,
        chapter=survivor.chapter,
        target=survivor,
        details={"merged_person": duplicate_pk, "fields_filled": filled, "contact_events_moved": moved},
    )
    return survivor


def _erasure_keys() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _erasure_digest(chapter: Chapter, kind: str, value: str, secret: str) -> str:
    return salted_hmac(
        f"data_vault.erasure.{kind}", f"{chapter.pk}|{value}", secret=secret, algorithm="sha256"
    ).hexdigest()


def _erasure_match_value(name_key: str, birth_year: int | None, address_key: str) -> str:
    return f"{name_key.upper()}|{birth_year or ''}|{address_key.upper()}"


def erasure_checker(*, chapter: Chapter) -> Callable[..., bool]:
    """
    Return a test telling whether an incoming record is a person erased on request.

    Load the chapter's digests once, so an import can check every row cheaply.
    The test takes ``voter_id``, or ``name_key`` (normalize.name_key),
    ``birth_year`` and ``address_key`` (normalize.address_key), all keyword-only.
    The digests are keyed with SECRET_KEY (and its fallbacks): the public voter
    file cannot be hashed to find who asked to be erased.
    """
    erasures = Erasure.objects.filter(chapter=chapter)
    voter_digests = set(erasures.exclude(voter_id_digest="").values_list("voter_id_digest", flat=True))
    match_digests = set(erasures.exclude(match_digest="").values_list("match_digest", flat=True))
    keys = _erasure_keys()

    def matches(
        *, voter_id: str = "", name_key: str = "", birth_year: int | None = None, address_key: str = ""
    ) -> bool:
        if voter_digests and voter_id:
            voter_id = voter_id.strip().upper()
            if voter_id and any(_erasure_digest(chapter, "voter", voter_id, key) in voter_digests for key in keys):
                return True
        if match_digests and name_key:
            value = _erasure_match_value(name_key, birth_year, address_key)
            return any(_erasure_digest(chapter, "match", value, key) in match_digests for key in keys)
        return False

    return matches


def erasure_matches(
    *, chapter: Chapter, voter_id: str = "", name_key: str = "", birth_year: int | None = None, address_key: str = ""
) -> bool:
    """Return whether one incoming record is a person the chapter erased on request."""
    return erasure_checker(chapter=chapter)(
        voter_id=voter_id, name_key=name_key, birth_year=birth_year, address_key=address_key
    )


@transaction.atomic
def person_erase(*, person: Person, actor: User, reason: str) -> Erasure:
    """
    Delete a person on their request, everywhere; audited. Keep only digests, so imports skip them.

    Their contact history, phones, emails, tags, ladder steps and provenance go
    with them; an address nobody else lives at goes too. The audit trail keeps
    that an erasure happened, not who it was.
    """
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Say why this person is being deleted, such as “asked to be removed”.")
    person = Person.objects.select_for_update(of=("self",)).select_related("chapter", "household").get(pk=person.pk)
    chapter, household, pk = person.chapter, person.household, person.pk
    voter_id = person.state_voter_id.strip().upper()
    name_key = person.name_key or normalize.name_key(last_name=person.last_name, first_name=person.first_name)
    secret = settings.SECRET_KEY
    erasure = Erasure.objects.create(
        chapter=chapter,
        voter_id_digest=_erasure_digest(chapter, "voter", voter_id, secret) if voter_id else "",
        match_digest=_erasure_digest(
            chapter,
            "match",
            _erasure_match_value(name_key, person.birth_year, household.address_key if household else ""),
            secret,
        )
        if name_key.strip("|")
        else "",
        erased_by=actor,
    )
    # Records that would outlive the person with their name set to null (such as door visits) go too.
    for relation in Person._meta.related_objects:
        if relation.one_to_many and relation.on_delete is models.SET_NULL:
            relation.related_model._default_manager.filter(**{relation.field.name: person}).delete()
    person.delete()
    # Copies of the vault already written may hold the person: they go too, and a new export leaves them out.
    withdrawn = exports_withdraw(chapter=chapter)
    if household is not None and not household.people.exists():
        ContactEvent.objects.filter(household=household, person__isnull=True).delete()
        household.delete()
    AuditEvent.objects.filter(target_type=Person._meta.label_lower, target_id=str(pk)).update(
        target_label="(erased person)"
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        chapter=chapter,
        target_label=f"Erased person #{pk}",
        details={"erasure": erasure.pk, "reason": reason[:500], "exports_withdrawn": withdrawn},
    )
    return erasure


@transaction.atomic
def people_tag_bulk(*, chapter: Chapter, filters: Mapping[str, Any] | None, tag_name: str, actor: User) -> int:
    """Tag everyone a filter holds, in one statement; audited. Return how many were newly tagged."""
    from data_vault.selectors import person_filter

    cleaned = _filters_clean(chapter=chapter, filters=filters)
    tag = tag_get_or_create(chapter=chapter, name=tag_name)
    people = (
        person_filter(chapter=chapter, filters=cleaned)
        .order_by()
        .annotate(tag_key=Value(tag.pk, output_field=IntegerField()))
        .values_list("pk", "tag_key")
    )
    sql, params = people.query.sql_with_params()
    through = Person.tags.through._meta.db_table
    with connection.cursor() as cursor:
        # The table name is the model's and the subquery is compiled by Django with its own parameters.
        # "WHERE true" lets SQLite tell the upsert clause from a join.
        cursor.execute(
            f"INSERT INTO {through} (person_id, tag_id) SELECT * FROM ({sql}) AS listed "  # noqa: S608
            "WHERE true ON CONFLICT DO NOTHING",
            params,
        )
        tagged = max(cursor.rowcount, 0)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        chapter=chapter,
        target=tag,
        target_label=f"Tagged {tagged} people {tag.name!r}",
        details={"tag": tag.name, "people_tagged": tagged, "filters": cleaned},
    )
    return tagged


LIST_EXPORT_COLUMNS = (
    "person_id", "state_voter_id", "first_name", "middle_name", "last_name", "name_suffix", "birth_year",
    "gender", "party", "registration_status", "cell_phones", "other_phones", "emails", "address", "unit",
    "city", "state", "zip5", "precinct", "county", "congressional_district", "state_senate_district",
    "state_house_district", "municipality", "ward", "ladder", "support_score", "tags", "do_not_contact",
)  # fmt: skip
LIST_EXPORT_CHUNK = 2000
ERASED_WHILE_EXPORTING = "Someone was deleted on request while this export was written; start a new export."


def _list_export_row(person: Person) -> list[Any]:
    household = person.household
    phones = list(person.phones.all())
    return [
        person.pk, person.state_voter_id, person.first_name, person.middle_name, person.last_name,
        person.name_suffix, person.birth_year, person.gender, person.party, person.registration_status,
        "; ".join(p.number for p in phones if p.kind == p.Kind.CELL),
        "; ".join(p.number for p in phones if p.kind != p.Kind.CELL),
        "; ".join(e.address for e in person.emails.all()),
        " ".join(str(part) for part in (household.house_number, household.house_number_suffix,
                                        household.street_name) if part) if household else "",
        household.unit if household else "", household.city if household else "",
        household.state if household else "", household.zip5 if household else "",
        person.precinct, person.county, person.congressional_district, person.state_senate_district,
        person.state_house_district, person.municipality, person.ward, person.ladder, person.support_score,
        "; ".join(t.name for t in person.tags.all()),
        "; ".join(d.channel for d in person.do_not_contact.all()),
    ]  # fmt: skip


@transaction.atomic
def list_export_start(
    *, chapter: Chapter, actor: User, saved_list: SavedList | None = None, filters: Mapping[str, Any] | None = None
) -> ExportJob:
    """Queue a CSV export of a saved list or a filter; audited when asked for."""
    _same_chapter(chapter, saved_list)
    cleaned = _filters_clean(chapter=chapter, filters=saved_list.filters if saved_list else filters)
    job = ExportJob.objects.create(
        chapter=chapter, kind=ExportJob.Kind.LIST, saved_list=saved_list, filters=cleaned, created_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        chapter=chapter,
        target=job,
        details={"list": saved_list.name if saved_list else "", "filters": cleaned},
    )
    from data_vault.tasks import list_export_task

    transaction.on_commit(lambda: list_export_task.delay(job.pk))
    return job


def list_export_run(*, job_id: int) -> ExportJob:
    """Write a list export's CSV, a chunk at a time, with progress; safe to run twice."""
    from data_vault.selectors import person_filter

    job = ExportJob.objects.select_related("chapter").get(pk=job_id, kind=ExportJob.Kind.LIST)
    if job.is_finished:
        return job
    people = (
        person_filter(chapter=job.chapter, filters=job.filters)
        .select_related("household")
        .prefetch_related("phones", "emails", "tags", "do_not_contact")
        .order_by("last_name", "first_name", "id")
    )
    job_start(job, total=people.count(), phase="Writing the CSV")
    try:
        with tempfile.TemporaryFile(mode="w+b") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            writer = csv.writer(text)
            writer.writerow(LIST_EXPORT_COLUMNS)
            done = 0
            for person in people.iterator(chunk_size=LIST_EXPORT_CHUNK):
                writer.writerow(csv_safe_row(_list_export_row(person)))
                done += 1
                if done % LIST_EXPORT_CHUNK == 0:
                    if job_is_cancelled(job):
                        job_finish(job, status=ExportJob.Status.CANCELLED)
                        return job
                    job_progress(job, done=done)
            text.flush()
            raw.seek(0)
            job_progress(job, done=done, phase="Saving")
            name = f"list-{job.pk}-{timezone.now():%Y%m%d-%H%M%S}.csv"
            job.file.save(name, File(raw), save=False)
            text.detach()
    except TRANSIENT_ERRORS:
        raise  # The task retries from the start.
    except Exception as error:
        job_finish(job, status=ExportJob.Status.FAILED, error=f"The export failed: {error}"[:500])
        raise
    if export_erasure_refuse(job):
        return job
    ttl = timedelta(hours=settings.DATA_VAULT_EXPORT_TTL_HOURS)
    job_finish(job, file=job.file.name, row_count=done, expires_at=timezone.now() + ttl)
    return job


def list_export_download_record(*, job: ExportJob, actor: User) -> None:
    """Audit that someone downloaded an export's file."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        chapter=job.chapter,
        target=job,
        details={"downloaded": job.pk, "rows": job.row_count},
    )


def exports_withdraw(*, chapter: Chapter) -> int:
    """End the download of the chapter's ready exports now, deleting their files; return how many."""
    ready = list(
        ExportJob.objects.filter(chapter=chapter, status=ExportJob.Status.DONE, expires_at__gt=timezone.now())
        .exclude(file="")
        .only("pk", "file")
    )
    ExportJob.objects.filter(pk__in=[job.pk for job in ready]).update(expires_at=timezone.now(), file="")
    for job in ready:
        if job.file.name:
            transaction.on_commit(partial(job.file.storage.delete, job.file.name))
    return len(ready)


def export_erasure_refuse(job: ExportJob) -> bool:
    """Refuse an export just written if someone of its chapter was erased while it ran; return whether it was."""
    if not Erasure.objects.filter(chapter_id=job.chapter_id, created_at__gte=job.started_at).exists():
        return False
    job.file.delete(save=False)
    job_finish(job, status=ExportJob.Status.FAILED, file="", error=ERASED_WHILE_EXPORTING)
    return True


def list_export_expire(*, job: ExportJob) -> None:
    """Delete an expired export's file; the job's record stays."""
    if job.file:
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")


@transaction.atomic
def sharing_agreement_create(
    *, saved_list: SavedList, partner: Chapter, actor: User, purpose: str = ""
) -> SharingAgreement:
    """Let a partner chapter of the same statewide table read one saved list; audited on both sides."""
    chapter = saved_list.chapter
    if partner.pk == chapter.pk:
        raise ApplicationError("A chapter cannot share a list with itself.")
    if not Chapter.objects.filter(pk=partner.pk, statewide_tables__chapters=chapter).exists():
        raise ApplicationError(f"{partner.name} is not at a statewide table with {chapter.name}.")
    if SharingAgreement.objects.filter(saved_list=saved_list, partner=partner, revoked_at__isnull=True).exists():
        raise ApplicationError(f"{partner.name} can already read this list.")
    agreement = SharingAgreement.objects.create(
        chapter=chapter, partner=partner, saved_list=saved_list, purpose=purpose.strip()[:200], created_by=actor
    )
    for side in (chapter, partner):
        audit_record(
            actor=actor,
            action=AuditEvent.Action.SHARE,
            chapter=side,
            target=agreement,
            details={"list": saved_list.name, "from": chapter.name, "to": partner.name},
        )
    return agreement


@transaction.atomic
def sharing_agreement_revoke(*, agreement: SharingAgreement, actor: User) -> SharingAgreement:
    """End a sharing agreement at once; revoking twice changes nothing. Audited on both sides."""
    agreement = (
        SharingAgreement.objects.select_for_update()
        .select_related("chapter", "partner", "saved_list")
        .get(pk=agreement.pk)
    )
    if agreement.revoked_at is not None:
        return agreement
    agreement.revoked_at = timezone.now()
    agreement.revoked_by = actor
    agreement.save(update_fields=["revoked_at", "revoked_by"])
    for side in (agreement.chapter, agreement.partner):
        audit_record(
            actor=actor,
            action=AuditEvent.Action.SHARE_REVOKE,
            chapter=side,
            target=agreement,
            details={"list": agreement.saved_list.name, "from": agreement.chapter.name, "to": agreement.partner.name},
        )
    return agreement


def shared_list_view_record(*, agreement: SharingAgreement, actor: User, page: int) -> None:
    """Audit, in the sharing chapter's trail, that a partner read the shared list."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.BULK_VIEW,
        chapter=agreement.chapter,
        target=agreement,
        details={"list": agreement.saved_list.name, "partner": agreement.partner.name, "page": page},
    )


@transaction.atomic
def person_phone_add(*, person: Person, number: str, kind: str, actor: User) -> Phone:
    """Add a phone number to a person, as ten digits; audited. Adding it twice keeps one."""
    if kind not in Phone.Kind.values:
        raise ApplicationError("Say whether the phone is a cell or a landline.")
    try:
        digits = normalize.phone_norm(number)
    except normalize.CellError as error:
        raise ApplicationError(f"{number!r}: {error}.") from error
    if not digits:
        raise ApplicationError("Give the phone number.")
    phone, created = Phone.objects.get_or_create(person=person, number=digits, defaults={"kind": kind})
    if not created and phone.kind != kind:
        phone.kind = kind
        phone.save(update_fields=["kind"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        chapter=person.chapter,
        target=person,
        details={"phone_added": kind},
    )
    return phone


@transaction.atomic
def person_email_add(*, person: Person, address: str, actor: User) -> Email:
    """Add an email address to a person, in lower case; audited. Adding it twice keeps one."""
    try:
        cleaned = normalize.email_norm(address)
    except normalize.CellError as error:
        raise ApplicationError(f"{address!r}: {error}.") from error
    if not cleaned:
        raise ApplicationError("Give the email address.")
    email, _ = Email.objects.get_or_create(person=person, address=cleaned)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        chapter=person.chapter,
        target=person,
        details={"email_added": True},
    )
    return email


@transaction.atomic
def person_contact_point_remove(
    *, person: Person, phone: Phone | None = None, email: Email | None = None, actor: User
) -> None:
    """Remove one of a person's phones or emails; audited."""
    for point in (phone, email):
        if point is not None and point.person_id != person.pk:
            raise ApplicationError("That number or address belongs to someone else.")
    if phone is not None:
        phone.delete()
    if email is not None:
        email.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        chapter=person.chapter,
        target=person,
        details={"phone_removed" if phone else "email_removed": True},
    )
