"""Fixtures for the vault's tests."""

from __future__ import annotations

import pytest

from canvassing.models import Campaign
from chapters.models import Chapter


@pytest.fixture
def campaign(chapter: Chapter) -> Campaign:
    return Campaign.objects.create(chapter=chapter, name="Rent control 2026", kind=Campaign.Kind.ISSUE)


@pytest.fixture
def earlier_campaign(chapter: Chapter) -> Campaign:
    return Campaign.objects.create(chapter=chapter, name="Council race 2025", kind=Campaign.Kind.CANDIDATE)
