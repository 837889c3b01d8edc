"""The endorsements app's Celery tasks: thin wrappers that call services with ids."""

from __future__ import annotations

from core.models import Job
from core.services import job_finish
from core.tasks import retrying_task
from endorsements.models import PacketJob
from endorsements.pdf import packet_render


@retrying_task(name="endorsements.packet_render")
def packet_render_task(job_id: int) -> None:
    """Render the packet PDF; a job already finished is left alone, so running twice is safe."""
    job = PacketJob.objects.select_related("endorsement__chapter", "endorsement__race", "endorsement__candidate").get(
        pk=job_id
    )
    if job.is_finished:
        return
    try:
        packet_render(job)
    except Exception as error:
        job_finish(job, status=Job.Status.FAILED, error=f"The packet could not be rendered: {error}")
        raise
