"""A chapter asks the NEC for help and a co-chair closes it; a co-chair publishes a report; the public downloads it."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from chapters.models import NationalRole
from committee import services
from committee.models import AssistanceRequest, Report
from tests.committee.conftest import seat_for
from tests.e2e.conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_request_triaged_and_closed_then_report_published_and_downloaded(
    page: Page, browser: Browser, live_server, celery_worker, organizer, chapter, other_chapter
):
    today = timezone.localdate()
    term = services.term_create(
        name="2026–2027", starts_on=today - timedelta(days=5), ends_on=today + timedelta(days=360), actor=organizer.user
    )
    cochairs = [seat_for(term, chapter, "Ana Alpha"), seat_for(term, other_chapter, "Ben Beta")]
    cochair = cochairs[0].holder  # carries its TOTP secret for signing in
    services.nec_cochairs_set(term=term, seats=cochairs, actor=cochair)
    assert NationalRole.objects.filter(user=cochair, kind=NationalRole.Kind.NEC_COCHAIR).exists()

    # The chapter asks for help.
    sign_in(page, organizer.user)
    page.goto(f"/c/{chapter.slug}/")
    page.get_by_role("navigation", name=chapter.name).get_by_role("link", name="Help from the NEC").click()
    page.get_by_label("What do you need help with?").select_option("data_tools")
    page.get_by_label("Urgency").select_option("high")
    page.get_by_label("Describe the request").fill("Help us cut turf from the county voter file.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("status")).to_contain_text("Your request was sent to the NEC.")
    expect(page.get_by_text("Routed to: Data and tools")).to_be_visible()
    page.context.clear_cookies()

    # An NEC co-chair triages it, answers, and closes it.
    sign_in(page, cochair)
    page.goto("/nec/")
    page.get_by_role("link", name="Data and tools").first.click()
    for status in ("Triaged", "In progress"):
        page.get_by_label("New status").select_option(label=status)
        page.get_by_role("button", name="Update the request").click()
        expect(page.get_by_role("status")).to_contain_text(f"The request is now {status.lower()}.")
    page.get_by_label("Message").fill("Our data co-chair will run a session with you on Tuesday.")
    page.get_by_role("button", name="Send message").click()
    page.get_by_label("New status").select_option(label="Done")
    page.get_by_role("button", name="Update the request").click()
    expect(page.get_by_role("status")).to_contain_text("The request is now done.")
    assert AssistanceRequest.objects.get().status == AssistanceRequest.Status.DONE

    # The co-chair writes, renders and publishes a report.
    page.goto("/nec/reports/")
    page.get_by_label("Title").fill("Report to the NPC, autumn")
    page.get_by_label("Period start").fill((today - timedelta(days=90)).isoformat())
    page.get_by_label("Period end").fill(today.isoformat())
    page.get_by_role("button", name="Start the report").click()
    page.get_by_label("Heading").fill("Support for locals")
    page.get_by_label("Body").fill("Chapters asked for data help and got it within days.")
    page.get_by_role("button", name="Add the section").click()
    page.get_by_role("button", name="Render the PDF").click()
    expect(page.get_by_role("button", name="Publish")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Published.")
    report = Report.objects.get()
    assert report.status == Report.Status.PUBLISHED

    # An anonymous visitor on a phone finds it and downloads the PDF.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True,
                                  accept_downloads=True)  # fmt: skip
    phone = context.new_page()
    phone.goto("/public/reports/")
    phone.get_by_role("link", name="Report to the NPC, autumn").click()
    expect(phone).to_have_url(re.compile(re.escape(report.get_public_url()) + "$"))
    expect(phone.get_by_role("heading", name="Support for locals")).to_be_visible()
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Download the PDF").click()
    pdf = download_info.value
    with open(pdf.path(), "rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Report to the NPC, autumn" in text
    assert "Chapters asked for data help" in text
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    context.close()
