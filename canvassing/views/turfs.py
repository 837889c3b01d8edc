"""Turf pages: cut turf from a saved list, see it on a map, move doors, split and merge."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from canvassing import permissions, selectors, services
from canvassing.forms import TurfCutForm, TurfMergeForm, TurfMoveForm, TurfSplitForm
from canvassing.models import Turf
from chapters.models import Membership
from chapters.selectors import membership_get_for_user
from core.errors import ApplicationError
from core.types import AuthedRequest


@login_required
def turf_cut(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Cut a saved list into turfs for a campaign."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.CUT_TURF)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    form = TurfCutForm(request.POST or None, chapter=membership.chapter)
    if request.method == "POST" and form.is_valid():
        try:
            turfs = services.turf_cut(campaign=campaign, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            count = len(turfs)
            messages.success(
                request, f"Cut {count} turf{'s' if count != 1 else ''} from {form.cleaned_data['saved_list']}."
            )
            return redirect(campaign)
    return render(
        request,
        "canvassing/turf_cut.html",
        {"membership": membership, "chapter": membership.chapter, "campaign": campaign, "form": form},
        status=400 if form.errors else 200,
    )


def _turf_context(membership: Membership, turf: Turf, **forms: Any) -> dict[str, Any]:
    doors = list(selectors.turf_doors(turf=turf))
    turfs = list(selectors.turf_list(campaign=turf.campaign))
    return {
        "membership": membership,
        "chapter": membership.chapter,
        "turf": turf,
        "campaign": turf.campaign,
        "doors": doors,
        "map_points": selectors.turf_map_points(turf=turf),
        "shifts": selectors.shift_list(campaign=turf.campaign),
        "tile_url": settings.CANVASSING_TILE_URL,
        "tile_attribution": settings.CANVASSING_TILE_ATTRIBUTION,
        "assignments": turf.assignments.filter(ended_at__isnull=True).select_related(
            "canvasser__user", "partner__user"
        ),
        "move_form": forms.get("move_form") or TurfMoveForm(turf=turf, doors=doors, turfs=turfs),
        "split_form": forms.get("split_form") or TurfSplitForm(),
        "merge_form": forms.get("merge_form") or TurfMergeForm(turf=turf, turfs=turfs),
    }


@login_required
def turf_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a turf's doors in walking order, on a map where they have coordinates."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_CAMPAIGNS)
    turf = selectors.turf_get(chapter=membership.chapter, pk=pk)
    return render(request, "canvassing/turf_detail.html", _turf_context(membership, turf))


@login_required
@require_POST
def turf_move(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Move chosen doors to another turf of the campaign."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.CUT_TURF)
    turf = selectors.turf_get(chapter=membership.chapter, pk=pk)
    doors = list(selectors.turf_doors(turf=turf))
    form = TurfMoveForm(request.POST, turf=turf, doors=doors, turfs=list(selectors.turf_list(campaign=turf.campaign)))
    if not form.is_valid():
        messages.error(request, "Choose doors on this turf and another turf of the campaign.")
        return redirect(turf)
    target = selectors.turf_get(chapter=membership.chapter, pk=form.cleaned_data["target"])
    try:
        moved = services.turf_doors_move(
            source=turf, target=target, household_ids=form.cleaned_data["households"], actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Moved {moved} door{'s' if moved != 1 else ''} to {target.name}.")
    return redirect(turf)


@login_required
@require_POST
def turf_split(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Split a turf in two at a door."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.CUT_TURF)
    turf = selectors.turf_get(chapter=membership.chapter, pk=pk)
    form = TurfSplitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the door number where the new turf starts.")
        return redirect(turf)
    try:
        part = services.turf_split(turf=turf, at_position=form.cleaned_data["at_position"], actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(turf)
    messages.success(request, f"Split off {part.name}.")
    return redirect(part)


@login_required
@require_POST
def turf_merge(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Merge another turf of the campaign into this one."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.CUT_TURF)
    turf = selectors.turf_get(chapter=membership.chapter, pk=pk)
    form = TurfMergeForm(request.POST, turf=turf, turfs=list(selectors.turf_list(campaign=turf.campaign)))
    if not form.is_valid():
        messages.error(request, "Choose another turf of this campaign.")
        return redirect(turf)
    other = selectors.turf_get(chapter=membership.chapter, pk=form.cleaned_data["other"])
    try:
        services.turf_merge(turf=turf, other=other, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Merged {other.name} into {turf.name}.")
    return redirect(turf)
