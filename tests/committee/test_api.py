"""The committee API: the public roster and reports, trainings, and a chapter's own requests for help."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from committee import services


def test_the_roster_api_is_public_and_names_roles(client, cochairs, seats):
    body = client.get(reverse("api:committee_roster")).json()
    roles = {member["email"]: member["role"] for member in body["members"]}
    assert roles[cochairs[0].public_email] == "NEC co-chair"
    assert roles[seats[3].public_email] == "NEC member"
    assert {s["name"] for s in body["subcommittees"]} >= {"Field", "Research"}


def test_a_chapter_reads_only_its_own_requests_through_the_api(client, term, organizer, organizer_b):
    mine = services.assistance_request_file(
        chapter=organizer.chapter, kind="press", description="Alpha press", urgency="low", actor=organizer.user
    )
    services.assistance_comment_add(request=mine, body="On it", from_nec=True, actor=organizer_b.user)
    services.assistance_request_file(
        chapter=organizer_b.chapter, kind="press", description="Beta press", urgency="low", actor=organizer_b.user
    )
    client.force_login(organizer.user)
    rows = client.get(reverse("api:committee_request_list", kwargs={"chapter": "alpha"})).json()["results"]
    assert [row["description"] for row in rows] == ["Alpha press"]
    assert rows[0]["comments"][0]["body"] == "On it"
    assert rows[0]["subcommittee"] == "Communications and social media"
    assert client.get(reverse("api:committee_request_list", kwargs={"chapter": "beta"})).status_code == 404


def test_the_request_api_has_a_constant_query_count(client, term, organizer, django_assert_max_num_queries):
    def add(n: int) -> None:
        for i in range(n):
            filed = services.assistance_request_file(
                chapter=organizer.chapter, kind="press", description=f"r{i}", urgency="low", actor=organizer.user
            )
            services.assistance_comment_add(request=filed, body="ok", from_nec=False, actor=organizer.user)

    client.force_login(organizer.user)
    url = reverse("api:committee_request_list", kwargs={"chapter": "alpha"})
    add(3)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_trainings_api_lists_upcoming_trainings_for_signed_in_members(client, field, cochair, member):
    services.training_create(
        title="Data basics", starts_at=timezone.now() + timedelta(days=2), format="online", capacity=3,
        host_subcommittee=field, actor=cochair,
    )  # fmt: skip
    assert client.get(reverse("api:committee_training_list")).status_code in (401, 403)
    client.force_login(member.user)
    rows = client.get(reverse("api:committee_training_list")).json()["results"]
    assert rows[0]["title"] == "Data basics"
    assert rows[0]["places_taken"] == 0
    assert rows[0]["host"] == "Field"
