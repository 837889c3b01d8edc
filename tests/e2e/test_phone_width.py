"""Every page an organizer reaches from the demo's overview fits a phone's width."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from canvassing.models import Campaign
from chapters.models import Membership, Role
from core.demo import DEMO_PASSWORD
from tests.e2e.conftest import PHONE, page_shapes, sign_in
from tests.factories import totp_activate

pytestmark = pytest.mark.django_db(transaction=True)


def test_no_page_is_wider_than_a_phone(phone: Page, settings, tmp_path) -> None:
    """Wide tables and charts scroll inside their own box; the page itself never scrolls sideways."""
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", allow_production=True)
    membership = Membership.objects.select_related("user", "chapter").filter(role=Role.ORGANIZER).order_by("id")[0]
    membership.user.totp_secret = totp_activate(membership.user)  # type: ignore[attr-defined]
    sign_in(phone, membership.user, DEMO_PASSWORD)
    chapter = membership.chapter
    lists = ("", "vault/people/", "vault/lists/", "vault/imports/", "canvass/campaigns/", "endorsements/", "races/",
             "candidates/", "help/")  # fmt: skip
    starts = ["/", *(f"/c/{chapter.slug}/{path}" for path in lists)]
    campaigns = Campaign.objects.filter(chapter=chapter)
    starts += [f"/c/{chapter.slug}/canvass/campaigns/{campaign.pk}/dashboard/" for campaign in campaigns]
    pages = page_shapes(phone, starts)
    assert len(pages) > 30, sorted(pages)

    too_wide = {}
    for href in sorted(pages.values()):
        response = phone.goto(href)
        assert response is not None, href
        assert response.status == 200, href
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[href] = width
    assert too_wide == {}
