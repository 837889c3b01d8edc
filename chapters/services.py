"""Writes for chapters: members, roles, invitations and settings."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from chapters.models import Chapter, Invitation, Membership, Role
from core.errors import ApplicationError
from core.models import AuditEvent, User
from core.services import audit_record

INVITATION_LIFETIME = timedelta(days=14)
SETTINGS_FIELDS = (
    "name",
    "contact_email",
    "endorsement_threshold_percent",
    "endorsement_quorum",
    "endorsement_requires_questionnaire",
    "endorsement_requires_research",
)


def _other_chairs(membership: Membership) -> bool:
    return Membership.objects.filter(chapter=membership.chapter, role=Role.CHAIR).exclude(pk=membership.pk).exists()


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str, actor: User) -> Membership:
    """Give a member a new role; a chapter always keeps at least one chair."""
    if role not in Role.values:
        raise ApplicationError("Choose one of the chapter roles.")
    membership = Membership.objects.select_for_update().select_related("user", "chapter").get(pk=membership.pk)
    if membership.role == role:
        return membership
    if membership.role == Role.CHAIR and not _other_chairs(membership):
        raise ApplicationError("A chapter needs at least one chair. Make someone else chair first.")
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ROLE_CHANGE,
        chapter=membership.chapter,
        target=membership,
        target_label=membership.user.email,
        details={"from": previous, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove someone from the chapter; the last chair cannot be removed."""
    membership = Membership.objects.select_for_update().select_related("user", "chapter").get(pk=membership.pk)
    if membership.role == Role.CHAIR and not _other_chairs(membership):
        raise ApplicationError("A chapter needs at least one chair. Make someone else chair first.")
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MEMBER_REMOVE,
        chapter=membership.chapter,
        target=membership,
        target_label=membership.user.email,
        details={"role": membership.role},
    )
    membership.delete()


def _invitation_email_send(invitation: Invitation, link: str) -> None:
    context = {"invitation": invitation, "link": link}
    send_mail(
        subject=f"You're invited to {invitation.chapter.name} on Blockwork",
        message=render_to_string("chapters/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invitation_send(*, chapter: Chapter, email: str, role: str, actor: User) -> tuple[Invitation, str]:
    """Invite someone by email with a role; return the invitation and its link."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ApplicationError("Enter a valid email address.") from error
    if role not in Role.values:
        raise ApplicationError("Choose one of the chapter roles.")
    Chapter.objects.select_for_update().get(pk=chapter.pk)  # one invitation at a time per chapter
    if Membership.objects.filter(chapter=chapter, user__email__iexact=email).exists():
        raise ApplicationError(f"{email} is already a member of {chapter.name}.")
    pending = Invitation.objects.filter(
        chapter=chapter,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise ApplicationError(f"An invitation to {email} is already pending. Revoke it to send a new one.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        chapter=chapter,
        email=email,
        role=role,
        token_digest=hashlib.sha256(token.encode()).hexdigest(),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.INVITATION_SEND,
        chapter=chapter,
        target=invitation,
        target_label=email,
        details={"role": role},
    )
    link = settings.SITE_URL.rstrip("/") + reverse("chapters:invitation_accept", kwargs={"token": token})
    transaction.on_commit(lambda: _invitation_email_send(invitation, link))
    return invitation, link


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Revoke a pending invitation so its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ApplicationError(f"This invitation is {invitation.get_status_display().lower()}; it cannot be revoked.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.INVITATION_REVOKE,
        chapter=invitation.chapter,
        target=invitation,
        target_label=invitation.email,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Make the signed-in invitee a member with the invited role."""
    invitation = Invitation.objects.select_for_update().select_related("chapter").get(pk=invitation.pk)
    status = invitation.status
    if status != Invitation.Status.PENDING:
        raise ApplicationError(
            {
                Invitation.Status.ACCEPTED: "This invitation has already been used.",
                Invitation.Status.REVOKED: "This invitation was revoked. Ask the chapter for a new one.",
                Invitation.Status.EXPIRED: "This invitation has expired. Ask the chapter for a new one.",
            }[Invitation.Status(status)]
        )
    emails = {
        user.email.lower(),
        *(e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)),
    }
    if invitation.email.lower() not in emails:
        raise ApplicationError(
            f"This invitation was sent to {invitation.email}. Sign in with that address to accept it."
        )
    membership, created = Membership.objects.get_or_create(
        user=user, chapter=invitation.chapter, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.INVITATION_ACCEPT,
        chapter=invitation.chapter,
        target=membership,
        target_label=user.email,
        details={"role": membership.role, "new_member": created},
    )
    return membership


@transaction.atomic
def chapter_settings_update(*, chapter: Chapter, actor: User, **values: Any) -> Chapter:
    """Change the chapter's settings and endorsement rules, recording what changed."""
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk)
    changes = {}
    for field in SETTINGS_FIELDS:
        if field in values and getattr(chapter, field) != values[field]:
            changes[field] = {"from": getattr(chapter, field), "to": values[field]}
            setattr(chapter, field, values[field])
    if not changes:
        return chapter
    try:
        chapter.full_clean()
    except ValidationError as error:
        raise ApplicationError("; ".join(error.messages)) from error
    chapter.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.SETTINGS_CHANGE, chapter=chapter, target=chapter, details=changes
    )
    return chapter
