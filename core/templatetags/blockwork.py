"""Template helpers: permission checks for navigation, and job progress."""

from __future__ import annotations

from typing import Any

from django import template

from core.permissions import rule_named

register = template.Library()


@register.filter
def can(subject: Any, rule: str) -> bool:
    """Return whether the subject (a membership or a user) passes the named rule."""
    return rule_named(rule).allows(subject)


@register.filter
def percent(done: int | None, total: int | None) -> int:
    """Return done out of total as a whole percentage."""
    if not total:
        return 0
    return min(100, round(100 * (done or 0) / total))
