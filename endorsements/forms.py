"""Forms for endorsements: they parse input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from canvassing.models import Campaign
from core.models import User
from endorsements.models import (
    AccountabilityCommitment,
    Candidate,
    ChapterVote,
    CommitmentCheckIn,
    Dossier,
    LocalPlan,
    NpcDecision,
    Questionnaire,
    QuestionnaireTemplate,
    Race,
    VoteChoice,
)
from endorsements.models.national import Recommendation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    """A form that carries the endorsement version the person was looking at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RaceForm(forms.ModelForm):
    class Meta:
        model = Race
        fields = ["jurisdiction", "office", "level", "district", "election_type", "election_date", "filing_deadline"]
        widgets = {"election_date": DATE, "filing_deadline": DATE}


class CandidateForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Candidate
        fields = ["name", "email", "phone", "website", "is_incumbent", "ballot_line", "is_member"]


class EndorsementStartForm(forms.Form):
    race = forms.ModelChoiceField(queryset=Race.objects.none())
    candidate = forms.ModelChoiceField(queryset=Candidate.objects.none())

    def __init__(self, *args: Any, races: QuerySet[Race], candidates: QuerySet[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["race"].queryset = races  # type: ignore[attr-defined]
        self.fields["candidate"].queryset = candidates  # type: ignore[attr-defined]


class QuestionnaireTemplateForm(forms.Form):
    title = forms.CharField(max_length=150)
    introduction = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    questions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), help_text="One question per line.", label="Questions"
    )

    def prompts(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]


class QuestionnaireSendForm(VersionedForm):
    template = forms.ModelChoiceField(queryset=QuestionnaireTemplate.objects.none(), label="Questionnaire")
    sent_to = forms.EmailField(label="Candidate's email address")

    def __init__(self, *args: Any, templates: QuerySet[QuestionnaireTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]


class QuestionnaireAnswerForm(forms.Form):
    """One text box per question of the version that was sent."""

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = {answer.question_id: answer.text for answer in questionnaire.answers.all()}
        for question in questionnaire.template.questions.all():
            self.fields[f"q{question.pk}"] = forms.CharField(
                label=f"{question.position}. {question.prompt}",
                required=False,
                initial=saved.get(question.pk, ""),
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=10_000,
            )

    def answers(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class DossierForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = [
            "district_partisanship",
            "past_results",
            "fundraising",
            "opposition",
            "viability_rating",
            "viability_rationale",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields if name != "viability_rating"}


class AttachmentForm(forms.Form):
    title = forms.CharField(max_length=150)
    file = forms.FileField()


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class LocalPlanForm(forms.ModelForm):
    class Meta:
        model = LocalPlan
        fields = [
            "canvass_plan",
            "campaign",
            "data_plan",
            "messaging_plan",
            "accountability_plan",
            "chapter_building_plan",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in LocalPlan.SECTIONS}

    def __init__(self, *args: Any, campaigns: QuerySet[Campaign], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]


class VoteOpenForm(VersionedForm):
    method = forms.ChoiceField(
        choices=ChapterVote.Method.choices, widget=forms.RadioSelect, label="How is it recorded?"
    )
    kind = forms.ChoiceField(
        choices=ChapterVote.Kind.choices, widget=forms.HiddenInput, initial=ChapterVote.Kind.ENDORSE
    )


class VoteCountsForm(forms.Form):
    yes = forms.IntegerField(min_value=0, label="Yes")
    no = forms.IntegerField(min_value=0, label="No")
    abstain = forms.IntegerField(min_value=0, label="Abstain", initial=0)


class BallotForm(forms.Form):
    choice = forms.ChoiceField(choices=VoteChoice.choices, widget=forms.RadioSelect, label="Your ballot")


class VoteCloseForm(VersionedForm):
    public_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Public note",
        help_text="Shown on the public page if the endorsement is rescinded.",
    )


class TransitionForm(VersionedForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class NationalRequestForm(VersionedForm):
    local_request = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What does the chapter ask of national?",
        help_text="Endorsement, fundraising help, phonebanks, amplification: say what the local wants.",
    )


class PublicityForm(forms.Form):
    is_public = forms.BooleanField(required=False, label="Show this endorsement on the public page")
    public_statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Public statement", max_length=2000
    )


class CommitmentForm(forms.Form):
    preset = forms.ChoiceField(choices=AccountabilityCommitment.Preset.choices, label="Commitment")
    title = forms.CharField(max_length=150, required=False, help_text="Needed for the chapter's own commitment.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CheckInForm(forms.Form):
    status = forms.ChoiceField(choices=CommitmentCheckIn.Status.choices)
    checked_on = forms.DateField(widget=DATE, label="Date")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReviewerAssignForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, label="NEC reviewers"
    )

    def __init__(self, *args: Any, reviewers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers  # type: ignore[attr-defined]


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(choices=Recommendation.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why")


class NecVoteForm(VersionedForm):
    yes = forms.IntegerField(min_value=0, label="Yes")
    no = forms.IntegerField(min_value=0, label="No")
    abstain = forms.IntegerField(min_value=0, label="Abstain", initial=0)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NpcDecisionForm(VersionedForm):
    decision = forms.ChoiceField(choices=NpcDecision.Decision.choices, widget=forms.RadioSelect)
    yes = forms.IntegerField(min_value=0, required=False, label="Yes", help_text="Needed to overrule.")
    no = forms.IntegerField(min_value=0, required=False, label="No")
    abstain = forms.IntegerField(min_value=0, required=False, label="Abstain")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
