"""The canvasser's side: their turfs, the phone page that works offline, and walk-list short codes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from canvassing import permissions, selectors
from canvassing.models import DOOR_RESULTS
from core.types import AuthedRequest


@login_required
def turf_code(request: AuthedRequest, code: str) -> HttpResponse:
    """Open the turf a walk list's short code names: the phone page for its canvasser, else the turf page."""
    membership, turf = selectors.turf_get_by_code(user=request.user, code=code)
    if permissions.RUN_SHIFTS.allows(membership):
        return redirect(turf)
    return redirect("canvassing:canvass_walk", chapter=turf.chapter.slug, pk=turf.pk)


@login_required
def canvass_walk(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """The phone page: the turf's doors in order, one at a time; it keeps working offline."""
    membership, turf = selectors.turf_get_for_canvasser(user=request.user, chapter_slug=chapter, pk=pk)
    return render(
        request,
        "canvassing/canvass_walk.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "turf": turf,
            "script_version": selectors.script_current_version(script=turf.campaign.script),
            "state": selectors.walk_page_state(turf=turf),
            "results": [(r.value, r.label) for r in DOOR_RESULTS],
            "submit_url": reverse("api:canvass_result_submit", kwargs={"chapter": chapter, "pk": turf.pk}),
        },
    )


def service_worker(request: HttpRequest) -> HttpResponse:
    """Serve the phone page's service worker from the site root, so its scope covers the chapter pages."""
    response = render(request, "canvassing/canvass-sw.js", content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
