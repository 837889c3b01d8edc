"""Factories for the shared models; each app's tests add their own beside them."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from chapters.models import Chapter, Membership, NationalRole, Region, Role
from core.models import User

PASSWORD = "correct-horse-battery-staple"


def totp_activate(user: User) -> str:
    """Give the user a TOTP authenticator and return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _verify_email(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
    if create:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        user.save()


def _activate_totp_if_asked(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
    if create and extracted:
        user.totp_secret = totp_activate(user)  # type: ignore[attr-defined]


def _activate_totp_for_role(membership: Membership, create: bool, extracted: Any, **kwargs: Any) -> None:
    """Give chairs and organizers TOTP, as the app requires, unless mfa=False is passed."""
    wanted = membership.role in (Role.CHAIR, Role.ORGANIZER) if extracted is None else extracted
    if create and wanted and not hasattr(membership.user, "totp_secret"):
        membership.user.totp_secret = totp_activate(membership.user)  # type: ignore[attr-defined]


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    verified = factory.PostGeneration(_verify_email)
    mfa = factory.PostGeneration(_activate_totp_if_asked)


class ChapterFactory(factory.django.DjangoModelFactory[Chapter]):
    class Meta:
        model = Chapter

    name = factory.Sequence(lambda n: f"Chapter {n}")
    slug = factory.Sequence(lambda n: f"chapter-{n}")
    state = "NC"
    region = Region.SOUTHEAST


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    chapter = factory.SubFactory(ChapterFactory)
    role = Role.MEMBER

    mfa = factory.PostGeneration(_activate_totp_for_role)


class NationalRoleFactory(factory.django.DjangoModelFactory[NationalRole]):
    class Meta:
        model = NationalRole

    user = factory.SubFactory(UserFactory, mfa=True)
    kind = NationalRole.Kind.NEC_MEMBER
