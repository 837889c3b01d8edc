"""Campaigns, versioned scripts and survey questions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvassing import services
from canvassing.models import Campaign, Script, SurveyQuestion
from core.errors import ApplicationError
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_organizer_creates_a_campaign_with_goals(client, organizer):
    client.force_login(organizer.user)
    url = reverse("canvassing:campaign_create", kwargs={"chapter": organizer.chapter.slug})
    response = client.post(
        url,
        {"name": "Tenants first", "kind": "issue", "status": "active", "starts_on": "2026-03-01",
         "ends_on": "2026-05-01", "door_goal": "2000", "contact_goal": "600"},
    )  # fmt: skip
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert (campaign.name, campaign.door_goal, campaign.contact_goal) == ("Tenants first", 2000, 600)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, target_id=str(campaign.pk)).exists()


def test_campaign_that_ends_before_it_starts_is_refused(client, organizer):
    client.force_login(organizer.user)
    url = reverse("canvassing:campaign_create", kwargs={"chapter": organizer.chapter.slug})
    response = client.post(url, {"name": "Back", "kind": "issue", "status": "draft", "starts_on": "2026-05-01",
                                 "ends_on": "2026-03-01"})  # fmt: skip
    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()
    assert not Campaign.objects.exists()


def test_captain_sees_campaigns_but_cannot_create_one(client, captain, campaign):
    client.force_login(captain.user)
    assert client.get(reverse("canvassing:campaign_list", kwargs={"chapter": "alpha"})).status_code == 200
    assert client.get(reverse("canvassing:campaign_create", kwargs={"chapter": "alpha"})).status_code == 404


def test_canvasser_cannot_open_campaign_pages(client, canvasser, campaign):
    client.force_login(canvasser.user)
    assert client.get(campaign.get_absolute_url()).status_code == 404


def test_script_versions_keep_the_old_text_readable(client, organizer):
    script = services.script_create(chapter=organizer.chapter, name="Door script", intro="Hi, v1", actor=organizer.user)
    services.script_version_add(script=script, intro="Hi, v2", ask="Sign the petition", actor=organizer.user)
    client.force_login(organizer.user)
    current = client.get(script.get_absolute_url()).content.decode()
    old = client.get(script.get_absolute_url() + "?version=1").content.decode()
    assert "Hi, v2" in current
    assert "(current)" in current
    assert "Hi, v1" in old
    assert list(script.versions.values_list("number", flat=True)) == [2, 1]


def test_new_version_through_the_page(client, organizer):
    script = Script.objects.create(chapter=organizer.chapter, name="S")
    client.force_login(organizer.user)
    client.post(script.get_absolute_url(), {"intro": "Hello neighbour", "ask": "Come to the meeting"})
    assert script.versions.get().ask == "Come to the meeting"


def test_question_kinds(campaign):
    scale = services.question_create(campaign=campaign, text="How urgent?", kind=SurveyQuestion.Kind.SCALE)
    text = services.question_create(campaign=campaign, text="Anything else?", kind=SurveyQuestion.Kind.TEXT)
    multiple = services.question_create(
        campaign=campaign, text="Issues?", kind=SurveyQuestion.Kind.MULTIPLE, options=["Rent", "Repairs", "Heat"]
    )
    assert list(scale.options.values_list("value", flat=True)) == ["1", "2", "3", "4", "5"]
    assert not text.options.exists()
    assert list(multiple.options.values_list("value", flat=True)) == ["rent", "repairs", "heat"]
    assert [q.position for q in (scale, text, multiple)] == [1, 2, 3]


def test_choice_question_needs_two_distinct_answers(campaign):
    with pytest.raises(ApplicationError, match="at least two"):
        services.question_create(campaign=campaign, text="Q?", kind="single", options=["Only"])
    with pytest.raises(ApplicationError, match="same text"):
        services.question_create(campaign=campaign, text="Q?", kind="single", options=["Yes", "yes"])
    assert not SurveyQuestion.objects.exists()


def test_answer_effects_are_set_on_the_page(client, organizer, campaign, volunteer_question):
    option = volunteer_question.options.get(value="no")
    client.force_login(organizer.user)
    url = reverse("canvassing:answer_effects", kwargs={"chapter": "alpha", "pk": campaign.pk, "option_pk": option.pk})
    response = client.post(url, {"ladder_level": "", "tag_name": "said no", "support_score": "1"})
    option.refresh_from_db()
    assert response.status_code == 302
    assert (option.tag_name, option.support_score) == ("said no", 1)


def test_support_score_outside_one_to_five_is_refused(client, organizer, campaign, support_question):
    option = support_question.options.first()
    client.force_login(organizer.user)
    url = reverse("canvassing:answer_effects", kwargs={"chapter": "alpha", "pk": campaign.pk, "option_pk": option.pk})
    assert client.post(url, {"support_score": "9"}).status_code == 400
    option.refresh_from_db()
    assert option.support_score == 5


def test_answer_option_of_another_campaign_is_404(client, organizer, campaign, chapter, support_question):
    other = Campaign.objects.create(chapter=chapter, name="Other", kind="issue")
    option = support_question.options.first()
    client.force_login(organizer.user)
    url = reverse("canvassing:answer_effects", kwargs={"chapter": "alpha", "pk": other.pk, "option_pk": option.pk})
    assert client.get(url).status_code == 404


def test_campaign_list_query_count_is_constant(client, organizer, django_assert_max_num_queries):
    for n in range(30):
        Campaign.objects.create(chapter=organizer.chapter, name=f"C{n}", kind="issue")
    client.force_login(organizer.user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("canvassing:campaign_list", kwargs={"chapter": "alpha"})).status_code == 200
