"""Every page an organizer reaches from the demo's overview fits a phone's width."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from canvassing.models import Campaign
from chapters.models import Membership, Role
from core.demo import DEMO_PASSWORD
from tests.e2e.conftest import PHONE, totp_code
from tests.factories import totp_activate

pytestmark = pytest.mark.django_db(transaction=True)

# Downloads and other non-pages, and the sign-out link.
SKIPPED = re.compile(r"(logout|download|\.csv|\.pdf|\.zip|/api/|/admin/|/accounts/)")


def _sign_in_as_demo_organizer(page: Page) -> Membership:
    membership = Membership.objects.select_related("user", "chapter").filter(role=Role.ORGANIZER).order_by("id")[0]
    secret = totp_activate(membership.user)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(membership.user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    return membership


def test_no_page_is_wider_than_a_phone(phone: Page, settings, tmp_path) -> None:
    """Wide tables and charts scroll inside their own box; the page itself never scrolls sideways."""
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", allow_production=True)
    membership = _sign_in_as_demo_organizer(phone)
    chapter = membership.chapter
    pages: dict[str, str] = {}  # one page per URL shape: a person page stands for every person
    lists = ("", "vault/people/", "vault/lists/", "vault/imports/", "canvass/campaigns/", "endorsements/", "races/",
             "candidates/", "help/")  # fmt: skip
    starts = ["/", *(f"/c/{chapter.slug}/{path}" for path in lists)]
    campaigns = Campaign.objects.filter(chapter=chapter)
    starts += [f"/c/{chapter.slug}/canvass/campaigns/{campaign.pk}/dashboard/" for campaign in campaigns]
    for start in starts:
        phone.goto(start)
        links = phone.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
        for href in [start, *links]:
            if not SKIPPED.search(href):
                pages.setdefault(re.sub(r"\d+", "N", href.split("#")[0].split("?")[0]), href)
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
