"""A campaign can work on one of the chapter's races, for one of its candidates."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from canvassing import services
from canvassing.models import Campaign
from core.errors import ApplicationError
from tests.endorsements.factories import CandidateFactory, RaceFactory

pytestmark = pytest.mark.django_db


def _form(**links: Any) -> dict[str, Any]:
    return {"name": "Ward 2 field", "kind": "candidate", "status": "active", **links}


def test_organizer_links_a_campaign_to_a_race_and_candidate(client, organizer):
    chapter = organizer.chapter
    race, candidate = RaceFactory.create(chapter=chapter), CandidateFactory.create(chapter=chapter, name="Ada Reyes")
    client.force_login(organizer.user)
    url = reverse("canvassing:campaign_create", kwargs={"chapter": chapter.slug})

    response = client.post(url, _form(race=race.pk, candidate=candidate.pk))

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert (campaign.race, campaign.candidate) == (race, candidate)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Ada Reyes" in page
    assert race.get_absolute_url() in page
    assert list(race.campaigns.all()) == [campaign]


def test_another_chapters_race_or_candidate_is_refused_and_nothing_changes(client, organizer, other_chapter):
    chapter = organizer.chapter
    campaign = services.campaign_create(chapter=chapter, actor=organizer.user, name="Ward 2 field", kind="candidate")
    foreign_race, foreign_candidate = (
        RaceFactory.create(chapter=other_chapter),
        CandidateFactory.create(chapter=other_chapter),
    )
    client.force_login(organizer.user)
    url = reverse("canvassing:campaign_edit", kwargs={"chapter": chapter.slug, "pk": campaign.pk})

    response = client.post(url, _form(race=foreign_race.pk, candidate=foreign_candidate.pk))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    campaign.refresh_from_db()
    assert (campaign.race, campaign.candidate) == (None, None)
    with pytest.raises(ApplicationError):
        services.campaign_update(campaign=campaign, actor=organizer.user, race=foreign_race, **_form())
    campaign.refresh_from_db()
    assert campaign.race is None


def test_deleting_the_race_keeps_the_campaign(organizer):
    race = RaceFactory.create(chapter=organizer.chapter)
    campaign = services.campaign_create(
        chapter=organizer.chapter, actor=organizer.user, race=race, name="Ward 2 field", kind="candidate"
    )
    race.delete()
    campaign.refresh_from_db()
    assert campaign.race is None
