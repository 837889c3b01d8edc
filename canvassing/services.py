"""Writes of the field operation: campaigns, scripts, questions, turf, shifts and door results."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from canvassing import permissions
from canvassing.models import (
    DOOR_RESULTS,
    RESULT_CODES,
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
from chapters.models import Chapter, Membership
from core.errors import ApplicationError
from core.models import AuditEvent, User
from core.services import audit_record, job_finish, job_progress, job_start
from data_vault.models import Channel, ContactEvent, DoNotContact, Household, Person, SavedList
from data_vault.selectors import person_filter
from data_vault.services import (
    contact_event_record,
    contact_events_delete,
    person_do_not_contact_set,
    person_ladder_raise,
    person_support_set,
    person_tag_add,
)
from endorsements.models import Candidate, Race

CAMPAIGN_FIELDS = ("name", "kind", "description", "status", "starts_on", "ends_on", "door_goal", "contact_goal")
MAX_OPTIONS = 20


def _full_clean(instance: Any) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error


def _same_chapter(chapter: Chapter, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.chapter_id != chapter.pk:
            raise ApplicationError("That record does not belong to this chapter.")


@transaction.atomic
def campaign_create(
    *,
    chapter: Chapter,
    actor: User,
    script: Script | None = None,
    race: Race | None = None,
    candidate: Candidate | None = None,
    **fields: Any,
) -> Campaign:
    """Create a campaign, optionally on a race and for a candidate; names are unique in the chapter."""
    _same_chapter(chapter, script, race, candidate)
    campaign = Campaign(
        chapter=chapter,
        script=script,
        race=race,
        candidate=candidate,
        **{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS},
    )
    _full_clean(campaign)
    campaign.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=chapter, target=campaign)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    actor: User,
    script: Script | None = None,
    race: Race | None = None,
    candidate: Candidate | None = None,
    **fields: Any,
) -> Campaign:
    """Change a campaign's details, dates, status, goals, script, race or candidate."""
    _same_chapter(campaign.chapter, script, race, candidate)
    for name, value in fields.items():
        if name in CAMPAIGN_FIELDS:
            setattr(campaign, name, value)
    campaign.script, campaign.race, campaign.candidate = script, race, candidate
    _full_clean(campaign)
    campaign.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, chapter=campaign.chapter, target=campaign)
    return campaign


@transaction.atomic
def script_create(
    *, chapter: Chapter, name: str, intro: str, issue: str = "", ask: str = "", close: str = "", actor: User
) -> Script:
    """Create a script with its first version."""
    script = Script(chapter=chapter, name=name.strip())
    _full_clean(script)
    script.save()
    script_version_add(script=script, intro=intro, issue=issue, ask=ask, close=close, actor=actor)
    return script


@transaction.atomic
def script_version_add(
    *, script: Script, intro: str, issue: str = "", ask: str = "", close: str = "", actor: User
) -> ScriptVersion:
    """Add a new version of a script; earlier versions stay readable, unchanged."""
    Script.objects.select_for_update().filter(pk=script.pk).first()
    last = ScriptVersion.objects.filter(script=script).aggregate(n=Max("number"))["n"] or 0
    version = ScriptVersion(
        script=script,
        number=last + 1,
        intro=intro.strip(),
        issue=issue.strip(),
        ask=ask.strip(),
        close=close.strip(),
        created_by=actor,
    )
    _full_clean(version)
    version.save()
    Script.objects.filter(pk=script.pk).update(updated_at=version.created_at)
    return version


def _option_value(label: str, taken: set[str]) -> str:
    base = (slugify(label)[:30] or "answer").replace("-", "_")
    value, n = base, 2
    while value in taken:
        value, n = f"{base}_{n}", n + 1
    taken.add(value)
    return value


@transaction.atomic
def question_create(
    *, campaign: Campaign, text: str, kind: str, options: list[str] | None = None, short_label: str = ""
) -> SurveyQuestion:
    """Add a question to a campaign; a 1–5 scale gets its five answers, free text none."""
    if kind not in SurveyQuestion.Kind.values:
        raise ApplicationError("Choose what kind of question it is.")
    labels = [" ".join(label.split()) for label in options or [] if label.strip()]
    if kind == SurveyQuestion.Kind.SCALE:
        labels = ["1", "2", "3", "4", "5"]
    elif kind == SurveyQuestion.Kind.TEXT:
        labels = []
    elif len(labels) < 2:
        raise ApplicationError("A choice question needs at least two answers, one per line.")
    if len(labels) > MAX_OPTIONS:
        raise ApplicationError(f"A question can have at most {MAX_OPTIONS} answers.")
    if len({label.lower() for label in labels}) != len(labels):
        raise ApplicationError("Two answers have the same text.")
    position = (SurveyQuestion.objects.filter(campaign=campaign).aggregate(p=Max("position"))["p"] or 0) + 1
    question = SurveyQuestion(
        campaign=campaign, text=text.strip(), kind=kind, short_label=short_label.strip(), position=position
    )
    _full_clean(question)
    question.save()
    taken: set[str] = set()
    for index, label in enumerate(labels, start=1):
        value = label if kind == SurveyQuestion.Kind.SCALE else _option_value(label, taken)
        option = AnswerOption(question=question, label=label[:120], value=value, position=index)
        _full_clean(option)
        option.save()
    return question


@transaction.atomic
def question_delete(*, question: SurveyQuestion, actor: User) -> None:
    """Remove a question that no result has answered yet."""
    answered = ContactEvent.objects.filter(campaign=question.campaign, answers__has_key=str(question.pk)).exists()
    if answered:
        raise ApplicationError("Results already answer this question; it stays, so their meaning is kept.")
    question.delete()


TAG_LIKE = re.compile(r"^[\w .'&/-]{1,60}$")


@transaction.atomic
def answer_option_effects_set(
    *,
    option: AnswerOption,
    ladder_level: str = "",
    tag_name: str = "",
    support_score: int | None = None,
    do_not_contact: bool = False,
) -> AnswerOption:
    """Set what choosing this answer changes in the vault."""
    tag_name = " ".join(tag_name.split())
    if tag_name and not TAG_LIKE.match(tag_name):
        raise ApplicationError("A tag is at most 60 letters, digits, spaces and simple punctuation.")
    option.ladder_level = ladder_level
    option.tag_name = tag_name
    option.support_score = support_score
    option.do_not_contact = do_not_contact
    _full_clean(option)
    try:
        with transaction.atomic():
            option.save()
    except IntegrityError as error:
        raise ApplicationError("That answer could not be saved.") from error
    return option


# --- Turf -------------------------------------------------------------------

# Household columns the walking order needs, read in one query.
WALK_FIELDS = ("id", "precinct", "street_name", "street_side", "house_number", "house_number_suffix", "unit")
WalkRow = tuple[int, str, str, str, int | None, str, str]
MAX_TURF_DOORS = 1000


def walk_key(row: WalkRow) -> tuple[Any, ...]:
    """
    Return a household's place in the walking order.

    Within a precinct and street, walk up the odd side and back down the even
    side, so a canvasser never crosses back; doors without a number come last.
    """
    _, precinct, street, side, number, suffix, unit = row
    if number is None:
        return (precinct, street, 2, 0, suffix, unit, row[0])
    if side == "even" or (not side and number % 2 == 0):
        return (precinct, street, 1, -number, suffix, unit, row[0])
    return (precinct, street, 0, number, suffix, unit, row[0])


def _buildings(rows: list[WalkRow]) -> list[list[WalkRow]]:
    """Group ordered households into buildings: same street and number stay on one turf."""
    buildings: list[list[WalkRow]] = []
    for row in rows:
        if buildings and row[4] is not None and buildings[-1][0][2:6] == row[2:6]:
            buildings[-1].append(row)
        else:
            buildings.append([row])
    return buildings


def turf_plan(rows: list[WalkRow], *, target_doors: int) -> list[list[WalkRow]]:
    """
    Cut ordered households into turfs of about ``target_doors``: pure Python, no queries.

    A turf holds one precinct. A street that fits stays whole on one turf; a
    longer one is cut between buildings. Households are never split.
    """
    rows = sorted(rows, key=walk_key)
    turfs: list[list[WalkRow]] = []
    current: list[WalkRow] = []

    def flush() -> None:
        nonlocal current
        if current:
            turfs.append(current)
            current = []

    index = 0
    while index < len(rows):
        precinct, street = rows[index][1], rows[index][2]
        end = index
        while end < len(rows) and rows[end][1] == precinct and rows[end][2] == street:
            end += 1
        street_rows = rows[index:end]
        if current and current[-1][1] != precinct:
            flush()
        if current and len(current) + len(street_rows) > target_doors and len(current) * 2 >= target_doors:
            flush()
        for building in _buildings(street_rows):
            if current and len(current) + len(building) > target_doors:
                flush()
            current.extend(building)
        index = end
    flush()
    return turfs


def _turf_doors_insert(
    *, campaign: Campaign, turf_ids: list[int], household_ids: list[int], positions: list[int]
) -> None:
    """Insert turf doors in one statement on PostgreSQL, in batches elsewhere."""
    if connection.vendor == "postgresql":
        # Arrays passed as text literals: one parameter each, not a hundred thousand.
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TurfDoor._meta.db_table} (campaign_id, turf_id, household_id, position) "  # noqa: S608
                "SELECT %s, t, h, p FROM unnest(%s::bigint[], %s::bigint[], %s::int[]) AS x(t, h, p)",
                [
                    campaign.pk,
                    *("{" + ",".join(map(str, values)) + "}" for values in (turf_ids, household_ids, positions)),
                ],
            )
        return
    TurfDoor.objects.bulk_create(
        [
            TurfDoor(campaign=campaign, turf_id=t, household_id=h, position=p)
            for t, h, p in zip(turf_ids, household_ids, positions, strict=True)
        ],
        batch_size=2000,
    )


def turf_cut_households(
    *, campaign: Campaign, saved_list: SavedList, exclude_contacted: bool = False
) -> QuerySet[Household]:
    """Return the list's doors still to cut: do-not-knock people and doors already on a turf left out."""
    people = person_filter(chapter=saved_list.chapter, filters=saved_list.filters).exclude(
        Exists(DoNotContact.objects.filter(person=OuterRef("pk"), channel=Channel.DOOR))
    )
    households = Household.objects.filter(chapter=campaign.chapter).exclude(
        Exists(TurfDoor.objects.filter(campaign=campaign, household=OuterRef("pk")))
    )
    if exclude_contacted:
        people = people.exclude(Exists(ContactEvent.objects.filter(campaign=campaign, person=OuterRef("pk"))))
        households = households.exclude(
            Exists(ContactEvent.objects.filter(campaign=campaign, person__isnull=True, household=OuterRef("pk")))
        )
    return households.filter(Exists(people.filter(household_id=OuterRef("pk"))))


@transaction.atomic
def turf_cut(
    *, campaign: Campaign, saved_list: SavedList, target_doors: int, actor: User, exclude_contacted: bool = False
) -> list[Turf]:
    """
    Cut a saved list's doors into new turfs for a campaign; return them.

    Doors already on one of the campaign's turfs stay where they are, so a
    second cut picks up only what the list has gained.
    """
    _same_chapter(campaign.chapter, saved_list)
    if not 1 <= target_doors <= MAX_TURF_DOORS:
        raise ApplicationError(f"Choose between 1 and {MAX_TURF_DOORS} doors per turf.")
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    households = turf_cut_households(campaign=campaign, saved_list=saved_list, exclude_contacted=exclude_contacted)
    rows: list[WalkRow] = list(households.order_by().values_list(*WALK_FIELDS))
    if not rows:
        raise ApplicationError("The list has no doors left to cut: they are on turfs already, or do-not-knock.")
    plan = turf_plan(rows, target_doors=target_doors)
    first = Turf.objects.filter(campaign=campaign).count() + 1
    taken = set(Turf.objects.filter(campaign=campaign).values_list("name", flat=True))
    turfs = []
    for offset, doors in enumerate(plan):
        name = f"Turf {first + offset}" + (f" · precinct {doors[0][1]}" if doors[0][1] else "")
        while name in taken:
            name += "′"
        turfs.append(Turf(chapter=campaign.chapter, campaign=campaign, saved_list=saved_list, name=name,
                          precinct=doors[0][1]))  # fmt: skip
    Turf.objects.bulk_create(turfs)
    turf_ids, household_ids, positions = [], [], []
    for turf, doors in zip(turfs, plan, strict=True):
        for position, row in enumerate(doors, start=1):
            turf_ids.append(turf.pk)
            household_ids.append(row[0])
            positions.append(position)
    _turf_doors_insert(campaign=campaign, turf_ids=turf_ids, household_ids=household_ids, positions=positions)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        chapter=campaign.chapter,
        target=campaign,
        target_label=f"{len(turfs)} turf(s) cut from {saved_list.name}",
        details={"saved_list": saved_list.pk, "doors": len(rows), "turfs": len(turfs), "target": target_doors},
    )
    return turfs


def _turf_renumber(turf: Turf) -> None:
    """Put a turf's doors back in walking order and mark the turf changed."""
    doors = list(TurfDoor.objects.filter(turf=turf).select_related("household"))
    doors.sort(key=lambda d: walk_key(tuple(getattr(d.household, f) for f in WALK_FIELDS)))
    for position, door in enumerate(doors, start=1):
        door.position = position
    TurfDoor.objects.bulk_update(doors, ["position"], batch_size=1000)
    Turf.objects.filter(pk=turf.pk).update(revision=F("revision") + 1, updated_at=timezone.now())


@transaction.atomic
def turf_doors_move(*, source: Turf, target: Turf, household_ids: list[int], actor: User) -> int:
    """Move some households from one turf to another of the same campaign; return how many moved."""
    if source.campaign_id != target.campaign_id or source.pk == target.pk:
        raise ApplicationError("Move doors to another turf of the same campaign.")
    ids = {int(pk) for pk in household_ids}
    if not ids:
        raise ApplicationError("Choose the doors to move.")
    Turf.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk").count()
    moved = TurfDoor.objects.filter(turf=source, household_id__in=ids).update(turf=target)
    if moved != len(ids):
        raise ApplicationError("Some of those doors are not on this turf.")
    _turf_renumber(source)
    _turf_renumber(target)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, chapter=source.chapter, target=target,
                 details={"moved_from": source.pk, "households": sorted(ids)})  # fmt: skip
    return moved


@transaction.atomic
def turf_split(*, turf: Turf, at_position: int, actor: User) -> Turf:
    """Split a turf before the door at a position; the rest becomes a new turf."""
    count = TurfDoor.objects.filter(turf=turf).count()
    if not 2 <= at_position <= count:
        raise ApplicationError(f"Split at a door from 2 to {count}: each part needs at least one door.")
    name, n = f"{turf.name} (part 2)", 3
    while Turf.objects.filter(campaign=turf.campaign, name=name).exists():
        name, n = f"{turf.name} (part {n})", n + 1
    part = Turf.objects.create(
        chapter=turf.chapter, campaign=turf.campaign, saved_list=turf.saved_list, name=name, precinct=turf.precinct
    )
    TurfDoor.objects.filter(turf=turf, position__gte=at_position).update(turf=part)
    _turf_renumber(turf)
    _turf_renumber(part)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, chapter=turf.chapter, target=turf,
                 details={"split_at": at_position, "new_turf": part.pk})  # fmt: skip
    return part


@transaction.atomic
def turf_merge(*, turf: Turf, other: Turf, actor: User) -> Turf:
    """Merge another turf of the campaign into this one; the other turf goes, its results stay."""
    if turf.campaign_id != other.campaign_id or turf.pk == other.pk:
        raise ApplicationError("Merge two different turfs of the same campaign.")
    if other.assignments.filter(ended_at__isnull=True).exists():
        raise ApplicationError(f"“{other.name}” is assigned to a canvasser; end that assignment first.")
    TurfDoor.objects.filter(turf=other).update(turf=turf)
    DoorVisit.objects.filter(turf=other).update(turf=turf)
    other_name = other.name
    other.delete()
    _turf_renumber(turf)
    audit_record(actor=actor, action=AuditEvent.Action.MERGE, chapter=turf.chapter, target=turf,
                 details={"merged": other_name})  # fmt: skip
    return turf


# --- Walk lists -------------------------------------------------------------


@transaction.atomic
def walk_list_request(*, turf: Turf, actor: User, shift: Shift | None = None) -> WalkListJob:
    """
    Return the turf's walk list job, queueing a new render only when needed.

    A finished or running job for the turf's current revision (and shift) is
    reused: the PDF stays cached until the turf's doors change.
    """
    if shift is not None and shift.campaign_id != turf.campaign_id:
        raise ApplicationError("Choose a shift of the turf's campaign.")
    reusable = (
        WalkListJob.objects.filter(turf=turf, turf_revision=turf.revision, shift=shift)
        .exclude(status__in=[WalkListJob.Status.FAILED, WalkListJob.Status.CANCELLED])
        .order_by("-created_at")
        .first()
    )
    if reusable is not None:
        return reusable
    job = WalkListJob.objects.create(
        chapter=turf.chapter, turf=turf, shift=shift, turf_revision=turf.revision, created_by=actor
    )
    from canvassing.tasks import walk_list_render_task

    transaction.on_commit(lambda: walk_list_render_task.delay(job.pk))
    return job


def walk_list_render(*, job_id: int) -> None:
    """Render a walk list job's PDF with progress; running it twice renders once."""
    from canvassing.pdf import WalkSheet, walk_list_pdf
    from canvassing.selectors import question_list, script_current_version, walk_sheet_doors

    job = WalkListJob.objects.select_related("turf__campaign__script", "turf__chapter", "shift__captain__user").get(
        pk=job_id
    )
    if job.status == WalkListJob.Status.DONE:
        return
    turf = job.turf
    job_start(job, phase="Gathering the doors")
    try:
        sheet = WalkSheet(
            turf=turf,
            shift=job.shift,
            script=script_current_version(script=turf.campaign.script),
            questions=list(question_list(campaign=turf.campaign)),
            doors=walk_sheet_doors(turf=turf, today=timezone.localdate()),
            entry_url=settings.SITE_URL.rstrip("/") + reverse("canvassing:turf_code", kwargs={"code": turf.code}),
            printed_at=timezone.localtime(),
        )

        def progress(done: int, total: int) -> None:
            job_progress(job, done=done, total=total, phase="Laying out pages")

        pdf, pages = walk_list_pdf(sheet, base_url=str(settings.BASE_DIR), progress=progress)
        job.file.save(f"walk-list-{turf.pk}-r{job.turf_revision}-{job.pk}.pdf", ContentFile(pdf), save=False)
    except Exception as error:
        job_finish(job, status=WalkListJob.Status.FAILED, error=f"The walk list could not be made: {error}")
        raise
    job_finish(job, file=job.file.name, page_count=pages)


# --- Door results -----------------------------------------------------------


def _answers_validate(
    questions: list[SurveyQuestion], answers: Mapping[str, Any] | None
) -> tuple[dict[str, str], list[AnswerOption]]:
    """Return answers as the vault stores them, and the options chosen; refuse unknown ones."""
    by_id = {str(q.pk): q for q in questions}
    stored: dict[str, str] = {}
    chosen: list[AnswerOption] = []
    if answers is None:
        return stored, chosen
    if not isinstance(answers, Mapping):
        raise ApplicationError("Answers must map each question to its answer.")
    for key, raw in answers.items():
        question = by_id.get(str(key))
        if question is None:
            raise ApplicationError("An answer is for a question this campaign does not ask.")
        if raw in (None, "", []):
            continue
        if question.kind == SurveyQuestion.Kind.TEXT:
            text = " ".join(str(raw).split())
            if len(text) > 500:
                raise ApplicationError("A written answer is at most 500 characters.")
            stored[str(key)] = text
            continue
        values = raw if isinstance(raw, list) else [raw]
        if question.kind != SurveyQuestion.Kind.MULTIPLE and len(values) > 1:
            raise ApplicationError(f"“{question}” takes one answer.")
        options = {o.value: o for o in question.options.all()}
        picked = []
        for value in values:
            option = options.get(str(value))
            if option is None:
                raise ApplicationError(f"{str(value)[:40]!r} is not an answer to “{question}”.")
            if option not in picked:
                picked.append(option)
        stored[str(key)] = "|".join(o.value for o in picked)
        chosen.extend(picked)
    return stored, chosen


def _answer_effects_apply(
    *, person: Person, options: list[AnswerOption], event: ContactEvent, actor: User | None, campaign: Campaign
) -> None:
    """Apply the chosen answers' effects to the person in the vault, and note on the event what changed."""
    undoable = any(o.tag_name or o.support_score or o.do_not_contact for o in options)
    if undoable:
        support_before = person.support_score
        tags_before = set(person.tags.values_list("pk", flat=True))
        blocked_before = set(DoNotContact.objects.filter(person=person).values_list("channel", flat=True))
    for option in options:
        if option.ladder_level:
            person_ladder_raise(person=person, level=option.ladder_level, actor=actor,
                                source=f"Canvass: {campaign.name}", contact_event=event)  # fmt: skip
        if option.tag_name:
            person_tag_add(person=person, tag_name=option.tag_name, actor=actor, contact_event=event)
        if option.support_score:
            person_support_set(person=person, score=option.support_score, actor=actor, contact_event=event)
        if option.do_not_contact:
            person_do_not_contact_set(person=person, channel=Channel.DOOR,
                                      reason=f"Asked at the door ({campaign.name})", actor=actor,
                                      contact_event=event)  # fmt: skip
    if not undoable:
        return
    # The ladder keeps its own history; the rest is noted on the event for a rollback.
    effects: dict[str, Any] = {}
    if person.support_score != support_before:
        effects.update(support_before=support_before, support_after=person.support_score)
    if tags_added := sorted(set(person.tags.values_list("pk", flat=True)) - tags_before):
        effects["tags_added"] = tags_added
    blocked = set(DoNotContact.objects.filter(person=person).values_list("channel", flat=True))
    if blocked_added := sorted(blocked - blocked_before):
        effects["do_not_contact_added"] = blocked_added
    if effects:
        ContactEvent.objects.filter(pk=event.pk).update(effects=effects)
        event.effects = effects


@transaction.atomic
def door_result_record(
    *,
    turf: Turf,
    household_id: int,
    recorded_by: User,
    result: str,
    client_uuid: uuid.UUID | str,
    person_id: int | None = None,
    answers: Mapping[str, Any] | None = None,
    notes: str = "",
    occurred_at: datetime | None = None,
    shift: Shift | None = None,
    source: str = DoorVisit.Source.PHONE,
) -> tuple[DoorVisit, bool]:
    """
    Record one door's result as a vault contact event, applying the answers' effects.

    Return the visit and whether it is new: a result re-sent with the same
    client UUID returns the first one and changes nothing.
    """
    try:
        client_uuid = uuid.UUID(str(client_uuid))
    except ValueError as error:
        raise ApplicationError("The result's client UUID is not a valid UUID.") from error
    existing = DoorVisit.objects.filter(chapter_id=turf.chapter_id, client_uuid=client_uuid).first()
    if existing is not None:
        return existing, False
    if result not in DOOR_RESULTS:
        raise ApplicationError("Choose one of the door results.")
    door = TurfDoor.objects.filter(turf=turf, household_id=household_id).select_related("household").first()
    if door is None:
        raise ApplicationError("That door is not on this turf.")
    household = door.household
    person = None
    if person_id is not None:
        person = Person.objects.filter(household=household, pk=person_id).first()
        if person is None:
            raise ApplicationError("That person does not live at this door.")
    campaign = turf.campaign
    stored, chosen = _answers_validate(list(campaign.questions.prefetch_related("options")), answers)
    if stored and result != ContactEvent.Result.CONTACT:
        raise ApplicationError("Answers are recorded only when you talked with someone.")
    if chosen and person is None:
        residents = list(household.people.all()[:2])
        if len(residents) != 1:
            raise ApplicationError("Say who you talked with, so the answers reach the right person.")
        person = residents[0]
    event, created = contact_event_record(
        chapter=turf.chapter,
        recorded_by=recorded_by,
        channel=Channel.DOOR,
        result=result,
        household=household,
        person=person,
        answers=stored,
        notes=notes[:5000],
        occurred_at=occurred_at,
        campaign=campaign,
        client_uuid=client_uuid,
    )
    if not created:
        return DoorVisit.objects.get(chapter_id=turf.chapter_id, client_uuid=client_uuid), False
    visit = DoorVisit.objects.create(
        chapter=turf.chapter, campaign=campaign, turf=turf, shift=shift, household=household, person=person,
        canvasser=recorded_by, contact_event=event, result=result, answers=stored, source=source,
        client_uuid=client_uuid, occurred_at=event.occurred_at,
    )  # fmt: skip
    if person is not None and chosen:
        _answer_effects_apply(person=person, options=chosen, event=event, actor=recorded_by, campaign=campaign)
    if cache.add(f"canvassing:quality-check:{campaign.pk}", True, timeout=60):
        from canvassing.tasks import quality_flags_detect_task

        transaction.on_commit(lambda: quality_flags_detect_task.delay(campaign.pk))
    return visit, True


def _paper_answer(question: SurveyQuestion, code: str) -> str | list[str]:
    """Turn what a captain typed from a sheet (an answer number, or text) into an answer value."""
    if question.kind == SurveyQuestion.Kind.TEXT:
        return code
    options = list(question.options.all())
    picked = []
    for part in re.split(r"[\s,;]+", code.strip()):
        if not part.isdigit() or not 1 <= int(part) <= len(options):
            raise ApplicationError(f"Q{question.position}: type an answer number from 1 to {len(options)}.")
        picked.append(options[int(part) - 1].value)
    return picked if question.kind == SurveyQuestion.Kind.MULTIPLE else picked[0] if len(picked) == 1 else picked


@transaction.atomic
def paper_results_record(
    *, turf: Turf, rows: list[dict[str, Any]], recorded_by: User, shift: Shift | None = None
) -> int:
    """
    Record results typed from returned paper sheets; return how many are new.

    Rows with no result code are skipped. One bad row refuses them all, with
    the door number, so nothing is half-entered; re-sending the same form
    (same row UUIDs) records nothing twice.
    """
    questions = list(turf.campaign.questions.prefetch_related("options"))
    errors, created = [], 0
    for row in rows:
        code = str(row.get("result", "")).strip().upper()
        if not code:
            continue
        label = f"Door {row.get('position', '?')}"
        try:
            if code not in RESULT_CODES:
                raise ApplicationError(f"{code!r} is not a result code ({', '.join(RESULT_CODES)}).")
            answers = {
                str(q.pk): _paper_answer(q, str(row.get("answers", {}).get(str(q.pk), "")))
                for q in questions
                if str(row.get("answers", {}).get(str(q.pk), "")).strip()
            }
            with transaction.atomic():
                _, new = door_result_record(
                    turf=turf, household_id=row["household_id"], recorded_by=recorded_by, result=RESULT_CODES[code],
                    client_uuid=row["client_uuid"], person_id=row.get("person_id"), answers=answers,
                    notes=str(row.get("note", "")), shift=shift, source=DoorVisit.Source.PAPER,
                )  # fmt: skip
            created += new
        except ApplicationError as error:
            errors.append(f"{label}: {error.message}")
    if errors:
        raise ApplicationError(" ".join(errors), extra={"rows": errors})
    return created


# --- Shifts and assignments -------------------------------------------------


@transaction.atomic
def shift_create(
    *,
    campaign: Campaign,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    capacity: int,
    actor: User,
    captain: Membership | None = None,
    notes: str = "",
) -> Shift:
    """Schedule a shift for a campaign."""
    _same_chapter(campaign.chapter, captain)
    if captain is not None and not permissions.RUN_SHIFTS.allows(captain):
        raise ApplicationError("The captain must be a canvass captain, an organizer or the chair.")
    shift = Shift(chapter=campaign.chapter, campaign=campaign, starts_at=starts_at, ends_at=ends_at,
                  place=place.strip(), capacity=capacity, captain=captain, notes=notes.strip())  # fmt: skip
    _full_clean(shift)
    shift.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=campaign.chapter, target=shift)
    return shift


@transaction.atomic
def shift_signup(*, shift: Shift, member: Membership) -> ShiftSignup:
    """Sign a member up for a shift, refusing when it is full; signing up twice changes nothing."""
    _same_chapter(shift.chapter, member)
    Shift.objects.select_for_update().filter(pk=shift.pk).first()
    existing = ShiftSignup.objects.filter(shift=shift, member=member).first()
    if existing is not None:
        return existing
    if shift.ends_at <= timezone.now():
        raise ApplicationError("This shift is over.")
    if shift.signups.count() >= shift.capacity:
        raise ApplicationError("This shift is full.")
    return ShiftSignup.objects.create(shift=shift, member=member)


@transaction.atomic
def shift_signup_cancel(*, shift: Shift, member: Membership) -> None:
    """Take a member off a shift they have not been checked in to."""
    signup = ShiftSignup.objects.filter(shift=shift, member=member).first()
    if signup is None:
        return
    if signup.checked_in_at:
        raise ApplicationError("You are checked in to this shift already; ask the captain.")
    signup.delete()


@transaction.atomic
def shift_check_in(*, signup: ShiftSignup, actor: User) -> ShiftSignup:
    """Check a signed-up canvasser in; checking in twice keeps the first time."""
    if signup.checked_in_at is None:
        signup.checked_in_at = timezone.now()
        signup.checked_in_by = actor
        signup.save(update_fields=["checked_in_at", "checked_in_by"])
    return signup


@transaction.atomic
def turf_assign(
    *,
    turf: Turf,
    canvasser: Membership,
    actor: User,
    partner: Membership | None = None,
    shift: Shift | None = None,
) -> TurfAssignment:
    """Give a turf to a canvasser, or a pair; assigning the same canvasser twice changes nothing."""
    _same_chapter(turf.chapter, canvasser, partner, shift)
    if partner is not None and partner.pk == canvasser.pk:
        raise ApplicationError("A pair is two different people.")
    if shift is not None and shift.campaign_id != turf.campaign_id:
        raise ApplicationError("Choose a shift of the turf's campaign.")
    for member in (canvasser, partner):
        if member is not None and not permissions.CANVASS.allows(member):
            raise ApplicationError(f"{member.user} is not a canvasser of the chapter yet; change their role first.")
    existing = TurfAssignment.objects.filter(turf=turf, canvasser=canvasser, ended_at__isnull=True).first()
    if existing is not None:
        return existing
    assignment = TurfAssignment.objects.create(
        turf=turf, canvasser=canvasser, partner=partner, shift=shift, assigned_by=actor
    )
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, chapter=turf.chapter, target=turf,
                 details={"assigned_to": canvasser.pk, "partner": partner.pk if partner else None})  # fmt: skip
    return assignment


@transaction.atomic
def assignment_end(*, assignment: TurfAssignment, actor: User) -> TurfAssignment:
    """End an assignment: the canvasser no longer reaches the turf's people."""
    if assignment.ended_at is None:
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["ended_at"])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, chapter=assignment.turf.chapter,
                     target=assignment.turf, details={"assignment_ended": assignment.pk})  # fmt: skip
    return assignment


def shift_reminders_send(*, now: datetime | None = None) -> int:
    """Email everyone signed up for a shift starting soon, once per shift; return how many emails went."""
    now = now or timezone.now()
    due = Shift.objects.filter(
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=settings.CANVASSING_REMINDER_HOURS),
    ).select_related("campaign", "chapter", "captain__user")
    sent = 0
    for shift in due:
        with transaction.atomic():
            claimed = Shift.objects.filter(pk=shift.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if not claimed:
                continue  # another worker took it
            signups = ShiftSignup.objects.filter(shift=shift).select_related("member__user")
            messages = [
                EmailMessage(
                    subject=f"Reminder: canvass {timezone.localtime(shift.starts_at):%a %b %-d, %-I:%M %p}",
                    body=render_to_string(
                        "canvassing/email/shift_reminder.txt",
                        {"shift": shift, "user": signup.member.user, "site_url": settings.SITE_URL},
                    ),
                    to=[signup.member.user.email],
                )
                for signup in signups
            ]
            if messages:
                get_connection().send_messages(messages)
            sent += len(messages)
    return sent


# --- Quality review ---------------------------------------------------------

# A canvasser's contact rate is flagged when it is this many standard errors from the others'
# and at least this far from it, once they have knocked enough doors to judge.
RATE_Z = 3.0
RATE_GAP = 0.15
RATE_MIN_DOORS = 20
# Doors recorded this close together, this many in a row, are flagged as too fast.
FAST_RUN_MIN = 3


def _too_fast_runs(visits: list[DoorVisit], seconds: int) -> list[list[DoorVisit]]:
    """Return runs of consecutive results less than ``seconds`` apart, FAST_RUN_MIN long or more."""
    runs: list[list[DoorVisit]] = []
    current: list[DoorVisit] = []
    for visit in visits:
        if current and (visit.occurred_at - current[-1].occurred_at).total_seconds() < seconds:
            current.append(visit)
            continue
        if len(current) >= FAST_RUN_MIN:
            runs.append(current)
        current = [visit]
    if len(current) >= FAST_RUN_MIN:
        runs.append(current)
    return runs


@transaction.atomic
def quality_flags_detect(*, campaign: Campaign) -> list[QualityFlag]:
    """
    Flag results a captain should look at; return the new flags.

    Two checks: doors recorded implausibly fast (runs under
    CANVASSING_FAST_DOOR_SECONDS apart), and a canvasser whose contact rate
    is far from the rest of the campaign's. Running it again flags nothing twice.
    """
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    pending = (
        DoorVisit.objects.filter(campaign=campaign, review=DoorVisit.Review.PENDING, canvasser__isnull=False)
        .exclude(source=DoorVisit.Source.PAPER)
        .order_by("canvasser_id", "occurred_at", "id")
    )
    flagged_fast = set(
        QualityFlag.visits.through.objects.filter(
            qualityflag__campaign=campaign, qualityflag__kind=QualityFlag.Kind.TOO_FAST
        ).values_list("doorvisit_id", flat=True)
    )
    by_canvasser: dict[int, list[DoorVisit]] = {}
    for visit in pending:
        by_canvasser.setdefault(visit.canvasser_id, []).append(visit)  # type: ignore[arg-type]
    flags = []
    seconds = settings.CANVASSING_FAST_DOOR_SECONDS
    for canvasser_id, visits in by_canvasser.items():
        for run in _too_fast_runs([v for v in visits if v.pk not in flagged_fast], seconds):
            span = (run[-1].occurred_at - run[0].occurred_at).total_seconds()
            flag = QualityFlag.objects.create(
                chapter=campaign.chapter, campaign=campaign, canvasser_id=canvasser_id, kind=QualityFlag.Kind.TOO_FAST,
                detail=f"{len(run)} doors in {span:.0f} seconds, each under {seconds} seconds after the last.",
            )  # fmt: skip
            flag.visits.set(run)
            flags.append(flag)
    totals = {
        row["canvasser_id"]: (row["attempts"], row["contacts"])
        for row in DoorVisit.objects.filter(campaign=campaign, canvasser__isnull=False)
        .exclude(review=DoorVisit.Review.ROLLED_BACK)
        .values("canvasser_id")
        .annotate(attempts=Count("id"), contacts=Count("id", filter=Q(result=ContactEvent.Result.CONTACT)))
    }
    open_rate_flags = QualityFlag.objects.filter(
        campaign=campaign, kind=QualityFlag.Kind.CONTACT_RATE, status=QualityFlag.Status.OPEN
    )
    already = set(open_rate_flags.values_list("canvasser_id", flat=True))
    all_attempts = sum(a for a, _ in totals.values())
    all_contacts = sum(c for _, c in totals.values())
    for canvasser_id, (attempts, contacts) in totals.items():
        others_attempts, others_contacts = all_attempts - attempts, all_contacts - contacts
        if canvasser_id in already or attempts < RATE_MIN_DOORS or others_attempts < RATE_MIN_DOORS:
            continue
        norm, rate = others_contacts / others_attempts, contacts / attempts
        spread = max((norm * (1 - norm) / attempts) ** 0.5, 0.01)
        if abs(rate - norm) >= RATE_GAP and abs(rate - norm) / spread >= RATE_Z:
            flag = QualityFlag.objects.create(
                chapter=campaign.chapter, campaign=campaign, canvasser_id=canvasser_id,
                kind=QualityFlag.Kind.CONTACT_RATE,
                detail=f"Contact rate {rate:.0%} over {attempts} doors; the rest of the campaign's is {norm:.0%}.",
            )  # fmt: skip
            flag.visits.set(by_canvasser.get(canvasser_id, []))
            flags.append(flag)
    return flags


@transaction.atomic
def quality_flag_accept(*, flag: QualityFlag, actor: User) -> QualityFlag:
    """Accept a flagged batch as genuine: its results stay."""
    if flag.status != QualityFlag.Status.OPEN:
        raise ApplicationError("This flag has been reviewed already.")
    flag.visits.filter(review=DoorVisit.Review.PENDING).update(review=DoorVisit.Review.ACCEPTED)
    flag.status, flag.reviewed_by, flag.reviewed_at = QualityFlag.Status.ACCEPTED, actor, timezone.now()
    flag.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action=AuditEvent.Action.STATUS_CHANGE, chapter=flag.chapter, target=flag,
                 details={"status": "accepted"})  # fmt: skip
    return flag


@transaction.atomic
def quality_flag_rollback(*, flag: QualityFlag, actor: User, reason: str) -> int:
    """
    Roll a flagged batch back: its contact events leave the vault, audited; return how many.

    Ladder steps the results caused are undone by the vault; the door visits
    stay, marked rolled back, so the record of what happened is kept.
    """
    if flag.status != QualityFlag.Status.OPEN:
        raise ApplicationError("This flag has been reviewed already.")
    if not reason.strip():
        raise ApplicationError("Say why these results are rolled back.")
    visits = flag.visits.exclude(review=DoorVisit.Review.ROLLED_BACK)
    event_ids = [pk for pk in visits.values_list("contact_event_id", flat=True) if pk]
    removed = 0
    if event_ids:
        removed = contact_events_delete(chapter=flag.chapter, event_ids=event_ids, actor=actor, reason=reason)
    visits.update(review=DoorVisit.Review.ROLLED_BACK)
    flag.status, flag.reviewed_by, flag.reviewed_at = QualityFlag.Status.ROLLED_BACK, actor, timezone.now()
    flag.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action=AuditEvent.Action.ROLLBACK, chapter=flag.chapter, target=flag,
                 details={"contact_events": removed, "reason": reason.strip()[:500]})  # fmt: skip
    return removed


@transaction.atomic
def saved_list_from_answers(
    *, campaign: Campaign, question: SurveyQuestion, value: str, name: str, actor: User
) -> SavedList:
    """Save a list of the people who gave an answer in a campaign, such as its supporters, for the next one."""
    if question.campaign_id != campaign.pk:
        raise ApplicationError("Choose a question of that campaign.")
    if question.kind not in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.SCALE):
        raise ApplicationError("Lists are built from single-choice or 1–5 questions.")
    if not question.options.filter(value=value).exists():
        raise ApplicationError("Choose one of the question's answers.")
    saved_list = SavedList(
        chapter=campaign.chapter, name=name.strip(), created_by=actor,
        description=f"People who answered “{question.text}” with “{question.options.get(value=value).label}” "
        f"in {campaign.name}.",
        filters={"answer_question": str(question.pk), "answer_value": value, "answer_campaign": campaign.pk},
    )  # fmt: skip
    _full_clean(saved_list)
    saved_list.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=campaign.chapter, target=saved_list)
    return saved_list
