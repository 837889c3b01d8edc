"""The national pages: the NEC review queue, a request's review, and the NPC's decision."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.permissions import require
from core.services import job_progress_get
from core.types import AuthedRequest
from endorsements import forms, permissions, selectors, services
from endorsements.models import EndorsementStatus as S
from endorsements.models import NationalRequest

QUEUES = {
    "review": ("Awaiting NEC review", (S.NATIONAL_REQUESTED, S.NEC_REVIEW)),
    "npc": ("Awaiting the NPC", (S.NEC_RECOMMENDED, S.NEC_NOT_RECOMMENDED)),
    "decided": ("Decided", (S.NPC_RATIFIED, S.NPC_OVERRULED, S.NATIONALLY_ENDORSED, S.RESCINDED, S.WITHDRAWN)),
}


@login_required
def national_queue(request: AuthedRequest) -> HttpResponse:
    """List submitted national requests for the NEC and the NPC; never a chapter's drafts."""
    requests = selectors.national_request_list_for_user(user=request.user)
    is_nec = permissions.NEC_REVIEW.allows(request.user)
    queue = request.GET.get("queue") or ("review" if is_nec else "npc")
    if queue not in QUEUES:
        queue = "review"
    title, statuses = QUEUES[queue]
    return render(
        request,
        "endorsements/national_queue.html",
        {
            "requests": requests.filter(endorsement__status__in=statuses).order_by("endorsement__race__election_date"),
            "queue": queue,
            "queues": [(key, label) for key, (label, _) in QUEUES.items() if is_nec or key != "review"],
            "title": title,
            "is_nec": is_nec,
        },
    )


def _request(request: AuthedRequest, pk: int) -> NationalRequest:
    return selectors.national_request_get_for_user(user=request.user, pk=pk)


@login_required
def national_review(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show a national request with everything reviewers read, and the actions each role may take."""
    national_request = _request(request, pk)
    endorsement = national_request.endorsement
    user = request.user
    is_nec = permissions.NEC_REVIEW.allows(user)
    assignment = next((a for a in national_request.assignments.all() if a.reviewer_id == user.pk), None)
    return render(
        request,
        "endorsements/national_review.html",
        {
            "national_request": national_request,
            "endorsement": endorsement,
            "questionnaire": selectors.questionnaire_returned(endorsement=endorsement),
            "dossier": selectors.dossier_get(endorsement=endorsement),
            "plan": selectors.local_plan_get(endorsement=endorsement),
            "vote": selectors.vote_current(endorsement=endorsement),
            "is_nec": is_nec,
            "is_cochair": permissions.NEC_CHAIR.allows(user),
            "is_npc": permissions.NPC_DECIDE.allows(user),
            "assignment": assignment,
            "assign_form": forms.ReviewerAssignForm(reviewers=selectors.nec_reviewer_choices()),
            "comment_form": forms.CommentForm(),
            "recommendation_form": forms.RecommendationForm(
                initial={"recommendation": assignment.recommendation, "rationale": assignment.rationale}
                if assignment
                else None
            ),
            "nec_vote_form": forms.NecVoteForm(initial={"version": endorsement.version}),
            "npc_form": forms.NpcDecisionForm(initial={"version": endorsement.version}),
            "packet_jobs": endorsement.packet_jobs.all()[:3] if is_nec else [],
        },
    )


@login_required
@require_POST
def nec_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Assign NEC reviewers to a request (co-chairs)."""
    require(permissions.NEC_CHAIR, request.user)
    national_request = _request(request, pk)
    form = forms.ReviewerAssignForm(request.POST, reviewers=selectors.nec_reviewer_choices())
    if not form.is_valid():
        messages.error(request, "Choose at least one NEC member to review.")
    else:
        try:
            services.nec_reviewers_assign(
                national_request=national_request, reviewers=list(form.cleaned_data["reviewers"]), actor=request.user
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Reviewers assigned.")
    return redirect("endorsements:national_review", pk=pk)


@login_required
@require_POST
def nec_comment(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a reviewer's comment to the NEC's discussion."""
    require(permissions.NEC_REVIEW, request.user)
    national_request = _request(request, pk)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write something before posting.")
    else:
        services.nec_comment_add(national_request=national_request, author=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Comment posted.")
    return redirect("endorsements:national_review", pk=pk)


@login_required
@require_POST
def nec_recommend(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the signed-in reviewer's recommendation."""
    require(permissions.NEC_REVIEW, request.user)
    national_request = _request(request, pk)
    form = forms.RecommendationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a recommendation and give your reasons.")
    else:
        try:
            services.nec_recommendation_record(
                national_request=national_request, reviewer=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your recommendation is recorded.")
    return redirect("endorsements:national_review", pk=pk)


@login_required
@require_POST
def nec_vote(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the NEC's vote (co-chairs)."""
    require(permissions.NEC_CHAIR, request.user)
    national_request = _request(request, pk)
    form = forms.NecVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter whole numbers of yes, no and abstaining votes.")
    else:
        data = form.cleaned_data
        try:
            recorded = services.nec_vote_record(
                national_request=national_request,
                yes=data["yes"],
                no=data["no"],
                abstain=data["abstain"] or 0,
                note=data["note"],
                actor=request.user,
                expected_version=data["version"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"NEC vote recorded: {recorded.get_recommendation_display().lower()}.")
    return redirect("endorsements:national_review", pk=pk)


@login_required
@require_POST
def npc_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the NPC's ratification, or its overrule by a full vote."""
    require(permissions.NPC_DECIDE, request.user)
    national_request = _request(request, pk)
    form = forms.NpcDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to ratify or to overrule.")
    else:
        data = form.cleaned_data
        try:
            services.npc_decision_record(
                national_request=national_request,
                decision=data["decision"],
                actor=request.user,
                expected_version=data["version"],
                note=data["note"],
                yes=data["yes"],
                no=data["no"],
                abstain=data["abstain"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            national_request.endorsement.refresh_from_db()
            messages.success(
                request, f"Recorded. The request is now {national_request.endorsement.get_status_display().lower()}."
            )
    return redirect("endorsements:national_review", pk=pk)


@login_required
@require_POST
def national_packet_start(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start rendering the reviewers' packet for an NEC member."""
    require(permissions.NEC_REVIEW, request.user)
    national_request = _request(request, pk)
    job = services.packet_job_start(endorsement=national_request.endorsement, actor=request.user)
    return redirect("endorsements:national_packet_status", pk=pk, job=job.pk)


@login_required
def national_packet_status(request: AuthedRequest, pk: int, job: int) -> HttpResponse:
    """Show the packet's progress to an NEC member."""
    require(permissions.NEC_REVIEW, request.user)
    endorsement = _request(request, pk).endorsement
    found = selectors.packet_job_get(endorsement=endorsement, pk=job)
    context = {
        "endorsement": endorsement,
        "job": found,
        "progress": job_progress_get(found),
        "poll_url": request.path,
        "download_url": f"{request.path}download/",
        "back_url": reverse("endorsements:national_review", kwargs={"pk": pk}),
    }
    template = (
        "endorsements/_packet_progress.html"
        if request.headers.get("HX-Request") == "true"
        else "endorsements/packet_status.html"
    )
    return render(request, template, context)


@login_required
def national_packet_download(request: AuthedRequest, pk: int, job: int) -> FileResponse:
    """Download a finished packet as an NEC member."""
    require(permissions.NEC_REVIEW, request.user)
    endorsement = _request(request, pk).endorsement
    found = selectors.packet_job_get(endorsement=endorsement, pk=job)
    if not found.file:
        raise Http404
    services.file_download_record(endorsement=endorsement, actor=request.user, target=found)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=Path(found.file.name or "").name)
