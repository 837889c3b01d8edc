"""
The canvass, end to end: a captain cuts turf, assigns it and downloads the walk list;
a canvasser on a phone records three doors, one of them offline, and it syncs; the
dashboard and the person's history show the results.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from canvassing import services
from canvassing.models import Campaign, DoorVisit, TurfAssignment
from data_vault.models import ContactEvent
from tests.data_vault.factories import HouseholdFactory, PersonFactory, SavedListFactory
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_captain_cuts_assigns_prints_and_a_canvasser_knocks_offline(
    page: Page, phone: Page, captain, canvasser, organizer, celery_worker
):
    chapter = captain.chapter
    people = []
    for number, first in ((101, "Rosa"), (103, "Luis"), (105, "Ana"), (102, "Omar")):
        household = HouseholdFactory.create(chapter=chapter, precinct="01", street_name="MAIN ST", house_number=number)
        people.append(PersonFactory.create(chapter=chapter, household=household, first_name=first, last_name="Diaz"))
    SavedListFactory.create(chapter=chapter, name="Main Street tenants", filters={"precinct": ["01"]})
    campaign = Campaign.objects.create(chapter=chapter, name="Tenants first", kind=Campaign.Kind.ISSUE,
                                       status=Campaign.Status.ACTIVE)  # fmt: skip
    question = services.question_create(campaign=campaign, text="Do you support rent control?", kind="single",
                                        options=["Strong support", "Undecided", "Oppose"])  # fmt: skip
    services.answer_option_effects_set(option=question.options.get(value="strong_support"), support_score=5)
    start = timezone.now() + timedelta(hours=2)
    services.shift_create(campaign=campaign, starts_at=start, ends_at=start + timedelta(hours=3),
                          place="Union hall", capacity=8, actor=captain.user, captain=captain)  # fmt: skip

    # The captain cuts turf from the list, assigns it and downloads the walk list.
    sign_in(page, captain.user)
    page.goto(f"/c/{chapter.slug}/")
    page.get_by_role("navigation", name=chapter.name).get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Tenants first").click()
    page.get_by_role("link", name="Cut turf from a list").click()
    page.get_by_label("Saved list").select_option(label="Main Street tenants")
    page.get_by_label("Doors per turf").fill("60")
    page.get_by_role("button", name="Cut turf").click()
    expect(page.get_by_role("status")).to_contain_text("Cut 1 turf from Main Street tenants")
    page.get_by_role("link", name=f"{timezone.localtime(start):%Y-%m-%d %H:%M}").click()
    page.get_by_label("Turf:").select_option(label="Turf 1 · precinct 01")
    page.get_by_label("Canvasser:").select_option(label=str(canvasser.user))
    page.get_by_role("button", name="Assign turf").click()
    expect(page.get_by_role("status")).to_contain_text(f"is assigned to {canvasser.user}")
    assert TurfAssignment.objects.get().canvasser == canvasser
    page.get_by_role("link", name="Turf 1 · precinct 01").click()
    page.get_by_role("button", name="Walk list PDF").click()
    download_link = page.get_by_role("link", name="Download the walk list")
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as download_info:
        download_link.click()
    text = "\n".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    assert text.index("101 MAIN ST") < text.index("103 MAIN ST") < text.index("105 MAIN ST") < text.index("102 MAIN ST")

    # The canvasser knocks three doors on a phone; the third with no connection.
    sign_in(phone, canvasser.user)
    phone.goto(f"/c/{chapter.slug}/canvass/")
    phone.get_by_role("link", name="Start knocking").click()
    status = phone.get_by_role("status")
    expect(phone.get_by_role("heading", name="1. 101 MAIN ST")).to_be_visible()
    expect(phone.get_by_role("heading", name="1. 101 MAIN ST")).not_to_be_focused()
    phone.get_by_role("button", name="Not home").click()
    phone.get_by_role("button", name="Save and next door").click()
    # The next door's address takes focus, so a screen reader reads it out.
    expect(phone.get_by_role("heading", name="2. 103 MAIN ST")).to_be_focused()
    phone.get_by_role("button", name="Talked").click()
    phone.get_by_label("Strong support").check()
    phone.get_by_label("Note").fill("Wants a tenants' meeting")
    phone.get_by_role("button", name="Save and next door").click()
    expect(status).to_have_text("All results synced")
    assert ContactEvent.objects.count() == 2

    phone.context.set_offline(True)
    expect(phone.get_by_role("heading", name="3. 105 MAIN ST")).to_be_visible()
    phone.get_by_role("button", name="Refused").click()
    phone.get_by_role("button", name="Save and next door").click()
    expect(status).to_contain_text("1 result waiting to sync")
    expect(phone.get_by_role("heading", name="4. 102 MAIN ST")).to_be_visible()
    assert ContactEvent.objects.count() == 2
    phone.context.set_offline(False)
    expect(status).to_have_text("All results synced", timeout=20_000)
    assert sorted(ContactEvent.objects.values_list("result", flat=True)) == ["contact", "not_home", "refused"]
    assert DoorVisit.objects.count() == 3
    luis = people[1]
    luis.refresh_from_db()
    assert luis.support_score == 5

    # The dashboard and Luis's history show it.
    page.goto(f"/c/{chapter.slug}/canvass/campaigns/{campaign.pk}/dashboard/")
    doors = page.locator(".card", has=page.get_by_role("heading", name="Doors knocked"))
    expect(doors).to_contain_text("3")
    expect(page.locator(".card", has=page.get_by_role("heading", name="Contact rate"))).to_contain_text("33%")
    page.context.clear_cookies()
    sign_in(page, organizer.user)
    page.goto(luis.get_absolute_url())
    expect(page.get_by_text("Door: Talked · Tenants first")).to_be_visible()
    expect(page.get_by_text("Wants a tenants' meeting")).to_be_visible()
