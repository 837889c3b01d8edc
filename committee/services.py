"""Every write of the committee app: each service validates and owns its transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from chapters.models import Chapter, Membership, NationalRole
from committee.models import (
    AssistanceComment,
    AssistanceRequest,
    CapacityAssessment,
    CochairSlot,
    Nomination,
    Report,
    ReportRender,
    ReportSection,
    Seat,
    StatewideTable,
    Subcommittee,
    SubcommitteeMember,
    SupportFeedback,
    Term,
    Training,
    TrainingMaterial,
    TrainingSignup,
)
from core.errors import ApplicationError
from core.models import AuditEvent, User
from core.services import audit_record

STANDARD_SUBCOMMITTEES = (
    (Subcommittee.Kind.FIELD, "Field"),
    (Subcommittee.Kind.COMMUNICATIONS, "Communications and social media"),
    (Subcommittee.Kind.COMPLIANCE, "Compliance"),
    (Subcommittee.Kind.FUNDRAISING, "Fundraising and finance"),
    (Subcommittee.Kind.RESEARCH, "Research"),
    (Subcommittee.Kind.DATA, "Data and tools"),
)

# Where a request goes first; the NEC may route it elsewhere when it triages.
REQUEST_ROUTES = {
    AssistanceRequest.Kind.TRAINING: Subcommittee.Kind.FIELD,
    AssistanceRequest.Kind.DATA_TOOLS: Subcommittee.Kind.DATA,
    AssistanceRequest.Kind.LEGAL_COMPLIANCE: Subcommittee.Kind.COMPLIANCE,
    AssistanceRequest.Kind.FUNDRAISING: Subcommittee.Kind.FUNDRAISING,
    AssistanceRequest.Kind.PRESS: Subcommittee.Kind.COMMUNICATIONS,
    AssistanceRequest.Kind.RESEARCH: Subcommittee.Kind.RESEARCH,
    AssistanceRequest.Kind.PHONEBANK: Subcommittee.Kind.FIELD,
}

# new → triaged → in progress → done | declined; a request may be declined while open.
REQUEST_TRANSITIONS: dict[str, tuple[str, ...]] = {
    AssistanceRequest.Status.NEW: (AssistanceRequest.Status.TRIAGED, AssistanceRequest.Status.DECLINED),
    AssistanceRequest.Status.TRIAGED: (AssistanceRequest.Status.IN_PROGRESS, AssistanceRequest.Status.DECLINED),
    AssistanceRequest.Status.IN_PROGRESS: (AssistanceRequest.Status.DONE, AssistanceRequest.Status.DECLINED),
    AssistanceRequest.Status.DONE: (),
    AssistanceRequest.Status.DECLINED: (),
}

MATERIAL_EXTENSIONS = (".pdf", ".pptx", ".ppt", ".docx", ".doc", ".odt", ".odp", ".txt", ".md", ".png", ".jpg")


def _validated(instance: Any) -> Any:
    """Run model validation, turning its errors into one clear refusal."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error
    return instance


def term_current(*, on: date | None = None) -> Term | None:
    """Return the term running on a day (today by default), or the latest one."""
    day = on or timezone.localdate()
    return Term.objects.filter(starts_on__lte=day, ends_on__gte=day).first() or Term.objects.first()


@transaction.atomic
def term_create(*, name: str, starts_on: date, ends_on: date, actor: User) -> Term:
    """Open a term with the standard subcommittees."""
    term = _validated(Term(name=name.strip(), starts_on=starts_on, ends_on=ends_on))
    term.save()
    for kind, label in STANDARD_SUBCOMMITTEES:
        Subcommittee.objects.create(term=term, kind=kind, name=label)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=term)
    return term


@transaction.atomic
def nomination_create(*, term: Term, nominee: User, chapter: Chapter, statement: str = "", actor: User) -> Nomination:
    """Record a chapter working group's nomination; the nominee must belong to the chapter."""
    if not Membership.objects.filter(user=nominee, chapter=chapter).exists():
        raise ApplicationError("A chapter can nominate only one of its own members.")
    if Nomination.objects.filter(term=term, nominee=nominee).exists():
        raise ApplicationError("This person is already nominated for this term.")
    nomination = Nomination.objects.create(
        term=term, nominee=nominee, chapter=chapter, statement=statement.strip(), nominated_by=actor
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=chapter, target=nomination)
    return nomination


@transaction.atomic
def election_results_record(*, term: Term, votes: dict[int, int], seats: int, actor: User) -> list[Seat]:
    """Record each nomination's votes and seat the top ``seats`` nominees; ties at the cut are refused."""
    nominations = list(term.nominations.select_for_update().select_related("nominee", "chapter"))
    known = {n.pk for n in nominations if n.status != Nomination.Status.WITHDRAWN}
    if set(votes) != known:
        raise ApplicationError("Give a vote count for every standing nominee, and only for them.")
    if any(count < 0 for count in votes.values()):
        raise ApplicationError("Vote counts cannot be negative.")
    if term.seats.exists():
        raise ApplicationError("This term's results are already recorded.")
    ranked = sorted((n for n in nominations if n.pk in known), key=lambda n: votes[n.pk], reverse=True)
    if 0 < seats < len(ranked) and votes[ranked[seats - 1].pk] == votes[ranked[seats].pk]:
        raise ApplicationError("There is a tie for the last seat; break it before recording the results.")
    elected: list[Seat] = []
    for place, nomination in enumerate(ranked):
        nomination.votes = votes[nomination.pk]
        nomination.status = Nomination.Status.ELECTED if place < seats else Nomination.Status.NOT_ELECTED
        nomination.save(update_fields=["votes", "status", "updated_at"])
        if place < seats:
            elected.append(seat_create(term=term, nomination=nomination, actor=actor))
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=term, details={"results": len(ranked)})
    return elected


@transaction.atomic
def seat_create(*, term: Term, nomination: Nomination, actor: User, public_email: str = "") -> Seat:
    """Seat an elected nominee on the NEC for the term and give them the NEC member role."""
    seat = Seat.objects.create(
        term=term,
        holder=nomination.nominee,
        chapter=nomination.chapter,
        nomination=nomination,
        public_email=public_email or nomination.nominee.email,
    )
    NationalRole.objects.get_or_create(user=seat.holder, kind=NationalRole.Kind.NEC_MEMBER)
    return seat


def _pair(items: Sequence[Any]) -> tuple[Any, Any]:
    """Refuse anything but two different items."""
    if len(items) != 2 or items[0].pk == items[1].pk:
        raise ApplicationError("Choose exactly two different co-chairs.")
    return items[0], items[1]


@transaction.atomic
def nec_cochairs_set(*, term: Term, seats: Sequence[Seat], actor: User) -> tuple[Seat, Seat]:
    """Make exactly two of the term's seats its co-chairs, replacing any before, and sync the national roles."""
    first, second = _pair(seats)
    if first.term_id != term.pk or second.term_id != term.pk:
        raise ApplicationError("Co-chairs must hold seats in this term.")
    term.seats.select_for_update().update(cochair_slot=None)
    Seat.objects.filter(pk=first.pk).update(cochair_slot=CochairSlot.FIRST)
    Seat.objects.filter(pk=second.pk).update(cochair_slot=CochairSlot.SECOND)
    if term_current() == term:
        holders = [first.holder_id, second.holder_id]
        NationalRole.objects.filter(kind=NationalRole.Kind.NEC_COCHAIR).exclude(user_id__in=holders).delete()
        for holder in holders:
            NationalRole.objects.get_or_create(user_id=holder, kind=NationalRole.Kind.NEC_COCHAIR)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=term, details={"cochairs": holders_of(term)})
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def holders_of(term: Term) -> list[str]:
    """Return the emails of the term's co-chairs, first slot first."""
    return list(term.seats.filter(cochair_slot__isnull=False).values_list("holder__email", flat=True))


@transaction.atomic
def subcommittee_member_add(*, subcommittee: Subcommittee, seat: Seat, actor: User) -> SubcommitteeMember:
    """Put an NEC seat of the same term on a subcommittee."""
    if seat.term_id != subcommittee.term_id:
        raise ApplicationError("Only NEC members of the same term can join this subcommittee.")
    place, created = SubcommitteeMember.objects.get_or_create(subcommittee=subcommittee, seat=seat)
    if created:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=subcommittee, details={"added": seat.pk})
    return place


@transaction.atomic
def subcommittee_cochairs_set(
    *, subcommittee: Subcommittee, places: Sequence[SubcommitteeMember], actor: User
) -> tuple[SubcommitteeMember, SubcommitteeMember]:
    """Make exactly two of the subcommittee's members its co-chairs, replacing any before."""
    first, second = _pair(places)
    if first.subcommittee_id != subcommittee.pk or second.subcommittee_id != subcommittee.pk:
        raise ApplicationError("Co-chairs must be members of this subcommittee.")
    subcommittee.members.select_for_update().update(cochair_slot=None)
    SubcommitteeMember.objects.filter(pk=first.pk).update(cochair_slot=CochairSlot.FIRST)
    SubcommitteeMember.objects.filter(pk=second.pk).update(cochair_slot=CochairSlot.SECOND)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=subcommittee, details={"cochairs": 2})
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


@transaction.atomic
def support_feedback_give(
    *, chapter: Chapter, rating: int, comment: str, subcommittee: Subcommittee | None, actor: User
) -> SupportFeedback:
    """Record a chapter's rating of the support it received."""
    feedback = _validated(
        SupportFeedback(
            chapter=chapter, rating=rating, comment=comment.strip(), subcommittee=subcommittee, author=actor
        )
    )
    feedback.save()
    return feedback


def _route(kind: str) -> Subcommittee | None:
    """Return the current term's subcommittee for a kind of request, if there is one."""
    term = term_current()
    target = REQUEST_ROUTES.get(AssistanceRequest.Kind(kind))
    if term is None or target is None:
        return None
    return term.subcommittees.filter(kind=target).first()


@transaction.atomic
def assistance_request_file(
    *, chapter: Chapter, kind: str, description: str, urgency: str, actor: User
) -> AssistanceRequest:
    """File a chapter's request for help, routed to the subcommittee for its kind."""
    if not description.strip():
        raise ApplicationError("Say what the chapter needs.")
    request = _validated(
        AssistanceRequest(chapter=chapter, kind=kind, description=description.strip(), urgency=urgency, filed_by=actor)
    )
    request.subcommittee = _route(kind)
    request.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=chapter, target=request)
    return request


@transaction.atomic
def assistance_request_move(
    *, request: AssistanceRequest, status: str, actor: User, subcommittee: Subcommittee | None = None
) -> AssistanceRequest:
    """Move a request along its path, and route it to another subcommittee if given."""
    locked = AssistanceRequest.objects.select_for_update().get(pk=request.pk)
    if status != locked.status and status not in REQUEST_TRANSITIONS[locked.status]:
        raise ApplicationError(
            f"A {locked.get_status_display().lower()} request cannot become "
            f"{AssistanceRequest.Status(status).label.lower()}."
        )
    before = locked.status
    locked.status = status
    if subcommittee is not None:
        locked.subcommittee = subcommittee
    locked.closed_at = timezone.now() if status in AssistanceRequest.CLOSED else None
    locked.save(update_fields=["status", "subcommittee", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.STATUS_CHANGE,
        chapter=locked.chapter,
        target=locked,
        details={"from": before, "to": status},
    )
    return locked


@transaction.atomic
def assistance_comment_add(*, request: AssistanceRequest, body: str, from_nec: bool, actor: User) -> AssistanceComment:
    """Add a message to a request, from the chapter or from the NEC."""
    if not body.strip():
        raise ApplicationError("Write a message first.")
    return AssistanceComment.objects.create(request=request, author=actor, from_nec=from_nec, body=body.strip())


@transaction.atomic
def training_create(
    *,
    title: str,
    starts_at: datetime,
    format: str,
    capacity: int,
    actor: User,
    host_subcommittee: Subcommittee | None = None,
    host_chapter: Chapter | None = None,
    description: str = "",
    location: str = "",
) -> Training:
    """Schedule a training hosted by a subcommittee or by a chapter."""
    if (host_subcommittee is None) == (host_chapter is None):
        raise ApplicationError("A training has one host: a subcommittee or a chapter.")
    training = _validated(
        Training(
            title=title.strip(),
            description=description.strip(),
            starts_at=starts_at,
            format=format,
            capacity=capacity,
            location=location.strip(),
            host_subcommittee=host_subcommittee,
            host_chapter=host_chapter,
            created_by=actor,
        )
    )
    training.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, chapter=host_chapter, target=training)
    return training


@transaction.atomic
def training_signup(*, training: Training, user: User, chapter: Chapter | None) -> TrainingSignup:
    """Sign a member of any chapter up for a training, refusing when it is full or past."""
    locked = Training.objects.select_for_update().get(pk=training.pk)
    if locked.is_past:
        raise ApplicationError("This training has already happened.")
    existing = locked.signups.filter(user=user).first()
    if existing:
        return existing
    if locked.signups.count() >= locked.capacity:
        raise ApplicationError("This training is full.")
    return TrainingSignup.objects.create(training=locked, user=user, chapter=chapter)


@transaction.atomic
def training_signup_cancel(*, training: Training, user: User) -> None:
    """Give up a place at a training."""
    training.signups.filter(user=user).delete()


@transaction.atomic
def training_attendance_record(*, training: Training, attended_ids: set[int], actor: User) -> int:
    """Mark who came: the given signups attended, the others did not. Return how many came."""
    signups = training.signups.select_for_update()
    unknown = attended_ids - set(signups.values_list("pk", flat=True))
    if unknown:
        raise ApplicationError("Some of those people are not signed up for this training.")
    signups.filter(pk__in=attended_ids).update(attended=True)
    signups.exclude(pk__in=attended_ids).update(attended=False)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=training, details={"attended": len(attended_ids)})
    return len(attended_ids)


@transaction.atomic
def training_material_upload(*, training: Training, title: str, upload: UploadedFile, actor: User) -> TrainingMaterial:
    """Add a file to a training's materials, refusing unknown types and oversized files."""
    name = (upload.name or "").lower()
    if not name.endswith(MATERIAL_EXTENSIONS):
        raise ApplicationError("Upload a PDF, slides, a document, text or an image.")
    if (upload.size or 0) > settings.COMMITTEE_MATERIAL_MAX_BYTES:
        limit = settings.COMMITTEE_MATERIAL_MAX_BYTES // (1024 * 1024)
        raise ApplicationError(f"The file is larger than {limit} MB.")
    if (upload.size or 0) == 0:
        raise ApplicationError("The file is empty.")
    material = TrainingMaterial(training=training, title=title.strip() or upload.name or "Material", uploaded_by=actor)
    material.file.save(upload.name or "material", upload, save=False)
    material.save()
    return material


@transaction.atomic
def statewide_table_create(*, state: str, name: str, chapters: Sequence[Chapter], actor: User) -> StatewideTable:
    """Form a statewide table from chapters of its state."""
    if any(chapter.state != state for chapter in chapters):
        raise ApplicationError("A statewide table groups chapters of its own state only.")
    table = _validated(StatewideTable(state=state, name=name.strip()))
    try:
        table.save()
    except IntegrityError as error:
        raise ApplicationError("This state already has a table.") from error
    table.chapters.set(chapters)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=table)
    return table


def quarter_start(day: date) -> date:
    """Return the first day of the day's quarter."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


@transaction.atomic
def capacity_assessment_submit(
    *, chapter: Chapter, scores: dict[str, int], comments: str, actor: User, period: date | None = None
) -> CapacityAssessment:
    """Record the chapter's self-assessment for a quarter, replacing that quarter's earlier one."""
    period = quarter_start(period or timezone.localdate())
    assessment = CapacityAssessment.objects.filter(chapter=chapter, period=period).first() or CapacityAssessment(
        chapter=chapter, period=period
    )
    for name in CapacityAssessment.DIMENSIONS:
        if name not in scores:
            raise ApplicationError(f"Score {name} from 1 to 5.")
        setattr(assessment, name, scores[name])
    assessment.comments = comments.strip()
    assessment.submitted_by = actor
    _validated(assessment).save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, chapter=chapter, target=assessment)
    return assessment


def _unique_slug(title: str, period_end: date) -> str:
    base = slugify(f"{title} {period_end:%Y-%m}")[:70] or "report"
    slug, number = base, 2
    while Report.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def report_create(*, title: str, period_start: date, period_end: date, actor: User) -> Report:
    """Start a draft report for a period."""
    if period_end < period_start:
        raise ApplicationError("The period must end on or after its start.")
    report = _validated(
        Report(
            title=title.strip(),
            slug=_unique_slug(title, period_end),
            period_start=period_start,
            period_end=period_end,
            created_by=actor,
        )
    )
    report.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=report)
    return report


def _editable(report: Report) -> None:
    if report.is_published:
        raise ApplicationError("A published report cannot change; its public address is permanent.")


@transaction.atomic
def report_section_save(
    *, report: Report, heading: str, body: str, actor: User, section: ReportSection | None = None
) -> ReportSection:
    """Add or change a narrative section of a draft report."""
    _editable(report)
    if not heading.strip() or not body.strip():
        raise ApplicationError("A section needs a heading and some text.")
    section = section or ReportSection(report=report, position=report.sections.count())
    section.heading, section.body = heading.strip(), body.strip()
    section.save()
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    return section


@transaction.atomic
def report_section_delete(*, report: Report, section: ReportSection, actor: User) -> None:
    """Remove a narrative section from a draft report."""
    _editable(report)
    section.delete()
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())


@transaction.atomic
def report_render_request(*, report: Report, actor: User) -> ReportRender:
    """Queue the PDF render of a draft report; a render already queued or running is reused."""
    _editable(report)
    running = report.renders.exclude(status__in=ReportRender.FINISHED).first()
    if running:
        return running
    render = ReportRender.objects.create(report=report, created_by=actor)
    from committee.tasks import report_render_task

    transaction.on_commit(lambda: report_render_task.delay(render.pk))
    return render


@transaction.atomic
def report_publish(*, report: Report, actor: User) -> Report:
    """Publish a rendered report at its permanent address and tell the NPC members."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_published:
        return locked
    if not locked.pdf or locked.rendered_at is None or locked.rendered_at < locked.updated_at:
        raise ApplicationError("Render the PDF of the latest version before publishing.")
    locked.status = Report.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    audit_record(actor=actor, action=AuditEvent.Action.PUBLISH, target=locked)
    from committee.tasks import report_notify_npc_task

    transaction.on_commit(lambda: report_notify_npc_task.delay(locked.pk))
    return locked


def report_npc_notify(*, report: Report) -> int:
    """Email every NPC member the published report's permanent address; return how many were told."""
    emails = sorted(
        set(NationalRole.objects.filter(kind=NationalRole.Kind.NPC_MEMBER).values_list("user__email", flat=True))
    )
    link = settings.SITE_URL.rstrip("/") + report.get_public_url()
    body = render_to_string("committee/email/report_published.txt", {"report": report, "link": link})
    subject = f"NEC report published: {report.title}"
    return send_mass_mail([(subject, body, None, [email]) for email in emails])
