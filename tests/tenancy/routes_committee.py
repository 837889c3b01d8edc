"""Tenancy walk entries for the committee: chapter A's requests, the NEC's pages, trainings, tables and public pages."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committee import services
from committee.models import Report, ReportRender, Subcommittee
from tests.factories import MembershipFactory
from tests.tenancy.registry import OwnOnly, Public, Route, Scoped


def build(w: SimpleNamespace) -> None:
    """Give chapter A an NEC seat, a request for help, a training, a table, an assessment and reports."""
    today = timezone.localdate()
    cochair = w.chair.user
    w.term = services.term_create(
        name="Walk term", starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=300), actor=cochair
    )
    seats = []
    for membership in (w.chair, w.organizer):
        nomination = services.nomination_create(term=w.term, nominee=membership.user, chapter=w.chapter, actor=cochair)
        seats.append(services.seat_create(term=w.term, nomination=nomination, actor=cochair))
    services.nec_cochairs_set(term=w.term, seats=seats, actor=cochair)
    w.subcommittee = w.term.subcommittees.get(kind=Subcommittee.Kind.FIELD)
    w.request = services.assistance_request_file(
        chapter=w.chapter, kind="training", description="Alpha needs canvass training", urgency="high", actor=cochair
    )
    services.assistance_comment_add(request=w.request, body="Alpha's secret note", from_nec=False, actor=cochair)
    w.training = services.training_create(
        title="Alpha turf skill-share",
        starts_at=timezone.now() + timedelta(days=7),
        format="online",
        capacity=10,
        host_chapter=w.chapter,
        actor=w.organizer.user,
    )
    attendee = MembershipFactory.create(chapter=w.chapter, user__email="alpha-attendee@example.org")
    services.training_signup(training=w.training, user=attendee.user, chapter=w.chapter)
    w.material = services.training_material_upload(
        training=w.training,
        title="Alpha slides",
        upload=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 walk"),
        actor=w.organizer.user,
    )
    w.table = services.statewide_table_create(state="NC", name="Alpha table", chapters=[w.chapter], actor=cochair)
    services.capacity_assessment_submit(
        chapter=w.chapter,
        scores=dict.fromkeys(("field", "data", "messaging", "research", "fundraising", "compliance"), 3),
        comments="",
        actor=cochair,
    )
    w.report = services.report_create(
        title="Draft report", period_start=today - timedelta(days=90), period_end=today, actor=cochair
    )
    w.section = services.report_section_save(report=w.report, heading="Field", body="Doors.", actor=cochair)
    w.render = ReportRender.objects.create(report=w.report, created_by=cochair, status=ReportRender.Status.DONE)
    w.published = services.report_create(
        title="Published report", period_start=today - timedelta(days=90), period_end=today, actor=cochair
    )
    w.published.pdf.save("walk.pdf", ContentFile(b"%PDF-1.4 walk"), save=False)
    w.published.status, w.published.published_at = Report.Status.PUBLISHED, timezone.now()
    w.published.save()


def _chapter(w: SimpleNamespace) -> dict[str, str]:
    return {"chapter": w.chapter.slug}


def _pk(attribute: str) -> Scoped:
    return Scoped(lambda w: {"pk": getattr(w, attribute).pk})


def _post(attribute: str) -> Scoped:
    return Scoped(lambda w: {"pk": getattr(w, attribute).pk}, methods=("POST",))


PUBLIC_REPORT = "A published report holds aggregates only, at its permanent public address."

ROUTES: dict[str, Route] = {
    # A chapter's side.
    "committee:request_list": Scoped(_chapter, methods=("GET", "POST")),
    "committee:request_detail": Scoped(lambda w: {**_chapter(w), "pk": w.request.pk}, methods=("GET", "POST")),
    "committee:feedback_give": Scoped(_chapter, methods=("GET", "POST")),
    "committee:capacity": Scoped(_chapter, methods=("GET", "POST")),
    "committee:nominate": Scoped(_chapter, methods=("GET", "POST")),
    "committee:chapter_training_create": Scoped(_chapter, methods=("GET", "POST")),
    # The NEC's side: an outsider with no national role gets 404 everywhere.
    "committee:nec_home": Scoped(),
    "committee:nec_request_list": Scoped(),
    "committee:nec_request_detail": Scoped(lambda w: {"pk": w.request.pk}, methods=("GET", "POST")),
    "committee:nec_request_move": _post("request"),
    "committee:heatmap": Scoped(),
    "committee:feedback_list": Scoped(),
    "committee:term_list": Scoped(methods=("GET", "POST")),
    "committee:term_detail": _pk("term"),
    "committee:term_results": _post("term"),
    "committee:term_cochairs": _post("term"),
    "committee:subcommittee_detail": _pk("subcommittee"),
    "committee:subcommittee_member_add": _post("subcommittee"),
    "committee:subcommittee_cochairs": _post("subcommittee"),
    "committee:table_create": Scoped(methods=("GET", "POST")),
    "committee:nec_training_create": Scoped(methods=("GET", "POST")),
    "committee:report_list": Scoped(methods=("GET", "POST")),
    "committee:report_detail": Scoped(lambda w: {"pk": w.report.pk}, methods=("GET", "POST")),
    "committee:report_section_delete": Scoped(
        lambda w: {"pk": w.report.pk, "section": w.section.pk}, methods=("POST",)
    ),
    "committee:report_render": _post("report"),
    "committee:report_render_progress": Scoped(lambda w: {"pk": w.report.pk, "render": w.render.pk}),
    "committee:report_pdf": _pk("published"),
    "committee:report_publish": _post("report"),
    # Trainings are open to members of every chapter; only hosts see who signed up or record attendance.
    "committee:training_list": OwnOnly(hidden=lambda w: ["alpha-attendee@example.org"]),
    "committee:training_library": OwnOnly(hidden=lambda w: ["alpha-attendee@example.org"]),
    "committee:training_detail": OwnOnly(
        lambda w: {"pk": w.training.pk}, hidden=lambda w: ["alpha-attendee@example.org"]
    ),
    "committee:training_signup": OwnOnly(
        lambda w: {"pk": w.training.pk}, hidden=lambda w: ["alpha-attendee@example.org"]
    ),
    "committee:training_attendance": Scoped(lambda w: {"pk": w.training.pk}, methods=("GET", "POST")),
    "committee:material_upload": _post("training"),
    "committee:material_download": OwnOnly(lambda w: {"pk": w.material.pk}),
    # Statewide tables: members of their chapters and the NEC.
    "committee:table_list": OwnOnly(hidden=lambda w: [w.table.name]),
    "committee:table_detail": Scoped(lambda w: {"state": w.table.state}),
    # Public pages.
    "committee:public_roster": Public("The published roster: names, chapters, roles and public contact emails."),
    "committee:public_reports": Public("Lists published reports only."),
    "committee:public_report": Public(PUBLIC_REPORT, kwargs=lambda w: {"slug": w.published.slug}),
    "committee:public_report_pdf": Public(PUBLIC_REPORT, kwargs=lambda w: {"slug": w.published.slug}),
    # API.
    "api:committee_roster": Public("The published roster, as on the public page."),
    "api:committee_report_list": Public("Published reports: aggregates only."),
    "api:committee_report_detail": Public(PUBLIC_REPORT, kwargs=lambda w: {"slug": w.published.slug}),
    "api:committee_training_list": OwnOnly(hidden=lambda w: ["alpha-attendee@example.org"]),
    "api:committee_request_list": Scoped(_chapter),
    "api:committee_request_detail": Scoped(lambda w: {**_chapter(w), "pk": w.request.pk}),
}
