"""After the election: the commitments an endorsed candidate made, and how they are kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from endorsements.models.races import Endorsement


class AccountabilityCommitment(models.Model):
    """Something the candidate committed to, from the source texts' list or the chapter's own."""

    class Preset(models.TextChoices):
        PARTICIPATORY_BUDGETING = "participatory_budgeting", _("Participatory budgeting")
        BALLOT_INITIATIVE_REFORM = "ballot_initiative_reform", _("Ballot-initiative reform")
        DIRECT_RECALL = "direct_recall", _("Direct voter recall of elected officials")
        TENANT_PROTECTIONS = "tenant_protections", _("Tenant protections")
        WORKER_OWNERSHIP = "worker_ownership", _("Worker ownership and control")
        LAND_TRUSTS = "land_trusts", _("Community land trusts")
        POLICE_ACCOUNTABILITY = "police_accountability", _("Police accountability")
        CUSTOM = "custom", _("The chapter's own commitment")

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="commitments")
    preset = models.CharField(max_length=32, choices=Preset.choices)
    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["endorsement", "title"], name="commitment_title_unique_per_endorsement")
        ]

    def __str__(self) -> str:
        return self.title


class CommitmentCheckIn(models.Model):
    """A periodic look at whether a commitment is being kept."""

    class Status(models.TextChoices):
        KEPT = "kept", _("Kept")
        AT_RISK = "at_risk", _("At risk")
        BROKEN = "broken", _("Broken")

    commitment = models.ForeignKey(AccountabilityCommitment, on_delete=models.CASCADE, related_name="check_ins")
    status = models.CharField(max_length=8, choices=Status.choices)
    notes = models.TextField(blank=True)
    checked_on = models.DateField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.get_status_display()} ({self.checked_on})"
