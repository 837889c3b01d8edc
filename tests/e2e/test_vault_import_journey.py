"""An organizer uploads a voter file, checks the columns, watches the import finish and reads the rejected rows."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chapters.models import Membership
from data_vault.importers.pipeline import ImportContext
from data_vault.models import Person
from tests.data_vault import import_files as files
from tests.data_vault.factories import ContactEventFactory
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_organizer_imports_a_voter_file_and_reads_the_result(
    page: Page, organizer: Membership, celery_worker: None, settings, tmp_path: Path, monkeypatch
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # The worker holds at "Saving people" until the page has shown that phase: a file this small would finish
    # before the first poll, and the bar must be seen moving, not only full.
    seen = threading.Event()
    phase = ImportContext.phase

    def held(ctx: ImportContext, name: str, done: int) -> None:
        phase(ctx, name, done)
        if name == "Saving people":
            seen.wait(timeout=30)

    monkeypatch.setattr(ImportContext, "phase", held)
    people = [*files.NCVOTER_PEOPLE, {"ncid": "AA9", "first_name": "BAD", "last_name": "ZIP", "zip_code": "ABCDE"}]
    voter_file = files.write(tmp_path / "ncvoter_durham.txt", files.ncvoter_text(people))

    sign_in(page, organizer.user)
    page.goto(f"/c/{organizer.chapter.slug}/vault/imports/")
    expect(page.get_by_role("heading", name="Import people")).to_be_visible()
    page.get_by_label("Voter file or contact list").set_input_files(str(voter_file))
    page.get_by_role("button", name="Upload and check the columns").click()

    expect(page.get_by_role("heading", name="Check the columns of ncvoter_durham.txt")).to_be_visible()
    expect(page.get_by_text("North Carolina statewide voter file (ncvoter)")).to_be_visible()
    expect(page.get_by_label("Last name (required)")).to_have_value("last_name")
    expect(page.get_by_role("cell", name="GARCIA").first).to_be_visible()
    # Each field shows what its column holds, and follows a change of column.
    expect(page.locator("#map_last_name_example")).to_have_text("For example: GARCIA")
    page.get_by_label("Middle name").select_option("first_name")
    expect(page.locator("#map_middle_name_example")).to_have_text("For example: ANA")
    page.get_by_label("Middle name").select_option("")
    expect(page.locator("#map_middle_name_example")).to_have_text("")
    page.get_by_role("button", name="Start the import").click()

    expect(page.get_by_role("heading", name="Import of ncvoter_durham.txt")).to_be_visible()
    # The progress bar polls the worker's phase and rows, then the page shows the result.
    bar = page.get_by_role("progressbar")
    expect(page.get_by_label("Saving people")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("0 of 4")).to_be_visible()
    seen.set()
    expect(page.locator("#count-created")).to_have_text("3", timeout=30_000)
    expect(bar).to_have_attribute("value", "100")
    expect(page.get_by_label("Done")).to_be_visible()
    expect(page.locator("#count-rejected")).to_have_text("1")
    expect(page.get_by_role("cell", name="Not a zip code")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every rejected row (CSV)").click()
    assert "Not a zip code" in Path(download.value.path()).read_text()
    assert Person.objects.filter(chapter=organizer.chapter).count() == 3
    oneil = Person.objects.get(chapter=organizer.chapter, state_voter_id="AA3")
    ContactEventFactory.create(chapter=organizer.chapter, person=oneil, notes="Asked about the rent board")

    # The organizer finds an imported person and opens their history.
    page.get_by_role("navigation", name=organizer.chapter.name).get_by_role("link", name="People").click()
    page.get_by_label("Name, address, voter id, phone or email").fill("O'Neil")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="O'Neil", exact=False).first.click()
    history = page.get_by_role("region", name="History")
    expect(history.get_by_text("Door: Talked")).to_be_visible()
    expect(history.get_by_text("Asked about the rent board", exact=False)).to_be_visible()
    expect(history.get_by_text("ncvoter_durham.txt", exact=False).first).to_be_visible()
    provenance = page.get_by_role("region", name="Where this record came from")
    expect(provenance.get_by_role("cell", name="ncvoter_durham.txt", exact=False).first).to_be_visible()


def test_the_import_page_works_on_a_phone(phone: Page, organizer: Membership, settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(phone, organizer.user)
    phone.goto(f"/c/{organizer.chapter.slug}/vault/imports/")
    upload = phone.get_by_role("button", name="Upload and check the columns")
    expect(upload).to_be_visible()
    box = upload.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390
    phone.get_by_label("Voter file or contact list").set_input_files(str(files.write(tmp_path / "e.csv", "")))
    upload.click()
    expect(phone.get_by_text("The submitted file is empty.")).to_be_visible()
