"""The vault's Celery tasks: thin wrappers that call services with ids."""

from core.tasks import retrying_task
from data_vault import services

# Imports and whole-vault exports.


# People, lists, list exports and housekeeping.


@retrying_task()
def list_export_task(job_id: int) -> None:
    """Write a list export's CSV."""
    services.list_export_run(job_id=job_id)
