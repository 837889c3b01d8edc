"""The committee's Celery tasks: thin wrappers that call services with ids."""

from __future__ import annotations

from committee.models import Report
from committee.pdf import report_render
from committee.services import report_npc_notify
from core.tasks import retrying_task


@retrying_task()
def report_render_task(render_id: int) -> None:
    """Render a report's PDF, with progress."""
    report_render(render_id=render_id)


@retrying_task()
def report_notify_npc_task(report_id: int) -> int:
    """Email the NPC members a published report's address; return how many were told."""
    return report_npc_notify(report=Report.objects.get(pk=report_id, status=Report.Status.PUBLISHED))
