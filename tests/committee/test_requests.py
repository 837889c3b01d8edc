"""Requests for help: routed to a subcommittee, seen by their chapter and the whole NEC, moved along their path."""

from __future__ import annotations

import pytest
from django.urls import reverse

from committee import services
from committee.models import AssistanceComment, AssistanceRequest, Subcommittee
from core.errors import ApplicationError
from tests.factories import MembershipFactory


def test_a_request_is_routed_to_the_subcommittee_for_its_kind(term, organizer):
    press = services.assistance_request_file(
        chapter=organizer.chapter, kind="press", description="A reporter called", urgency="high", actor=organizer.user
    )
    other = services.assistance_request_file(
        chapter=organizer.chapter, kind="other", description="Something else", urgency="low", actor=organizer.user
    )
    assert press.subcommittee is not None
    assert press.subcommittee.kind == Subcommittee.Kind.COMMUNICATIONS
    assert other.subcommittee is None


def test_an_organizer_files_a_request_from_the_chapter_page(client, term, organizer):
    client.force_login(organizer.user)
    url = reverse("committee:request_list", kwargs={"chapter": organizer.chapter.slug})
    response = client.post(url, {"kind": "data_tools", "urgency": "normal", "description": "Help with our voter file"})
    filed = AssistanceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == filed.get_absolute_url()
    assert filed.chapter == organizer.chapter
    assert filed.status == AssistanceRequest.Status.NEW
    assert filed.subcommittee.kind == Subcommittee.Kind.DATA  # type: ignore[union-attr]


def test_a_blank_request_is_refused_and_changes_nothing(client, term, organizer):
    client.force_login(organizer.user)
    url = reverse("committee:request_list", kwargs={"chapter": organizer.chapter.slug})
    response = client.post(url, {"kind": "data_tools", "urgency": "normal", "description": "   "})
    assert response.status_code == 400
    assert not AssistanceRequest.objects.exists()


def test_a_chapter_sees_only_its_own_requests(client, term, organizer, organizer_b):
    mine = services.assistance_request_file(
        chapter=organizer.chapter, kind="research", description="Alpha research", urgency="low", actor=organizer.user
    )
    theirs = services.assistance_request_file(
        chapter=organizer_b.chapter, kind="research", description="Beta research", urgency="low", actor=organizer_b.user
    )
    client.force_login(organizer.user)
    body = client.get(reverse("committee:request_list", kwargs={"chapter": organizer.chapter.slug})).content.decode()
    assert "Alpha research" in body
    assert "Beta research" not in body
    other_url = reverse("committee:request_detail", kwargs={"chapter": organizer.chapter.slug, "pk": theirs.pk})
    assert client.get(other_url).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_members_below_organizer_do_not_see_requests(client, term, organizer, member):
    services.assistance_request_file(
        chapter=organizer.chapter, kind="research", description="Alpha research", urgency="low", actor=organizer.user
    )
    client.force_login(member.user)
    assert client.get(reverse("committee:request_list", kwargs={"chapter": member.chapter.slug})).status_code == 404


def test_the_nec_sees_every_chapters_requests_with_their_age(client, term, cochair, organizer, organizer_b):
    for membership in (organizer, organizer_b):
        services.assistance_request_file(
            chapter=membership.chapter,
            kind="phonebank",
            description=f"{membership.chapter.name} phonebank",
            urgency="urgent",
            actor=membership.user,
        )
    client.force_login(cochair)
    body = client.get(reverse("committee:nec_request_list")).content.decode()
    assert "Alpha Socialists" in body
    assert "Beta Socialists" in body
    assert "minute" in body  # the age of each open request


def test_request_list_for_the_nec_has_a_constant_query_count(
    client, term, cochair, organizer, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            filer = MembershipFactory.create()
            services.assistance_request_file(
                chapter=filer.chapter, kind="other", description=f"r{i}", urgency="low", actor=filer.user
            )

    client.force_login(cochair)
    add(3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("committee:nec_request_list"))
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("committee:nec_request_list"))


def test_the_nec_triages_routes_and_closes_a_request(client, term, cochair, organizer):
    filed = services.assistance_request_file(
        chapter=organizer.chapter, kind="other", description="Odd one", urgency="low", actor=organizer.user
    )
    research = term.subcommittees.get(kind=Subcommittee.Kind.RESEARCH)
    client.force_login(cochair)
    move = reverse("committee:nec_request_move", kwargs={"pk": filed.pk})
    client.post(move, {"status": "triaged", "subcommittee": research.pk})
    client.post(move, {"status": "in_progress"})
    client.post(reverse("committee:nec_request_detail", kwargs={"pk": filed.pk}), {"body": "We can help."})
    client.post(move, {"status": "done"})
    filed.refresh_from_db()
    assert filed.status == AssistanceRequest.Status.DONE
    assert filed.closed_at is not None
    assert filed.subcommittee == research
    assert AssistanceComment.objects.get().from_nec is True


def test_a_request_cannot_skip_its_path(term, cochair, organizer):
    filed = services.assistance_request_file(
        chapter=organizer.chapter, kind="other", description="Odd one", urgency="low", actor=organizer.user
    )
    with pytest.raises(ApplicationError, match="cannot become done"):
        services.assistance_request_move(request=filed, status="done", actor=cochair)
    services.assistance_request_move(request=filed, status="declined", actor=cochair)
    with pytest.raises(ApplicationError):
        services.assistance_request_move(request=filed, status="triaged", actor=cochair)


def test_the_chapter_reads_the_necs_answer(client, term, cochair, organizer):
    filed = services.assistance_request_file(
        chapter=organizer.chapter, kind="press", description="Press help", urgency="low", actor=organizer.user
    )
    services.assistance_comment_add(request=filed, body="Call us Tuesday", from_nec=True, actor=cochair)
    client.force_login(organizer.user)
    client.post(filed.get_absolute_url(), {"body": "Tuesday works"})
    body = client.get(filed.get_absolute_url()).content.decode()
    assert "Call us Tuesday" in body
    assert "Tuesday works" in body


def test_feedback_is_read_by_cochairs_only(client, term, cochair, organizer, seats):
    client.force_login(organizer.user)
    client.post(
        reverse("committee:feedback_give", kwargs={"chapter": organizer.chapter.slug}),
        {"rating": "4", "comment": "The field training helped"},
    )
    client.force_login(cochair)
    assert "The field training helped" in client.get(reverse("committee:feedback_list")).content.decode()
    client.force_login(seats[3].holder)  # an NEC member, not a co-chair
    assert client.get(reverse("committee:feedback_list")).status_code == 404
