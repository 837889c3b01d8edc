"""Reports to the NPC: figures from a known dataset, the PDF read back, publishing and the public pages."""

from __future__ import annotations

import io
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from canvassing.models import Campaign
from chapters.models import NationalRole
from committee import services
from committee.figures import report_figures
from committee.models import AssistanceRequest, Report, ReportRender, Training
from committee.pdf import report_render
from committee.tasks import report_notify_npc_task
from data_vault.models import ContactEvent
from endorsements.models import EndorsementStatus, NationalRequest
from tests.data_vault.factories import ContactEventFactory
from tests.endorsements.factories import EndorsementFactory
from tests.factories import ChapterFactory, MembershipFactory, NationalRoleFactory

START, END = date(2026, 1, 1), date(2026, 3, 31)
PERSONAL = "Zebediah Quuxington"


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _known_dataset(chapter, other_chapter, cochair, field) -> None:
    """Three chapters, with work inside the period and some just outside it."""
    third = ChapterFactory.create(name="Gamma Socialists")
    Campaign.objects.create(chapter=chapter, name="Council race", kind="candidate", status="active", starts_on=START)
    Campaign.objects.create(chapter=chapter, name="Rent vote", kind="ballot_measure", status="completed",
                            starts_on=date(2025, 9, 1), ends_on=date(2026, 1, 15))  # fmt: skip
    Campaign.objects.create(chapter=other_chapter, name="Tenants", kind="issue", status="active")
    Campaign.objects.create(chapter=third, name="Not yet", kind="candidate", status="draft")
    Campaign.objects.create(chapter=third, name="Old race", kind="candidate", status="completed",
                            starts_on=date(2025, 1, 1), ends_on=date(2025, 11, 1))  # fmt: skip
    person = ContactEventFactory.create(chapter=chapter, channel="door", result="contact",
                                        occurred_at=_at(date(2026, 1, 10)), person__first_name="Zebediah",
                                        person__last_name="Quuxington").person  # fmt: skip
    for day, channel, result in (
        (date(2026, 1, 11), "door", "not_home"),
        (date(2026, 2, 2), "door", "contact"),
        (date(2026, 2, 3), "phone", "contact"),
        (date(2026, 3, 31), "text", "replied"),
        (date(2025, 12, 31), "door", "contact"),  # before the period
        (date(2026, 4, 1), "door", "contact"),  # after it
    ):
        ContactEventFactory.create(chapter=chapter, person=person, channel=channel, result=result, occurred_at=_at(day))
    ContactEventFactory.create(
        chapter=other_chapter, channel="door", result="refused", occurred_at=_at(date(2026, 3, 1))
    )
    requests = []
    for created, closed, status in (
        (date(2026, 1, 5), date(2026, 1, 7), "done"),  # 2 days
        (date(2026, 1, 10), date(2026, 1, 16), "declined"),  # 6 days
        (date(2025, 12, 20), date(2026, 1, 30), "done"),  # opened before, closed inside: 41 days
        (date(2026, 3, 1), None, "in_progress"),
    ):
        request = services.assistance_request_file(
            chapter=chapter, kind="training", description="Alpha private request text", urgency="low", actor=cochair
        )
        AssistanceRequest.objects.filter(pk=request.pk).update(
            created_at=_at(created), closed_at=_at(closed) if closed else None, status=status
        )
        requests.append(request)
    held = services.training_create(title="Held", starts_at=_at(date(2026, 2, 10)), format="online", capacity=5,
                                    host_subcommittee=field, actor=cochair)  # fmt: skip
    Training.objects.filter(pk=held.pk).update(starts_at=_at(date(2026, 2, 10)))
    for membership, came in ((MembershipFactory.create(chapter=chapter), True),
                             (MembershipFactory.create(chapter=other_chapter), True),
                             (MembershipFactory.create(chapter=other_chapter), False)):  # fmt: skip
        held.signups.create(user=membership.user, chapter=membership.chapter, attended=came)
    services.training_create(title="Later", starts_at=_at(date(2026, 5, 1)), format="online", capacity=5,
                             host_subcommittee=field, actor=cochair)  # fmt: skip
    scores = dict.fromkeys(("field", "data", "messaging", "research", "fundraising", "compliance"), 2)
    for status, submitted in (
        (EndorsementStatus.NEC_REVIEW, date(2026, 2, 1)),
        (EndorsementStatus.NEC_REVIEW, date(2026, 3, 1)),
        (EndorsementStatus.NATIONALLY_ENDORSED, date(2026, 1, 20)),
        (EndorsementStatus.NEC_REVIEW, date(2025, 11, 1)),  # filed before the period
    ):
        national = NationalRequest.objects.create(
            endorsement=EndorsementFactory.create(chapter=chapter, status=status),
            local_request="Endorse and phonebank",
            deadline=date(2026, 9, 1),
        )
        NationalRequest.objects.filter(pk=national.pk).update(submitted_at=_at(submitted))
    EndorsementFactory.create(chapter=other_chapter, status=EndorsementStatus.ENDORSED_LOCALLY)  # no national request
    services.capacity_assessment_submit(chapter=chapter, scores={**scores, "field": 4}, comments="", actor=cochair,
                                        period=date(2026, 2, 1))  # fmt: skip
    services.capacity_assessment_submit(chapter=other_chapter, scores=scores, comments="", actor=cochair,
                                        period=date(2026, 1, 1))  # fmt: skip


@pytest.fixture
def dataset(chapter, other_chapter, cochair, field) -> None:
    _known_dataset(chapter, other_chapter, cochair, field)


def test_figures_match_a_known_dataset(dataset):
    figures = report_figures(period_start=START, period_end=END)
    assert figures["campaigns"] == {
        "campaigns": 3,
        "electoral_campaigns": 2,
        "issue_campaigns": 1,
        "chapters_electoral": 1,
        "chapters_active": 2,
        "chapters_total": 3,
    }
    assert figures["contacts"]["doors"] == 4
    assert figures["contacts"]["conversations"] == 4
    assert figures["contacts"]["attempts"] == 6
    assert [m["month"] for m in figures["contacts"]["by_month"]] == ["2026-01", "2026-02", "2026-03"]
    assert figures["assistance"] == {
        "opened": 3,
        "closed": 3,
        "open_at_end": 1,
        "median_days_to_close": 6.0,
        "opened_by_kind": {"Training": 3},
    }
    assert figures["endorsements"] == {"NEC review": 2, "Nationally endorsed": 1}
    assert figures["trainings"] == {"held": 1, "signed_up": 3, "attended": 2, "chapters_attending": 2}
    assert figures["capacity"]["chapters"] == 2
    assert figures["capacity"]["averages"]["field"] == 3.0
    assert figures["capacity"]["averages"]["data"] == 2.0


@pytest.mark.parametrize("chapters", [2, 20])
def test_figures_take_a_fixed_number_of_queries(chapters, cochair, field, django_assert_num_queries):
    for _ in range(chapters):
        chapter = ChapterFactory.create()
        Campaign.objects.create(chapter=chapter, name="Race", kind="candidate", status="active")
        ContactEventFactory.create(chapter=chapter, channel="door", result="contact", occurred_at=_at(date(2026, 2, 1)))
        services.assistance_request_file(chapter=chapter, kind="press", description="x", urgency="low", actor=cochair)
        NationalRequest.objects.create(
            endorsement=EndorsementFactory.create(chapter=chapter, status=EndorsementStatus.NEC_REVIEW),
            local_request="Endorse",
            deadline=date(2026, 9, 1),
        )
    with django_assert_num_queries(7):
        figures = report_figures(period_start=START, period_end=END)
    assert figures["campaigns"]["chapters_electoral"] == chapters
    assert figures["contacts"]["doors"] == chapters


def _rendered_report(cochair) -> Report:
    report = services.report_create(title="Q1 2026 report", period_start=START, period_end=END, actor=cochair)
    services.report_section_save(report=report, heading="Field work", body="Locals knocked doors.", actor=cochair)
    render = ReportRender.objects.create(report=report, created_by=cochair)
    report_render(render_id=render.pk)
    report.refresh_from_db()
    return report


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_holds_the_figures_and_narrative_and_no_personal_data(dataset, cochair):
    report = _rendered_report(cochair)
    text = _pdf_text(report.pdf.read())
    assert "Q1 2026 report" in text
    assert "Field work" in text
    assert "Locals knocked doors." in text
    assert "Doors knocked" in text
    assert "Median days to close a request" in text
    assert "6.0" in text
    assert "Endorsement requests: Nationally endorsed" in text
    assert "Zebediah" not in text
    assert "Quuxington" not in text


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_renders_the_pdf_with_progress(celery_worker, client, chapter, other_chapter):
    from tests.committee.conftest import seat_for

    today = date.today()
    cochair = NationalRoleFactory.create(kind=NationalRole.Kind.NEC_COCHAIR).user
    term = services.term_create(name="T", starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=9),
                                actor=cochair)  # fmt: skip
    seat_for(term, chapter, "Someone")
    report = services.report_create(title="Worker report", period_start=START, period_end=END, actor=cochair)
    client.force_login(cochair)
    client.post(reverse("committee:report_render", kwargs={"pk": report.pk}))
    render = ReportRender.objects.get(report=report)
    for _ in range(600):
        render.refresh_from_db()
        if render.is_finished:
            break
        time.sleep(0.1)
    assert render.status == ReportRender.Status.DONE, render.error
    assert (render.done, render.total) == (4, 4)
    report.refresh_from_db()
    assert "Worker report" in _pdf_text(report.pdf.read())
    progress = client.get(reverse("committee:report_render_progress", kwargs={"pk": report.pk, "render": render.pk}))
    assert "Done" in progress.content.decode()


def test_publishing_needs_a_fresh_render(cochair):
    report = services.report_create(title="Unrendered", period_start=START, period_end=END, actor=cochair)
    with pytest.raises(services.ApplicationError, match="Render the PDF"):
        services.report_publish(report=report, actor=cochair)
    rendered = _rendered_report(cochair)
    services.report_section_save(report=rendered, heading="Late", body="Changed after render.", actor=cochair)
    with pytest.raises(services.ApplicationError, match="latest version"):
        services.report_publish(report=rendered, actor=cochair)


def test_publishing_gives_a_public_address_and_emails_the_npc(
    client, cochair, npc_member, django_capture_on_commit_callbacks
):
    report = _rendered_report(cochair)
    client.force_login(cochair)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("committee:report_publish", kwargs={"pk": report.pk}))
    report.refresh_from_db()
    assert report.status == Report.Status.PUBLISHED
    assert len(callbacks) == 1
    assert report_notify_npc_task(report.pk) == 1
    assert mail.outbox[0].to == [npc_member.email]
    assert report.get_public_url() in mail.outbox[0].body
    with pytest.raises(services.ApplicationError, match="cannot change"):
        services.report_section_save(report=report, heading="After", body="Too late", actor=cochair)


def test_only_nec_cochairs_write_reports(client, nec_member, npc_member):
    for user in (nec_member, npc_member):
        client.force_login(user)
        assert client.get(reverse("committee:report_list")).status_code == 404


def test_public_pages_need_no_login_are_cacheable_and_hold_no_personal_data(
    client, dataset, cochair, cochairs, chapter
):
    bystander = MembershipFactory.create(chapter=chapter, user__email="not-on-the-nec@example.org")
    report = _rendered_report(cochair)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.PUBLISHED, published_at=report.rendered_at)
    client.logout()
    pages = {
        "roster": client.get(reverse("committee:public_roster")),
        "reports": client.get(reverse("committee:public_reports")),
        "report": client.get(report.get_public_url()),
        "roster_api": client.get(reverse("api:committee_roster")),
        "reports_api": client.get(reverse("api:committee_report_list")),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = response.content.decode()
        assert "Zebediah" not in body, name
        assert "Quuxington" not in body, name
        assert bystander.user.email not in body, name
        assert "Alpha private request text" not in body, name
    for name in ("roster", "reports", "report"):
        assert "public" in pages[name]["Cache-Control"]
        assert "max-age=300" in pages[name]["Cache-Control"]
        assert not pages[name].cookies, f"{name} sets a cookie, so shared caches would not keep it"
    roster = pages["roster"].content.decode()
    assert cochairs[0].public_email in roster
    assert "NEC co-chair" in roster
    assert "Q1 2026 report" in pages["reports"].content.decode()
    pdf = client.get(reverse("committee:public_report_pdf", kwargs={"slug": report.slug}))
    assert pdf["Content-Type"] == "application/pdf"
    assert "Q1 2026 report" in _pdf_text(b"".join(pdf.streaming_content))


def test_drafts_are_not_public(client, cochair):
    report = services.report_create(title="Secret draft", period_start=START, period_end=END, actor=cochair)
    report.pdf.save("draft.pdf", ContentFile(b"%PDF-1.4"), save=True)
    assert client.get(report.get_public_url()).status_code == 404
    assert client.get(reverse("committee:public_report_pdf", kwargs={"slug": report.slug})).status_code == 404
    assert "Secret draft" not in client.get(reverse("committee:public_reports")).content.decode()
    assert client.get(reverse("api:committee_report_detail", kwargs={"slug": report.slug})).status_code == 404


def test_contact_events_are_not_named_in_stored_figures(dataset, cochair):
    report = _rendered_report(cochair)
    assert PERSONAL.split()[0] not in str(report.figures)
    assert ContactEvent.objects.exists()
