from django import forms

from chapters.models import Chapter, Role
from core.models import AuditEvent


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ChapterSettingsForm(forms.ModelForm):
    class Meta:
        model = Chapter
        fields = [
            "name",
            "contact_email",
            "endorsement_threshold_percent",
            "endorsement_quorum",
            "endorsement_requires_questionnaire",
            "endorsement_requires_research",
        ]
        labels = {
            "endorsement_threshold_percent": "Vote threshold (%)",
            "endorsement_quorum": "Quorum (ballots)",
            "endorsement_requires_questionnaire": "Require the questionnaire",
            "endorsement_requires_research": "Require research",
        }


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(choices=[("", "Any action"), *AuditEvent.Action.choices], required=False)
    actor = forms.CharField(label="Who (email)", required=False)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
