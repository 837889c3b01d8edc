"""The chapter navigation leads organizers to the vault's imports and export, and no one else."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _dashboard(client, membership) -> str:
    client.force_login(membership.user)
    return client.get(reverse("chapters:dashboard", kwargs={"chapter": membership.chapter.slug})).content.decode()


def test_organizer_sees_imports_and_vault_export(client, organizer):
    page = _dashboard(client, organizer)
    assert reverse("data_vault:import_list", kwargs={"chapter": organizer.chapter.slug}) in page
    assert reverse("data_vault:vault_export_list", kwargs={"chapter": organizer.chapter.slug}) in page


def test_captain_sees_neither(client, captain):
    page = _dashboard(client, captain)
    assert reverse("data_vault:import_list", kwargs={"chapter": captain.chapter.slug}) not in page
    assert reverse("data_vault:vault_export_list", kwargs={"chapter": captain.chapter.slug}) not in page
