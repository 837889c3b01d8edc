"""The committee's Celery tasks: thin wrappers that call services with ids."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string

from chapters.models import NationalRole
from committee.models import Report
from committee.pdf import report_render
from core.tasks import retrying_task


@retrying_task()
def report_render_task(render_id: int) -> None:
    """Render a report's PDF, with progress."""
    report_render(render_id=render_id)


@retrying_task()
def report_notify_npc_task(report_id: int) -> int:
    """Email every NPC member the published report's permanent address; return how many were told."""
    report = Report.objects.get(pk=report_id, status=Report.Status.PUBLISHED)
    emails = sorted(
        set(NationalRole.objects.filter(kind=NationalRole.Kind.NPC_MEMBER).values_list("user__email", flat=True))
    )
    link = settings.SITE_URL.rstrip("/") + report.get_public_url()
    body = render_to_string("committee/email/report_published.txt", {"report": report, "link": link})
    subject = f"NEC report published: {report.title}"
    return send_mass_mail([(subject, body, None, [email]) for email in emails])
