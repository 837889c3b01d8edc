"""The vault's Celery tasks: thin wrappers that call services with ids."""

from core.tasks import retrying_task
from data_vault import services

# Imports and whole-vault exports.


@retrying_task()
def import_job_run_task(job_id: int) -> None:
    """Import a confirmed job's file; a re-delivered task after a worker died imports it once."""
    from data_vault.importers.jobs import import_job_run

    import_job_run(job_id=job_id)


@retrying_task()
def vault_export_run_task(job_id: int) -> None:
    """Write a whole-vault export's zip; a finished export is left alone."""
    from data_vault.exporters import vault_export_run

    vault_export_run(job_id=job_id)


# People, lists, list exports and housekeeping.


@retrying_task()
def list_export_task(job_id: int) -> None:
    """Write a list export's CSV."""
    services.list_export_run(job_id=job_id)
