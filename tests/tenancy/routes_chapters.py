"""Tenancy walk entries for core and chapters routes."""

from __future__ import annotations

from types import SimpleNamespace

from chapters.models import Invitation
from chapters.services import invitation_send
from core.services import api_token_create
from tests.tenancy.registry import OwnOnly, Public, Route, Scoped


def build(w: SimpleNamespace) -> None:
    """Give chapter A an invitation and its organizer an API token."""
    w.invitation, w.invitation_link = invitation_send(
        chapter=w.chapter, email="invitee@example.org", role="member", actor=w.chair.user
    )
    w.invitation_token = w.invitation_link.rstrip("/").rsplit("/", 1)[-1]
    w.api_token, _ = api_token_create(user=w.organizer.user, name="alpha sync")
    assert isinstance(w.invitation, Invitation)


def _chapter(w: SimpleNamespace) -> dict[str, str]:
    return {"chapter": w.chapter.slug}


ROUTES: dict[str, Route] = {
    "core:home": OwnOnly(hidden=lambda w: [w.chapter.name]),
    "core:healthz": Public("Reports only whether the database and broker answer."),
    "core:api_token_list": OwnOnly(hidden=lambda w: [w.api_token.name]),
    "core:api_token_revoke": Scoped(lambda w: {"pk": w.api_token.pk}, methods=("POST",)),
    "chapters:invitation_accept": Public(
        "The unguessable link is the credential; it only names the chapter and role.",
        kwargs=lambda w: {"token": w.invitation_token},
    ),
    "chapters:dashboard": Scoped(_chapter),
    "chapters:member_list": Scoped(_chapter),
    "chapters:member_role_change": Scoped(lambda w: {**_chapter(w), "pk": w.member.pk}, methods=("POST",)),
    "chapters:member_remove": Scoped(lambda w: {**_chapter(w), "pk": w.member.pk}, methods=("POST",)),
    "chapters:invitation_list": Scoped(_chapter, methods=("GET", "POST")),
    "chapters:invitation_revoke": Scoped(lambda w: {**_chapter(w), "pk": w.invitation.pk}, methods=("POST",)),
    "chapters:settings": Scoped(_chapter, methods=("GET", "POST")),
    "chapters:audit_trail": Scoped(_chapter),
    "api:chapter_list": OwnOnly(hidden=lambda w: [w.chapter.slug]),
    "api:chapter_detail": Scoped(_chapter),
    "api:membership_list": Scoped(_chapter),
    "api:membership_detail": Scoped(lambda w: {**_chapter(w), "pk": w.member.pk}),
    "schema": Public("The OpenAPI schema describes routes, not data."),
    "swagger-ui": Public("API documentation, served offline."),
    "redoc": Public("API documentation, served offline."),
}
