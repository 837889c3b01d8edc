"""Factories for the vault: households, people, tags, contact events and saved lists."""

from __future__ import annotations

from typing import Any

import factory

from data_vault.importers import normalize
from data_vault.models import ContactEvent, Household, Person, SavedList, Tag
from tests.factories import ChapterFactory


def _address_key(household: Any) -> str:
    return normalize.address_key(
        house_number=household.house_number,
        house_number_suffix=household.house_number_suffix,
        street_name=household.street_name,
        unit=household.unit,
        city=household.city,
        zip5=household.zip5,
    )


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household

    chapter = factory.SubFactory(ChapterFactory)
    house_number = factory.Sequence(lambda n: 100 + n)
    house_number_suffix = ""
    street_name = "MAIN ST"
    unit = ""
    city = "DURHAM"
    state = "NC"
    zip5 = "27701"
    precinct = "01"
    street_side = factory.LazyAttribute(lambda h: normalize.street_side(h.house_number))
    address_key = factory.LazyAttribute(_address_key)


def _search_text(person: Any) -> str:
    household = person.household
    address = (
        normalize.address_words(
            house_number=household.house_number,
            house_number_suffix=household.house_number_suffix,
            street_name=household.street_name,
            unit=household.unit,
            city=household.city,
            zip5=household.zip5,
        )
        if household
        else ""
    )
    return normalize.search_text(
        first_name=person.first_name,
        middle_name=person.middle_name,
        last_name=person.last_name,
        name_suffix=person.name_suffix,
        address=address,
        state_voter_id=person.state_voter_id,
    )


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    chapter = factory.SubFactory(ChapterFactory)
    household = factory.SubFactory(HouseholdFactory, chapter=factory.SelfAttribute("..chapter"))
    first_name = factory.Faker("first_name")
    middle_name = ""
    last_name = factory.Faker("last_name")
    name_suffix = ""
    state_voter_id = factory.Sequence(lambda n: f"NC{100000 + n}")
    birth_year = 1980
    party = "DEM"
    precinct = factory.LazyAttribute(lambda p: p.household.precinct if p.household else "")
    name_key = factory.LazyAttribute(lambda p: normalize.name_key(last_name=p.last_name, first_name=p.first_name))
    search_text = factory.LazyAttribute(_search_text)


class TagFactory(factory.django.DjangoModelFactory[Tag]):
    class Meta:
        model = Tag

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Sequence(lambda n: f"tag {n}")


class ContactEventFactory(factory.django.DjangoModelFactory[ContactEvent]):
    class Meta:
        model = ContactEvent

    chapter = factory.SubFactory(ChapterFactory)
    person = factory.SubFactory(PersonFactory, chapter=factory.SelfAttribute("..chapter"))
    household = factory.LazyAttribute(lambda e: e.person.household if e.person else None)
    channel = "door"
    result = ContactEvent.Result.CONTACT


class SavedListFactory(factory.django.DjangoModelFactory[SavedList]):
    class Meta:
        model = SavedList

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Sequence(lambda n: f"List {n}")
    filters = factory.LazyFunction(dict)
