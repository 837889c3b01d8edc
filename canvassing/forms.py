"""Forms of the field operation; services do the checking that needs the database."""

from __future__ import annotations

from django import forms

from canvassing.models import AnswerOption, Campaign, Script, SurveyQuestion
from chapters.models import Chapter


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
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, chapter: Chapter, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["script"].queryset = Script.objects.filter(chapter=chapter)  # type: ignore[attr-defined]
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
