"""Factories for endorsements: races, candidates, endorsements and their parts."""

from __future__ import annotations

import datetime

import factory

from endorsements.models import Candidate, Endorsement, QuestionnaireQuestion, QuestionnaireTemplate, Race
from tests.factories import ChapterFactory


class RaceFactory(factory.django.DjangoModelFactory[Race]):
    class Meta:
        model = Race

    chapter = factory.SubFactory(ChapterFactory)
    jurisdiction = "City of Durham"
    office = factory.Sequence(lambda n: f"City Council seat {n}")
    level = Race.Level.MUNICIPAL
    district = "Ward 2"
    election_type = Race.ElectionType.GENERAL
    election_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(weeks=26))


class CandidateFactory(factory.django.DjangoModelFactory[Candidate]):
    class Meta:
        model = Candidate

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Sequence(lambda n: f"Candidate {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@campaign.example")


class EndorsementFactory(factory.django.DjangoModelFactory[Endorsement]):
    class Meta:
        model = Endorsement

    chapter = factory.SubFactory(ChapterFactory)
    race = factory.SubFactory(RaceFactory, chapter=factory.SelfAttribute("..chapter"))
    candidate = factory.SubFactory(CandidateFactory, chapter=factory.SelfAttribute("..chapter"))


class QuestionnaireTemplateFactory(factory.django.DjangoModelFactory[QuestionnaireTemplate]):
    class Meta:
        model = QuestionnaireTemplate
        skip_postgeneration_save = True

    chapter = factory.SubFactory(ChapterFactory)
    title = factory.Sequence(lambda n: f"Candidate questionnaire {n}")

    @factory.post_generation
    def questions(self: QuestionnaireTemplate, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if not create:
            return
        prompts = extracted or ["Will you back participatory budgeting?", "How will you support tenants?"]
        for position, prompt in enumerate(prompts, start=1):
            QuestionnaireQuestion.objects.create(template=self, position=position, prompt=prompt)
