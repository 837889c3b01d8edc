"""Writes of the field operation: campaigns, scripts, questions, turf, shifts and door results."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify

from canvassing.models import AnswerOption, Campaign, Script, ScriptVersion, SurveyQuestion
from chapters.models import Chapter
from core.errors import ApplicationError
from core.models import AuditEvent, User
from core.services import audit_record

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
def campaign_create(*, chapter: Chapter, actor: User, script: Script | None = None, **fields: Any) -> Campaign:
    """Create a campaign; names are unique in the chapter."""
    _same_chapter(chapter, script)
    campaign = Campaign(chapter=chapter, script=script, **{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS})
    _full_clean(campaign)
    campaign.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=chapter, target=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: User, script: Script | None = None, **fields: Any) -> Campaign:
    """Change a campaign's details, dates, status, goals or script."""
    _same_chapter(campaign.chapter, script)
    for name, value in fields.items():
        if name in CAMPAIGN_FIELDS:
            setattr(campaign, name, value)
    campaign.script = script
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
    from data_vault.models import ContactEvent

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
