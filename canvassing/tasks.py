"""The field operation's Celery tasks: thin wrappers that call services with ids."""

from __future__ import annotations

from canvassing import services
from core.tasks import retrying_task


@retrying_task()
def walk_list_render_task(job_id: int) -> None:
    """Render a turf's walk list PDF."""
    services.walk_list_render(job_id=job_id)


@retrying_task()
def shift_reminders_send_task() -> int:
    """Email reminders for shifts starting soon; Celery beat runs this every quarter hour."""
    return services.shift_reminders_send()
