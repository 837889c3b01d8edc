"""Sign-in basics from allauth: password reset by email, and the sign-in rate limit."""

from __future__ import annotations

import re

from django.core import mail

from tests.factories import PASSWORD


def test_password_reset_sends_a_working_link(client, member):
    client.post("/accounts/password/reset/", {"email": member.user.email})
    assert mail.outbox[-1].to == [member.user.email]
    match = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", str(mail.outbox[-1].body))
    assert match
    form_page = client.get(match.group(1), follow=True)
    action = form_page.request["PATH_INFO"]
    client.post(action, {"password1": "a-brand-new-passphrase-9", "password2": "a-brand-new-passphrase-9"})
    member.user.refresh_from_db()
    assert member.user.check_password("a-brand-new-passphrase-9")


def test_repeated_failed_sign_ins_are_rate_limited(client, member):
    for _ in range(5):
        client.post("/accounts/login/", {"login": member.user.email, "password": "wrong"})
    # Even the right password is refused while the limit holds.
    response = client.post("/accounts/login/", {"login": member.user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
