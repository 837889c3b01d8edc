"""MFA is required for chairs, organizers and national roles before any page with personal data."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value

from chapters.models import Role
from tests.factories import PASSWORD, MembershipFactory


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _sign_in(client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_an_organizer_without_totp_is_sent_to_set_it_up_and_then_gets_in(client, chapter):
    organizer = MembershipFactory.create(chapter=chapter, role=Role.ORGANIZER, mfa=False)
    _sign_in(client, organizer.user.email)

    response = client.get(f"/c/{chapter.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert client.get(f"/api/v1/chapters/{chapter.slug}/").status_code == 403

    reauth = client.get("/accounts/2fa/totp/activate/")
    assert reauth["Location"].startswith("/accounts/reauthenticate/")  # allauth confirms the password first
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    client.post("/accounts/2fa/totp/activate/", {"code": "000000" if _code(secret) != "000000" else "111111"})
    assert not Authenticator.objects.filter(user=organizer.user).exists()

    client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert Authenticator.objects.filter(user=organizer.user, type=Authenticator.Type.TOTP).exists()
    assert client.get(f"/c/{chapter.slug}/").status_code == 200


def test_sign_in_with_totp_asks_for_a_valid_code(client, chapter):
    chair = MembershipFactory.create(chapter=chapter, role=Role.CHAIR)
    response = _sign_in(client, chair.user.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get(f"/c/{chapter.slug}/").status_code == 302  # not signed in yet

    client.post("/accounts/2fa/authenticate/", {"code": "not-a-code"})
    assert client.get(f"/c/{chapter.slug}/").status_code == 302

    secret = chair.user.totp_secret  # type: ignore[attr-defined]
    client.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
    assert client.get(f"/c/{chapter.slug}/").status_code == 200


def test_a_national_role_without_totp_is_sent_to_set_it_up(client, db):
    from tests.factories import NationalRoleFactory

    nec = NationalRoleFactory.create(user__mfa=False).user
    client.force_login(nec)
    response = client.get("/account/api-tokens/")
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_canvassers_and_members_need_no_second_factor(client, canvasser, member):
    for person in (canvasser, member):
        client.force_login(person.user)
        assert client.get(f"/c/{person.chapter.slug}/").status_code == 200
