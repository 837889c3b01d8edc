"""Factories for endorsements: races, candidates, endorsements and their parts."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from chapters.models import Chapter
from core.models import User
from endorsements.models import (
    Candidate,
    ChapterVote,
    Endorsement,
    QuestionnaireQuestion,
    QuestionnaireTemplate,
    Race,
)
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


PLAN: dict[str, Any] = {
    "canvass_plan": "Our own captains run four turfs in Ward 2, twice a week.",
    "data_plan": "Every door goes into our vault; we keep the IDs for the tenants' campaign.",
    "messaging_plan": "Our scripts lead with rent stabilisation, in our own words.",
    "accountability_plan": "Quarterly check-ins at a chapter meeting, in public.",
    "chapter_building_plan": "Every canvasser is asked to a new-member meeting.",
}
DOSSIER: dict[str, Any] = {
    "district_partisanship": "D+18, turnout 31% in the last municipal general.",
    "past_results": "The incumbent won 52-48 in 2023.",
    "fundraising": "$42,000 raised, mostly small donors.",
    "opposition": "A two-term incumbent backed by developers.",
    "viability_rating": "competitive",
    "viability_rationale": "A 4-point margin last time and a door program that reaches 6,000 voters.",
}


def endorsement_endorsed_locally(chapter: Chapter, actor: User, **kwargs: object) -> Endorsement:
    """Run the chapter's whole local process through the real services, up to a passed vote."""
    from endorsements import services

    endorsement = EndorsementFactory.create(chapter=chapter, **kwargs)
    template = QuestionnaireTemplateFactory.create(chapter=chapter)
    questionnaire, _ = services.questionnaire_send(
        endorsement=endorsement, template=template, sent_to="c@example.org", actor=actor, expected_version=1
    )
    services.questionnaire_answers_save(
        questionnaire=questionnaire, answers={q.pk: "Yes." for q in template.questions.all()}, submit=True
    )
    endorsement.refresh_from_db()
    services.endorsement_research_start(endorsement=endorsement, actor=actor, expected_version=endorsement.version)
    services.dossier_update(endorsement=endorsement, actor=actor, **DOSSIER)
    vote = services.vote_open(
        endorsement=endorsement, method=ChapterVote.Method.COUNTS, actor=actor, expected_version=endorsement.version
    )
    services.vote_counts_record(vote=vote, yes=8, no=1, abstain=1, actor=actor)
    services.vote_close(vote=vote, actor=actor, expected_version=endorsement.version)
    services.local_plan_update(endorsement=endorsement, actor=actor, **PLAN)
    endorsement.refresh_from_db()
    return endorsement


def endorsement_submitted_nationally(chapter: Chapter, actor: User, **kwargs: object) -> Endorsement:
    """Endorse locally and file the national request."""
    from endorsements import services

    endorsement = endorsement_endorsed_locally(chapter, actor, **kwargs)
    services.national_request_submit(
        endorsement=endorsement,
        local_request="National endorsement and a phonebank.",
        actor=actor,
        expected_version=endorsement.version,
    )
    endorsement.refresh_from_db()
    return endorsement
