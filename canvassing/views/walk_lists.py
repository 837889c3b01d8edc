"""Walk lists: the PDF made by a task, the audited CSV, and the paper-results grid."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from canvassing import permissions, selectors, services
from canvassing.models import RESULT_CODES, Shift, TurfDoor
from chapters.selectors import membership_get_for_user
from core.errors import ApplicationError
from core.exports import csv_text
from core.models import AuditEvent
from core.services import audit_record, job_progress_get
from core.types import AuthedRequest


@login_required
@require_POST
def walk_list_create(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Ask for a turf's walk list PDF; an unchanged turf reuses the last one."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.PRINT_WALK_LISTS)
    turf = selectors.turf_get(chapter=membership.chapter, pk=pk)
    shift = None
    if request.POST.get("shift"):
        shift = Shift.objects.filter(campaign=turf.campaign, pk=request.POST["shift"]).first()
        if shift is None:
            messages.error(request, "Choose a shift of this campaign.")
            return redirect(turf)
    job = services.walk_list_request(turf=turf, shift=shift, actor=request.user)
    return redirect("canvassing:walk_list_job", chapter=chapter, pk=job.pk)


@login_required
def walk_list_job(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a walk list's progress, then its download link."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.PRINT_WALK_LISTS)
    job = selectors.walk_list_job_get(chapter=membership.chapter, pk=pk)
    context = {
        "membership": membership,
        "chapter": membership.chapter,
        "job": job,
        "progress": job_progress_get(job),
        "poll_url": request.path,
    }
    if request.headers.get("HX-Request"):
        return render(request, "canvassing/_walk_list_status.html", context)
    return render(request, "canvassing/walk_list_job.html", context)


@login_required
def walk_list_download(request: AuthedRequest, chapter: str, pk: int) -> FileResponse:
    """Download a finished walk list; audited, as it carries people's names."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.PRINT_WALK_LISTS)
    job = selectors.walk_list_job_get(chapter=membership.chapter, pk=pk)
    if job.status != job.Status.DONE or not job.file:
        raise Http404
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, chapter=membership.chapter, target=job.turf,
                 target_label=f"Walk list PDF: {job.turf}", details={"format": "pdf", "job": job.pk})  # fmt: skip
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=f"walk-list-{job.turf.code}.pdf")


@login_required
def turf_csv(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Download a turf's walk list as CSV; audited, every cell safe for spreadsheets."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.PRINT_WALK_LISTS)
    turf = selectors.turf_get(chapter=membership.chapter, pk=pk)
    header, rows = selectors.turf_csv_rows(turf=turf)
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, chapter=membership.chapter, target=turf,
                 target_label=f"Walk list CSV: {turf}", details={"format": "csv", "rows": len(rows)})  # fmt: skip
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="walk-list-{turf.code}.csv"'
    return response


def _paper_rows(post: dict[str, list[str]], doors: list[TurfDoor]) -> list[dict[str, object]]:
    rows = []
    for door in doors:
        prefix = f"d{door.household_id}-"
        person = (post.get(prefix + "person") or [""])[0]
        rows.append(
            {
                "position": door.position,
                "household_id": door.household_id,
                "client_uuid": (post.get(prefix + "uuid") or [""])[0],
                "result": (post.get(prefix + "result") or [""])[0],
                "person_id": int(person) if person.isdigit() else None,
                "note": (post.get(prefix + "note") or [""])[0],
                "answers": {
                    key[len(prefix) + 1 :]: values[0]
                    for key, values in post.items()
                    if key.startswith(prefix + "q") and values
                },
            }
        )
    return rows


@login_required
def paper_results(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Type results from returned sheets into a grid, keyboard only."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.RUN_SHIFTS)
    turf = selectors.turf_get(chapter=membership.chapter, pk=pk)
    doors = list(selectors.turf_doors(turf=turf))
    questions = list(selectors.question_list(campaign=turf.campaign))
    errors: list[str] = []
    if request.method == "POST":
        try:
            created = services.paper_results_record(
                turf=turf, rows=_paper_rows(dict(request.POST.lists()), doors), recorded_by=request.user
            )
        except ApplicationError as error:
            errors = error.extra.get("rows", [error.message])
        else:
            messages.success(request, f"Recorded {created} result{'s' if created != 1 else ''} from paper.")
            return redirect(turf)
    posted = request.POST
    grid = [
        {
            "door": door,
            "uuid": posted.get(f"d{door.household_id}-uuid") or str(uuid.uuid4()),
            "result": posted.get(f"d{door.household_id}-result", ""),
            "person": posted.get(f"d{door.household_id}-person", ""),
            "note": posted.get(f"d{door.household_id}-note", ""),
            "cells": [(q, posted.get(f"d{door.household_id}-q{q.pk}", "")) for q in questions],
        }
        for door in doors
    ]
    return render(
        request,
        "canvassing/paper_results.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "turf": turf,
            "grid": grid,
            "questions": questions,
            "result_codes": RESULT_CODES,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
