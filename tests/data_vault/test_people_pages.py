"""The people list, its server-side filters and search, and saved lists."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvassing.services import question_create
from core.models import AuditEvent
from data_vault.models import SavedList
from data_vault.services import contact_event_record, person_do_not_contact_set, person_tag_add
from tests.data_vault.factories import HouseholdFactory, PersonFactory, SavedListFactory


def _people_url(chapter, **filters) -> str:
    url = reverse("data_vault:person_list", kwargs={"chapter": chapter.slug})
    return f"{url}?{urlencode(filters, doseq=True)}" if filters else url


@pytest.fixture
def people(chapter, campaign, organizer):
    """Four people across two precincts, with tags, scores, contacts and a do-not-contact."""
    north = HouseholdFactory.create(chapter=chapter, precinct="01", street_name="ELM ST", house_number=12)
    south = HouseholdFactory.create(chapter=chapter, precinct="02", street_name="OAK AVE", house_number=7)
    ana = PersonFactory.create(
        chapter=chapter, household=north, first_name="Ana", last_name="Reyes", party="DEM", birth_year=1990
    )
    ben = PersonFactory.create(
        chapter=chapter, household=north, first_name="Ben", last_name="Reyes", party="REP", birth_year=1950
    )
    cy = PersonFactory.create(
        chapter=chapter, household=south, first_name="Cy", last_name="Okafor", party="UNA", birth_year=2000,
        ladder="volunteer", support_score=1,
    )  # fmt: skip
    dee = PersonFactory.create(
        chapter=chapter, household=south, first_name="Dee", last_name="Lane", party="DEM", support_score=4
    )
    person_tag_add(person=ana, tag_name="tenant leader", actor=organizer.user)
    contact_event_record(
        chapter=chapter, recorded_by=organizer.user, channel="door", result="contact", person=cy,
        campaign=campaign, answers={"rent": "yes"},
    )  # fmt: skip
    person_do_not_contact_set(person=dee, channel="phone", reason="Asked", actor=organizer.user)
    return {"ana": ana, "ben": ben, "cy": cy, "dee": dee}


def _names(response) -> set[str]:
    return {person.first_name for person in response.context["page"]}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"Ana", "Ben", "Cy", "Dee"}),
        ({"precinct": "01"}, {"Ana", "Ben"}),
        ({"precinct": "01, 02"}, {"Ana", "Ben", "Cy", "Dee"}),
        ({"party": "dem"}, {"Ana", "Dee"}),
        ({"age_max": "40"}, {"Ana", "Cy"}),
        ({"age_min": "60"}, {"Ben"}),
        ({"ladder": ["volunteer", "leader"]}, {"Cy"}),
        ({"tags": "tenant leader"}, {"Ana"}),
        ({"support_min": "1", "support_max": "2"}, {"Cy"}),
        ({"answer_question": "rent", "answer_value": "yes"}, {"Cy"}),
        ({"do_not_contact": "phone"}, {"Dee"}),
        ({"q": "reyes elm"}, {"Ana", "Ben"}),
        ({"q": "oak"}, {"Cy", "Dee"}),
    ],
)
def test_people_list_filters_on_the_server(client, organizer, people, filters, expected):
    client.force_login(organizer.user)
    response = client.get(_people_url(organizer.chapter, **filters))
    assert response.status_code == 200
    assert _names(response) == expected


def test_contacted_and_not_contacted_in_a_campaign(client, organizer, people, campaign):
    client.force_login(organizer.user)
    reached = client.get(_people_url(organizer.chapter, contact="reached", contact_campaign=campaign.pk))
    never = client.get(_people_url(organizer.chapter, contact="not_attempted", contact_campaign=campaign.pk))
    assert _names(reached) == {"Cy"}
    # Dee shares Cy's door but the door result named Cy, so she was never tried.
    assert _names(never) == {"Ana", "Ben", "Dee"}


def test_a_bad_filter_says_why_and_shows_everyone_unfiltered(client, organizer, people):
    client.force_login(organizer.user)
    response = client.get(_people_url(organizer.chapter, age_min="90", age_max="20"))
    assert response.status_code == 400
    assert "The lowest age is above the highest age." in response.content.decode()


def test_people_list_pages_through_fifty_at_a_time(client, organizer, chapter):
    PersonFactory.create_batch(55, chapter=chapter)
    client.force_login(organizer.user)
    first = client.get(_people_url(chapter))
    second = client.get(_people_url(chapter, page="2"))
    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 5


def test_people_list_runs_a_constant_number_of_queries(client, organizer, chapter, django_assert_max_num_queries):
    """The same number of queries at 5 rows as at 50 (the filter form reads the survey questions in two)."""
    client.force_login(organizer.user)

    def people_with_everything(count: int) -> None:
        for person in PersonFactory.create_batch(count, chapter=chapter):
            person_tag_add(person=person, tag_name="door knocker", actor=organizer.user)
            person_do_not_contact_set(person=person, channel="text", reason="", actor=organizer.user)

    people_with_everything(5)
    with django_assert_max_num_queries(16) as small:
        client.get(_people_url(chapter, tags="door knocker"))
    people_with_everything(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_people_url(chapter, tags="door knocker"))
    assert len(response.context["page"]) == 50


def test_the_answer_filter_offers_the_campaigns_questions_and_their_answers(client, organizer, chapter, campaign):
    """The organizer picks a question by its campaign and label, not by typing its id; answers are suggested."""
    question = question_create(
        campaign=campaign, text="Will you vote yes?", kind="single", short_label="Vote yes", options=["Yes", "No"]
    )
    person = PersonFactory.create(chapter=chapter, first_name="Ida")
    PersonFactory.create(chapter=chapter, first_name="Jo")
    yes = question.options.get(label="Yes")
    contact_event_record(
        chapter=chapter, recorded_by=organizer.user, channel="door", result="contact", person=person,
        campaign=campaign, answers={str(question.pk): yes.value},
    )  # fmt: skip
    client.force_login(organizer.user)

    page = client.get(_people_url(chapter, answer_question=question.pk, answer_value=yes.value))

    assert _names(page) == {"Ida"}
    body = page.content.decode()
    assert f'<option value="{question.pk}" selected>{campaign.name}: Vote yes</option>' in body
    assert f'<option value="{yes.value}">Yes</option>' in body
    assert "(2 set)" in body
    # A key no campaign asks (logged through the API) stays selected as it is.
    assert (
        '<option value="rent" selected>rent</option>'
        in client.get(_people_url(chapter, answer_question="rent")).content.decode()
    )


@pytest.mark.parametrize("persona", ["captain", "canvasser", "member", "outsider"])
def test_only_organizers_and_chairs_reach_the_people_list(client, request, chapter, persona):
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(_people_url(chapter)).status_code == 404


def test_organizer_saves_the_current_filter_as_a_list(client, organizer, people):
    client.force_login(organizer.user)
    response = client.post(
        reverse("data_vault:saved_list_create", kwargs={"chapter": organizer.chapter.slug}),
        {"name": "Precinct 1", "description": "North", "filters": "precinct=01&party=DEM,REP"},
    )
    saved_list = SavedList.objects.get(chapter=organizer.chapter)
    assert response.url == saved_list.get_absolute_url()
    assert saved_list.filters == {"precinct": ["01"], "party": ["DEM", "REP"]}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, target_id=str(saved_list.pk)).exists()
    detail = client.get(saved_list.get_absolute_url())
    assert _names(detail) == {"Ana", "Ben"}


def test_a_saved_list_is_live(client, organizer, people, chapter):
    saved_list = SavedListFactory.create(chapter=chapter, filters={"precinct": ["01"]})
    client.force_login(organizer.user)
    count_url = reverse("data_vault:saved_list_count", kwargs={"chapter": chapter.slug, "pk": saved_list.pk})
    assert client.get(count_url).content == b"2"
    PersonFactory.create(chapter=chapter, household=people["ana"].household)
    assert client.get(count_url).content == b"3"


def test_saving_a_list_with_a_taken_name_or_bad_filter_changes_nothing(client, organizer, people, other_chapter):
    from canvassing.models import Campaign

    SavedListFactory.create(chapter=organizer.chapter, name="Doors")
    foreign = Campaign.objects.create(chapter=other_chapter, name="Theirs", kind=Campaign.Kind.ISSUE)
    client.force_login(organizer.user)
    url = reverse("data_vault:saved_list_create", kwargs={"chapter": organizer.chapter.slug})
    client.post(url, {"name": "doors", "filters": "precinct=01"})
    client.post(url, {"name": "New", "filters": "age_min=abc"})
    client.post(url, {"name": "Theirs", "filters": f"contact=reached&contact_campaign={foreign.pk}"})
    client.post(url, {"name": "", "filters": "precinct=01"})
    assert list(SavedList.objects.values_list("name", flat=True)) == ["Doors"]


def test_organizer_edits_a_lists_filter_and_name_then_deletes_it(client, organizer, people, chapter):
    saved_list = SavedListFactory.create(chapter=chapter, name="Old", filters={"precinct": ["01"]})
    client.force_login(organizer.user)
    edit_url = reverse("data_vault:saved_list_edit", kwargs={"chapter": chapter.slug, "pk": saved_list.pk})
    client.post(edit_url, {"filters": "precinct=02&support_max=2"})
    client.post(edit_url, {"name": "South supporters", "description": ""})
    saved_list.refresh_from_db()
    assert (saved_list.name, saved_list.filters) == ("South supporters", {"precinct": ["02"], "support_max": 2})
    assert _names(client.get(saved_list.get_absolute_url())) == {"Cy"}
    reopened = client.get(_people_url(chapter, list=saved_list.pk, precinct="02", support_max="2"))
    assert "Update “South supporters”" in reopened.content.decode()
    client.post(reverse("data_vault:saved_list_delete", kwargs={"chapter": chapter.slug, "pk": saved_list.pk}))
    assert not SavedList.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, target_label="South supporters").exists()


def test_outsider_cannot_open_or_change_another_chapters_list(client, outsider, chapter):
    saved_list = SavedListFactory.create(chapter=chapter, name="Theirs")
    client.force_login(outsider.user)
    kwargs = {"chapter": outsider.chapter.slug, "pk": saved_list.pk}
    assert client.get(reverse("data_vault:saved_list_detail", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("data_vault:saved_list_delete", kwargs=kwargs)).status_code == 404
    assert SavedList.objects.filter(pk=saved_list.pk).exists()


def test_saved_list_page_charts_the_ladder_in_constant_queries(client, organizer, chapter):
    saved_list = SavedListFactory.create(chapter=chapter, filters={"party": ["DEM"]})
    client.force_login(organizer.user)
    PersonFactory.create_batch(5, chapter=chapter, party="DEM", ladder="volunteer")
    with CaptureQueriesContext(connection) as five:
        body = client.get(saved_list.get_absolute_url()).content.decode()
    assert "People in this list by ladder level" in body
    PersonFactory.create_batch(45, chapter=chapter, party="DEM", ladder="leader")
    with CaptureQueriesContext(connection) as fifty:
        client.get(saved_list.get_absolute_url())
    assert len(five) == len(fifty)


def test_person_page_runs_a_constant_number_of_queries(client, organizer, chapter):
    from data_vault.services import contact_event_record

    person = PersonFactory.create(chapter=chapter)
    client.force_login(organizer.user)

    def contacts(count: int) -> None:
        for _ in range(count):
            contact_event_record(
                chapter=chapter, recorded_by=organizer.user, channel="door", result="contact", person=person
            )
            PersonFactory.create(chapter=chapter, household=person.household)

    contacts(2)
    with CaptureQueriesContext(connection) as few:
        client.get(person.get_absolute_url())
    contacts(20)
    with CaptureQueriesContext(connection) as many:
        client.get(person.get_absolute_url())
    assert len(few) == len(many)
