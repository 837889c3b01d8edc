"""Demo NEC: a seated term with its co-chairs and subcommittees, requests, trainings, a table, capacity and reports."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chapters.models import Membership, Role
from committee import services
from committee.models import (
    AssistanceRequest,
    CapacityAssessment,
    Nomination,
    Report,
    ReportRender,
    StatewideTable,
    Subcommittee,
    Term,
    Training,
)
from committee.pdf import report_render
from core.demo import DemoWorld

CAPACITIES = ("field", "data", "messaging", "research", "fundraising", "compliance")


def _seat_term(world: DemoWorld, term: Term) -> None:
    """Nominate the national demo users from Durham and Asheville and seat them, co-chairs first."""
    durham, asheville = world.objects["durham"], world.objects["asheville"]
    people = [
        (world.objects["cochair1@nec.example"], durham),
        (world.objects["cochair2@nec.example"], asheville),
        (world.objects["nec@nec.example"], durham),
    ]
    seats = []
    for user, chapter in people:
        Membership.objects.get_or_create(user=user, chapter=chapter, defaults={"role": Role.MEMBER})
        nomination = Nomination.objects.filter(term=term, nominee=user).first() or services.nomination_create(
            term=term, nominee=user, chapter=chapter, statement="Years of canvass work.", actor=user
        )
        seat = getattr(nomination, "seat", None) or services.seat_create(term=term, nomination=nomination, actor=user)
        seats.append(seat)
    Nomination.objects.filter(term=term).update(status=Nomination.Status.ELECTED)
    if term.seats.filter(cochair_slot__isnull=False).exists():
        return
    services.nec_cochairs_set(term=term, seats=seats[:2], actor=seats[0].holder)
    field = term.subcommittees.get(kind=Subcommittee.Kind.FIELD)
    places = [services.subcommittee_member_add(subcommittee=field, seat=seat, actor=seats[0].holder) for seat in seats]
    services.subcommittee_cochairs_set(subcommittee=field, places=places[1:], actor=seats[0].holder)


def seed(world: DemoWorld) -> None:
    """Create the demo committee; running it again changes nothing."""
    today = timezone.localdate()
    cochair = world.objects["cochair1@nec.example"]
    durham, asheville = world.objects["durham"], world.objects["asheville"]
    organizer = world.objects["durham_organizer"]
    term = Term.objects.filter(name="2026–2027").first() or services.term_create(
        name="2026–2027", starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=300), actor=cochair
    )
    _seat_term(world, term)
    field = term.subcommittees.get(kind=Subcommittee.Kind.FIELD)

    if not AssistanceRequest.objects.filter(chapter=durham).exists():
        services.assistance_request_file(
            chapter=durham,
            kind="data_tools",
            description="We imported the county voter file; how do we cut turf for a tenant canvass?",
            urgency="high",
            actor=organizer,
        )
        triaged = services.assistance_request_file(
            chapter=durham, kind="press", description="A reporter asked about our endorsement.", urgency="normal",
            actor=organizer,
        )  # fmt: skip
        services.assistance_request_move(request=triaged, status="triaged", actor=cochair)
        services.assistance_comment_add(request=triaged, body="Our comms co-chair will call you.", from_nec=True,
                                        actor=cochair)  # fmt: skip

    if not Training.objects.exists():
        upcoming = services.training_create(
            title="Cutting turf that keeps buildings together", starts_at=timezone.now() + timedelta(days=9),
            format="online", capacity=40, host_subcommittee=field, actor=cochair,
            description="A skill-share on walk order, apartment buildings and captains' packets.",
        )  # fmt: skip
        services.training_signup(training=upcoming, user=organizer, chapter=durham)
        services.training_create(
            title="Asheville's phonebank night", starts_at=timezone.now() + timedelta(days=4), format="in_person",
            capacity=15, host_chapter=asheville, location="Union hall", actor=world.objects["asheville_chair"],
        )  # fmt: skip
        past = services.training_create(
            title="Compliance basics for local PACs", starts_at=timezone.now() + timedelta(minutes=5), format="online",
            capacity=30, host_subcommittee=field, actor=cochair,
        )  # fmt: skip
        signup = services.training_signup(training=past, user=organizer, chapter=durham)
        Training.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(days=20))
        services.training_attendance_record(training=past, attended_ids={signup.pk}, actor=cochair)

    if not StatewideTable.objects.filter(state="NC").exists():
        services.statewide_table_create(
            state="NC", name="North Carolina statewide table", chapters=[durham, asheville], actor=cochair
        )

    for quarters_back, base in ((2, 2), (1, 3), (0, 3)):
        period = services.quarter_start(today - timedelta(days=92 * quarters_back))
        for chapter, lift in ((durham, 1), (asheville, 0)):
            if CapacityAssessment.objects.filter(chapter=chapter, period=period).exists():
                continue
            scores = {name: min(5, base + lift + (i % 2)) for i, name in enumerate(CAPACITIES)}
            services.capacity_assessment_submit(
                chapter=chapter, scores=scores, comments="Field is strong; compliance needs help.", actor=cochair,
                period=period,
            )  # fmt: skip

    if not Report.objects.exists():
        start = services.quarter_start(today - timedelta(days=92))
        report = services.report_create(
            title="NEC report to the NPC", period_start=start, period_end=today, actor=cochair
        )
        services.report_section_save(
            report=report, heading="Support for locals",
            body="Locals asked for help with data and press; the field subcommittee ran a turf skill-share.",
            actor=cochair,
        )  # fmt: skip
        render = ReportRender.objects.create(report=report, created_by=cochair)
        report_render(render_id=render.pk)
        services.report_publish(report=report, actor=cochair)
        services.report_create(title="Next quarter (draft)", period_start=today, period_end=today, actor=cochair)
