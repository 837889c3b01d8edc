"""Demo endorsements for Durham: one at each stage, and one carried all the way to national endorsement."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from canvassing.models import Campaign
from chapters.models import Chapter
from core.demo import DemoWorld
from core.models import User
from endorsements import services
from endorsements.models import Candidate, Endorsement, QuestionnaireTemplate, Race
from endorsements.models import EndorsementStatus as S

QUESTIONS = [
    "Will you support participatory budgeting for the city's capital funds?",
    "What will you do for tenants facing eviction or steep rent increases?",
    "Will you meet the chapter in public, every quarter, to report on your commitments?",
    "Will you refuse donations from real-estate developers and police unions?",
]
DOSSIER = {
    "district_partisanship": "Ward 2 voted 81% Democratic in the last general; turnout in municipal years is near 30%.",
    "past_results": "The open seat was won 54-46 in 2022 by a developer-backed candidate.",
    "fundraising": "$38,000 raised from 600 donors; no PAC money.",
    "opposition": "The two-term incumbent, backed by the realtors' association.",
    "viability_rating": "competitive",
    "viability_rationale": "An 8-point margin to close, 9,000 likely voters, and our canvass reaches 4,000 doors.",
}
PLAN = {
    "canvass_plan": "Our captains run six Ward 2 turfs every Saturday from June; our scripts, our volunteers.",
    "data_plan": "Every door goes into our vault; the IDs feed the tenants' union drive in the autumn.",
    "messaging_plan": "We lead with rent stabilisation and the public budget, in our own materials.",
    "accountability_plan": "Quarterly public check-ins on participatory budgeting and tenant protections.",
    "chapter_building_plan": "Every canvasser is invited to a new-member orientation; we aim for 40 new members.",
}


def _race(chapter: Chapter, office: str, district: str, level: str, kind: str, weeks: int) -> Race:
    race, _ = Race.objects.get_or_create(
        chapter=chapter,
        office=office,
        district=district,
        election_type=kind,
        defaults={
            "jurisdiction": "City of Durham" if level == Race.Level.MUNICIPAL else "North Carolina",
            "level": level,
            "election_date": timezone.localdate() + timedelta(weeks=weeks),
        },
    )
    return race


def _candidate(chapter: Chapter, name: str, **fields: object) -> Candidate:
    candidate, _ = Candidate.objects.get_or_create(chapter=chapter, name=name, defaults=fields)
    return candidate


def _advance(endorsement: Endorsement, template: QuestionnaireTemplate, to: str, organizer: User) -> Endorsement:
    """Carry a new endorsement through the real services up to the status wanted."""
    steps: list[str] = [S.QUESTIONNAIRE_SENT, S.QUESTIONNAIRE_RETURNED, S.RESEARCH, S.ENDORSED_LOCALLY]
    for step in steps[: steps.index(to) + 1]:
        endorsement.refresh_from_db()
        if step == S.QUESTIONNAIRE_SENT:
            questionnaire, _ = services.questionnaire_send(
                endorsement=endorsement,
                template=template,
                sent_to=endorsement.candidate.email,
                actor=organizer,
                expected_version=endorsement.version,
            )
        elif step == S.QUESTIONNAIRE_RETURNED:
            answers = {q.pk: "Yes. " + q.prompt.split("?")[0] + ": I commit to it." for q in template.questions.all()}
            services.questionnaire_answers_save(questionnaire=questionnaire, answers=answers, submit=True)
        elif step == S.RESEARCH:
            services.endorsement_research_start(
                endorsement=endorsement, actor=organizer, expected_version=endorsement.version
            )
            services.dossier_update(endorsement=endorsement, actor=organizer, **DOSSIER)
        else:
            vote = services.vote_open(
                endorsement=endorsement, method="counts", actor=organizer, expected_version=endorsement.version
            )
            services.vote_counts_record(vote=vote, yes=31, no=4, abstain=2, actor=organizer)
            endorsement.refresh_from_db()
            services.vote_close(vote=vote, actor=organizer, expected_version=endorsement.version)
            services.local_plan_update(
                endorsement=endorsement,
                actor=organizer,
                campaign=Campaign.objects.filter(chapter=endorsement.chapter).first(),
                **PLAN,
            )
    endorsement.refresh_from_db()
    return endorsement


def _nationally_endorse(endorsement: Endorsement, world: DemoWorld) -> None:
    organizer = world.objects["durham_organizer"]
    cochair, reviewer, npc = (world.objects[e] for e in ("cochair1@nec.example", "nec@nec.example", "npc@npc.example"))
    request = services.national_request_submit(
        endorsement=endorsement,
        local_request="National endorsement, a phonebank with neighbouring locals, and small-donor fundraising help.",
        actor=organizer,
        expected_version=endorsement.version,
    )
    services.nec_reviewers_assign(national_request=request, reviewers=[reviewer], actor=cochair)
    services.nec_comment_add(
        national_request=request, author=reviewer, body="The local plan is the strongest we've seen."
    )
    services.nec_recommendation_record(
        national_request=request,
        reviewer=reviewer,
        recommendation="recommend",
        rationale="A credible path and our own canvass.",
    )
    endorsement.refresh_from_db()
    services.nec_vote_record(
        national_request=request, yes=9, no=1, abstain=1, note="", actor=cochair, expected_version=endorsement.version
    )
    endorsement.refresh_from_db()
    services.npc_decision_record(
        national_request=request, decision="ratify", actor=npc, expected_version=endorsement.version
    )
    services.endorsement_publicity_set(
        endorsement=endorsement,
        is_public=True,
        public_statement="A tenant organizer running on participatory budgeting and tenant protections.",
        actor=organizer,
    )
    for preset in ("participatory_budgeting", "tenant_protections"):
        commitment = services.commitment_add(endorsement=endorsement, preset=preset, actor=organizer)
        services.commitment_check_in(
            commitment=commitment, status="kept", notes="Raised it at the first council meeting.",
            checked_on=timezone.localdate(), actor=organizer,
        )  # fmt: skip


def seed(world: DemoWorld) -> None:
    """Create Durham's races, candidates and questionnaire, and endorsements at several stages; safe to run again."""
    durham: Chapter = world.objects["durham"]
    organizer: User = world.objects["durham_organizer"]
    template = QuestionnaireTemplate.objects.filter(chapter=durham, title="Candidate questionnaire").first()
    if template is None:
        template = services.questionnaire_template_create(
            chapter=durham,
            title="Candidate questionnaire",
            introduction="Durham Socialists asks every candidate the same questions. Answer in your own words.",
            prompts=QUESTIONS,
            actor=organizer,
        )
    council = _race(durham, "City Council", "Ward 2", Race.Level.MUNICIPAL, Race.ElectionType.GENERAL, 26)
    house = _race(durham, "NC House", "District 29", Race.Level.STATE_LEGISLATIVE, Race.ElectionType.PRIMARY, 14)
    mayor = _race(durham, "Mayor", "", Race.Level.MUNICIPAL, Race.ElectionType.GENERAL, 26)
    plans = [
        (council, _candidate(durham, "Rosa Alvarez", email="rosa@alvarez.example", website="https://alvarez.example",
                             ballot_line="Democratic", is_member=True), S.ENDORSED_LOCALLY, True),
        (house, _candidate(durham, "Marcus Lee", email="marcus@lee.example", ballot_line="Democratic"),
         S.ENDORSED_LOCALLY, False),
        (house, _candidate(durham, "Priya Natarajan", email="priya@natarajan.example", is_incumbent=True),
         S.RESEARCH, False),
        (mayor, _candidate(durham, "Jordan Pike", email="jordan@pike.example"), S.QUESTIONNAIRE_SENT, False),
        (council, _candidate(durham, "Sam Okafor", email="sam@okafor.example"), S.DRAFT, False),
    ]  # fmt: skip
    for race, candidate, status, national in plans:
        if Endorsement.objects.filter(chapter=durham, race=race, candidate=candidate).exists():
            continue
        endorsement = services.endorsement_start(chapter=durham, race=race, candidate=candidate, actor=organizer)
        if status != S.DRAFT:
            endorsement = _advance(endorsement, template, status, organizer)
        if national:
            _nationally_endorse(endorsement, world)
