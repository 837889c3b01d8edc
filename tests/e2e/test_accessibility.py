"""
Every page each demo login reaches can be read by a screen reader, worked by keyboard and seen by weak eyes.

The audit (accessibility.js) checks names of controls and links, labels, images,
landmarks, repeated ids, and text contrast to WCAG 2 AA; the keyboard check
tabs into each page and looks for the focus ring.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page

from core.demo import DEMO_PASSWORD
from core.models import User
from endorsements.models import Questionnaire
from endorsements.services import token_digest
from tests.e2e.conftest import page_shapes, sign_in
from tests.factories import totp_activate

pytestmark = pytest.mark.django_db(transaction=True)

AUDIT = (Path(__file__).parent / "accessibility.js").read_text()
FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "Tab moved focus nowhere";
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  return ring ? "" : "no focus ring on " + el.outerHTML.slice(0, 140);
}"""
TABS = 4
CHAPTER = "/c/durham/"
# Each demo login, and the pages whose links it follows: the public first, then each role's own hubs.
LOGINS = (
    ("", ["/", "/public/endorsements/", "/public/nec/", "/public/reports/"]),
    ("organizer@durham.example", [CHAPTER, *(CHAPTER + path for path in (
        "vault/people/", "vault/lists/", "vault/imports/", "canvass/campaigns/", "endorsements/", "races/",
        "candidates/", "help/"))]),
    ("chair@durham.example", [CHAPTER, CHAPTER + "members/"]),
    ("captain@durham.example", [CHAPTER, CHAPTER + "canvass/campaigns/"]),
    ("canvasser@durham.example", [CHAPTER, CHAPTER + "canvass/"]),
    ("cochair1@nec.example", ["/nec/", "/nec/requests/", "/nec/reports/", "/nec/terms/", "/trainings/"]),
    ("npc@npc.example", ["/"]),
)  # fmt: skip


def _audit(page: Page, href: str) -> list[str]:
    response = page.goto(href)
    assert response is not None, href
    assert response.status == 200, href
    problems = page.evaluate(AUDIT)
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.className") != "skip-link":
        problems.append("the first Tab does not reach the skip link")
    for _ in range(TABS):
        problems.append(page.evaluate(FOCUS_RING))
        page.keyboard.press("Tab")
    return [problem for problem in problems if problem]


def _questionnaire_link() -> str:
    """Give the demo's first questionnaire a known link, as if just sent to its candidate."""
    questionnaire = Questionnaire.objects.order_by("id").first()
    assert questionnaire is not None, "the demo sends no questionnaire"
    questionnaire.token_digest = token_digest("accessibility-audit")
    questionnaire.save(update_fields=["token_digest"])
    return "/public/questionnaire/accessibility-audit/"


def test_every_page_passes_the_accessibility_audit(browser: Browser, live_server, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", allow_production=True)
    extra = ["/accounts/login/", "/accounts/password/reset/", _questionnaire_link()]
    audited: set[str] = set()
    problems: dict[str, list[str]] = {}
    for email, hubs in LOGINS:
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        page = context.new_page()
        if email:
            user = User.objects.get(email=email)
            user.totp_secret = totp_activate(user)  # type: ignore[attr-defined]
            sign_in(page, user, DEMO_PASSWORD)
        shapes = page_shapes(page, hubs)
        if not email:
            shapes.update({href: href for href in extra})
        for shape, href in sorted(shapes.items()):
            if shape not in audited:
                audited.add(shape)
                found = _audit(page, href)
                if found:
                    problems[f"{email or 'public'} {href}"] = found
        context.close()
    assert len(audited) > 50, sorted(audited)
    report = "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items())
    assert problems == {}, report


BROKEN = """<!doctype html><html><head><title> </title></head><body>
<h2>No top heading</h2>
<label for="missing">Lost</label>
<input id="twice" name="a"><input id="twice" name="b" aria-label="Named">
<button></button><a href="/x"></a><img src="x.png">
<svg width="10" height="10"></svg>
<p style="color: #bbb">Pale text on white</p>
<p style="color: #333">Dark enough</p>
<button id="bare" style="outline: none">Go</button>
</body></html>"""


def test_the_audit_finds_each_kind_of_problem(page: Page) -> None:
    page.set_content(BROKEN)
    problems = page.evaluate(AUDIT)
    expected = ("no lang", "no title", "exactly one <main>", "no <h1>", 'id "twice" is used twice',
                'label for "missing"', "no accessible name: <input", "no accessible name: <button",
                "no accessible name: <a", "image without alt", "svg with neither", "contrast 1.92")  # fmt: skip
    for problem in expected:
        assert any(problem in found for found in problems), (problem, problems)
    assert not any("Dark enough" in found or "Named" in found for found in problems), problems
    assert len(problems) == len(expected), problems
    page.focus("#bare")
    assert page.evaluate(FOCUS_RING).startswith("no focus ring")
