"""The endorsements API: scoped reads, and the NEC and NPC actions with their refusals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from endorsements.models import EndorsementStatus as S
from tests.endorsements.factories import EndorsementFactory, endorsement_submitted_nationally

pytestmark = pytest.mark.django_db


def test_members_read_their_chapters_endorsements_with_a_constant_query_count(client: Client, member):
    chapter = member.chapter
    client.force_login(member.user)
    url = f"/api/v1/chapters/{chapter.slug}/endorsements/"
    EndorsementFactory.create_batch(5, chapter=chapter)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).json()["count"] == 5
    EndorsementFactory.create_batch(45, chapter=chapter)
    with CaptureQueriesContext(connection) as fifty:
        rows = client.get(url).json()
    assert rows["count"] == 50
    assert len(five) == len(fifty)
    first = rows["results"][0]
    assert set(first) >= {"race", "candidate", "status", "version"}
    assert client.get(url, {"status": "research"}).json()["count"] == 0


def test_the_endorsement_detail_carries_its_timeline(client: Client, organizer):
    endorsement = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    client.force_login(organizer.user)
    body = client.get(f"/api/v1/chapters/{organizer.chapter.slug}/endorsements/{endorsement.pk}/").json()
    assert body["status"] == S.NATIONAL_REQUESTED
    assert [c["to_status"] for c in body["timeline"]][-2:] == [S.ENDORSED_LOCALLY, S.NATIONAL_REQUESTED]


def test_the_nec_and_npc_work_a_request_through_the_api(client: Client, organizer, nec_cochair, nec_member, npc_member):
    endorsement = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    base = f"/api/v1/national/endorsement-requests/{endorsement.national_request.pk}/"

    client.force_login(nec_member)
    assert (
        client.post(f"{base}assign/", {"reviewers": [nec_member.email]}, content_type="application/json").status_code
        == 404
    )

    client.force_login(nec_cochair)
    response = client.post(f"{base}assign/", {"reviewers": ["nobody@example.org"]}, content_type="application/json")
    assert response.status_code == 400
    assert "Not NEC members" in str(response.json())
    response = client.post(f"{base}assign/", {"reviewers": [nec_member.email]}, content_type="application/json")
    assert response.json()["status"] == S.NEC_REVIEW

    client.force_login(nec_member)
    client.post(f"{base}comments/", {"body": "Strong plan"}, content_type="application/json")
    response = client.post(
        f"{base}recommendation/",
        {"recommendation": "recommend", "rationale": "Path is real."},
        content_type="application/json",
    )
    assert response.json()["assignments"][0]["recommendation"] == "recommend"

    client.force_login(nec_cochair)
    version = response.json()["version"]
    stale = client.post(
        f"{base}nec-vote/", {"version": version - 1, "yes": 5, "no": 1}, content_type="application/json"
    )
    assert stale.status_code == 400
    assert "Someone else changed this endorsement" in stale.json()["detail"]
    response = client.post(f"{base}nec-vote/", {"version": version, "yes": 5, "no": 1}, content_type="application/json")
    assert response.json()["status"] == S.NEC_RECOMMENDED

    client.force_login(npc_member)
    response = client.post(
        f"{base}npc-decision/",
        {"version": response.json()["version"], "decision": "ratify"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == S.NATIONALLY_ENDORSED


def test_an_illegal_national_move_is_refused_with_its_reason(client: Client, organizer, npc_member, nec_cochair):
    endorsement = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    client.force_login(nec_cochair)
    base = f"/api/v1/national/endorsement-requests/{endorsement.national_request.pk}/"
    response = client.post(
        f"{base}nec-vote/", {"version": endorsement.version, "yes": 5, "no": 1}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "You cannot recommend while the endorsement is national request submitted" in response.json()["detail"]


def test_members_and_outsiders_get_no_national_requests(client: Client, organizer, member, outsider):
    endorsement_submitted_nationally(organizer.chapter, organizer.user)
    for user in (member.user, outsider.user):
        client.force_login(user)
        assert client.get("/api/v1/national/endorsement-requests/").status_code == 404


def test_npc_members_see_no_request_before_the_nec_decides(client: Client, organizer, npc_member):
    endorsement_submitted_nationally(organizer.chapter, organizer.user)
    client.force_login(npc_member)
    assert client.get("/api/v1/national/endorsement-requests/").json()["count"] == 0
