"""The committee app's forms: they parse input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from chapters.models import Chapter
from committee.models import CAPACITY_DIMENSIONS, AssistanceRequest, Seat, Subcommittee, SubcommitteeMember, Training
from core.models import User
from core.states import US_STATES


def _limit(form: forms.Form, name: str, queryset: Any) -> None:
    """Offer only these objects in one of the form's model choice fields."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


SCORES = [(n, str(n)) for n in range(1, 6)]
STATUS_CHOICES = [("", "Any status"), *AssistanceRequest.Status.choices]


class AssistanceRequestForm(forms.Form):
    kind = forms.ChoiceField(label="What do you need help with?", choices=AssistanceRequest.Kind.choices)
    urgency = forms.ChoiceField(choices=AssistanceRequest.Urgency.choices, initial=AssistanceRequest.Urgency.NORMAL)
    description = forms.CharField(
        label="Describe the request", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class CommentForm(forms.Form):
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class RequestMoveForm(forms.Form):
    status = forms.ChoiceField(choices=AssistanceRequest.Status.choices)
    subcommittee = forms.ModelChoiceField(
        queryset=Subcommittee.objects.none(), required=False, label="Route to", empty_label="Keep as it is"
    )

    def __init__(self, *args: Any, subcommittees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "subcommittee", subcommittees if subcommittees is not None else Subcommittee.objects.none())


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    open_only = forms.BooleanField(required=False, label="Open requests only")


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How well did the NEC support your chapter? (1 poor, 5 excellent)",
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    subcommittee = forms.ModelChoiceField(
        queryset=Subcommittee.objects.none(),
        required=False,
        label="About a subcommittee",
        empty_label="The NEC as a whole",
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)

    def __init__(self, *args: Any, subcommittees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "subcommittee", subcommittees if subcommittees is not None else Subcommittee.objects.none())


class CapacityForm(forms.Form):
    comments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text="What would help the chapter most? The NEC plans trainings from these.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CAPACITY_DIMENSIONS:
            self.fields[name] = forms.TypedChoiceField(
                label=f"{name.capitalize()} (1 just starting, 5 fully independent)",
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.order_fields([*CAPACITY_DIMENSIONS, "comments"])


class TrainingForm(forms.Form):
    title = forms.CharField(max_length=150)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)
    starts_at = forms.DateTimeField(label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    format = forms.ChoiceField(choices=Training.Format.choices)
    location = forms.CharField(max_length=200, required=False, help_text="An address, or where the link will come.")
    capacity = forms.IntegerField(min_value=1, max_value=10000, initial=30)


class NecTrainingForm(TrainingForm):
    host_subcommittee = forms.ModelChoiceField(queryset=Subcommittee.objects.none(), label="Hosted by")

    def __init__(self, *args: Any, subcommittees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "host_subcommittee", subcommittees if subcommittees is not None else Subcommittee.objects.none())


class MaterialForm(forms.Form):
    title = forms.CharField(max_length=150, required=False)
    file = forms.FileField()


class TermForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="Such as 2026–2027.")
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class NominationForm(forms.Form):
    nominee = forms.ModelChoiceField(queryset=User.objects.none(), label="Member to nominate")
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)

    def __init__(self, *args: Any, chapter: Chapter | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "nominee", User.objects.filter(memberships__chapter=chapter).order_by("name"))


class CochairsForm(forms.Form):
    first = forms.ModelChoiceField(queryset=Seat.objects.none(), label="First co-chair")
    second = forms.ModelChoiceField(queryset=Seat.objects.none(), label="Second co-chair")

    def __init__(self, *args: Any, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            _limit(self, name, choices if choices is not None else Seat.objects.none())


class SubcommitteeCochairsForm(forms.Form):
    first = forms.ModelChoiceField(queryset=SubcommitteeMember.objects.none(), label="First co-chair")
    second = forms.ModelChoiceField(queryset=SubcommitteeMember.objects.none(), label="Second co-chair")

    def __init__(self, *args: Any, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            _limit(self, name, choices if choices is not None else SubcommitteeMember.objects.none())


class SeatChoiceForm(forms.Form):
    seat = forms.ModelChoiceField(queryset=Seat.objects.none(), label="NEC member")

    def __init__(self, *args: Any, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "seat", choices if choices is not None else Seat.objects.none())


class ReportForm(forms.Form):
    title = forms.CharField(max_length=150)
    period_start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class SectionForm(forms.Form):
    heading = forms.CharField(max_length=150)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)


class HeatmapForm(forms.Form):
    dimension = forms.ChoiceField(
        choices=[("", "Mean of all six"), *((name, name.capitalize()) for name in CAPACITY_DIMENSIONS)],
        required=False,
        label="Capacity",
    )
    quarters = forms.TypedChoiceField(choices=[(4, "4"), (8, "8")], coerce=int, required=False)


class TableForm(forms.Form):
    state = forms.ChoiceField(choices=US_STATES)
    name = forms.CharField(max_length=120, help_text="Such as North Carolina statewide table.")
    chapters = forms.ModelMultipleChoiceField(
        queryset=Chapter.objects.order_by("state", "name"), widget=forms.CheckboxSelectMultiple
    )
