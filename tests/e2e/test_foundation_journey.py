"""A chair signs in with two factors, switches chapter and invites a member."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from chapters.models import Invitation, Role
from tests.e2e.conftest import sign_in
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_chair_signs_in_switches_chapter_and_invites_a_member(page: Page, chair, other_chapter):
    MembershipFactory.create(user=chair.user, chapter=other_chapter, role=Role.MEMBER)

    sign_in(page, chair.user)
    expect(page.get_by_role("heading", name="Your chapters")).to_be_visible()
    page.get_by_role("link", name=chair.chapter.name).click()
    expect(page.get_by_role("heading", name=chair.chapter.name)).to_be_visible()

    page.locator(".chapter-switcher summary").click()
    page.locator(".chapter-switcher").get_by_role("link", name=other_chapter.name).click()
    expect(page.get_by_role("heading", name=other_chapter.name)).to_be_visible()
    expect(page.get_by_role("link", name="Members")).to_have_count(0)  # a plain member there

    page.locator(".chapter-switcher summary").click()
    page.locator(".chapter-switcher").get_by_role("link", name=chair.chapter.name).click()
    page.get_by_role("navigation", name=chair.chapter.name).get_by_role("link", name="Members").click()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Email address").fill("new.canvasser@example.org")
    page.get_by_label("Role").select_option(Role.CANVASSER)
    page.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_role("status")).to_contain_text("Invitation sent to new.canvasser@example.org")
    expect(page.get_by_role("cell", name="new.canvasser@example.org", exact=True)).to_be_visible()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.chapter) == (
        "new.canvasser@example.org",
        Role.CANVASSER,
        chair.chapter,
    )
