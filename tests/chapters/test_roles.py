"""Role checks: who may see members, change roles, change settings and read the audit trail."""

from __future__ import annotations

import pytest

from chapters.models import Chapter, Membership, Role
from core.models import AuditEvent
from tests.factories import MembershipFactory


@pytest.mark.parametrize(
    ("persona", "members", "settings_page", "audit"),
    [
        ("chair", 200, 200, 200),
        ("organizer", 200, 404, 404),
        ("captain", 404, 404, 404),
        ("canvasser", 404, 404, 404),
        ("member", 404, 404, 404),
    ],
)
def test_pages_by_role(client, request, persona, members, settings_page, audit):
    membership = request.getfixturevalue(persona)
    slug = membership.chapter.slug
    client.force_login(membership.user)
    assert client.get(f"/c/{slug}/").status_code == 200
    assert client.get(f"/c/{slug}/members/").status_code == members
    assert client.get(f"/c/{slug}/settings/").status_code == settings_page
    assert client.get(f"/c/{slug}/audit/").status_code == audit


def test_chair_changes_a_role_and_it_is_audited(client, chair, member):
    client.force_login(chair.user)
    client.post(f"/c/{chair.chapter.slug}/members/{member.pk}/role/", {"role": Role.CAPTAIN})
    member.refresh_from_db()
    assert member.role == Role.CAPTAIN
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGE)
    assert (event.actor, event.chapter, event.details) == (
        chair.user,
        chair.chapter,
        {"from": "member", "to": "captain"},
    )
    assert event.ip_address == "127.0.0.1"


def test_organizer_cannot_change_roles(client, organizer, member):
    client.force_login(organizer.user)
    response = client.post(f"/c/{organizer.chapter.slug}/members/{member.pk}/role/", {"role": Role.CHAIR})
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.role == Role.MEMBER


def test_the_last_chair_cannot_step_down_or_be_removed(client, chair):
    client.force_login(chair.user)
    slug = chair.chapter.slug
    response = client.post(f"/c/{slug}/members/{chair.pk}/role/", {"role": Role.MEMBER}, follow=True)
    assert "at least one chair" in response.content.decode()
    client.post(f"/c/{slug}/members/{chair.pk}/remove/")
    chair.refresh_from_db()
    assert chair.role == Role.CHAIR


def test_chair_removes_a_member_and_it_is_audited(client, chair, member):
    client.force_login(chair.user)
    client.post(f"/c/{chair.chapter.slug}/members/{member.pk}/remove/")
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MEMBER_REMOVE, target_label=member.user.email).exists()


def test_one_person_holds_different_roles_in_different_chapters(client, member, other_chapter):
    MembershipFactory.create(user=member.user, chapter=other_chapter, role=Role.CAPTAIN)
    client.force_login(member.user)
    page = client.get(f"/c/{member.chapter.slug}/").content.decode()
    assert other_chapter.name in page  # the chapter switcher lists both
    assert client.get(f"/c/{other_chapter.slug}/").status_code == 200
    assert client.get(f"/c/{member.chapter.slug}/members/").status_code == 404


def test_settings_save_the_endorsement_rules_and_bad_values_change_nothing(client, chair):
    client.force_login(chair.user)
    url = f"/c/{chair.chapter.slug}/settings/"
    form = {
        "name": chair.chapter.name,
        "contact_email": "",
        "endorsement_threshold_percent": 66,
        "endorsement_quorum": 12,
        "endorsement_requires_questionnaire": "on",
    }
    assert client.post(url, form).status_code == 302
    chapter = Chapter.objects.get(pk=chair.chapter.pk)
    assert (chapter.endorsement_threshold_percent, chapter.endorsement_quorum) == (66, 12)
    assert chapter.endorsement_requires_research is False
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGE).count() == 1

    response = client.post(url, {**form, "endorsement_threshold_percent": 30})
    assert response.status_code == 400
    assert Chapter.objects.get(pk=chair.chapter.pk).endorsement_threshold_percent == 66


def _table(response) -> str:
    return response.content.decode().split("<tbody>", 1)[1]


def test_audit_trail_is_newest_first_and_filterable(client, chair, member, captain):
    client.force_login(chair.user)
    slug = chair.chapter.slug
    client.post(f"/c/{slug}/members/{member.pk}/role/", {"role": Role.CANVASSER})
    client.post(f"/c/{slug}/members/{captain.pk}/remove/")
    page = _table(client.get(f"/c/{slug}/audit/"))
    assert page.index("Member removed") < page.index("Role changed")

    filtered = _table(client.get(f"/c/{slug}/audit/", {"action": "role_change"}))
    assert "Role changed" in filtered
    assert "Member removed" not in filtered


def test_dashboard_of_an_unknown_chapter_is_404(client, member):
    client.force_login(member.user)
    assert client.get("/c/no-such-chapter/").status_code == 404
