"""An organizer filters the people, saves the list, opens a person, logs a call and exports the list."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from core.models import AuditEvent
from data_vault.models import ContactEvent, ExportJob, SavedList
from tests.data_vault.factories import HouseholdFactory, PersonFactory
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_organizer_filters_saves_a_list_logs_a_call_and_exports(page: Page, organizer, celery_worker):
    chapter = organizer.chapter
    north = HouseholdFactory.create(chapter=chapter, precinct="01", house_number=14, street_name="ELM ST")
    PersonFactory.create(chapter=chapter, household=north, first_name="Rosa", last_name="Diaz")
    PersonFactory.create(chapter=chapter, household=north, first_name="Luis", last_name="Diaz")
    PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter, precinct="02"),
                         first_name="Zed", last_name="Away")  # fmt: skip

    sign_in(page, organizer.user)
    page.goto(f"/c/{chapter.slug}/")
    page.get_by_role("navigation", name=chapter.name).get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    page.get_by_label("Precinct").fill("01")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("p[role=status]")).to_contain_text("2 people match")
    expect(page.get_by_role("link", name="Zed Away")).to_have_count(0)

    page.get_by_text("Save this filter as a list").click()
    page.get_by_label("List name").fill("Elm Street doors")
    page.get_by_role("button", name="Save list").click()
    expect(page.get_by_role("heading", name="Elm Street doors")).to_be_visible()
    assert SavedList.objects.get().filters == {"precinct": ["01"]}

    page.get_by_role("link", name="Rosa Diaz").click()
    expect(page.get_by_role("heading", name="Rosa Diaz")).to_be_visible()
    expect(page.get_by_text("14 ELM ST")).to_be_visible()
    log = page.get_by_role("region", name="Log a contact")
    log.get_by_label("Channel").select_option("phone")
    log.get_by_label("Result").select_option("contact")
    log.get_by_label("Notes").fill("Will come to the tenants' meeting")
    log.get_by_role("button", name="Log contact").click()
    expect(page.get_by_text("Phone: Talked")).to_be_visible()
    expect(page.get_by_text("Will come to the tenants' meeting")).to_be_visible()
    assert ContactEvent.objects.get().recorded_by == organizer.user

    page.goto(SavedList.objects.get().get_absolute_url())
    page.get_by_role("button", name="Export as CSV").click()
    download_link = page.get_by_role("link", name="Download the CSV")
    expect(download_link).to_be_visible(timeout=30_000)
    with page.expect_download() as download_info:
        download_link.click()
    path = download_info.value.path()
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert sorted(row["first_name"] for row in rows) == ["Luis", "Rosa"]
    job = ExportJob.objects.get()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, target_id=str(job.pk)).count() == 2


def test_on_a_phone_the_filters_fold_away_until_asked_for(phone: Page, organizer):
    chapter = organizer.chapter
    PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter, precinct="01"),
                         first_name="Rosa", last_name="Diaz")  # fmt: skip
    PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter, precinct="02"),
                         first_name="Zed", last_name="Away")  # fmt: skip

    sign_in(phone, organizer.user)
    phone.goto(f"/c/{chapter.slug}/vault/people/")
    # The search box and the people are on the first screen; the two dozen filters wait behind one tap.
    expect(phone.get_by_label("Name, address, voter id, phone or email")).to_be_visible()
    expect(phone.get_by_label("Precinct")).to_be_hidden()
    expect(phone.get_by_role("link", name="Zed Away")).to_be_in_viewport()
    phone.get_by_text("Filters", exact=True).click()
    phone.get_by_label("Precinct").fill("01")
    phone.get_by_role("button", name="Filter").click()
    expect(phone.locator("p[role=status]")).to_contain_text("1 person matches")
    # With a filter set, the filters stay open and say how many are set.
    expect(phone.get_by_label("Precinct")).to_have_value("01")
    expect(phone.get_by_text("Filters (1 set)")).to_be_visible()
