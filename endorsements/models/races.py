"""Races, candidates, the endorsement itself and its status timeline."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chapters.models import Chapter
from core.models import TimeStampedModel


class Race(TimeStampedModel):
    """An election for one office that the chapter is looking at."""

    class Level(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal")
        COUNTY = "county", _("County")
        STATE_LEGISLATIVE = "state_legislative", _("State legislative")
        STATEWIDE = "statewide", _("Statewide")
        FEDERAL = "federal", _("Federal")

    class ElectionType(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        GENERAL = "general", _("General")
        SPECIAL = "special", _("Special")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="races")
    jurisdiction = models.CharField(max_length=120, help_text=_("For example: City of Durham, Durham County."))
    office = models.CharField(max_length=120)
    level = models.CharField(max_length=20, choices=Level.choices)
    district = models.CharField(max_length=60, blank=True)
    election_type = models.CharField(max_length=10, choices=ElectionType.choices)
    election_date = models.DateField()
    filing_deadline = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["election_date", "office", "district"]
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "jurisdiction", "office", "district", "election_type", "election_date"],
                name="race_unique_in_chapter",
            )
        ]

    def __str__(self) -> str:
        district = f", {self.district}" if self.district else ""
        return f"{self.office}{district} ({self.get_election_type_display()} {self.election_date:%Y})"

    def clean(self) -> None:
        if self.filing_deadline and self.election_date and self.filing_deadline > self.election_date:
            raise ValidationError({"filing_deadline": _("The filing deadline cannot fall after the election.")})

    def get_absolute_url(self) -> str:
        return reverse("endorsements:race_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})


class Candidate(TimeStampedModel):
    """Someone running for office, as the chapter knows them."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    is_incumbent = models.BooleanField(_("incumbent"), default=False)
    ballot_line = models.CharField(max_length=80, blank=True, help_text=_("The party line they run on."))
    is_member = models.BooleanField(_("member of the organization"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["chapter", "name"], name="candidate_name_unique_in_chapter")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("endorsements:candidate_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})


class EndorsementStatus(models.TextChoices):
    """Where an endorsement stands; workflow.py says which moves are legal."""

    DRAFT = "draft", _("Draft")
    QUESTIONNAIRE_SENT = "questionnaire_sent", _("Questionnaire sent")
    QUESTIONNAIRE_RETURNED = "questionnaire_returned", _("Questionnaire returned")
    RESEARCH = "research", _("Research")
    CHAPTER_VOTE = "chapter_vote", _("Chapter vote")
    ENDORSED_LOCALLY = "endorsed_locally", _("Endorsed locally")
    DECLINED = "declined", _("Declined")
    NATIONAL_REQUESTED = "national_requested", _("National request submitted")
    NEC_REVIEW = "nec_review", _("NEC review")
    NEC_RECOMMENDED = "nec_recommended", _("Recommended by the NEC")
    NEC_NOT_RECOMMENDED = "nec_not_recommended", _("Not recommended by the NEC")
    NPC_RATIFIED = "npc_ratified", _("Ratified by the NPC")
    NPC_OVERRULED = "npc_overruled", _("Overruled by the NPC")
    NATIONALLY_ENDORSED = "nationally_endorsed", _("Nationally endorsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RESCINDED = "rescinded", _("Rescinded")


class Endorsement(TimeStampedModel):
    """A chapter's consideration of one candidate in one race, from draft to national endorsement."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="endorsements")
    race = models.ForeignKey(Race, on_delete=models.PROTECT, related_name="endorsements")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="endorsements")
    status = models.CharField(max_length=24, choices=EndorsementStatus.choices, default=EndorsementStatus.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text=_("Bumped on every status change."))
    is_public = models.BooleanField(
        _("show on the public page"),
        default=False,
        help_text=_("List this chapter endorsement on the public page once the chapter has endorsed."),
    )
    public_statement = models.TextField(blank=True, help_text=_("What the public page says about the endorsement."))
    public_note = models.TextField(blank=True, help_text=_("The public note when an endorsement is rescinded."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["race__election_date", "candidate__name"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "race", "candidate"], name="one_endorsement_per_candidacy"),
            models.CheckConstraint(
                condition=models.Q(status__in=EndorsementStatus.values), name="endorsement_status_known"
            ),
        ]
        indexes = [models.Index(fields=["chapter", "status"])]

    def __str__(self) -> str:
        return f"{self.candidate} for {self.race}"

    def clean(self) -> None:
        if self.race_id and self.chapter_id and self.race.chapter_id != self.chapter_id:
            raise ValidationError({"race": _("Choose one of your chapter's races.")})
        if self.candidate_id and self.chapter_id and self.candidate.chapter_id != self.chapter_id:
            raise ValidationError({"candidate": _("Choose one of your chapter's candidates.")})

    def get_absolute_url(self) -> str:
        return reverse("endorsements:endorsement_detail", kwargs={"chapter": self.chapter.slug, "pk": self.pk})


class StatusChange(models.Model):
    """One move on the endorsement's timeline: who made it, when and why."""

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="timeline")
    from_status = models.CharField(max_length=24, choices=EndorsementStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=EndorsementStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, help_text=_("Who moved it, kept if the account goes."))
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"
