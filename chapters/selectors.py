"""Reads for chapters: every one takes the user or the chapter, never unscoped."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from chapters import permissions
from chapters.models import Chapter, Invitation, Membership
from core.models import User
from core.permissions import Rule, require


def membership_get_for_user(*, user: User, chapter_slug: str, rule: Rule = permissions.VIEW_CHAPTER) -> Membership:
    """Return the user's membership of the chapter, or raise Http404 if the rule refuses it."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("chapter", "user").filter(user=user, chapter__slug=chapter_slug).first()
    )
    require(rule, membership)
    assert membership is not None
    return membership


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """Return the user's memberships with their chapters, for the chapter switcher."""
    return Membership.objects.filter(user=user).select_related("chapter").order_by("chapter__name")


def membership_list(*, chapter: Chapter) -> QuerySet[Membership]:
    """Return the chapter's members with their accounts."""
    return Membership.objects.filter(chapter=chapter).select_related("user").order_by("user__email")


def membership_get(*, chapter: Chapter, pk: int) -> Membership:
    """Return one of the chapter's memberships, or raise Http404."""
    return get_object_or_404(Membership.objects.select_related("user", "chapter"), chapter=chapter, pk=pk)


def invitation_list(*, chapter: Chapter) -> QuerySet[Invitation]:
    """Return the chapter's invitations, newest first."""
    return Invitation.objects.filter(chapter=chapter).select_related("invited_by", "accepted_by")


def invitation_get(*, chapter: Chapter, pk: int) -> Invitation:
    """Return one of the chapter's invitations, or raise Http404."""
    return get_object_or_404(Invitation, chapter=chapter, pk=pk)


def invitation_get_by_token(*, token: str) -> Invitation:
    """Return the invitation a link carries, or raise Http404 for a forged one."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    return get_object_or_404(Invitation.objects.select_related("chapter"), token_digest=digest)
