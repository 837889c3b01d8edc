"""The field operation's Celery tasks: thin wrappers that call services with ids."""

from __future__ import annotations

from canvassing import services
from canvassing.models import Campaign
from core.tasks import retrying_task


@retrying_task()
def walk_list_render_task(job_id: int) -> None:
    """Render a turf's walk list PDF."""
    services.walk_list_render(job_id=job_id)


@retrying_task()
def shift_reminders_send_task() -> int:
    """Email reminders for shifts starting soon; Celery beat runs this every quarter hour."""
    return services.shift_reminders_send()


@retrying_task()
def quality_flags_detect_task(campaign_id: int) -> int:
    """Flag a campaign's suspicious results for its captains."""
    campaign = Campaign.objects.get(pk=campaign_id)
    return len(services.quality_flags_detect(campaign=campaign))


@retrying_task()
def quality_flags_detect_all_task() -> int:
    """Flag suspicious results in every active campaign; Celery beat runs this every ten minutes."""
    flagged = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.ACTIVE):
        flagged += len(services.quality_flags_detect(campaign=campaign))
    return flagged
