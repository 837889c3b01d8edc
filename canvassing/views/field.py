"""The canvasser's side: their turfs, the phone page that works offline, and walk-list short codes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect

from canvassing import permissions, selectors
from core.types import AuthedRequest


@login_required
def turf_code(request: AuthedRequest, code: str) -> HttpResponse:
    """Open the turf a walk list's short code names: the phone page for its canvasser, else the turf page."""
    membership, turf = selectors.turf_get_by_code(user=request.user, code=code)
    if permissions.RUN_SHIFTS.allows(membership):
        return redirect(turf)
    return redirect("canvassing:canvass_walk", chapter=turf.chapter.slug, pk=turf.pk)
