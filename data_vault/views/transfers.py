"""Pages for data in and out: imports (upload, mapping, progress, rejected rows) and whole-vault exports."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from chapters.selectors import membership_get_for_user
from core.errors import ApplicationError
from core.exports import csv_safe_row
from core.models import AuditEvent
from core.services import audit_record, job_progress_get
from core.types import AuthedRequest
from data_vault import permissions
from data_vault.exporters import export_ttl, vault_export_start
from data_vault.exporters import vault_export_download as vault_export_download_open
from data_vault.importers import jobs
from data_vault.importers.presets import FIELDS, PRESET_CHOICES, PRESETS, REQUIRED_FIELDS
from data_vault.models import ExportJob, ImportJob

REJECTIONS_SHOWN = 50


class ImportUploadForm(forms.Form):
    """The file to import, and its layout when the organizer knows it."""

    file = forms.FileField(
        label="Voter file or contact list",
        help_text="CSV, tab- or pipe-separated text, or XLSX; plain or in a .zip or .gz.",
    )
    preset = forms.ChoiceField(
        label="Layout",
        required=False,
        choices=[("", "Detect it from the file"), *PRESET_CHOICES],
    )


@login_required
def import_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Show the chapter's imports and take a new upload."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.IMPORT_PEOPLE)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = jobs.import_job_create(
                chapter=membership.chapter,
                actor=request.user,
                upload=upload,
                original_name=upload.name,
                preset=form.cleaned_data["preset"],
            )
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            return redirect("data_vault:import_mapping", chapter=chapter, pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "data_vault/import_list.html",
        {
            "chapter": membership.chapter,
            "membership": membership,
            "form": form,
            "imports": jobs.import_job_list(chapter=membership.chapter)[:50],
            "max_megabytes": jobs.import_max_bytes() // (1024 * 1024),
        },
        status=status,
    )


@login_required
def import_mapping(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show the file's header and first rows with the guessed mapping; confirm it to start the import."""
    job = jobs.import_job_get_for_user(user=request.user, chapter_slug=chapter, pk=pk)
    if job.confirmed_at is not None:
        return redirect(job.get_absolute_url())
    mapping = dict(job.mapping)
    error = ""
    if request.method == "POST":
        mapping = dict(jobs.mapping_from_form(request.POST, job.header))
        try:
            job = jobs.import_job_confirm(job=job, mapping=mapping, actor=request.user)
        except ApplicationError as refusal:
            error = refusal.message
        else:
            return redirect(job.get_absolute_url())
    missing = [
        vault_field.label
        for vault_field in FIELDS
        if vault_field.name in REQUIRED_FIELDS and not mapping.get(vault_field.name)
    ]
    fields = [
        {
            "name": vault_field.name,
            "label": vault_field.label,
            "required": vault_field.name in REQUIRED_FIELDS,
            "chosen": " + ".join(mapping[vault_field.name])
            if isinstance(mapping.get(vault_field.name), list)
            else mapping.get(vault_field.name, ""),
        }
        for vault_field in FIELDS
    ]
    combined = sorted({str(field["chosen"]) for field in fields if " + " in str(field["chosen"])})
    examples = _column_examples(job.header, job.sample_rows, combined)
    for field in fields:
        field["example"] = examples.get(str(field["chosen"]), "")
    return render(
        request,
        "data_vault/import_mapping.html",
        {
            "chapter": job.chapter,
            "job": job,
            "fields": fields,
            "columns": [*job.header, *combined],
            "examples": examples,
            "preset_label": PRESETS[job.preset].label if job.preset in PRESETS and job.preset != "generic" else "",
            "error": error or (f"Choose the column for {' and '.join(missing).lower()}." if missing else ""),
        },
        status=400 if error else 200,
    )


def _column_examples(header: list[str], rows: list[list[str]], combined: list[str]) -> dict[str, str]:
    """Return each column's first filled cell in the file's first rows, and joined columns' cells joined."""
    examples = {
        column: next((row[index].strip() for row in rows if index < len(row) and row[index].strip()), "")
        for index, column in enumerate(header)
    }
    for joined in combined:
        examples[joined] = " ".join(filter(None, (examples.get(part, "") for part in joined.split(" + "))))
    return examples


def _progress_context(job: ImportJob) -> dict[str, object]:
    return {
        "job": job,
        "progress": job_progress_get(job),
        "poll_url": reverse("data_vault:import_progress", kwargs={"chapter": job.chapter.slug, "pk": job.pk}),
    }


@login_required
def import_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show an import's progress while it runs, then its counts and rejected rows."""
    job = jobs.import_job_get_for_user(user=request.user, chapter_slug=chapter, pk=pk)
    if job.confirmed_at is None and not job.is_finished:
        return redirect("data_vault:import_mapping", chapter=chapter, pk=job.pk)
    rejections = jobs.import_rejection_list(job=job)[:REJECTIONS_SHOWN] if job.is_finished else []
    return render(
        request,
        "data_vault/import_detail.html",
        {"chapter": job.chapter, "rejections": rejections, "shown": REJECTIONS_SHOWN, **_progress_context(job)},
    )


@login_required
def import_progress(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Return the progress bar; once the import finishes, reload the page to show its result."""
    job = jobs.import_job_get_for_user(user=request.user, chapter_slug=chapter, pk=pk)
    if job.is_finished and request.headers.get("HX-Request"):
        return HttpResponseClientRefresh()
    return render(request, "core/_job_progress.html", _progress_context(job))


@login_required
@require_POST
def import_cancel(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Stop an import; what it did so far is rolled back."""
    job = jobs.import_job_get_for_user(user=request.user, chapter_slug=chapter, pk=pk)
    try:
        jobs.import_job_cancel(job=job, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The import is being stopped; nothing it read will be kept.")
    return redirect(job.get_absolute_url())


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def import_rejections_csv(request: AuthedRequest, chapter: str, pk: int) -> StreamingHttpResponse:
    """Download an import's rejected rows as CSV: row, column, value, reason."""
    import csv

    job = jobs.import_job_get_for_user(user=request.user, chapter_slug=chapter, pk=pk)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        chapter=job.chapter,
        target=job,
        details={"rejected_rows": job.rejected_count},
    )
    writer = csv.writer(_Echo())
    rows = jobs.import_rejection_list(job=job).values_list("row_number", "column", "value", "reason")

    def lines() -> Iterator[str]:
        yield writer.writerow(csv_safe_row(["row", "column", "value", "reason"]))
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(csv_safe_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-rejected-rows.csv"'
    return response


def _export_get(request: AuthedRequest, chapter: str, pk: int) -> ExportJob:
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.EXPORT_VAULT)
    return get_object_or_404(ExportJob, chapter=membership.chapter, kind=ExportJob.Kind.VAULT, pk=pk)


def _export_context(job: ExportJob) -> dict[str, object]:
    return {
        "job": job,
        "progress": job_progress_get(job),
        "poll_url": reverse("data_vault:vault_export_progress", kwargs={"chapter": job.chapter.slug, "pk": job.pk}),
    }


@login_required
def vault_export_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Show the chapter's whole-vault exports and start a new one."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.EXPORT_VAULT)
    if request.method == "POST":
        job = vault_export_start(chapter=membership.chapter, actor=request.user)
        return redirect("data_vault:vault_export_detail", chapter=chapter, pk=job.pk)
    exports = ExportJob.objects.filter(chapter=membership.chapter, kind=ExportJob.Kind.VAULT).select_related(
        "created_by"
    )[:20]
    return render(
        request,
        "data_vault/vault_export_list.html",
        {"chapter": membership.chapter, "exports": exports, "ttl_hours": export_ttl().total_seconds() // 3600},
    )


@login_required
def vault_export_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show an export's progress, then its download link until it expires."""
    job = _export_get(request, chapter, pk)
    return render(request, "data_vault/vault_export_detail.html", {"chapter": job.chapter, **_export_context(job)})


@login_required
def vault_export_progress(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Return the export's progress bar; once it finishes, reload the page to show the link."""
    job = _export_get(request, chapter, pk)
    if job.is_finished and request.headers.get("HX-Request"):
        return HttpResponseClientRefresh()
    return render(request, "core/_job_progress.html", _export_context(job))


@login_required
def vault_export_download(request: AuthedRequest, chapter: str, pk: int) -> HttpResponseBase:
    """Send the export's zip while its link lasts; audited."""
    job = _export_get(request, chapter, pk)
    try:
        stream = vault_export_download_open(job=job, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("data_vault:vault_export_detail", chapter=chapter, pk=job.pk)
    filename = (job.file.name or "vault.zip").rsplit("/", 1)[-1]
    return FileResponse(stream, as_attachment=True, filename=filename, content_type="application/zip")
