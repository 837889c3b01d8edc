"""Who may do what in a chapter, and who holds a national role."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled

from chapters.models import ROLE_REACH, Membership, NationalRole, Role
from core.models import User
from core.permissions import Rule


def role_at_least(role: Role) -> Callable[[Membership], bool]:
    """Return a test passed by memberships with at least this role's reach."""
    return lambda membership: membership.reach >= ROLE_REACH[role]


VIEW_CHAPTER = Rule("chapters.view_chapter", role_at_least(Role.MEMBER))
VIEW_MEMBERS = Rule("chapters.view_members", role_at_least(Role.ORGANIZER))
MANAGE_MEMBERS = Rule("chapters.manage_members", role_at_least(Role.CHAIR))
CHANGE_SETTINGS = Rule("chapters.change_settings", role_at_least(Role.CHAIR))
VIEW_AUDIT_TRAIL = Rule("chapters.view_audit_trail", role_at_least(Role.CHAIR))

# Roles that reach personal data in bulk must sign in with a second factor.
MFA_ROLES = (Role.CHAIR, Role.ORGANIZER)


def national_kinds(user: User) -> frozenset[str]:
    """Return the national roles a user holds, cached on the user for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_national_kinds", None)
    if cached is None:
        cached = frozenset(NationalRole.objects.filter(user=user).values_list("kind", flat=True))
        user._national_kinds = cached  # type: ignore[attr-defined]
    return cached


IS_NEC_MEMBER = Rule(
    "national.nec_member",
    lambda user: bool(national_kinds(user) & {NationalRole.Kind.NEC_MEMBER, NationalRole.Kind.NEC_COCHAIR}),
)
IS_NEC_COCHAIR = Rule("national.nec_cochair", lambda user: NationalRole.Kind.NEC_COCHAIR in national_kinds(user))
IS_NPC_MEMBER = Rule("national.npc_member", lambda user: NationalRole.Kind.NPC_MEMBER in national_kinds(user))
IS_NATIONAL = IS_NEC_MEMBER | IS_NPC_MEMBER


def user_requires_mfa(user: User) -> bool:
    """Return whether the user's roles require a second factor."""
    return (
        user.is_staff or bool(national_kinds(user)) or Membership.objects.filter(user=user, role__in=MFA_ROLES).exists()
    )


def user_lacks_required_mfa(user: User) -> bool:
    """Return whether the user must set up TOTP before going further."""
    return user_requires_mfa(user) and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
