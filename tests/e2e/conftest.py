"""Headless Chromium, driven by Playwright, against the live test server."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    """A phone-sized page, with touch."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


TOTP_PERIOD = 30
# A code typed in the last seconds of its window can reach a loaded server after the window ends.
TOTP_MARGIN = 8


def totp_code(secret: str) -> str:
    """Return a TOTP code for a secret that stays valid for a few more seconds."""
    left = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if left < TOTP_MARGIN:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))


def sign_in(page: Page, user, password: str = PASSWORD) -> None:
    """Sign in through the real form, entering a TOTP code when the account has one."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    secret = getattr(user, "totp_secret", None)
    if secret:
        page.get_by_label("Code").fill(totp_code(secret))
        page.get_by_role("button", name="Sign In").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.wait_for_load_state()


# Downloads and other non-pages, the sign-out link, and pages allauth and the admin own.
NOT_PAGES = re.compile(r"(logout|download|\.csv|\.pdf|\.zip|/api/|/admin/|/accounts/)")


def page_shapes(page: Page, starts: list[str]) -> dict[str, str]:
    """
    Return one link per URL shape found on the starting pages, keyed by shape.

    A shape writes every number as N: a person page stands for every person.
    """
    shapes: dict[str, str] = {}
    for start in starts:
        page.goto(start)
        links = page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
        for href in [start, *links]:
            if not NOT_PAGES.search(href):
                shapes.setdefault(re.sub(r"\d+", "N", href.split("#")[0].split("?")[0]), href)
    return shapes
