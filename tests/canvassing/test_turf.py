"""Turf cutting: precinct then street, walking order, households together, do-not-knock out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvassing import services
from canvassing.models import Turf, TurfDoor
from core.errors import ApplicationError
from data_vault.models import DoNotContact
from tests.data_vault.factories import ContactEventFactory, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _walk(turf: Turf) -> list[str]:
    return [f"{d.household.house_number} {d.household.street_name}" for d in turf.doors.select_related("household")]


def test_cut_groups_by_precinct_then_street_in_walking_order(campaign, saved_list, street_doors, organizer):
    turfs = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)
    assert [t.precinct for t in turfs] == ["01", "02"]
    assert _walk(turfs[0]) == [
        "101 MAIN ST", "103 MAIN ST", "105 MAIN ST", "106 MAIN ST", "104 MAIN ST", "102 MAIN ST",
        "1 OAK AVE", "3 OAK AVE", "2 OAK AVE",
    ]  # fmt: skip
    assert _walk(turfs[1]) == ["11 ELM ST", "12 ELM ST", "10 ELM ST"]


def test_small_target_cuts_long_streets_and_keeps_short_ones_whole(campaign, saved_list, street_doors, organizer):
    turfs = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=4, actor=organizer.user)
    assert [_walk(t) for t in turfs] == [
        ["101 MAIN ST", "103 MAIN ST", "105 MAIN ST", "106 MAIN ST"],
        ["104 MAIN ST", "102 MAIN ST"],
        ["1 OAK AVE", "3 OAK AVE", "2 OAK AVE"],
        ["11 ELM ST", "12 ELM ST", "10 ELM ST"],
    ]


def test_households_stay_together_and_each_door_is_on_one_turf(campaign, saved_list, street_doors, organizer):
    services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=2, actor=organizer.user)
    assert TurfDoor.objects.filter(campaign=campaign).count() == len(street_doors)
    assert TurfDoor.objects.filter(campaign=campaign, household=street_doors[0]).count() == 1


def test_apartments_in_one_building_stay_on_one_turf(chapter, campaign, saved_list, organizer):
    for unit in ("1", "2", "3"):
        PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(
            chapter=chapter, street_name="PINE ST", house_number=5, unit=unit))  # fmt: skip
    PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(
        chapter=chapter, street_name="PINE ST", house_number=7))  # fmt: skip
    turfs = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=2, actor=organizer.user)
    assert [len(_walk(t)) for t in turfs] == [3, 1]


def test_do_not_knock_people_are_left_out(chapter, campaign, saved_list, street_doors, organizer):
    alone = street_doors[1].people.get()  # 102 MAIN ST: one person
    DoNotContact.objects.create(person=alone, channel="door")
    one_of_two = street_doors[0].people.first()  # 101 MAIN ST: two people
    DoNotContact.objects.create(person=one_of_two, channel="door")
    DoNotContact.objects.create(person=street_doors[2].people.get(), channel="phone")  # not a door DNC
    turfs = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)
    walked = _walk(turfs[0])
    assert "102 MAIN ST" not in walked
    assert "101 MAIN ST" in walked
    assert "103 MAIN ST" in walked


def test_already_contacted_people_can_be_left_out(chapter, campaign, saved_list, street_doors, organizer):
    ContactEventFactory.create(chapter=chapter, campaign=campaign, person=street_doors[4].people.get())
    turfs = services.turf_cut(
        campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user, exclude_contacted=True
    )
    assert "105 MAIN ST" not in _walk(turfs[0])


def test_second_cut_picks_up_only_new_doors(chapter, campaign, saved_list, street_doors, organizer):
    services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)
    with pytest.raises(ApplicationError, match="no doors left"):
        services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)
    PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter, street_name="NEW RD"))
    again = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)
    assert len(again) == 1
    assert again[0].name == "Turf 3 · precinct 01"


def test_cut_refuses_another_chapters_list(campaign, organizer, other_chapter):
    from tests.data_vault.factories import SavedListFactory

    foreign = SavedListFactory.create(chapter=other_chapter)
    with pytest.raises(ApplicationError):
        services.turf_cut(campaign=campaign, saved_list=foreign, target_doors=60, actor=organizer.user)


def test_cut_page_refuses_a_forged_list_id(client, organizer, campaign, other_chapter):
    from tests.data_vault.factories import SavedListFactory

    foreign = SavedListFactory.create(chapter=other_chapter)
    client.force_login(organizer.user)
    url = reverse("canvassing:turf_cut", kwargs={"chapter": "alpha", "pk": campaign.pk})
    response = client.post(url, {"saved_list": foreign.pk, "target_doors": "60"})
    assert response.status_code == 400
    assert not Turf.objects.exists()


def test_cut_through_the_page(client, organizer, campaign, saved_list, street_doors):
    client.force_login(organizer.user)
    url = reverse("canvassing:turf_cut", kwargs={"chapter": "alpha", "pk": campaign.pk})
    response = client.post(url, {"saved_list": saved_list.pk, "target_doors": "60"}, follow=True)
    assert "Cut 2 turfs from Everyone" in response.content.decode()


def test_move_doors_keeps_both_turfs_in_walking_order(campaign, saved_list, street_doors, organizer):
    first, second = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)
    oak_2 = street_doors[7]
    services.turf_doors_move(source=first, target=second, household_ids=[oak_2.pk], actor=organizer.user)
    assert "2 OAK AVE" not in _walk(first)
    assert _walk(second) == ["2 OAK AVE", "11 ELM ST", "12 ELM ST", "10 ELM ST"]  # precinct 01 comes first
    assert list(first.doors.values_list("position", flat=True)) == list(range(1, 9))
    first.refresh_from_db()
    assert first.revision == 2


def test_move_refuses_doors_not_on_the_turf(campaign, saved_list, street_doors, organizer):
    first, second = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)
    with pytest.raises(ApplicationError, match="not on this turf"):
        services.turf_doors_move(source=first, target=second, household_ids=[street_doors[-1].pk],
                                 actor=organizer.user)  # fmt: skip
    assert second.doors.count() == 3


def test_split_and_merge(campaign, saved_list, street_doors, organizer):
    first, second = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)
    part = services.turf_split(turf=first, at_position=7, actor=organizer.user)
    assert _walk(part) == ["1 OAK AVE", "3 OAK AVE", "2 OAK AVE"]
    assert len(_walk(first)) == 6
    services.turf_merge(turf=first, other=part, actor=organizer.user)
    assert len(_walk(first)) == 9
    assert not Turf.objects.filter(pk=part.pk).exists()
    with pytest.raises(ApplicationError):
        services.turf_split(turf=second, at_position=1, actor=organizer.user)


def test_turf_page_shows_doors_and_map_points(client, organizer, campaign, saved_list, street_doors):
    street_doors[0].latitude, street_doors[0].longitude = 35.99, -78.9
    street_doors[0].save()
    turf = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)[0]
    client.force_login(organizer.user)
    body = client.get(turf.get_absolute_url()).content.decode()
    assert "101 MAIN ST" in body
    assert "turf-map-points" in body
    assert "leaflet.js" in body


def test_turf_page_query_count_is_constant(client, organizer, campaign, saved_list, chapter,
                                           django_assert_max_num_queries):  # fmt: skip
    for n in range(40):
        PersonFactory.create(chapter=chapter, household=HouseholdFactory.create(chapter=chapter, house_number=n + 1))
    turf = services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=60, actor=organizer.user)[0]
    client.force_login(organizer.user)
    with django_assert_max_num_queries(16):
        assert client.get(turf.get_absolute_url()).status_code == 200
