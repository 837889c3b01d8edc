"""
The endorsement journey: the chapter sends its questionnaire, the candidate answers through the
link on a phone, the chapter researches, votes, plans and asks national; an NEC reviewer
recommends, the NEC votes, the NPC ratifies, and an anonymous visitor sees the endorsement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from endorsements.models import Endorsement
from endorsements.models import EndorsementStatus as S
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_for(browser: Browser, live_server) -> Iterator[Callable[[Any], Page]]:
    """Open a browser of their own for each person in the story, signed in once: a TOTP code is used once."""
    contexts = []

    def open_for(user: Any) -> Page:
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            sign_in(page, user)
        return page

    yield open_for
    for context in contexts:
        context.close()


def test_from_questionnaire_to_national_endorsement(
    page: Page, phone: Page, browser_for, organizer, nec_cochair, nec_member, npc_member
):
    chapter = organizer.chapter
    sign_in(page, organizer.user)

    # The working group adds the race and the candidate, and writes its questionnaire.
    page.goto(f"/c/{chapter.slug}/")
    page.get_by_role("navigation", name=chapter.name).get_by_role("link", name="Endorsements").click()
    page.get_by_role("navigation", name="Endorsements sections").get_by_role("link", name="Races").click()
    page.get_by_label("Jurisdiction").fill("City of Alpha")
    page.get_by_label("Office").fill("City Council")
    page.get_by_label("Level").select_option(label="Municipal")
    page.get_by_label(re.compile(r"^District")).fill("Ward 3")
    page.get_by_label("Election type").select_option(label="General")
    page.get_by_label("Election date").fill("2030-11-05")
    page.get_by_role("button", name="Add race").click()
    expect(page.get_by_role("status")).to_contain_text("Race added")

    page.get_by_role("navigation", name="Endorsements sections").get_by_role("link", name="Candidates").click()
    page.get_by_label("Name").fill("Ada Reyes")
    page.get_by_label("Email").fill("ada@reyes.example")
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_role("cell", name="Ada Reyes")).to_be_visible()

    page.get_by_role("navigation", name="Endorsements sections").get_by_role("link", name="Questionnaires").click()
    page.get_by_label("Title").fill("Council questionnaire")
    page.get_by_label("Questions").fill("Will you back participatory budgeting?\nHow will you protect tenants?")
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_role("link", name="Council questionnaire (v1)")).to_be_visible()

    page.get_by_role("navigation", name="Endorsements sections").get_by_role("link", name="Endorsements").click()
    page.get_by_role("link", name="Consider a candidate").click()
    page.get_by_label("Race").select_option(label="City Council, Ward 3 (General 2030)")
    page.get_by_label("Candidate").select_option(label="Ada Reyes")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Ada Reyes")).to_be_visible()

    page.get_by_role("link", name="Send the questionnaire").click()
    page.get_by_label("Questionnaire").select_option(label="Council questionnaire (v1)")
    page.get_by_role("button", name="Send the link").click()
    message = page.get_by_role("status").inner_text()
    match = re.search(r"/public/questionnaire/[\w-]+/", message)
    assert match, message
    link = match.group(0)

    # The candidate answers on a phone, with no account: a draft first, then the submission.
    phone.goto(link)
    phone.get_by_label("1. Will you back participatory budgeting?").fill("Yes, for the whole capital budget.")
    phone.get_by_role("button", name="Save draft").click()
    expect(phone.get_by_role("status")).to_contain_text("Draft saved")
    phone.get_by_label("2. How will you protect tenants?").fill("Just-cause eviction and a rent board.")
    phone.get_by_role("button", name="Submit answers").click()
    expect(phone.get_by_role("status")).to_contain_text("Your answers are submitted")
    phone.goto(link)
    expect(phone.get_by_role("alert")).to_contain_text("already submitted")

    # The chapter researches, votes and writes its local plan.
    page.reload()
    expect(page.get_by_text("Questionnaire returned").first).to_be_visible()
    page.get_by_role("button", name="Start research").click()
    page.get_by_role("link", name="Open the dossier").click()
    page.get_by_label("District partisanship").fill("D+20, low municipal turnout.")
    page.get_by_label("Fundraising").fill("$20,000 from small donors.")
    page.get_by_label("Opposition").fill("A developer-backed incumbent.")
    page.get_by_label("Viability rating").select_option(label="Competitive: a credible path")
    page.get_by_label("Viability rationale").fill("Lost by 3 points last time; our canvass closes the gap.")
    page.get_by_role("button", name="Save dossier").click()
    expect(page.get_by_role("status")).to_contain_text("Dossier saved")

    page.get_by_role("link", name="← Ada Reyes").click()
    page.get_by_role("link", name="Open the chapter vote").click()
    page.get_by_label("Counts from a meeting").check()
    page.get_by_role("button", name="Open the vote").click()
    page.get_by_label(re.compile(r"^Yes")).fill("9")
    page.get_by_label(re.compile(r"^No:?$")).fill("2")
    page.get_by_label("Abstain").fill("1")
    page.get_by_role("button", name="Save counts").click()
    expect(page.get_by_text("9 yes", exact=False).first).to_be_visible()
    page.get_by_role("button", name="Close the vote").click()
    expect(page.get_by_role("status")).to_contain_text("The vote passed: 9 yes, 2 no, 1 abstaining.")
    expect(page.get_by_text("Endorsed locally").first).to_be_visible()

    page.get_by_role("link", name="Open the local plan").click()
    page.get_by_label("Our own canvass").fill("Our captains run Ward 3 every Saturday.")
    page.get_by_label("Our own data").fill("Every door stays in our vault.")
    page.get_by_label("Independent messaging").fill("Our own scripts on rent.")
    page.get_by_label("Holding the candidate accountable").fill("Quarterly public check-ins.")
    page.get_by_label("How this builds the chapter").fill("Every canvasser is asked to join.")
    page.get_by_role("button", name="Save local plan").click()
    expect(page.get_by_role("status")).to_contain_text("It is complete.")

    page.get_by_role("link", name="← Ada Reyes").click()
    page.get_by_role("link", name="Request national endorsement").click()
    page.get_by_label("What does the chapter ask of national?").fill("Endorsement and a phonebank.")
    page.get_by_role("button", name="Submit the national request").click()
    expect(page.get_by_role("status")).to_contain_text("The national request is submitted")

    # An NEC co-chair assigns a reviewer from the account menu's national link.
    cochair = browser_for(nec_cochair)
    cochair.locator(".account-menu summary").click()
    cochair.get_by_role("link", name="National endorsement requests").click()
    cochair.get_by_role("link", name="Ada Reyes").click()
    cochair.get_by_label(str(nec_member)).check()
    cochair.get_by_role("button", name="Assign").click()
    expect(cochair.get_by_role("status")).to_contain_text("Reviewers assigned")

    # The reviewer reads, comments and recommends.
    reviewer = browser_for(nec_member)
    endorsement = Endorsement.objects.get(candidate__name="Ada Reyes")
    reviewer.goto(f"/national/endorsements/{endorsement.national_request.pk}/")
    expect(reviewer.get_by_text("Lost by 3 points last time")).to_be_visible()
    reviewer.get_by_label("Comment").fill("The plan builds the chapter.")
    reviewer.get_by_role("button", name="Post comment").click()
    reviewer.get_by_label("Recommend", exact=True).check()
    reviewer.get_by_label("Why").fill("A credible path and a strong local plan.")
    reviewer.get_by_role("button", name="Record recommendation").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Your recommendation is recorded")

    # The co-chair records the NEC vote.
    cochair.reload()
    cochair.get_by_label(re.compile(r"^Yes")).fill("8")
    cochair.get_by_label(re.compile(r"^No:?$")).fill("1")
    cochair.get_by_role("button", name="Record NEC vote").click()
    expect(cochair.get_by_role("status")).to_contain_text("NEC vote recorded: recommend")

    # An NPC member ratifies.
    npc = browser_for(npc_member)
    npc.goto("/national/endorsements/")
    npc.get_by_role("link", name="Ada Reyes").click()
    expect(npc.get_by_text("The NEC recommends a national endorsement")).to_be_visible()
    npc.get_by_label("Ratify the NEC's decision").check()
    npc.get_by_role("button", name="Record NPC decision").click()
    expect(npc.get_by_role("status")).to_contain_text("nationally endorsed")
    endorsement.refresh_from_db()
    assert endorsement.status == S.NATIONALLY_ENDORSED

    # Anyone can read it on the public page, with no internal material.
    visitor = browser_for(None)
    visitor.goto("/")
    visitor.get_by_role("contentinfo").get_by_role("link", name="Endorsed candidates").click()
    expect(visitor.get_by_role("heading", name="Ada Reyes")).to_be_visible()
    expect(visitor.get_by_text("Nationally endorsed")).to_be_visible()
    expect(visitor.get_by_text("Lost by 3 points")).to_have_count(0)
