"""Forms of the field operation; services do the checking that needs the database."""

from __future__ import annotations

from typing import Any

from django import forms

from canvassing.models import AnswerOption, Campaign, Script, Shift, SurveyQuestion, Turf
from chapters.models import Chapter, Membership, Role
from data_vault.models import SavedList
from endorsements.models import Candidate, Race


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "kind",
            "description",
            "status",
            "starts_on",
            "ends_on",
            "door_goal",
            "contact_goal",
            "script",
            "race",
            "candidate",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, chapter: Chapter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["script"].queryset = Script.objects.filter(chapter=chapter)  # type: ignore[attr-defined]
        self.fields["race"].queryset = Race.objects.filter(chapter=chapter)  # type: ignore[attr-defined]
        self.fields["candidate"].queryset = Candidate.objects.filter(chapter=chapter)  # type: ignore[attr-defined]
        self.instance.chapter = chapter


class ScriptForm(forms.Form):
    name = forms.CharField(max_length=150)
    intro = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Who you are and why you are there.")
    issue = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    ask = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    close = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ScriptVersionForm(forms.Form):
    intro = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    issue = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    ask = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    close = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(max_length=300, label="Question")
    short_label = forms.CharField(max_length=30, required=False, label="Short label")
    kind = forms.ChoiceField(choices=SurveyQuestion.Kind.choices, label="Kind of answer")
    options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Answers",
        help_text="One per line, for choice questions. A 1–5 scale gets its answers by itself.",
    )


class AnswerEffectsForm(forms.ModelForm):
    class Meta:
        model = AnswerOption
        fields = ["ladder_level", "tag_name", "support_score", "do_not_contact"]
        labels = {
            "ladder_level": "Raise on the ladder to",
            "tag_name": "Add tag",
            "support_score": "Set support score",
            "do_not_contact": "Do not knock again",
        }


class TurfCutForm(forms.Form):
    saved_list = forms.ModelChoiceField(queryset=SavedList.objects.none(), label="Saved list")
    target_doors = forms.IntegerField(min_value=1, max_value=1000, initial=60, label="Doors per turf")
    exclude_contacted = forms.BooleanField(required=False, label="Leave out people already contacted in this campaign")

    def __init__(self, *args: Any, chapter: Chapter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["saved_list"].queryset = SavedList.objects.filter(chapter=chapter)  # type: ignore[attr-defined]


class TurfMoveForm(forms.Form):
    households = forms.TypedMultipleChoiceField(coerce=int, choices=(), label="Doors to move")
    target = forms.TypedChoiceField(coerce=int, choices=(), label="Move them to")

    def __init__(self, *args: Any, turf: Turf, doors: list[Any], turfs: list[Turf], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["households"].choices = [(d.household_id, str(d.household)) for d in doors]  # type: ignore[attr-defined]
        self.fields["target"].choices = [(t.pk, t.name) for t in turfs if t.pk != turf.pk]  # type: ignore[attr-defined]


class TurfSplitForm(forms.Form):
    at_position = forms.IntegerField(min_value=2, label="Start the new turf at door number")


class TurfMergeForm(forms.Form):
    other = forms.TypedChoiceField(coerce=int, choices=(), label="Merge this turf into it")

    def __init__(self, *args: Any, turf: Turf, turfs: list[Turf], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [(t.pk, t.name) for t in turfs if t.pk != turf.pk]  # type: ignore[attr-defined]


class ShiftForm(forms.Form):
    starts_at = forms.DateTimeField(label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(max_length=200, label="Meeting place")
    capacity = forms.IntegerField(min_value=1, max_value=500, initial=10)
    captain = forms.ModelChoiceField(queryset=Membership.objects.none(), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, chapter: Chapter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        captains = Membership.objects.filter(chapter=chapter, role__in=[Role.CAPTAIN, Role.ORGANIZER, Role.CHAIR])
        self.fields["captain"].queryset = captains.select_related("user")  # type: ignore[attr-defined]
        self.fields["captain"].label_from_instance = lambda m: str(m.user)  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    turf = forms.ModelChoiceField(queryset=Turf.objects.none())
    canvasser = forms.ModelChoiceField(queryset=Membership.objects.none())
    partner = forms.ModelChoiceField(queryset=Membership.objects.none(), required=False, label="Partner (optional)")
    shift = forms.ModelChoiceField(queryset=Shift.objects.none(), required=False)

    def __init__(self, *args: Any, campaign: Campaign, canvassers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["turf"].queryset = Turf.objects.filter(campaign=campaign)  # type: ignore[attr-defined]
        self.fields["shift"].queryset = Shift.objects.filter(campaign=campaign)  # type: ignore[attr-defined]
        for name in ("canvasser", "partner"):
            self.fields[name].queryset = canvassers  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = lambda m: str(m.user)  # type: ignore[attr-defined]


class ListFromAnswersForm(forms.Form):
    answer = forms.ChoiceField(label="People who answered")
    name = forms.CharField(max_length=120, label="Name of the new list")

    def __init__(self, *args: Any, questions: list[SurveyQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [  # type: ignore[attr-defined]
            (str(q), [(f"{q.pk}:{o.value}", f"{o.label}") for o in q.options.all()])
            for q in questions
            if q.kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.SCALE)
        ]
