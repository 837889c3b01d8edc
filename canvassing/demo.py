"""Demo canvassing for Durham: a tenants' campaign with a script, questions, turf, a shift and some doors knocked."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from canvassing import services
from canvassing.models import Campaign, Script, Shift, TurfAssignment
from chapters.models import Membership
from core.demo import DemoWorld
from data_vault.models import Household, Ladder, SavedList

DEMO_NAMESPACE = uuid.UUID("5a1d6c1e-3f0b-4a77-9d64-2f1b8e0c7a11")


def seed(world: DemoWorld) -> None:
    """Create Durham's demo campaign, turf, shift and results; safe to run again."""
    durham = world.objects["durham"]
    organizer = world.objects["durham_organizer"]
    captain = Membership.objects.get(user=world.objects["durham_captain"], chapter=durham)
    canvasser = Membership.objects.get(user=world.objects["durham_canvasser"], chapter=durham)
    script = Script.objects.filter(chapter=durham, name="Tenants first: door script").first()
    if script is None:
        script = services.script_create(
            chapter=durham, name="Tenants first: door script", actor=organizer,
            intro="Hi, I'm a neighbour with Durham Socialists. We're talking with tenants about rent this month.",
            issue="Rents in Durham went up 30% in three years while repairs wait for months.",
            ask="Will you come to the tenants' meeting on Thursday and support rent stabilization?",
            close="Thank you! Here's a flyer with the meeting details.",
        )  # fmt: skip
    campaign, _ = Campaign.objects.update_or_create(
        chapter=durham,
        name="Tenants first 2026",
        defaults={"kind": Campaign.Kind.ISSUE, "status": Campaign.Status.ACTIVE, "script": script,
                  "door_goal": 1500, "contact_goal": 450,
                  "description": "Door-to-door with tenants ahead of the rent stabilization vote."},
    )  # fmt: skip
    if not campaign.questions.exists():
        support = services.question_create(
            campaign=campaign, text="Do you support rent stabilization?", kind="single", short_label="Rent",
            options=["Strong support", "Lean support", "Undecided", "Oppose"],
        )  # fmt: skip
        services.answer_option_effects_set(
            option=support.options.get(value="strong_support"), support_score=5, tag_name="rent stabilization"
        )
        services.answer_option_effects_set(option=support.options.get(value="oppose"), support_score=1)
        volunteer = services.question_create(
            campaign=campaign, text="Will you come to the tenants' meeting?", kind="single", short_label="Meeting",
            options=["Yes", "Maybe", "No"],
        )  # fmt: skip
        services.answer_option_effects_set(
            option=volunteer.options.get(value="yes"), ladder_level=Ladder.VOLUNTEER, tag_name="tenant union"
        )
        services.question_create(campaign=campaign, text="Biggest housing problem?", kind="multiple",
                                 options=["Rent", "Repairs", "Heat", "Pests"])  # fmt: skip
        services.question_create(campaign=campaign, text="Anything else?", kind="text")
    saved_list, _ = SavedList.objects.get_or_create(
        chapter=durham, name="Canvass universe: precincts 05 and 12",
        defaults={"filters": {"precinct": ["05", "12"]}, "created_by": organizer},
    )  # fmt: skip
    if not campaign.turfs.exists() and Household.objects.filter(chapter=durham).exists():
        services.turf_cut(campaign=campaign, saved_list=saved_list, target_doors=25, actor=organizer)
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=2)
    shift, _ = Shift.objects.get_or_create(
        chapter=durham, campaign=campaign, place="Union hall, 305 E Main St",
        defaults={"starts_at": start, "ends_at": start + timedelta(hours=3), "capacity": 12, "captain": captain},
    )  # fmt: skip
    services.shift_signup(shift=shift, member=canvasser)
    turf = campaign.turfs.order_by("name").first()
    if turf is None:
        return
    if not TurfAssignment.objects.filter(turf=turf, canvasser=canvasser, ended_at__isnull=True).exists():
        services.turf_assign(turf=turf, canvasser=canvasser, shift=shift, actor=captain.user)
    questions = {q.short_label or q.text: q for q in campaign.questions.all()}
    knocked_at = timezone.now() - timedelta(days=1, hours=3)
    for n, door in enumerate(turf.doors.select_related("household").order_by("position")[:12]):
        person = door.household.people.order_by("id").first()
        talked = n % 3 != 0 and person is not None
        answers = {}
        if talked:
            answers = {str(questions["Rent"].pk): ("strong_support", "lean_support", "undecided")[n % 3],
                       str(questions["Meeting"].pk): ("yes", "maybe", "no")[n % 3]}  # fmt: skip
        services.door_result_record(
            turf=turf, household_id=door.household_id, recorded_by=canvasser.user,
            result="contact" if talked else "not_home", person_id=person.pk if talked and person else None,
            answers=answers, occurred_at=knocked_at + timedelta(minutes=4 * n),
            client_uuid=uuid.uuid5(DEMO_NAMESPACE, f"{turf.pk}:{door.household_id}"),
        )  # fmt: skip
    world.objects["canvass_campaign"] = campaign
