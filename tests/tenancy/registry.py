"""
How the tenancy walk reaches each route.

Every named route must appear in one app's ROUTES (in routes_<app>.py here), or
be exempt by namespace below. An entry says how to fill the route's kwargs from
chapter A's objects (the `world`), and what an outsider must get back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

Kwargs = Callable[[SimpleNamespace], dict[str, Any]]


@dataclass(frozen=True)
class Scoped:
    """A route into chapter A's objects (or a national area): outsiders get 404."""

    kwargs: Kwargs = field(default=lambda w: {})
    methods: tuple[str, ...] = ("GET",)


@dataclass(frozen=True)
class OwnOnly:
    """A route showing only the requester's own things: it answers, but shows none of A's."""

    kwargs: Kwargs = field(default=lambda w: {})
    hidden: Callable[[SimpleNamespace], list[str]] = field(default=lambda w: [])


@dataclass(frozen=True)
class Public:
    """A route anyone may open; the reason says why it is safe."""

    reason: str
    kwargs: Kwargs = field(default=lambda w: {})


Route = Scoped | OwnOnly | Public

# Whole namespaces that belong to libraries with their own access rules.
EXEMPT_NAMESPACES = {
    "admin": "Django admin: staff only, behind its own sign-in.",
}
# allauth's account pages act on the signed-in user's own account only.
EXEMPT_NAME_PREFIXES = {
    "account_": "allauth: sign-in, sign-up and the signed-in user's own email and password.",
    "mfa_": "allauth MFA: the signed-in user's own authenticators.",
}
