"""The chapter's own process: questionnaire, dossier, discussion, vote, local plan and the packet."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chapters.models import Chapter, Membership
from core.models import Job, TimeStampedModel
from endorsements.models.races import Endorsement


class QuestionnaireTemplate(TimeStampedModel):
    """One version of a chapter's questionnaire; editing makes the next version."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="questionnaire_templates")
    title = models.CharField(max_length=150)
    version = models.PositiveIntegerField(default=1)
    introduction = models.TextField(blank=True, help_text=_("Shown to the candidate above the questions."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "title", "version"], name="questionnaire_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class QuestionnaireQuestion(models.Model):
    """A question in one version of a questionnaire."""

    template = models.ForeignKey(QuestionnaireTemplate, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    prompt = models.TextField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="question_position_unique_in_template")
        ]

    def __str__(self) -> str:
        return self.prompt[:80]


class Questionnaire(models.Model):
    """A questionnaire sent to a candidate as a unique, expiring link."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="questionnaires")
    template = models.ForeignKey(QuestionnaireTemplate, on_delete=models.PROTECT, related_name="questionnaires")
    token_digest = models.CharField(max_length=64, unique=True)
    sent_to = models.EmailField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.template} → {self.sent_to}"

    @property
    def status(self) -> str:
        if self.submitted_at:
            return self.Status.SUBMITTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.OPEN

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class QuestionnaireAnswer(models.Model):
    """The candidate's answer to one question."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(QuestionnaireQuestion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question__position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return self.text[:80]


class Dossier(TimeStampedModel):
    """The chapter's own research on whether the candidate can win."""

    class Viability(models.TextChoices):
        STRONG = "strong", _("Strong: favoured to win")
        COMPETITIVE = "competitive", _("Competitive: a credible path")
        LONG_SHOT = "long_shot", _("Long shot")
        NOT_VIABLE = "not_viable", _("Not viable")

    endorsement = models.OneToOneField(Endorsement, on_delete=models.CASCADE, related_name="dossier")
    district_partisanship = models.TextField(blank=True, help_text=_("Registration, lean and turnout."))
    past_results = models.TextField(blank=True, help_text=_("Recent results in this seat or district."))
    fundraising = models.TextField(blank=True)
    opposition = models.TextField(blank=True)
    viability_rating = models.CharField(max_length=16, choices=Viability.choices, blank=True)
    viability_rationale = models.TextField(blank=True, help_text=_("The credible path to victory, in your words."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Dossier: {self.endorsement}"

    @property
    def is_complete(self) -> bool:
        return all(
            getattr(self, name).strip() if isinstance(getattr(self, name), str) else getattr(self, name)
            for name in (
                "district_partisanship",
                "fundraising",
                "opposition",
                "viability_rating",
                "viability_rationale",
            )
        )


class DossierAttachment(models.Model):
    """A file that backs the research: polling, filings, past results."""

    ALLOWED_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "csv", "txt", "docx", "xlsx")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=150)
    file = models.FileField(
        upload_to="endorsements/dossiers/%Y/%m/", validators=[FileExtensionValidator(list(ALLOWED_EXTENSIONS))]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """Internal discussion among the working group; never shown outside the chapter."""

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class VoteChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class ChapterVote(models.Model):
    """A chapter vote to endorse, or to rescind, under the chapter's threshold and quorum."""

    class Kind(models.TextChoices):
        ENDORSE = "endorse", _("Endorse")
        RESCIND = "rescind", _("Rescind")

    class Method(models.TextChoices):
        COUNTS = "counts", _("Counts from a meeting")
        BALLOTS = "ballots", _("One ballot per member")

    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        NO_QUORUM = "no_quorum", _("No quorum")

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="votes")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ENDORSE)
    method = models.CharField(max_length=10, choices=Method.choices)
    threshold_percent = models.PositiveSmallIntegerField(help_text=_("The chapter's threshold when the vote opened."))
    quorum = models.PositiveSmallIntegerField(help_text=_("The chapter's quorum when the vote opened."))
    yes_count = models.PositiveIntegerField(default=0)
    no_count = models.PositiveIntegerField(default=0)
    abstain_count = models.PositiveIntegerField(default=0)
    result = models.CharField(max_length=10, choices=Result.choices, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} vote on {self.endorsement}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Ballot(models.Model):
    """One member's ballot in a chapter vote: one member, one ballot."""

    vote = models.ForeignKey(ChapterVote, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="endorsement_ballots")
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cast_at"]
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="one_ballot_per_member")]

    def __str__(self) -> str:
        return f"{self.member.user} · {self.get_choice_display()}"


class LocalPlan(TimeStampedModel):
    """How a win builds the chapter; required before a national request."""

    SECTIONS = ("canvass_plan", "data_plan", "messaging_plan", "accountability_plan", "chapter_building_plan")

    endorsement = models.OneToOneField(Endorsement, on_delete=models.CASCADE, related_name="local_plan")
    canvass_plan = models.TextField(_("our own canvass"), blank=True, help_text=_("Turf, captains, shifts, goals."))
    campaign = models.ForeignKey(
        "canvassing.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_plans",
        help_text=_("The chapter's canvassing campaign for this race, if it has one."),
    )
    data_plan = models.TextField(_("our own data"), blank=True, help_text=_("What we collect and keep."))
    messaging_plan = models.TextField(_("independent messaging"), blank=True)
    accountability_plan = models.TextField(_("holding the candidate accountable"), blank=True)
    chapter_building_plan = models.TextField(_("how this builds the chapter"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Local plan: {self.endorsement}"

    @property
    def missing_sections(self) -> list[str]:
        labels = {field.name: str(field.verbose_name) for field in self._meta.fields}
        return [labels[name] for name in self.SECTIONS if not getattr(self, name).strip()]

    @property
    def is_complete(self) -> bool:
        return not self.missing_sections


class PacketJob(Job):
    """The reviewers' packet for one endorsement, rendered to PDF by a Celery task."""

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="packet_jobs")
    file = models.FileField(upload_to="endorsements/packets/%Y/%m/", blank=True)

    class Meta(Job.Meta):
        pass

    def __str__(self) -> str:
        return f"Packet for {self.endorsement} ({self.get_status_display()})"
