"""The chapter's own field operation: campaigns first; turf, shifts and results build on them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chapters.models import Chapter
from core.models import TimeStampedModel


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
