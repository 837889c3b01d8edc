"""
The one small mechanism behind every app's permissions.py.

A rule is a named test on a subject (a chapter membership, or a user for
national roles). Views call ``require``; a refusal raises Http404, so an
object out of reach looks exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404

RULES: dict[str, Rule] = {}


@dataclass(frozen=True)
class Rule:
    """Who may do one thing."""

    name: str
    test: Callable[[Any], bool]

    def __post_init__(self) -> None:
        RULES[self.name] = self

    def allows(self, subject: Any) -> bool:
        """Return whether the subject may do it; nobody may act on nothing."""
        return subject is not None and bool(self.test(subject))

    def __or__(self, other: Rule) -> Rule:
        return Rule(f"{self.name}|{other.name}", lambda s: self.allows(s) or other.allows(s))


def require(rule: Rule, subject: Any) -> None:
    """Raise Http404 unless the rule allows the subject."""
    if not rule.allows(subject):
        raise Http404


def rule_named(name: str) -> Rule:
    """Return a registered rule by its name, for templates."""
    return RULES[name]
