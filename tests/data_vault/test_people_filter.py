"""The people filter behind the list page, saved lists, turf cutting and the API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from core.errors import ApplicationError
from data_vault import selectors, services
from data_vault.models import DoNotContact, Email, Person, Phone
from tests.data_vault.factories import (
    ContactEventFactory,
    HouseholdFactory,
    PersonFactory,
    SavedListFactory,
)

pytestmark = pytest.mark.django_db


def names(people) -> set[str]:
    return {person.first_name for person in people}


def test_filters_by_precinct_district_party_and_age(chapter):
    year = timezone.localdate().year
    PersonFactory.create(chapter=chapter, first_name="Ana", precinct="01", party="DEM", birth_year=year - 30)
    PersonFactory.create(chapter=chapter, first_name="Bo", precinct="02", party="REP", birth_year=year - 70)
    PersonFactory.create(chapter=chapter, first_name="Cy", precinct="01", party="UNA", birth_year=year - 19)
    people = selectors.person_filter(chapter=chapter, filters={"precinct": ["01"], "age_min": 25, "age_max": 40})
    assert names(people) == {"Ana"}
    assert names(selectors.person_filter(chapter=chapter, filters={"party": ["dem", "una"]})) == {"Ana", "Cy"}


@pytest.mark.parametrize(
    "field", ["county", "congressional_district", "state_senate_district", "state_house_district", "municipality",
              "ward"],
)  # fmt: skip
def test_each_district_filter_takes_several_values(chapter, field):
    """A district filter keeps the people in any district named, whatever case was typed."""
    PersonFactory.create(chapter=chapter, first_name="Ana", **{field: "4"})
    PersonFactory.create(chapter=chapter, first_name="Bo", **{field: "DURHAM"})
    PersonFactory.create(chapter=chapter, first_name="Cy", **{field: "11"})
    assert names(selectors.person_filter(chapter=chapter, filters={field: ["4"]})) == {"Ana"}
    assert names(selectors.person_filter(chapter=chapter, filters={field: ["4", "durham"]})) == {"Ana", "Bo"}


def test_zip_filter_reads_the_household(chapter):
    for first_name, zip5 in (("Ana", "27701"), ("Bo", "27705")):
        PersonFactory.create(
            chapter=chapter, first_name=first_name, household=HouseholdFactory.create(chapter=chapter, zip5=zip5)
        )
    assert names(selectors.person_filter(chapter=chapter, filters={"zip5": ["27705"]})) == {"Bo"}


def test_filters_by_ladder_tags_and_support(chapter, organizer):
    ana = PersonFactory.create(chapter=chapter, first_name="Ana", ladder="volunteer", support_score=1)
    PersonFactory.create(chapter=chapter, first_name="Bo", ladder="voter", support_score=4)
    services.person_tag_add(person=ana, tag_name="Tenant", actor=organizer.user)
    assert names(selectors.person_filter(chapter=chapter, filters={"ladder_min": "supporter"})) == {"Ana"}
    assert names(selectors.person_filter(chapter=chapter, filters={"tags": ["Tenant"]})) == {"Ana"}
    assert names(selectors.person_filter(chapter=chapter, filters={"tags_exclude": ["Tenant"]})) == {"Bo"}
    assert names(selectors.person_filter(chapter=chapter, filters={"support_min": 3})) == {"Bo"}


def test_filters_by_an_answer_given_in_an_earlier_campaign(chapter, campaign, earlier_campaign):
    ana = PersonFactory.create(chapter=chapter, first_name="Ana")
    bo = PersonFactory.create(chapter=chapter, first_name="Bo")
    ContactEventFactory.create(chapter=chapter, person=ana, campaign=earlier_campaign, answers={"12": "yes"})
    ContactEventFactory.create(chapter=chapter, person=bo, campaign=earlier_campaign, answers={"12": "no"})
    ContactEventFactory.create(chapter=chapter, person=bo, campaign=campaign, answers={"12": "yes"})
    filters = {"answer_question": "12", "answer_value": "yes", "answer_campaign": earlier_campaign.pk}
    assert names(selectors.person_filter(chapter=chapter, filters=filters)) == {"Ana"}
    assert names(selectors.person_filter(chapter=chapter, filters={"answer_question": "12"})) == {"Ana", "Bo"}


def test_filters_by_contacted_or_not_in_a_campaign(chapter, campaign):
    talked = PersonFactory.create(chapter=chapter, first_name="Talked")
    knocked = PersonFactory.create(chapter=chapter, first_name="Knocked")
    PersonFactory.create(chapter=chapter, first_name="Never")
    ContactEventFactory.create(chapter=chapter, person=talked, campaign=campaign, result="contact")
    ContactEventFactory.create(
        chapter=chapter, person=None, household=knocked.household, campaign=campaign, result="not_home"
    )
    ContactEventFactory.create(chapter=chapter, person=knocked, campaign=None, result="contact")

    def who(contact: str) -> set[str]:
        return names(
            selectors.person_filter(chapter=chapter, filters={"contact": contact, "contact_campaign": campaign.pk})
        )

    assert who("reached") == {"Talked"}
    assert who("not_reached") == {"Knocked", "Never"}
    assert who("attempted") == {"Talked", "Knocked"}
    assert who("not_attempted") == {"Never"}


def test_filters_by_do_not_contact_and_contactable(chapter):
    ana = PersonFactory.create(chapter=chapter, first_name="Ana")
    bo = PersonFactory.create(chapter=chapter, first_name="Bo")
    PersonFactory.create(chapter=chapter, first_name="Cy")
    DoNotContact.objects.create(person=ana, channel="phone", reason="asked")
    Phone.objects.create(person=ana, number="9195550100", kind="cell")
    Phone.objects.create(person=bo, number="9195550101", kind="landline")
    assert names(selectors.person_filter(chapter=chapter, filters={"do_not_contact": "any"})) == {"Ana"}
    assert names(selectors.person_filter(chapter=chapter, filters={"contactable": "phone"})) == {"Bo"}
    assert names(selectors.person_filter(chapter=chapter, filters={"contactable": "text"})) == {"Ana"}
    assert names(selectors.person_filter(chapter=chapter, filters={"contactable": "door"})) == {"Ana", "Bo", "Cy"}


def test_searches_names_addresses_phones_and_voter_ids(chapter):
    home = HouseholdFactory.create(chapter=chapter, house_number=412, street_name="ELM ST")
    PersonFactory.create(chapter=chapter, first_name="Rosa", last_name="Parks", household=home)
    bo = PersonFactory.create(chapter=chapter, first_name="Bo", last_name="Diddley", state_voter_id="BX99")
    Phone.objects.create(person=bo, number="9195550111")
    assert names(selectors.person_filter(chapter=chapter, filters={"q": "rosa par"})) == {"Rosa"}
    assert names(selectors.person_filter(chapter=chapter, filters={"q": "412 elm"})) == {"Rosa"}
    assert names(selectors.person_filter(chapter=chapter, filters={"q": "bx99"})) == {"Bo"}
    assert names(selectors.person_filter(chapter=chapter, filters={"q": "(919) 555-0111"})) == {"Bo"}


def test_a_filter_never_reaches_another_chapter(chapter, other_chapter):
    PersonFactory.create(chapter=other_chapter, first_name="Stranger", precinct="01")
    assert not selectors.person_filter(chapter=chapter, filters={"precinct": ["01"]}).exists()


@pytest.mark.parametrize(
    "filters",
    [
        {"nonsense": "1"},
        {"age_min": "old"},
        {"age_min": 50, "age_max": 20},
        {"support_min": 9},
        {"ladder": ["captain"]},
        {"contact": "maybe"},
        {"contact_campaign": 3},
        {"answer_value": "yes"},
        {"answer_question": "drop table"},
        {"precinct": {"a": 1}},
    ],
)
def test_bad_filters_are_refused_with_a_message(chapter, filters):
    with pytest.raises(ApplicationError):
        selectors.person_filter(chapter=chapter, filters=filters)


def test_a_saved_list_gives_its_people_and_their_doors_in_walking_order(chapter):
    odd = HouseholdFactory.create(chapter=chapter, house_number=101, precinct="01")
    even_high = HouseholdFactory.create(chapter=chapter, house_number=204, precinct="01")
    even_low = HouseholdFactory.create(chapter=chapter, house_number=102, precinct="01")
    for household in (odd, even_high, even_low):
        PersonFactory.create(chapter=chapter, household=household, party="DEM")
    PersonFactory.create(chapter=chapter, party="REP")
    saved = SavedListFactory.create(chapter=chapter, filters={"party": ["DEM"]})
    assert selectors.saved_list_people(saved_list=saved).count() == 3
    assert list(selectors.saved_list_households(saved_list=saved)) == [even_low, even_high, odd]


def test_search_matches_word_starts_through_the_words_index(chapter):
    home = HouseholdFactory.create(chapter=chapter, house_number=7, street_name="MAPLE LN")
    PersonFactory.create(chapter=chapter, first_name="Sean", last_name="O'Neil", household=home)
    PersonFactory.create(chapter=chapter, first_name="Ana", last_name="Smith-Jones")
    assert names(selectors.person_filter(chapter=chapter, filters={"q": "o'neil"})) == {"Sean"}
    assert names(selectors.person_filter(chapter=chapter, filters={"q": "neil map"})) == {"Sean"}
    assert names(selectors.person_filter(chapter=chapter, filters={"q": "jones"})) == {"Ana"}
    assert names(selectors.person_filter(chapter=chapter, filters={"q": "smi ana"})) == {"Ana"}
    # A word is matched from its start: "mith" is inside Smith, but no word starts with it.
    assert names(selectors.person_filter(chapter=chapter, filters={"q": "mith"})) == set()
    filler = [
        Person(chapter=chapter, first_name=f"P{n}", last_name="Filler", precinct="01", search_text=f"P{n} FILLER")
        for n in range(20_000)
    ]
    Person.objects.bulk_create(filler, batch_size=5_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE data_vault_person")
    people = selectors.person_filter(chapter=chapter, filters={"q": "smi", "precinct": ["01"]})
    assert "person_precinct_words" in people.explain()


def test_a_persons_phones_and_emails_are_found_through_their_unique_indexes(chapter):
    """The (person, number) and (person, address) keys lead with the person: no index of its own."""
    person = PersonFactory.create(chapter=chapter)
    Phone.objects.create(person=person, number="9195550101")
    Email.objects.create(person=person, address="ana@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "phone_unique_per_person" in person.phones.all().explain()
    assert "email_unique_per_person" in person.emails.all().explain()
