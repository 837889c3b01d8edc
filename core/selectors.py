"""Reads shared by every app: the audit trail and API tokens."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.models import ApiToken, AuditEvent, User

if TYPE_CHECKING:
    from chapters.models import Chapter


def audit_event_list(
    *,
    chapter: Chapter,
    action: str | None = None,
    actor_email: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Return the chapter's audit trail, newest first, filtered."""
    events = AuditEvent.objects.filter(chapter=chapter).select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor_email:
        events = events.filter(actor_email__icontains=actor_email.strip())
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """Return the user's API tokens, newest first."""
    return ApiToken.objects.filter(user=user)


def api_token_get_for_user(*, user: User, pk: int) -> ApiToken:
    """Return one of the user's tokens, or raise Http404."""
    return get_object_or_404(ApiToken, user=user, pk=pk)
