"""Forms for the vault's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from canvassing.models import Campaign
from chapters.models import Chapter
from data_vault.models import DNC_CHANNELS, PERSON_EDITABLE, Channel, ContactEvent, Ladder, Person, Phone


class SavedListForm(forms.Form):
    name = forms.CharField(label="List name", max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class PersonForm(forms.ModelForm):
    """The fields of a person an organizer may correct by hand."""

    class Meta:
        model = Person
        fields = list(PERSON_EDITABLE)
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class ContactLogForm(forms.Form):
    """A phone call, text, email or event logged by hand."""

    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.PHONE)
    result = forms.ChoiceField(choices=ContactEvent.Result.choices, initial=ContactEvent.Result.CONTACT)
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), required=False, empty_label="No campaign")
    occurred_at = forms.DateTimeField(
        label="When", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    notes = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, chapter: Chapter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(chapter=chapter).order_by("name")  # type: ignore[attr-defined]


class TagForm(forms.Form):
    name = forms.CharField(label="Tag", max_length=60)


class LadderForm(forms.Form):
    level = forms.ChoiceField(label="Ladder level", choices=Ladder.choices)
    reason = forms.CharField(required=False, max_length=200)


class DoNotContactForm(forms.Form):
    channel = forms.ChoiceField(choices=[(c.value, c.label) for c in DNC_CHANNELS])
    reason = forms.CharField(max_length=200)


class MergeForm(forms.Form):
    """Which other person to merge with, and which record survives."""

    other = forms.IntegerField(widget=forms.HiddenInput)
    survivor = forms.ChoiceField(
        choices=[("this", "Keep this person"), ("other", "Keep the other person")], widget=forms.RadioSelect
    )


class ErasureForm(forms.Form):
    reason = forms.CharField(max_length=500, help_text="Such as “asked to be removed by email on 2 May”.")
    confirm = forms.BooleanField(label="I understand this deletes the person everywhere and cannot be undone.")


class BulkTagForm(forms.Form):
    name = forms.CharField(label="Tag everyone in this list", max_length=60)


class SharingForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Share read-only with", queryset=Chapter.objects.none(), empty_label="Choose a chapter"
    )
    purpose = forms.CharField(required=False, max_length=200, help_text="Such as the statewide table it serves.")

    def __init__(self, *args: Any, partners: QuerySet[Chapter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class PhoneForm(forms.Form):
    number = forms.CharField(label="Phone number", max_length=30)
    kind = forms.ChoiceField(label="Kind", choices=Phone.Kind.choices, initial=Phone.Kind.CELL)


class HouseholdMoveForm(forms.Form):
    """Where a person lives now: one of the chapter's doors, or an address typed in."""

    household = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    street_address = forms.CharField(
        label="Street address",
        max_length=200,
        required=False,
        help_text="Number and street, such as “12 Main St”.",
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    unit = forms.CharField(
        label="Apartment or unit",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    city = forms.CharField(
        label="City", max_length=80, required=False, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    state = forms.CharField(
        label="State",
        max_length=2,
        required=False,
        help_text="Two letters, such as NC.",
        widget=forms.TextInput(attrs={"autocomplete": "address-level1", "size": 3}),
    )
    zip = forms.CharField(
        label="ZIP code",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": 10}),
    )

    ADDRESS_FIELDS = ("street_address", "unit", "city", "state", "zip")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("household") and not (cleaned.get("street_address") or "").strip():
            raise forms.ValidationError("Type the new street address, or choose a door below.")
        return cleaned

    def address(self) -> dict[str, str]:
        """Return the typed address, as the vault's address reader takes it."""
        return {name: self.cleaned_data.get(name) or "" for name in self.ADDRESS_FIELDS}


class EmailForm(forms.Form):
    address = forms.CharField(label="Email address", max_length=254)
