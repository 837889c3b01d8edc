"""Shifts: members sign up, captains check canvassers in and assign turf."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from canvassing import permissions, selectors, services
from canvassing.forms import AssignForm, ShiftForm
from chapters.selectors import membership_get_for_user
from core.errors import ApplicationError
from core.types import AuthedRequest


@login_required
def canvass_home(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Show a member the shifts they can sign up for and the turfs assigned to them."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.SIGN_UP)
    return render(
        request,
        "canvassing/canvass_home.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "shifts": selectors.shift_upcoming(chapter=membership.chapter, member=membership, now=timezone.now()),
            "assignments": selectors.assignment_list_for_member(membership=membership),
        },
    )


@login_required
def shift_create(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Schedule a shift for a campaign."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.RUN_SHIFTS)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    form = ShiftForm(request.POST or None, chapter=membership.chapter)
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.shift_create(campaign=campaign, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Shift scheduled.")
            return redirect(shift)
    return render(
        request,
        "canvassing/shift_form.html",
        {"membership": membership, "chapter": membership.chapter, "campaign": campaign, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def shift_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a shift's sign-ups with check-in, and assign its turfs."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.RUN_SHIFTS)
    shift = selectors.shift_get(chapter=membership.chapter, pk=pk)
    canvassers = selectors.canvasser_list(chapter=membership.chapter)
    return render(
        request,
        "canvassing/shift_detail.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "shift": shift,
            "signups": selectors.shift_signups(shift=shift),
            "turfs": selectors.turf_list(campaign=shift.campaign),
            "assign_form": AssignForm(campaign=shift.campaign, canvassers=canvassers, initial={"shift": shift}),
        },
    )


@login_required
@require_POST
def shift_signup(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Sign yourself up for a shift."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.SIGN_UP)
    shift = selectors.shift_get(chapter=membership.chapter, pk=pk)
    try:
        services.shift_signup(shift=shift, member=membership)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"You are signed up for {timezone.localtime(shift.starts_at):%a %b %-d, %H:%M}.")
    return redirect("canvassing:canvass_home", chapter=chapter)


@login_required
@require_POST
def shift_cancel(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Take yourself off a shift."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.SIGN_UP)
    shift = selectors.shift_get(chapter=membership.chapter, pk=pk)
    try:
        services.shift_signup_cancel(shift=shift, member=membership)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You are off that shift.")
    return redirect("canvassing:canvass_home", chapter=chapter)


@login_required
@require_POST
def shift_check_in(request: AuthedRequest, chapter: str, pk: int, signup_pk: int) -> HttpResponse:
    """Check a canvasser in to the shift."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.RUN_SHIFTS)
    shift = selectors.shift_get(chapter=membership.chapter, pk=pk)
    signup = selectors.shift_signup_get(shift=shift, pk=signup_pk)
    services.shift_check_in(signup=signup, actor=request.user)
    messages.success(request, f"{signup.member.user} is checked in.")
    return redirect(shift)


@login_required
@require_POST
def turf_assign(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Assign a turf of the campaign to a canvasser or a pair."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.RUN_SHIFTS)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    form = AssignForm(request.POST, campaign=campaign, canvassers=selectors.canvasser_list(chapter=membership.chapter))
    back = request.POST.get("next", "")
    target = back if back.startswith(f"/c/{chapter}/") else campaign.get_absolute_url()
    if not form.is_valid():
        messages.error(request, "Choose a turf of this campaign and a canvasser of the chapter.")
        return redirect(target)
    try:
        assignment = services.turf_assign(actor=request.user, **form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{assignment.turf} is assigned to {assignment.canvasser.user}.")
    return redirect(target)


@login_required
@require_POST
def assignment_end(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """End a turf assignment."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.RUN_SHIFTS)
    assignment = selectors.assignment_get(chapter=membership.chapter, pk=pk)
    services.assignment_end(assignment=assignment, actor=request.user)
    messages.success(request, "Assignment ended.")
    return redirect(assignment.turf)
