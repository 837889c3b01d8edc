"""
The chapter's own field operation: campaigns, scripts, survey questions, turf,
shifts, assignments, door results, walk lists and quality flags.

Door results land in the vault as ``ContactEvent``s; ``DoorVisit`` keeps what
the field operation needs besides: which turf, shift and canvasser, and
whether a captain accepted or rolled it back.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chapters.models import Chapter, Membership
from core.models import Job, TimeStampedModel
from data_vault.models import ContactEvent, Household, Ladder, Person, SavedList

# Door results a canvasser can tap, in the order the phone shows them.
DOOR_RESULTS = (
    ContactEvent.Result.NOT_HOME,
    ContactEvent.Result.CONTACT,
    ContactEvent.Result.REFUSED,
    ContactEvent.Result.MOVED,
    ContactEvent.Result.INACCESSIBLE,
    ContactEvent.Result.COME_BACK,
)
DOOR_RESULT_CHOICES = [(result.value, result.label) for result in DOOR_RESULTS]
# Short codes for paper walk lists and the results grid.
RESULT_CODES = {"NH": "not_home", "C": "contact", "R": "refused", "M": "moved", "I": "inaccessible", "CB": "come_back"}
SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def short_code_new() -> str:
    """Return a random code that is easy to type from paper: no 0/O or 1/I."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(7))


class Script(TimeStampedModel):
    """A chapter's own canvass script; its text lives in numbered versions."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="scripts")
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["chapter", "name"], name="script_name_unique_in_chapter")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("canvassing:script_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})


class ScriptVersion(models.Model):
    """One version of a script; the highest number is the one canvassers see."""

    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    intro = models.TextField(help_text=_("Who you are and why you are at the door."))
    issue = models.TextField(blank=True, help_text=_("The issue, in a sentence or two."))
    ask = models.TextField(blank=True, help_text=_("What you ask them to do."))
    close = models.TextField(blank=True, help_text=_("How you thank them and leave."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["script", "-number"]
        constraints = [models.UniqueConstraint(fields=["script", "number"], name="script_version_number_once")]

    def __str__(self) -> str:
        return f"{self.script} v{self.number}"

    @property
    def sections(self) -> list[tuple[str, str]]:
        return [("Intro", self.intro), ("Issue", self.issue), ("Ask", self.ask), ("Close", self.close)]


class Campaign(TimeStampedModel):
    """A chapter's campaign: electoral, or an issue campaign such as tenants' rights."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        BALLOT_MEASURE = "ballot_measure", _("Ballot measure")
        ISSUE = "issue", _("Issue campaign")
        BASE_BUILDING = "base_building", _("Base-building")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    door_goal = models.PositiveIntegerField(null=True, blank=True, help_text=_("Doors to knock."))
    contact_goal = models.PositiveIntegerField(null=True, blank=True, help_text=_("Conversations to have."))
    script = models.ForeignKey(
        Script, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaigns", help_text=_("The script.")
    )
    race = models.ForeignKey(
        "endorsements.Race",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        help_text=_("The race this campaign works on, if any."),
    )
    candidate = models.ForeignKey(
        "endorsements.Candidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        help_text=_("The candidate this campaign backs, if any."),
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [models.UniqueConstraint(fields=["chapter", "name"], name="campaign_name_unique_in_chapter")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})

    def get_absolute_url(self) -> str:
        return reverse("canvassing:campaign_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})


class SurveyQuestion(models.Model):
    """A question canvassers ask at the door, in a campaign."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale of 1 to 5")
        TEXT = "text", _("Free text")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    short_label = models.CharField(max_length=30, blank=True, help_text=_("A short name for walk lists and charts."))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "position", "id"]

    def __str__(self) -> str:
        return self.short_label or self.text

    @property
    def has_options(self) -> bool:
        return self.kind != self.Kind.TEXT


class AnswerOption(models.Model):
    """
    A fixed answer to a question, and what it changes in the vault.

    ``value`` is what ``ContactEvent.answers`` stores for it. The support score
    follows the vault: 1 strong opposition … 5 strong support.
    """

    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=120)
    value = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    ladder_level = models.CharField(
        max_length=12, choices=Ladder.choices, blank=True, help_text=_("Raise the person to this ladder level.")
    )
    tag_name = models.CharField(max_length=60, blank=True, help_text=_("Tag the person with this."))
    support_score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Set support: 1 strong opposition … 5 strong support."),
    )
    do_not_contact = models.BooleanField(default=False, help_text=_("Mark the person do-not-knock."))

    class Meta:
        ordering = ["question", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="answer_option_value_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def has_effects(self) -> bool:
        return bool(self.ladder_level or self.tag_name or self.support_score or self.do_not_contact)


class Turf(TimeStampedModel):
    """Doors in walking order, cut from a saved list for one campaign."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="turfs")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="turfs")
    name = models.CharField(max_length=120)
    saved_list = models.ForeignKey(SavedList, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    precinct = models.CharField(max_length=40, blank=True)
    code = models.CharField(max_length=10, unique=True, default=short_code_new, editable=False)
    revision = models.PositiveIntegerField(default=1, help_text=_("Goes up when the doors change."))

    class Meta:
        ordering = ["campaign", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="turf_name_unique_in_campaign")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("canvassing:turf_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})


class TurfDoor(models.Model):
    """
    A household on a turf, at its place in the walking order; a door is on one turf per campaign.

    A cut writes a hundred thousand of these at once, so the database checks
    none of the references (a lookup per row would cost seconds): only the
    services write rows, from objects they have just read, and Django's
    cascade removes them with their turf, campaign or household.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    turf = models.ForeignKey(Turf, on_delete=models.CASCADE, related_name="doors", db_constraint=False, db_index=False)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="turf_doors", db_constraint=False, db_index=False
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["turf", "position"]
        constraints = [
            # Household first: the same index finds a household's doors in every campaign.
            models.UniqueConstraint(fields=["household", "campaign"], name="turf_door_once_per_campaign"),
        ]
        indexes = [models.Index(fields=["turf", "position"], name="turf_door_order")]

    def __str__(self) -> str:
        return f"{self.turf}: {self.household}"


class Shift(TimeStampedModel):
    """A time and place to canvass, with a capacity and a captain."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="shifts")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, help_text=_("Where canvassers meet."))
    capacity = models.PositiveSmallIntegerField(default=10, validators=[MinValueValidator(1)])
    captain = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField(blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at", "reminder_sent_at"], name="shift_reminder_due")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The shift must end after it starts.")})

    def get_absolute_url(self) -> str:
        return reverse("canvassing:shift_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})


class ShiftSignup(models.Model):
    """A member's place on a shift, and when the captain checked them in."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="shift_signups")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["shift", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["shift", "member"], name="shift_signup_once")]

    def __str__(self) -> str:
        return f"{self.member.user} · {self.shift}"


class TurfAssignment(models.Model):
    """A turf given to a canvasser (and maybe a partner) until it is ended."""

    turf = models.ForeignKey(Turf, on_delete=models.CASCADE, related_name="assignments")
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments")
    canvasser = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="turf_assignments")
    partner = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="turf_partnerships"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["turf", "canvasser"], condition=Q(ended_at__isnull=True), name="turf_assignment_active_once"
            ),
            models.CheckConstraint(condition=~Q(canvasser=models.F("partner")), name="turf_assignment_pair_differs"),
        ]

    def __str__(self) -> str:
        pair = f" & {self.partner.user}" if self.partner_id and self.partner else ""
        return f"{self.turf} → {self.canvasser.user}{pair}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class DoorVisit(models.Model):
    """
    One door result from the field, and the vault event it became.

    ``client_uuid`` is the phone's id for the result: a re-sent result finds
    this row and changes nothing. A rollback deletes the vault event and keeps
    this row, marked, for the record.
    """

    class Source(models.TextChoices):
        PHONE = "phone", _("Phone")
        PAPER = "paper", _("Paper sheet")

    class Review(models.TextChoices):
        PENDING = "pending", _("Not reviewed")
        ACCEPTED = "accepted", _("Accepted")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="door_visits")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="door_visits")
    turf = models.ForeignKey(Turf, null=True, on_delete=models.SET_NULL, related_name="visits")
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="door_visits")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="door_visits")
    canvasser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="door_visits"
    )
    contact_event = models.OneToOneField(
        ContactEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="door_visit"
    )
    result = models.CharField(max_length=20, choices=ContactEvent.Result.choices)
    answers = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.PHONE)
    review = models.CharField(max_length=12, choices=Review.choices, default=Review.PENDING)
    client_uuid = models.UUIDField()
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["chapter", "client_uuid"], name="door_visit_client_uuid_once")]
        indexes = [
            models.Index(fields=["campaign", "canvasser", "occurred_at"], name="door_visit_canvasser_time"),
            models.Index(fields=["turf", "household"], name="door_visit_turf_door"),
        ]

    def __str__(self) -> str:
        return f"{self.household}: {self.get_result_display()}"

    @property
    def is_contact(self) -> bool:
        return self.result == ContactEvent.Result.CONTACT


class QualityFlag(models.Model):
    """A batch of a canvasser's results that look wrong, for the captain to review."""

    class Kind(models.TextChoices):
        CONTACT_RATE = "contact_rate", _("Contact rate far off the norm")
        TOO_FAST = "too_fast", _("Doors recorded too fast")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="quality_flags")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quality_flags")
    canvasser = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    detail = models.CharField(max_length=300)
    visits = models.ManyToManyField(DoorVisit, related_name="quality_flags")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.canvasser}"

    def get_absolute_url(self) -> str:
        return reverse("canvassing:flag_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})


def walk_list_path(job: WalkListJob, filename: str) -> str:
    """Keep walk lists per chapter, out of any public directory."""
    return f"walk_lists/{job.chapter_id}/{filename}"


class WalkListJob(Job):
    """A turf's printable walk list; reused until the turf's revision changes."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="walk_list_jobs")
    turf = models.ForeignKey(Turf, on_delete=models.CASCADE, related_name="walk_list_jobs")
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    turf_revision = models.PositiveIntegerField()
    file = models.FileField(upload_to=walk_list_path, max_length=300, blank=True)
    page_count = models.PositiveIntegerField(default=0)

    class Meta(Job.Meta):
        indexes = [models.Index(fields=["turf", "turf_revision"], name="walk_list_turf_revision")]

    def __str__(self) -> str:
        return f"Walk list for {self.turf}"
