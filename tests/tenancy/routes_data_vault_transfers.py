"""Tenancy walk entries for the vault's imports (pages and API) and whole-vault exports."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from data_vault.models import ExportJob, ImportJob, ImportRejection
from tests.tenancy.registry import Route, Scoped


def build(w: SimpleNamespace) -> None:
    """Give chapter A a finished import with one rejected row."""
    w.import_job = ImportJob.objects.create(
        chapter=w.chapter,
        created_by=w.organizer.user,
        file="imports/alpha-voters.csv",
        original_name="alpha-voters.csv",
        header=["first_name", "last_name"],
        mapping={"first_name": "first_name", "last_name": "last_name"},
        confirmed_at=timezone.now(),
        status=ImportJob.Status.DONE,
        created_count=10,
        rejected_count=1,
    )
    ImportRejection.objects.create(job=w.import_job, row_number=3, column="zip", value="ABC", reason="Not a zip code")
    w.vault_export = ExportJob.objects.create(
        chapter=w.chapter,
        kind=ExportJob.Kind.VAULT,
        created_by=w.chair.user,
        status=ExportJob.Status.DONE,
        file="exports/alpha-vault.zip",
        row_count=10,
        expires_at=timezone.now() + timedelta(hours=1),
    )


def _chapter(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug}


def _job(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug, "pk": w.import_job.pk}


def _export(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug, "pk": w.vault_export.pk}


ROUTES: dict[str, Route] = {
    "data_vault:import_list": Scoped(_chapter, methods=("GET", "POST")),
    "data_vault:import_detail": Scoped(_job),
    "data_vault:import_mapping": Scoped(_job, methods=("GET", "POST")),
    "data_vault:import_progress": Scoped(_job),
    "data_vault:import_cancel": Scoped(_job, methods=("POST",)),
    "data_vault:import_rejections_csv": Scoped(_job),
    "data_vault:vault_export_list": Scoped(_chapter, methods=("GET", "POST")),
    "data_vault:vault_export_detail": Scoped(_export),
    "data_vault:vault_export_progress": Scoped(_export),
    "data_vault:vault_export_download": Scoped(_export),
    "api:import_list": Scoped(_chapter, methods=("GET", "POST")),
    "api:import_detail": Scoped(_job),
    "api:import_rejection_list": Scoped(_job),
    "api:import_cancel": Scoped(_job, methods=("POST",)),
}
