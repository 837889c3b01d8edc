"""The national request to the NEC, its review and vote, and the NPC's decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from endorsements.models.races import Endorsement


class NationalRequest(models.Model):
    """A chapter's request that national endorse its locally endorsed candidate."""

    endorsement = models.OneToOneField(Endorsement, on_delete=models.CASCADE, related_name="national_request")
    local_request = models.TextField(
        _("what the chapter asks of national"), help_text=_("Endorsement, fundraising help, phonebanks, amplification.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField(help_text=_("The national deadline for this race's election."))
    is_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"National request: {self.endorsement}"


class Recommendation(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend")
    DO_NOT_RECOMMEND = "do_not_recommend", _("Do not recommend")


class NecReviewerAssignment(models.Model):
    """An NEC member a co-chair asked to review a request, and their recommendation."""

    national_request = models.ForeignKey(NationalRequest, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nec_assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    rationale = models.TextField(blank=True)
    recommended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["national_request", "reviewer"], name="one_assignment_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.national_request}"


class NecComment(models.Model):
    """A reviewer's comment on a national request, seen by the NEC only."""

    national_request = models.ForeignKey(NationalRequest, on_delete=models.CASCADE, related_name="nec_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class NecVote(models.Model):
    """The NEC's recorded vote on a national request."""

    national_request = models.OneToOneField(NationalRequest, on_delete=models.CASCADE, related_name="nec_vote")
    yes_count = models.PositiveIntegerField()
    no_count = models.PositiveIntegerField()
    abstain_count = models.PositiveIntegerField(default=0)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"NEC vote {self.yes_count}-{self.no_count}-{self.abstain_count}: {self.get_recommendation_display()}"


class NpcDecision(models.Model):
    """The NPC's ratification of the NEC's decision, or its overrule by a recorded full vote."""

    class Decision(models.TextChoices):
        RATIFY = "ratify", _("Ratify the NEC's decision")
        OVERRULE = "overrule", _("Overrule the NEC's decision")

    national_request = models.OneToOneField(NationalRequest, on_delete=models.CASCADE, related_name="npc_decision")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    yes_count = models.PositiveIntegerField(null=True, blank=True)
    no_count = models.PositiveIntegerField(null=True, blank=True)
    abstain_count = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="overrule")
                | models.Q(yes_count__isnull=False, no_count__isnull=False, abstain_count__isnull=False),
                name="overrule_records_full_vote",
            )
        ]

    def __str__(self) -> str:
        return f"NPC: {self.get_decision_display()}"
