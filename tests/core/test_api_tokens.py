"""Personal API tokens: created on a settings page, stored hashed, revocable."""

from __future__ import annotations

import re

import pytest

from core.models import ApiToken, AuditEvent


def _create_token(client, name: str) -> str:
    response = client.post("/account/api-tokens/", {"name": name})
    assert response.status_code == 200
    match = re.search(r'id="new-token">(bw_[^<]+)<', response.content.decode())
    assert match, "the new token is shown once"
    return match.group(1)


def test_token_is_stored_only_as_a_hash_and_opens_the_api(client, member):
    client.force_login(member.user)
    raw = _create_token(client, "phonebank sync")

    token = ApiToken.objects.get(user=member.user)
    assert raw not in (token.digest, token.prefix)
    assert not ApiToken.objects.filter(digest=raw).exists()

    client.logout()
    response = client.get("/api/v1/chapters/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert [row["chapter"]["slug"] for row in response.json()["results"]] == [member.chapter.slug]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.API_TOKEN_CREATE, actor=member.user).exists()


def test_revoked_and_forged_tokens_are_refused(client, member):
    client.force_login(member.user)
    raw = _create_token(client, "script")
    token = ApiToken.objects.get(user=member.user)

    response = client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    client.logout()

    assert client.get("/api/v1/chapters/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/api/v1/chapters/", HTTP_AUTHORIZATION="Bearer bw_forged").status_code == 401


def test_a_second_active_token_with_the_same_name_is_refused(client, member):
    client.force_login(member.user)
    _create_token(client, "script")
    response = client.post("/account/api-tokens/", {"name": "script"})
    assert "already have an active token" in response.content.decode()
    assert ApiToken.objects.filter(user=member.user).count() == 1


def test_someone_elses_token_cannot_be_revoked(client, member, outsider):
    client.force_login(member.user)
    _create_token(client, "mine")
    token = ApiToken.objects.get(user=member.user)
    client.force_login(outsider.user)
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.is_active


@pytest.mark.django_db
def test_api_anonymous_gets_401(client):
    assert client.get("/api/v1/chapters/").status_code == 401
