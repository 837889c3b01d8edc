"""The vault's card on the chapter overview: its figures and ladder chart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from data_vault.services import contact_event_record
from tests.data_vault.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _overview(client, membership) -> str:
    client.force_login(membership.user)
    response = client.get(reverse("chapters:dashboard", kwargs={"chapter": membership.chapter.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_organizers_see_people_households_recent_contacts_and_the_ladder(client, organizer, chapter, other_chapter):
    home = HouseholdFactory.create(chapter=chapter)
    rosa = PersonFactory.create(chapter=chapter, household=home, ladder="volunteer")
    PersonFactory.create(chapter=chapter, household=home, ladder="leader")
    PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter))
    PersonFactory.create_batch(4, chapter=other_chapter, ladder="member")  # another chapter's people count nowhere
    for days_ago in (2, 45):
        contact_event_record(
            chapter=chapter, recorded_by=organizer.user, channel="phone", result="contact", person=rosa,
            occurred_at=timezone.now() - timedelta(days=days_ago),
        )  # fmt: skip

    page = _overview(client, organizer)

    assert "<div><dt>People</dt><dd>3</dd></div>" in page
    assert "<div><dt>Households</dt><dd>2</dd></div>" in page
    assert "<div><dt>Contacts, last 30 days</dt><dd>1</dd></div>" in page
    # The chart's data table, one row per level above unknown.
    assert "<caption>People on the ladder, above unknown</caption>" in page
    assert '<th scope="row">Volunteer</th><td>1</td>' in page
    assert '<th scope="row">Member</th><td>0</td>' in page
    assert '<th scope="row">Leader</th><td>1</td>' in page


def test_a_new_chapter_says_nobody_has_climbed_instead_of_an_empty_chart(client, organizer):
    page = _overview(client, organizer)
    assert "<div><dt>People</dt><dd>0</dd></div>" in page
    assert "Nobody is on the ladder above unknown yet." in page
    assert "<caption>People on the ladder" not in page


@pytest.mark.parametrize("persona", ["captain", "canvasser", "member"])
def test_roles_kept_out_of_the_vault_see_none_of_its_figures(client, request, chapter, persona):
    PersonFactory.create(chapter=chapter, ladder="leader")
    page = _overview(client, request.getfixturevalue(persona))
    assert "The data vault" not in page
    assert "<dt>People</dt>" not in page
