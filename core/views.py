"""Pages that belong to no chapter: home, health, and personal API tokens."""

from __future__ import annotations

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from chapters.selectors import membership_list_for_user
from core import selectors, services
from core.errors import ApplicationError
from core.forms import ApiTokenForm
from core.types import AuthedRequest

LAST_CHAPTER_SESSION_KEY = "last_chapter"


def home(request: HttpRequest) -> HttpResponse:
    """Send members to their chapter; show everyone else what Blockwork is."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    memberships = list(membership_list_for_user(user=request.user))
    last = request.session.get(LAST_CHAPTER_SESSION_KEY)
    for membership in memberships:
        if membership.chapter.slug == last or len(memberships) == 1:
            return redirect(membership.chapter.get_absolute_url())
    return render(request, "core/home.html", {"memberships": memberships})


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # any failure means the database is unusable
        return f"down: {error.__class__.__name__}"


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return "ok"
    except Exception as error:  # any failure means tasks cannot be queued
        return f"down: {error.__class__.__name__}"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report the database and broker status; 503 when either is down."""
    checks = {"database": _database_status(), "broker": _broker_status()}
    healthy = all(value in ("ok", "in-process") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)


@login_required
def api_token_list(request: AuthedRequest) -> HttpResponse:
    """List the user's API tokens and create a new one."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ApplicationError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, f"Token “{token.name}” created. Copy it now: it will not be shown again.")
            form = ApiTokenForm()
    tokens = selectors.api_token_list(user=request.user)
    return render(request, "core/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def api_token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's API tokens."""
    token = selectors.api_token_get_for_user(user=request.user, pk=pk)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("core:api_token_list")
