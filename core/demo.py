"""What the demo seeders share: the logins they create and the objects they reuse."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress

from core.models import User

DEMO_PASSWORD = "demo-blockwork-2026"


@dataclass
class DemoWorld:
    """Objects made by earlier seeders, and the logins to print."""

    logins: list[tuple[str, str]] = field(default_factory=list)
    objects: dict[str, Any] = field(default_factory=dict)

    def user(self, email: str, name: str, description: str, *, staff: bool = False) -> User:
        """Create or refresh a demo user with a verified email and the demo password."""
        user, _ = User.objects.get_or_create(email=email, defaults={"name": name})
        user.name = name
        user.is_staff = user.is_superuser = staff
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        self.logins.append((email, description))
        return user
