"""Committee pages: a chapter's side (help, feedback, capacity), the NEC's side, trainings, tables, public pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from chapters.models import Membership
from chapters.selectors import membership_get_for_user
from committee import permissions, selectors, services
from committee.forms import (
    AssistanceRequestForm,
    CapacityForm,
    CochairsForm,
    CommentForm,
    FeedbackForm,
    HeatmapForm,
    MaterialForm,
    NecTrainingForm,
    NominationForm,
    ReportForm,
    RequestFilterForm,
    RequestMoveForm,
    SeatChoiceForm,
    SectionForm,
    SubcommitteeCochairsForm,
    TableForm,
    TermForm,
    TrainingForm,
)
from committee.models import CAPACITY_DIMENSIONS, CapacityAssessment, Nomination
from committee.pdf import report_charts
from core.charts import line_chart
from core.errors import ApplicationError
from core.services import job_progress_get
from core.types import AuthedRequest

PUBLIC_CACHE = cache_control(public=True, max_age=settings.COMMITTEE_PUBLIC_CACHE_SECONDS)


def _page(request: HttpRequest, items: Any, per_page: int = 50) -> Any:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# --- a chapter's side ----------------------------------------------------------------------


@login_required
def request_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's requests for help and file a new one."""
    membership = membership_get_for_user(
        user=request.user, chapter_slug=chapter, rule=permissions.VIEW_ASSISTANCE_REQUESTS
    )
    form = AssistanceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.assistance_request_file(
                chapter=membership.chapter, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your request was sent to the NEC.")
            return redirect(filed.get_absolute_url())
    return render(
        request,
        "committee/request_list.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "form": form,
            "requests": _page(request, selectors.request_list(chapter=membership.chapter)),
        },
        status=400 if form.errors else 200,
    )


@login_required
def request_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show one of the chapter's requests, with its conversation with the NEC."""
    membership, assistance = selectors.request_get_for_user(user=request.user, chapter_slug=chapter, pk=pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.assistance_comment_add(
            request=assistance, body=form.cleaned_data["body"], from_nec=False, actor=request.user
        )
        return redirect(assistance.get_absolute_url())
    return render(
        request,
        "committee/request_detail.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "assistance": assistance,
            "comments": selectors.request_comments(request=assistance),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def feedback_give(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Rate and comment on the support the chapter got from the NEC."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.GIVE_FEEDBACK)
    form = FeedbackForm(request.POST or None, subcommittees=selectors.subcommittee_list_current())
    if request.method == "POST" and form.is_valid():
        services.support_feedback_give(chapter=membership.chapter, actor=request.user, **form.cleaned_data)
        messages.success(request, "Thank you: the NEC co-chairs will read it.")
        return redirect("committee:request_list", chapter=chapter)
    return render(
        request,
        "committee/feedback_give.html",
        {"membership": membership, "chapter": membership.chapter, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def capacity(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Show the chapter's self-assessments and record this quarter's."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.ASSESS_CAPACITY)
    form = CapacityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scores = {name: form.cleaned_data[name] for name in CAPACITY_DIMENSIONS}
        services.capacity_assessment_submit(
            chapter=membership.chapter, scores=scores, comments=form.cleaned_data["comments"], actor=request.user
        )
        messages.success(request, "This quarter's self-assessment is saved.")
        return redirect("committee:capacity", chapter=chapter)
    return render(
        request,
        "committee/capacity.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "form": form,
            "assessments": selectors.assessment_list(chapter=membership.chapter),
            "dimensions": CapacityAssessment.DIMENSIONS,
        },
        status=400 if form.errors else 200,
    )


@login_required
def nominate(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Nominate one of the chapter's members for the NEC's running or next term."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.NOMINATE)
    term = services.term_current()
    form = NominationForm(request.POST or None, chapter=membership.chapter)
    if request.method == "POST" and form.is_valid():
        try:
            if term is None:
                raise ApplicationError("There is no NEC term open for nominations yet.")
            services.nomination_create(term=term, chapter=membership.chapter, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The nomination is recorded.")
            return redirect("committee:nominate", chapter=chapter)
    nominations = (
        Nomination.objects.filter(chapter=membership.chapter).select_related("term", "nominee") if term else []
    )
    return render(
        request,
        "committee/nominate.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "form": form,
            "term": term,
            "nominations": nominations,
        },
        status=400 if form.errors else 200,
    )


@login_required
def chapter_training_create(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Schedule a skill-share hosted by the chapter, open to members of every chapter."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.HOST_TRAINING)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_create(
                host_chapter=membership.chapter, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect(training.get_absolute_url())
    return render(
        request,
        "committee/training_form.html",
        {"membership": membership, "chapter": membership.chapter, "form": form, "host": membership.chapter.name},
        status=400 if form.errors else 200,
    )


# --- the NEC's side ------------------------------------------------------------------------


@login_required
def nec_home(request: AuthedRequest) -> HttpResponse:
    """Show the NEC's overview: open requests by age, upcoming trainings, and where to go."""
    open_requests = selectors.request_list_for_nec(user=request.user, open_only=True)
    return render(
        request,
        "committee/nec_home.html",
        {
            "open_requests": open_requests[:10],
            "open_count": open_requests.count(),
            "trainings": selectors.training_list(user=request.user)[:5],
            "may_manage": permissions.MANAGE_NEC.allows(request.user),
        },
    )


@login_required
def nec_request_list(request: AuthedRequest) -> HttpResponse:
    """List every chapter's requests for help, oldest open first, with their age."""
    form = RequestFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    requests = selectors.request_list_for_nec(
        user=request.user, status=filters.get("status") or None, open_only=bool(filters.get("open_only"))
    )
    return render(request, "committee/nec_request_list.html", {"form": form, "requests": _page(request, requests)})


@login_required
def nec_request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show a chapter's request to the NEC: triage it, route it, answer it."""
    assistance = selectors.request_get_for_nec(user=request.user, pk=pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.assistance_comment_add(
            request=assistance, body=form.cleaned_data["body"], from_nec=True, actor=request.user
        )
        return redirect("committee:nec_request_detail", pk=pk)
    move_form = RequestMoveForm(
        initial={"status": assistance.status}, subcommittees=selectors.subcommittee_list_current()
    )
    return render(
        request,
        "committee/nec_request_detail.html",
        {
            "assistance": assistance,
            "comments": selectors.request_comments(request=assistance),
            "form": form,
            "move_form": move_form,
            "next_statuses": services.REQUEST_TRANSITIONS[assistance.status],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def nec_request_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move a request along new → triaged → in progress → done or declined, and route it."""
    assistance = selectors.request_get_for_nec(user=request.user, pk=pk)
    form = RequestMoveForm(request.POST, subcommittees=selectors.subcommittee_list_current())
    if not form.is_valid():
        messages.error(request, "Choose a status, and a subcommittee of the running term.")
        return redirect("committee:nec_request_detail", pk=pk)
    try:
        moved = services.assistance_request_move(request=assistance, actor=request.user, **form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The request is now {moved.get_status_display().lower()}.")
    return redirect("committee:nec_request_detail", pk=pk)


@login_required
def heatmap(request: AuthedRequest) -> HttpResponse:
    """Show chapters' capacity self-assessments as a coloured table across quarters, and the national trend."""
    form = HeatmapForm(request.GET or None)
    choice = form.cleaned_data if form.is_valid() else {}
    heat = selectors.capacity_heatmap(
        user=request.user, dimension=choice.get("dimension") or "", quarters=choice.get("quarters") or 4
    )
    return render(
        request,
        "committee/heatmap.html",
        {
            "form": form,
            "heat": heat,
            "periods": [selectors.quarter_label(p) for p in heat.periods],
            "dimensions": CAPACITY_DIMENSIONS,
            "trend_chart": line_chart(title="National average by capacity", series=heat.trend) if heat.periods else "",
        },
    )


@login_required
def feedback_list(request: AuthedRequest) -> HttpResponse:
    """List chapters' feedback on the NEC's support, for co-chairs."""
    feedback = selectors.feedback_list_for_user(user=request.user)
    return render(request, "committee/feedback_list.html", {"feedback": _page(request, feedback)})


@login_required
def term_list(request: AuthedRequest) -> HttpResponse:
    """List the NEC's terms and open a new one."""
    terms = selectors.term_list(user=request.user)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("committee:term_detail", pk=term.pk)
    return render(
        request, "committee/term_list.html", {"terms": terms, "form": form}, status=400 if form.errors else 200
    )


@login_required
def term_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show a term's nominations, election results, seats, co-chairs and subcommittees."""
    term = selectors.term_get_for_user(user=request.user, pk=pk)
    detail = selectors.term_detail(term=term)
    return render(
        request,
        "committee/term_detail.html",
        {"term": term, **detail, "cochairs_form": CochairsForm(choices=term.seats.select_related("holder"))},
    )


@login_required
@require_POST
def term_results(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the election's vote counts and seat the winners."""
    term = selectors.term_get_for_user(user=request.user, pk=pk)
    try:
        seats = int(request.POST.get("seats", ""))
        votes = {
            int(key.removeprefix("votes-")): int(str(value))
            for key, value in request.POST.items()
            if key.startswith("votes-")
        }
        elected = services.election_results_record(term=term, votes=votes, seats=seats, actor=request.user)
    except ValueError:
        messages.error(request, "Enter whole numbers for the seats and every vote count.")
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Results recorded: {len(elected)} members seated.")
    return redirect("committee:term_detail", pk=pk)


@login_required
@require_POST
def term_cochairs(request: AuthedRequest, pk: int) -> HttpResponse:
    """Set the term's two co-chairs."""
    term = selectors.term_get_for_user(user=request.user, pk=pk)
    form = CochairsForm(request.POST, choices=term.seats.all())
    if not form.is_valid():
        messages.error(request, "Choose two NEC members of this term.")
    else:
        try:
            services.nec_cochairs_set(
                term=term, seats=[form.cleaned_data["first"], form.cleaned_data["second"]], actor=request.user
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The NEC co-chairs are set.")
    return redirect("committee:term_detail", pk=pk)


@login_required
def subcommittee_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show a subcommittee's members and co-chairs."""
    subcommittee = selectors.subcommittee_get_for_user(user=request.user, pk=pk)
    members = selectors.subcommittee_members(subcommittee=subcommittee)
    return render(
        request,
        "committee/subcommittee_detail.html",
        {
            "subcommittee": subcommittee,
            "members": members,
            "add_form": SeatChoiceForm(choices=subcommittee.term.seats.select_related("holder")),
            "cochairs_form": SubcommitteeCochairsForm(choices=subcommittee.members.select_related("seat__holder")),
        },
    )


@login_required
@require_POST
def subcommittee_member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Put an NEC member on the subcommittee."""
    subcommittee = selectors.subcommittee_get_for_user(user=request.user, pk=pk)
    form = SeatChoiceForm(request.POST, choices=subcommittee.term.seats.all())
    if not form.is_valid():
        messages.error(request, "Choose an NEC member of this term.")
    else:
        services.subcommittee_member_add(subcommittee=subcommittee, seat=form.cleaned_data["seat"], actor=request.user)
    return redirect("committee:subcommittee_detail", pk=pk)


@login_required
@require_POST
def subcommittee_cochairs(request: AuthedRequest, pk: int) -> HttpResponse:
    """Set the subcommittee's two co-chairs."""
    subcommittee = selectors.subcommittee_get_for_user(user=request.user, pk=pk)
    form = SubcommitteeCochairsForm(request.POST, choices=subcommittee.members.all())
    if not form.is_valid():
        messages.error(request, "Choose two members of this subcommittee.")
    else:
        try:
            services.subcommittee_cochairs_set(
                subcommittee=subcommittee,
                places=[form.cleaned_data["first"], form.cleaned_data["second"]],
                actor=request.user,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The subcommittee's co-chairs are set.")
    return redirect("committee:subcommittee_detail", pk=pk)


@login_required
def nec_training_create(request: AuthedRequest) -> HttpResponse:
    """Schedule a training hosted by one of the NEC's subcommittees."""
    selectors.nec_require(user=request.user, rule=permissions.RUN_TRAININGS)
    form = NecTrainingForm(request.POST or None, subcommittees=selectors.subcommittee_list_current())
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect(training.get_absolute_url())
    return render(
        request, "committee/training_form.html", {"form": form, "host": "the NEC"}, status=400 if form.errors else 200
    )


# --- trainings -----------------------------------------------------------------------------


@login_required
def training_list(request: AuthedRequest) -> HttpResponse:
    """List upcoming trainings open to members of every chapter."""
    return render(
        request,
        "committee/training_list.html",
        {
            "trainings": _page(request, selectors.training_list(user=request.user)),
            "may_run": permissions.RUN_TRAININGS.allows(request.user),
            "hosting": [
                m
                for m in Membership.objects.filter(user=request.user).select_related("chapter")
                if permissions.HOST_TRAINING.allows(m)
            ],
        },
    )


@login_required
def training_library(request: AuthedRequest) -> HttpResponse:
    """List the materials of past trainings."""
    search = request.GET.get("q", "")[:100]
    return render(
        request,
        "committee/training_library.html",
        {"materials": _page(request, selectors.training_library(user=request.user, search=search)), "q": search},
    )


@login_required
def training_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show a training, its places and materials; hosts see who signed up."""
    training = selectors.training_get_for_user(user=request.user, pk=pk)
    is_host = selectors.training_may_host(user=request.user, training=training)
    signups = list(selectors.training_signups(training=training))
    return render(
        request,
        "committee/training_detail.html",
        {
            "training": training,
            "is_host": is_host,
            "signups": signups if is_host else [],
            "taken": len(signups),
            "signed_up": any(s.user_id == request.user.pk for s in signups),
            "materials": training.materials.all(),
            "material_form": MaterialForm(),
            "memberships": Membership.objects.filter(user=request.user).select_related("chapter"),
        },
    )


@login_required
def training_signup(request: AuthedRequest, pk: int) -> HttpResponse:
    """Sign up for a training, or give up the place; a plain visit shows the training."""
    training = selectors.training_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect(training.get_absolute_url())
    if request.POST.get("cancel"):
        services.training_signup_cancel(training=training, user=request.user)
        messages.success(request, "You gave up your place.")
        return redirect(training.get_absolute_url())
    chapter = Membership.objects.filter(user=request.user, chapter__slug=request.POST.get("chapter", "")).first()
    try:
        services.training_signup(training=training, user=request.user, chapter=chapter.chapter if chapter else None)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You are signed up.")
    return redirect(training.get_absolute_url())


@login_required
def training_attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record who came to a training (hosts only)."""
    training = selectors.training_get_for_host(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            ids = {int(value) for value in request.POST.getlist("attended")}
            came = services.training_attendance_record(training=training, attended_ids=ids, actor=request.user)
        except ValueError:
            messages.error(request, "That attendance sheet was not valid.")
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Attendance saved: {came} came.")
            return redirect(training.get_absolute_url())
    return render(
        request,
        "committee/training_attendance.html",
        {"training": training, "signups": selectors.training_signups(training=training)},
    )


@login_required
@require_POST
def material_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a file to a training's materials (hosts only)."""
    training = selectors.training_get_for_host(user=request.user, pk=pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a file to upload.")
    else:
        try:
            services.training_material_upload(
                training=training,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The material is uploaded.")
    return redirect(training.get_absolute_url())


@login_required
def material_download(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send a training material; uploads are capped in size, so it is sent whole."""
    material = selectors.material_get_for_user(user=request.user, pk=pk)
    try:
        with material.file.open("rb") as handle:
            body = handle.read()
    except FileNotFoundError as error:
        raise Http404 from error
    filename = (material.file.name or "material").rsplit("/", 1)[-1]
    response = HttpResponse(body, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# --- statewide tables ----------------------------------------------------------------------


@login_required
def table_list(request: AuthedRequest) -> HttpResponse:
    """List the statewide tables the user's chapters sit at (all of them, for the NEC)."""
    return render(request, "committee/table_list.html", {"tables": selectors.table_list_for_user(user=request.user)})


@login_required
def table_create(request: AuthedRequest) -> HttpResponse:
    """Form a statewide table from chapters of one state (NEC co-chairs)."""
    selectors.nec_require(user=request.user, rule=permissions.MANAGE_NEC)
    form = TableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = services.statewide_table_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect(table.get_absolute_url())
    return render(request, "committee/table_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def table_detail(request: AuthedRequest, state: str) -> HttpResponse:
    """Show a statewide table: its chapters, their upcoming trainings, and the sharing agreements between them."""
    table = selectors.table_get_for_user(user=request.user, state=state)
    detail = selectors.table_detail(table=table, user=request.user)
    return render(request, "committee/table_detail.html", {"table": table, **detail})


# --- reports -------------------------------------------------------------------------------


@login_required
def report_list(request: AuthedRequest) -> HttpResponse:
    """List the NEC's reports and start a new one (co-chairs)."""
    reports = selectors.report_list(user=request.user)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect(report.get_absolute_url())
    return render(
        request, "committee/report_list.html", {"reports": reports, "form": form}, status=400 if form.errors else 200
    )


def _progress_context(report: Any, render_job: Any) -> dict[str, Any]:
    if render_job is None:
        return {}
    return {
        "job": render_job,
        "progress": job_progress_get(render_job),
        "poll_url": reverse("committee:report_render_progress", kwargs={"pk": report.pk, "render": render_job.pk}),
    }


@login_required
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show a report: its figures, its sections, its render and publishing."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_section_save(report=report, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect(report.get_absolute_url())
    render_job = selectors.report_render_latest(report=report)
    report.refresh_from_db()
    return render(
        request,
        "committee/report_detail.html",
        {
            "report": report,
            "sections": report.sections.all(),
            "form": form,
            "charts": report_charts(report.figures),
            "figures": report.figures,
            "stale": report.rendered_at is None or report.rendered_at < report.updated_at,
            **_progress_context(report, render_job),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def report_section_delete(request: AuthedRequest, pk: int, section: int) -> HttpResponse:
    """Remove a section from a draft report."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    target = report.sections.filter(pk=section).first()
    if target is None:
        raise Http404
    try:
        services.report_section_delete(report=report, section=target, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def report_render(request: AuthedRequest, pk: int) -> HttpResponse:
    """Queue the report's PDF render."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    try:
        services.report_render_request(report=report, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The PDF is being rendered.")
    return redirect(report.get_absolute_url())


@login_required
def report_render_progress(request: AuthedRequest, pk: int, render: int) -> HttpResponse:
    """Return the render's progress bar; once done, tell HTMX to reload the page."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    render_job = selectors.report_render_get(report=report, pk=render)
    response = _render_progress(request, report, render_job)
    if render_job.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _render_progress(request: HttpRequest, report: Any, render_job: Any) -> HttpResponse:
    return render(request, "core/_job_progress.html", _progress_context(report, render_job))


@login_required
def report_pdf(request: AuthedRequest, pk: int) -> FileResponse:
    """Send the latest rendered PDF of a report, draft or published, to the co-chairs."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if not report.pdf:
        raise Http404
    return FileResponse(report.pdf.open("rb"), content_type="application/pdf", filename=f"{report.slug}.pdf")


@login_required
@require_POST
def report_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    """Publish a rendered report at its permanent public address."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    try:
        services.report_publish(report=report, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Published. The NPC members are being emailed the link.")
    return redirect(report.get_absolute_url())


# --- public pages: no sign-in, cacheable, aggregates and the published roster only ----------


@PUBLIC_CACHE
def public_roster(request: HttpRequest) -> HttpResponse:
    """Show the NEC's members, chapters, roles and contact emails."""
    return render(request, "committee/public_roster.html", {"roster": selectors.public_roster()})


@PUBLIC_CACHE
def public_reports(request: HttpRequest) -> HttpResponse:
    """List the published reports to the NPC."""
    return render(request, "committee/public_reports.html", {"reports": selectors.public_report_list()})


@PUBLIC_CACHE
def public_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a published report at its permanent address."""
    report = selectors.public_report_get(slug=slug)
    return render(
        request,
        "committee/public_report.html",
        {"report": report, "figures": report.figures, "charts": report_charts(report.figures)},
    )


@PUBLIC_CACHE
def public_report_pdf(request: HttpRequest, slug: str) -> FileResponse:
    """Send a published report's PDF."""
    report = selectors.public_report_get(slug=slug)
    if not report.pdf:
        raise Http404
    return FileResponse(
        report.pdf.open("rb"), content_type="application/pdf", as_attachment=True, filename=f"{report.slug}.pdf"
    )
