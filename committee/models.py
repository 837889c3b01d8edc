"""The NEC: terms, seats and co-chairs, subcommittees, help for locals, trainings, capacity and reports."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chapters.models import Chapter
from core.models import Job, TimeStampedModel
from core.states import US_STATES


class CochairSlot(models.IntegerChoices):
    """The two co-chair places; a unique slot per body caps co-chairs at two."""

    FIRST = 1, _("First co-chair")
    SECOND = 2, _("Second co-chair")


class Term(TimeStampedModel):
    """One term of the National Electoral Committee."""

    name = models.CharField(max_length=80, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("A term must end after it starts.")})


class Nomination(TimeStampedModel):
    """A local electoral working group's nomination of someone for the NEC, and the election's result."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        ELECTED = "elected", _("Elected")
        NOT_ELECTED = "not_elected", _("Not elected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="nominations")
    nominee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nec_nominations")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="nec_nominations", help_text=_("The nominating chapter.")
    )
    statement = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOMINATED)
    votes = models.PositiveIntegerField(null=True, blank=True, help_text=_("Votes received in the election."))
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["term", "-votes", "nominee__name"]
        constraints = [models.UniqueConstraint(fields=["term", "nominee"], name="one_nomination_per_term")]

    def __str__(self) -> str:
        return f"{self.nominee} ({self.chapter}, {self.term})"


class Seat(TimeStampedModel):
    """A place on the NEC for one term; two of a term's seats are its co-chairs."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="seats")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nec_seats")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="nec_seats")
    nomination = models.OneToOneField(Nomination, null=True, blank=True, on_delete=models.SET_NULL, related_name="seat")
    public_email = models.EmailField(help_text=_("Published on the roster."))
    cochair_slot = models.PositiveSmallIntegerField(null=True, blank=True, choices=CochairSlot.choices)

    class Meta:
        ordering = ["cochair_slot", "holder__name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "holder"], name="one_seat_per_term"),
            models.UniqueConstraint(fields=["term", "cochair_slot"], name="nec_cochairs_at_most_two"),
            models.CheckConstraint(
                condition=Q(cochair_slot__isnull=True) | Q(cochair_slot__in=[1, 2]), name="nec_cochair_slot_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} ({self.term})"

    @property
    def is_cochair(self) -> bool:
        return self.cochair_slot is not None


class Subcommittee(TimeStampedModel):
    """A working body of the NEC for one term, organised by a skill a campaign needs."""

    class Kind(models.TextChoices):
        FIELD = "field", _("Field")
        COMMUNICATIONS = "communications", _("Communications and social media")
        COMPLIANCE = "compliance", _("Compliance")
        FUNDRAISING = "fundraising", _("Fundraising and finance")
        RESEARCH = "research", _("Research")
        DATA = "data", _("Data and tools")
        OTHER = "other", _("Other")

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="subcommittees")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="subcommittee_name_unique_in_term")]

    def __str__(self) -> str:
        return self.name


class SubcommitteeMember(models.Model):
    """An NEC seat's place on a subcommittee; two members are its co-chairs."""

    subcommittee = models.ForeignKey(Subcommittee, on_delete=models.CASCADE, related_name="members")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="subcommittee_places")
    cochair_slot = models.PositiveSmallIntegerField(null=True, blank=True, choices=CochairSlot.choices)

    class Meta:
        ordering = ["cochair_slot", "seat__holder__name"]
        constraints = [
            models.UniqueConstraint(fields=["subcommittee", "seat"], name="one_place_per_subcommittee"),
            models.UniqueConstraint(fields=["subcommittee", "cochair_slot"], name="subcommittee_cochairs_at_most_two"),
            models.CheckConstraint(
                condition=Q(cochair_slot__isnull=True) | Q(cochair_slot__in=[1, 2]),
                name="subcommittee_cochair_slot_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat.holder} · {self.subcommittee}"


class SupportFeedback(models.Model):
    """A chapter's rating of, and comment on, the support it got from the NEC."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="nec_feedback")
    subcommittee = models.ForeignKey(
        Subcommittee, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="support_feedback_rating_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.chapter}: {self.rating}/5"


class AssistanceRequest(TimeStampedModel):
    """What a local asks the NEC for: the first question is always what the local requests."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        DATA_TOOLS = "data_tools", _("Data and tools")
        LEGAL_COMPLIANCE = "legal_compliance", _("Legal and compliance")
        FUNDRAISING = "fundraising", _("Fundraising")
        PRESS = "press", _("Press")
        RESEARCH = "research", _("Research")
        PHONEBANK = "phonebank", _("Phonebank help")
        OTHER = "other", _("Other")

    class Urgency(models.TextChoices):
        LOW = "low", _("Low: within a month")
        NORMAL = "normal", _("Normal: within two weeks")
        HIGH = "high", _("High: within a week")
        URGENT = "urgent", _("Urgent: within days")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Triaged")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    OPEN = (Status.NEW, Status.TRIAGED, Status.IN_PROGRESS)
    CLOSED = (Status.DONE, Status.DECLINED)

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="assistance_requests")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField()
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    subcommittee = models.ForeignKey(
        Subcommittee, null=True, blank=True, on_delete=models.SET_NULL, related_name="assistance_requests"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="assistance_request_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["done", "declined"], closed_at__isnull=False)
                | (~Q(status__in=["done", "declined"]) & Q(closed_at__isnull=True)),
                name="assistance_request_closed_when_finished",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.chapter}"

    def get_absolute_url(self) -> str:
        return reverse("committee:request_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def age(self) -> timedelta:
        return (self.closed_at or timezone.now()) - self.created_at


class AssistanceComment(models.Model):
    """One message on a request, from the chapter or from the NEC."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_nec = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{'NEC' if self.from_nec else 'Chapter'} on {self.request}"


class Training(TimeStampedModel):
    """A training or skill-share, hosted by a subcommittee or by a chapter, open to members of any chapter."""

    class Format(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")

    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    host_subcommittee = models.ForeignKey(
        Subcommittee, null=True, blank=True, on_delete=models.PROTECT, related_name="trainings"
    )
    host_chapter = models.ForeignKey(Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="trainings")
    starts_at = models.DateTimeField()
    format = models.CharField(max_length=12, choices=Format.choices)
    location = models.CharField(max_length=200, blank=True, help_text=_("An address, or where the link will come."))
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_at", "title"]
        indexes = [models.Index(fields=["starts_at"], name="training_starts_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(host_subcommittee__isnull=False, host_chapter__isnull=True)
                | Q(host_subcommittee__isnull=True, host_chapter__isnull=False),
                name="training_has_one_host",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("committee:training_detail", kwargs={"pk": self.pk})

    @property
    def host_name(self) -> str:
        return str(self.host_subcommittee or self.host_chapter)

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()


class TrainingSignup(models.Model):
    """A member's place at a training, and whether they came."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_signups")
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text=_("Signed up from.")
    )
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["training", "user"], name="one_signup_per_training")]

    def __str__(self) -> str:
        return f"{self.user} → {self.training}"


def training_material_path(material: TrainingMaterial, filename: str) -> str:
    """Keep materials per training, served only through the library's view."""
    return f"trainings/{material.training_id}/{filename}"


class TrainingMaterial(models.Model):
    """A file from a training: slides, handouts, recordings' notes. Past ones form the library."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=150)
    file = models.FileField(upload_to=training_material_path, max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class StatewideTable(TimeStampedModel):
    """Locals of one state working together; data moves between them only by sharing agreement."""

    state = models.CharField(max_length=2, choices=US_STATES, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    chapters = models.ManyToManyField(Chapter, related_name="statewide_tables", blank=True)

    class Meta:
        ordering = ["state"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("committee:table_detail", kwargs={"state": self.state})


SCORE = [MinValueValidator(1), MaxValueValidator(5)]
CAPACITY_DIMENSIONS = ("field", "data", "messaging", "research", "fundraising", "compliance")


class CapacityAssessment(models.Model):
    """A chapter's periodic self-assessment, 1 to 5, on each capacity the NEC helps build."""

    DIMENSIONS = CAPACITY_DIMENSIONS

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="capacity_assessments")
    period = models.DateField(help_text=_("The first day of the quarter assessed."))
    field = models.PositiveSmallIntegerField(validators=SCORE)
    data = models.PositiveSmallIntegerField(validators=SCORE)
    messaging = models.PositiveSmallIntegerField(validators=SCORE)
    research = models.PositiveSmallIntegerField(validators=SCORE)
    fundraising = models.PositiveSmallIntegerField(validators=SCORE)
    compliance = models.PositiveSmallIntegerField(validators=SCORE)
    comments = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "chapter__name"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "period"], name="one_assessment_per_chapter_period"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"capacity_{name}_1_to_5"
                )
                for name in CAPACITY_DIMENSIONS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chapter} · {self.quarter}"

    @property
    def quarter(self) -> str:
        return f"{self.period:%Y} Q{(self.period.month - 1) // 3 + 1}"

    @property
    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.DIMENSIONS}


def report_pdf_path(report: Report, filename: str) -> str:
    """Keep report PDFs under their permanent slug."""
    return f"reports/{report.slug}/{filename}"


class Report(TimeStampedModel):
    """The NEC's report to the NPC for a period: figures from the system and narrative sections."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True, help_text=_("Its permanent public address."))
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField(default=dict, blank=True, help_text=_("Aggregates only, frozen at the last render."))
    pdf = models.FileField(upload_to=report_pdf_path, blank=True, max_length=255)
    rendered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="report_period_valid"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="report_published_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("committee:report_detail", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("committee:public_report", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ReportSection(models.Model):
    """A narrative section the co-chairs write."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=150)
    body = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.heading


class ReportRender(Job):
    """One run of the Celery task that computes the figures and renders the PDF."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="renders")

    class Meta(Job.Meta):
        pass

    def __str__(self) -> str:
        return f"Render of {self.report} ({self.get_status_display()})"
