"""Fixtures for the field operation's tests: a campaign with questions, a list of doors, turf."""

from __future__ import annotations

import pytest

from canvassing import services
from canvassing.models import AnswerOption, Campaign, SurveyQuestion
from chapters.models import Chapter
from data_vault.models import Ladder, SavedList
from tests.data_vault.factories import HouseholdFactory, PersonFactory, SavedListFactory


@pytest.fixture
def campaign(chapter: Chapter) -> Campaign:
    return Campaign.objects.create(chapter=chapter, name="Rent control 2026", kind=Campaign.Kind.ISSUE)


@pytest.fixture
def support_question(campaign: Campaign) -> SurveyQuestion:
    """Single choice: strong support sets support 5 (the vault's strongest) and tags them."""
    question = services.question_create(
        campaign=campaign,
        text="Do you support rent control?",
        kind=SurveyQuestion.Kind.SINGLE,
        short_label="Rent control",
        options=["Strong support", "Lean support", "Undecided", "Oppose"],
    )
    strong = question.options.get(value="strong_support")
    services.answer_option_effects_set(option=strong, support_score=5, tag_name="rent control supporter")
    return question


@pytest.fixture
def volunteer_question(campaign: Campaign) -> SurveyQuestion:
    """Yes, I'll volunteer: raises them to volunteer and tags them."""
    question = services.question_create(
        campaign=campaign, text="Will you volunteer?", kind=SurveyQuestion.Kind.SINGLE, options=["Yes", "No"]
    )
    yes = AnswerOption.objects.get(question=question, value="yes")
    services.answer_option_effects_set(option=yes, ladder_level=Ladder.VOLUNTEER, tag_name="volunteer")
    return question


@pytest.fixture
def saved_list(chapter: Chapter) -> SavedList:
    return SavedListFactory.create(chapter=chapter, name="Everyone", filters={})


@pytest.fixture
def street_doors(chapter: Chapter) -> list:
    """Two precincts; Main St both sides, Oak Ave, and a two-person household."""
    doors = []
    for precinct, street, numbers in (
        ("01", "MAIN ST", [101, 102, 103, 104, 105, 106]),
        ("01", "OAK AVE", [1, 2, 3]),
        ("02", "ELM ST", [10, 11, 12]),
    ):
        for number in numbers:
            household = HouseholdFactory.create(
                chapter=chapter, precinct=precinct, street_name=street, house_number=number
            )
            PersonFactory.create(chapter=chapter, household=household)
            doors.append(household)
    PersonFactory.create(chapter=chapter, household=doors[0], first_name="Second")
    return doors
