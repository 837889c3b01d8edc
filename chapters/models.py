"""Chapters, their members and roles, invitations, and national roles."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.states import US_STATES


class Role(models.TextChoices):
    """A member's role in one chapter, from most to least reach."""

    CHAIR = "chair", _("Chair")
    ORGANIZER = "organizer", _("Organizer")
    CAPTAIN = "captain", _("Canvass captain")
    CANVASSER = "canvasser", _("Canvasser")
    MEMBER = "member", _("Member")


ROLE_REACH = {Role.MEMBER: 0, Role.CANVASSER: 1, Role.CAPTAIN: 2, Role.ORGANIZER: 3, Role.CHAIR: 4}


class Region(models.TextChoices):
    NORTHEAST = "northeast", _("Northeast")
    SOUTHEAST = "southeast", _("Southeast")
    MIDWEST = "midwest", _("Midwest")
    SOUTHWEST = "southwest", _("Southwest")
    WEST = "west", _("West")


class Chapter(TimeStampedModel):
    """A local: it runs its own electoral operation and owns its data."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    state = models.CharField(max_length=2, choices=US_STATES)
    region = models.CharField(max_length=16, choices=Region.choices)
    contact_email = models.EmailField(blank=True)

    # The chapter's own endorsement rules; the endorsements app applies them.
    endorsement_threshold_percent = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text=_("Share of yes votes among yes and no votes needed to endorse."),
    )
    endorsement_quorum = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Fewest ballots, abstentions included, for a vote to count."),
    )
    endorsement_requires_questionnaire = models.BooleanField(
        default=True, help_text=_("Candidates must return the chapter's questionnaire before the vote.")
    )
    endorsement_requires_research = models.BooleanField(
        default=True, help_text=_("A research dossier must be complete before the vote.")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chapters:dashboard", kwargs={"chapter": self.slug})


class Membership(TimeStampedModel):
    """A person's place in a chapter, with one role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["chapter__name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["user", "chapter"], name="one_membership_per_chapter")]

    def __str__(self) -> str:
        return f"{self.user} · {self.chapter} ({self.get_role_display()})"

    @property
    def reach(self) -> int:
        return ROLE_REACH[Role(self.role)]


class Invitation(models.Model):
    """An emailed link that makes its holder a member with a role; it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.chapter} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class NationalRole(TimeStampedModel):
    """A national office held by a user, independent of any chapter."""

    class Kind(models.TextChoices):
        NEC_MEMBER = "nec_member", _("NEC member")
        NEC_COCHAIR = "nec_cochair", _("NEC co-chair")
        NPC_MEMBER = "npc_member", _("NPC member")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="national_roles")
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "user__email"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_national_role_of_a_kind")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"
