"""The demo seeder prints its logins and can run twice without duplicating anything."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from chapters.models import Chapter, Membership, NationalRole, Role
from core.demo import DEMO_PASSWORD
from core.models import User


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins(settings):
    settings.DEBUG = True  # the embedded default, as `make run` has it
    first = StringIO()
    call_command("seed_demo", stdout=first)
    after_first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == after_first

    output = first.getvalue()
    assert DEMO_PASSWORD in output
    assert Chapter.objects.count() == 2
    for role in Role:
        assert Membership.objects.filter(chapter__slug="durham", role=role).exists()
        assert f"{role.value}@durham.example" in output
    assert set(NationalRole.objects.values_list("kind", flat=True)) == set(NationalRole.Kind.values)
    assert User.objects.get(email="chair@durham.example").check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", stdout=StringIO())
    assert not Chapter.objects.exists()
