"""A chair invites by email with a role; the link creates or attaches the account, once, before it expires."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from chapters.models import Invitation, Membership, Role
from core.models import AuditEvent, User
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def invite(client, chair, django_capture_on_commit_callbacks):
    """Send an invitation as the chair; return the link path from the email."""

    def send(email: str = "new.person@example.org", role: str = Role.CANVASSER) -> str:
        client.force_login(chair.user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/c/{chair.chapter.slug}/invitations/", {"email": email, "role": role})
        assert response.status_code == 302
        client.logout()
        match = re.search(r"http://[^/]+(/invite/[^/\s]+/)", str(mail.outbox[-1].body))
        assert match, "the email carries the link"
        return match.group(1)

    return send


def test_a_new_person_signs_up_through_the_link_and_joins_with_the_role(client, invite, chapter):
    link = invite()
    assert mail.outbox[-1].to == ["new.person@example.org"]

    page = client.get(link)
    assert "Create an account" in page.content.decode()

    response = client.post(
        f"/accounts/signup/?next={link}",
        {"email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert EmailAddress.objects.get(user=user).verified  # the link proved the address

    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == f"/c/{chapter.slug}/"
    assert Membership.objects.get(user=user, chapter=chapter).role == Role.CANVASSER
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_ACCEPT, actor=user).exists()


def test_an_existing_account_is_attached_after_signing_in(client, invite, chapter):
    existing = UserFactory.create(email="already@example.org")
    link = invite(email="already@example.org", role=Role.CAPTAIN)
    client.force_login(existing)
    client.post(link)
    assert Membership.objects.get(user=existing, chapter=chapter).role == Role.CAPTAIN


def test_a_used_link_cannot_be_used_again(client, invite, chapter):
    link = invite(email="once@example.org")
    person = UserFactory.create(email="once@example.org")
    client.force_login(person)
    client.post(link)
    Membership.objects.filter(user=person).delete()

    response = client.post(link, follow=True)
    assert "already been used" in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()


def test_an_expired_link_shows_a_clear_message_and_joins_nobody(client, invite):
    link = invite(email="late@example.org")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    person = UserFactory.create(email="late@example.org")
    client.force_login(person)
    response = client.post(link, follow=True)
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()


def test_a_revoked_link_stops_working(client, invite, chair):
    link = invite(email="revoked@example.org")
    invitation = Invitation.objects.get()
    client.force_login(chair.user)
    client.post(f"/c/{chair.chapter.slug}/invitations/{invitation.pk}/revoke/")
    person = UserFactory.create(email="revoked@example.org")
    client.force_login(person)
    response = client.post(link, follow=True)
    assert "revoked" in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()


def test_a_forged_link_is_404(client, db):
    assert client.get("/invite/not-a-real-token/").status_code == 404


def test_the_link_only_works_for_the_invited_address(client, invite):
    link = invite(email="right@example.org")
    wrong = UserFactory.create(email="wrong@example.org")
    client.force_login(wrong)
    response = client.post(link, follow=True)
    assert "Sign in with that address" in response.content.decode()
    assert not Membership.objects.filter(user=wrong).exists()


def test_sign_up_is_closed_without_an_invitation(client, db):
    response = client.post(
        "/accounts/signup/", {"email": "stranger@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert not User.objects.filter(email="stranger@example.org").exists()
    assert response.status_code == 200
    assert "closed" in response.content.decode().lower()


def test_a_double_invitation_is_refused_with_a_clear_message(client, chair):
    client.force_login(chair.user)
    url = f"/c/{chair.chapter.slug}/invitations/"
    client.post(url, {"email": "twice@example.org", "role": Role.MEMBER})
    response = client.post(url, {"email": "twice@example.org", "role": Role.MEMBER})
    assert response.status_code == 400
    assert "already pending" in response.content.decode()
    assert Invitation.objects.filter(email="twice@example.org").count() == 1


def test_inviting_an_existing_member_is_refused(client, chair, member):
    client.force_login(chair.user)
    response = client.post(f"/c/{chair.chapter.slug}/invitations/", {"email": member.user.email, "role": "member"})
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_bad_role_is_refused(client, chair):
    client.force_login(chair.user)
    response = client.post(f"/c/{chair.chapter.slug}/invitations/", {"email": "x@example.org", "role": "overlord"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()
