"""The NEC's own pages: terms, elections, co-chairs, subcommittees, nominations and statewide tables."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from canvassing.models import Campaign, Shift
from committee import services
from committee.models import Nomination, Seat, StatewideTable, Term
from data_vault.models import SharingAgreement
from tests.data_vault.factories import SavedListFactory
from tests.factories import ChapterFactory, MembershipFactory


def test_a_cochair_opens_a_term_with_the_standard_subcommittees(client, cochair):
    client.force_login(cochair)
    response = client.post(
        reverse("committee:term_list"), {"name": "2027–2028", "starts_on": "2027-01-01", "ends_on": "2027-12-31"}
    )
    term = Term.objects.get(name="2027–2028")
    assert response["Location"] == reverse("committee:term_detail", kwargs={"pk": term.pk})
    assert set(term.subcommittees.values_list("name", flat=True)) >= {
        "Field",
        "Communications and social media",
        "Compliance",
        "Fundraising and finance",
        "Research",
    }


def test_a_term_that_ends_before_it_starts_is_refused(client, cochair):
    client.force_login(cochair)
    response = client.post(
        reverse("committee:term_list"), {"name": "Backwards", "starts_on": "2027-12-31", "ends_on": "2027-01-01"}
    )
    assert response.status_code == 400
    assert not Term.objects.filter(name="Backwards").exists()


def test_a_chair_nominates_a_member_and_the_cochairs_record_the_election(client, term, chair, member, nec_cochair):
    client.force_login(chair.user)
    client.post(reverse("committee:nominate", kwargs={"chapter": chair.chapter.slug}), {"nominee": member.user.pk})
    nomination = Nomination.objects.get(nominee=member.user)
    assert nomination.chapter == chair.chapter
    client.force_login(nec_cochair)
    client.post(
        reverse("committee:term_results", kwargs={"pk": term.pk}),
        {"seats": "1", **{f"votes-{n.pk}": "5" for n in term.nominations.all()}},
    )
    assert Seat.objects.filter(term=term, holder=member.user).exists()


def test_forged_vote_counts_change_nothing(client, term, seats, cochair):
    client.force_login(cochair)
    response = client.post(reverse("committee:term_results", kwargs={"pk": term.pk}), {"seats": "two"}, follow=True)
    assert "whole numbers" in response.content.decode()
    assert Nomination.objects.filter(votes__isnull=False).count() == 0


def test_cochairs_are_set_from_the_term_page(client, term, seats, cochair):
    client.force_login(cochair)
    client.post(
        reverse("committee:term_cochairs", kwargs={"pk": term.pk}), {"first": seats[2].pk, "second": seats[3].pk}
    )
    assert set(term.seats.filter(cochair_slot__isnull=False).values_list("pk", flat=True)) == {seats[2].pk, seats[3].pk}
    assert client.get(reverse("committee:term_detail", kwargs={"pk": term.pk})).status_code == 404  # no longer co-chair
    client.force_login(seats[2].holder)
    response = client.post(
        reverse("committee:term_cochairs", kwargs={"pk": term.pk}), {"first": seats[2].pk, "second": seats[2].pk}
    )
    assert response.status_code == 302
    assert term.seats.filter(cochair_slot__isnull=False).count() == 2


def test_subcommittee_members_and_cochairs_from_its_page(client, term, seats, cochairs, field):
    client.force_login(cochairs[0].holder)
    for seat in seats[:3]:
        client.post(reverse("committee:subcommittee_member_add", kwargs={"pk": field.pk}), {"seat": seat.pk})
    places = list(field.members.order_by("pk"))
    client.post(
        reverse("committee:subcommittee_cochairs", kwargs={"pk": field.pk}),
        {"first": places[0].pk, "second": places[2].pk},
    )
    page = client.get(reverse("committee:subcommittee_detail", kwargs={"pk": field.pk})).content.decode()
    assert page.count("<strong>co-chair</strong>") == 2


def test_a_statewide_table_lists_its_chapters_and_their_sharing_agreements(
    client, cochair, chapter, other_chapter, member, outsider
):
    table = services.statewide_table_create(
        state="NC", name="NC table", chapters=[chapter, other_chapter], actor=cochair
    )
    shared = SavedListFactory.create(chapter=chapter, name="Durham tenants")
    SharingAgreement.objects.create(chapter=chapter, partner=other_chapter, saved_list=shared, purpose="Phonebank")
    revoked = SavedListFactory.create(chapter=chapter, name="Old list")
    SharingAgreement.objects.create(
        chapter=chapter, partner=other_chapter, saved_list=revoked, revoked_at=timezone.now()
    )
    campaign = Campaign.objects.create(chapter=chapter, name="Tenant canvass", kind="issue", status="active")
    Shift.objects.create(
        chapter=chapter, campaign=campaign, starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=3), place="Union hall", capacity=8,
    )  # fmt: skip
    client.force_login(outsider.user)
    body = client.get(table.get_absolute_url()).content.decode()
    assert "Tenant canvass" in body
    assert "Union hall" in body
    assert "Manage Beta Socialists's sharing agreements" in body
    assert "Manage Alpha Socialists" not in body
    assert "Alpha Socialists" in body
    assert "Durham tenants" in body
    assert "Old list" not in body
    elsewhere = MembershipFactory.create(chapter=ChapterFactory.create(state="NC"))
    client.force_login(elsewhere.user)
    assert client.get(table.get_absolute_url()).status_code == 404


def test_a_table_takes_chapters_of_its_own_state_only(client, cochair, chapter):
    ohio = ChapterFactory.create(state="OH")
    client.force_login(cochair)
    response = client.post(
        reverse("committee:table_create"), {"state": "NC", "name": "NC", "chapters": [chapter.pk, ohio.pk]}
    )
    assert response.status_code == 400
    assert not StatewideTable.objects.exists()


def test_the_public_roster_shows_seats_and_subcommittees(client, cochairs, seats, field):
    services.subcommittee_member_add(subcommittee=field, seat=seats[3], actor=seats[0].holder)
    body = client.get(reverse("committee:public_roster")).content.decode()
    assert "Ana Alpha" in body
    assert "Dee Beta" in body
    assert seats[3].public_email in body
    assert body.count("NEC co-chair") == 2
