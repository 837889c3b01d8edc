"""Template context every page needs: the user's chapters and the current one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from chapters.permissions import IS_NEC_MEMBER, IS_NPC_MEMBER
from chapters.selectors import membership_list_for_user


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return the chapter switcher's memberships and the membership of the chapter in view."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = list(membership_list_for_user(user=user))
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("chapter") if match else None
    current = next((m for m in memberships if m.chapter.slug == slug), None)
    return {
        "nav_memberships": memberships,
        "current_membership": current,
        "nav_is_nec": IS_NEC_MEMBER.allows(user),
        "nav_is_npc": IS_NPC_MEMBER.allows(user),
    }
