"""Capacity self-assessments and the NEC's heatmap of them."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from committee import selectors, services
from committee.models import CapacityAssessment
from tests.factories import ChapterFactory

DIMENSIONS = ("field", "data", "messaging", "research", "fundraising", "compliance")


def _assess(chapter, period: date, score: int, actor, **overrides: int) -> CapacityAssessment:
    scores = {**dict.fromkeys(DIMENSIONS, score), **overrides}
    return services.capacity_assessment_submit(chapter=chapter, scores=scores, comments="", actor=actor, period=period)


def test_an_organizer_scores_the_chapter_once_a_quarter(client, organizer):
    client.force_login(organizer.user)
    url = reverse("committee:capacity", kwargs={"chapter": organizer.chapter.slug})
    form = {**dict.fromkeys(DIMENSIONS, "2"), "comments": "We need data help"}
    client.post(url, form)
    client.post(url, {**form, "data": "3"})
    assessment = CapacityAssessment.objects.get()
    assert assessment.data == 3
    assert assessment.field == 2


def test_a_score_outside_one_to_five_is_refused(client, organizer):
    client.force_login(organizer.user)
    url = reverse("committee:capacity", kwargs={"chapter": organizer.chapter.slug})
    response = client.post(url, {**dict.fromkeys(DIMENSIONS, "3"), "field": "6"})
    assert response.status_code == 400
    assert not CapacityAssessment.objects.exists()


def test_the_heatmap_lays_chapters_across_quarters(term, cochair, chapter, other_chapter):
    _assess(chapter, date(2026, 1, 1), 2, cochair)
    _assess(chapter, date(2026, 4, 1), 4, cochair, field=1)
    _assess(other_chapter, date(2026, 4, 1), 3, cochair)
    heat = selectors.capacity_heatmap(user=cochair)
    assert heat.periods == [date(2026, 1, 1), date(2026, 4, 1)]
    assert heat.rows == [("Alpha Socialists", [2.0, 3.5]), ("Beta Socialists", [None, 3.0])]
    assert heat.latest == [("Alpha Socialists", [1, 4, 4, 4, 4, 4]), ("Beta Socialists", [3, 3, 3, 3, 3, 3])]
    assert heat.trend["Field"] == [("2026 Q1", 2.0), ("2026 Q2", 2.0)]
    by_field = selectors.capacity_heatmap(user=cochair, dimension="field")
    assert by_field.rows[0] == ("Alpha Socialists", [2.0, 1.0])


def test_the_heatmap_takes_the_same_queries_for_many_chapters(client, term, cochair, django_assert_max_num_queries):
    def add(n: int) -> None:
        for _ in range(n):
            _assess(ChapterFactory.create(), date(2026, 4, 1), 3, cochair)

    client.force_login(cochair)
    add(2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("committee:heatmap")).status_code == 200
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("committee:heatmap")).content.decode()
    assert 'class="num heat heat-3"' in body


def test_only_the_nec_sees_the_heatmap(client, chair):
    client.force_login(chair.user)
    assert client.get(reverse("committee:heatmap")).status_code == 404
