"""The chapters API: your chapters, and members for organizers and chairs."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MembershipFactory


def test_members_list_for_organizers_only(client, organizer, member):
    client.force_login(member.user)
    assert client.get(f"/api/v1/chapters/{member.chapter.slug}/memberships/").status_code == 404
    client.force_login(organizer.user)
    response = client.get(f"/api/v1/chapters/{organizer.chapter.slug}/memberships/")
    assert response.status_code == 200
    assert {row["email"] for row in response.json()["results"]} == {organizer.user.email, member.user.email}


def test_members_list_is_paginated_with_a_constant_query_count(client, organizer):
    client.force_login(organizer.user)
    url = f"/api/v1/chapters/{organizer.chapter.slug}/memberships/"
    MembershipFactory.create_batch(4, chapter=organizer.chapter)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).json()["count"] == 5
    MembershipFactory.create_batch(45, chapter=organizer.chapter)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url).json()["count"] == 50
    assert len(five) == len(fifty)
    assert len(client.get(url, {"page_size": 10}).json()["results"]) == 10


def test_member_list_page_has_a_constant_query_count(client, chair):
    client.force_login(chair.user)
    url = f"/c/{chair.chapter.slug}/members/"
    MembershipFactory.create_batch(4, chapter=chair.chapter)
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    MembershipFactory.create_batch(45, chapter=chair.chapter)
    with CaptureQueriesContext(connection) as fifty:
        client.get(url)
    assert len(five) == len(fifty)
