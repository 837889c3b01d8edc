"""Sharing agreements of a statewide table: read-only, revocable, seen and audited on both sides."""

from __future__ import annotations

import pytest
from django.urls import reverse

from committee.models import StatewideTable
from core.errors import ApplicationError
from core.models import AuditEvent
from data_vault.models import SharingAgreement
from data_vault.services import sharing_agreement_create, sharing_agreement_revoke
from tests.data_vault.factories import HouseholdFactory, PersonFactory, SavedListFactory
from tests.factories import ChapterFactory


@pytest.fixture
def table(chapter, other_chapter):
    """The NC statewide table, with Alpha and Beta at it."""
    table = StatewideTable.objects.create(state="NC", name="North Carolina table")
    table.chapters.add(chapter, other_chapter)
    return table


@pytest.fixture
def shared(chapter, chair, outsider, table):
    """Alpha shares its precinct 01 list with Beta, the outsider's chapter, in the same state."""
    north = HouseholdFactory.create(chapter=chapter, precinct="01", street_name="ELM ST")
    PersonFactory.create(chapter=chapter, household=north, first_name="Ana", last_name="Ruiz", notes="Private note")
    PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter, precinct="02"),
                         first_name="Zed", last_name="Outside")  # fmt: skip
    saved_list = SavedListFactory.create(chapter=chapter, name="Precinct 01", filters={"precinct": ["01"]})
    return sharing_agreement_create(saved_list=saved_list, partner=outsider.chapter, actor=chair.user, purpose="NC")


def _shared_url(agreement: SharingAgreement) -> str:
    return reverse("data_vault:shared_list_detail", kwargs={"chapter": agreement.partner.slug, "pk": agreement.pk})


def test_partner_reads_only_the_shared_lists_people_and_the_reading_is_audited(client, outsider, shared):
    client.force_login(outsider.user)
    body = client.get(_shared_url(shared)).content.decode()
    assert "Ana" in body
    assert "ELM ST" in body
    assert "Zed" not in body
    assert "Private note" not in body
    view = AuditEvent.objects.get(action=AuditEvent.Action.BULK_VIEW)
    assert (view.chapter, view.actor) == (shared.chapter, outsider.user)


def test_partner_still_cannot_open_the_people_or_the_list_itself(client, outsider, shared):
    client.force_login(outsider.user)
    person = shared.chapter.people.get(first_name="Ana")
    assert client.get(person.get_absolute_url()).status_code == 404
    assert client.get(shared.saved_list.get_absolute_url()).status_code == 404


def test_a_chapter_not_in_the_agreement_gets_404(client, chapter, shared, table):
    from chapters.models import Role
    from tests.factories import MembershipFactory

    third = MembershipFactory.create(chapter=ChapterFactory.create(state=chapter.state), role=Role.CHAIR)
    table.chapters.add(third.chapter)
    client.force_login(third.user)
    url = reverse("data_vault:shared_list_detail", kwargs={"chapter": third.chapter.slug, "pk": shared.pk})
    assert client.get(url).status_code == 404


def test_revoking_ends_access_at_once_and_both_sides_see_it(client, chair, outsider, shared):
    client.force_login(chair.user)
    client.post(reverse("data_vault:sharing_agreement_revoke", kwargs={"chapter": chair.chapter.slug, "pk": shared.pk}))
    shared.refresh_from_db()
    assert shared.revoked_by == chair.user
    revokes = AuditEvent.objects.filter(action=AuditEvent.Action.SHARE_REVOKE)
    assert {event.chapter for event in revokes} == {chair.chapter, outsider.chapter}
    client.force_login(outsider.user)
    assert client.get(_shared_url(shared)).status_code == 404
    page = client.get(reverse("data_vault:sharing_list", kwargs={"chapter": outsider.chapter.slug})).content.decode()
    assert "Precinct 01" in page
    assert "Revoked" in page


def test_chair_shares_a_list_from_its_page(client, chair, chapter, outsider, table):
    saved_list = SavedListFactory.create(chapter=chapter, name="Doors")
    client.force_login(chair.user)
    url = reverse("data_vault:saved_list_share", kwargs={"chapter": chapter.slug, "pk": saved_list.pk})
    client.post(url, {"partner": outsider.chapter.pk, "purpose": "Statewide canvass"})
    agreement = SharingAgreement.objects.get()
    assert (agreement.partner, agreement.purpose) == (outsider.chapter, "Statewide canvass")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SHARE).count() == 2
    again = client.post(url, {"partner": outsider.chapter.pk})
    assert again.status_code == 400
    assert SharingAgreement.objects.count() == 1


def test_sharing_beyond_the_statewide_table_or_by_an_organizer_is_refused(client, chair, organizer, chapter, table):
    saved_list = SavedListFactory.create(chapter=chapter)
    same_state_not_at_table = ChapterFactory.create(state="NC")
    client.force_login(chair.user)
    url = reverse("data_vault:saved_list_share", kwargs={"chapter": chapter.slug, "pk": saved_list.pk})
    assert client.post(url, {"partner": same_state_not_at_table.pk}).status_code == 400
    with pytest.raises(ApplicationError):
        sharing_agreement_create(saved_list=saved_list, partner=same_state_not_at_table, actor=chair.user)
    client.force_login(organizer.user)
    assert client.get(url).status_code == 404
    assert not SharingAgreement.objects.exists()


def test_revoking_twice_changes_nothing(chair, shared):
    first = sharing_agreement_revoke(agreement=shared, actor=chair.user)
    second = sharing_agreement_revoke(agreement=shared, actor=chair.user)
    assert first.revoked_at == second.revoked_at
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SHARE_REVOKE).count() == 2
