"""The chapter's pages: races, candidates, questionnaires, and each endorsement's process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chapters.models import Membership
from chapters.selectors import membership_get_for_user
from core.charts import bar_chart
from core.errors import ApplicationError
from core.services import job_progress_get
from core.types import AuthedRequest
from endorsements import forms, permissions, selectors, services, workflow
from endorsements.models import ChapterVote, Endorsement
from endorsements.models import EndorsementStatus as S


def _run(request: AuthedRequest, chapter: str, pk: int) -> tuple[Membership, Endorsement]:
    """Return the membership and endorsement for the working group's pages."""
    return selectors.endorsement_get_for_user(
        user=request.user, chapter_slug=chapter, pk=pk, rule=permissions.RUN_ENDORSEMENTS
    )


def _context(membership: Membership, endorsement: Endorsement | None = None, **extra: object) -> dict[str, object]:
    return {"membership": membership, "chapter": membership.chapter, "endorsement": endorsement, **extra}


def _working_group_saves(request: AuthedRequest, membership: Membership, form: Any, save: Callable[[], Any]) -> Any:
    """On a POST by the working group with a valid form, call save and return its result; otherwise None."""
    if request.method != "POST":
        return None
    if not permissions.RUN_ENDORSEMENTS.allows(membership):
        raise Http404
    if not form.is_valid():
        return None
    try:
        return save()
    except ApplicationError as error:
        form.add_error(None, error.message)
        return None


# Races and candidates.


@login_required
def race_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's races; the working group adds one."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_ENDORSEMENTS)
    form = forms.RaceForm(request.POST or None)
    race = _working_group_saves(
        request,
        membership,
        form,
        lambda: services.race_save(chapter=membership.chapter, actor=request.user, **form.cleaned_data),
    )
    if race:
        messages.success(request, f"Race added: {race}.")
        return redirect("endorsements:race_list", chapter=chapter)
    return render(
        request,
        "endorsements/race_list.html",
        _context(membership, races=selectors.race_list(chapter=membership.chapter), form=form),
        status=400 if form.errors else 200,
    )


@login_required
def race_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a race with its candidacies; the working group edits it."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_ENDORSEMENTS)
    race = selectors.race_get(chapter=membership.chapter, pk=pk)
    form = forms.RaceForm(request.POST or None, instance=race)
    if _working_group_saves(
        request,
        membership,
        form,
        lambda: services.race_save(chapter=membership.chapter, actor=request.user, race=race, **form.cleaned_data),
    ):
        messages.success(request, "Race saved.")
        return redirect(race.get_absolute_url())
    endorsements = selectors.endorsement_list(chapter=membership.chapter).filter(race=race)
    return render(
        request,
        "endorsements/race_detail.html",
        _context(membership, race=race, form=form, endorsements=endorsements),
        status=400 if form.errors else 200,
    )


@login_required
def candidate_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's candidates; the working group adds one."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_ENDORSEMENTS)
    form = forms.CandidateForm(request.POST or None)
    candidate = _working_group_saves(
        request,
        membership,
        form,
        lambda: services.candidate_save(chapter=membership.chapter, actor=request.user, **form.cleaned_data),
    )
    if candidate:
        messages.success(request, f"Candidate added: {candidate}.")
        return redirect("endorsements:candidate_list", chapter=chapter)
    return render(
        request,
        "endorsements/candidate_list.html",
        _context(membership, candidates=selectors.candidate_list(chapter=membership.chapter), form=form),
        status=400 if form.errors else 200,
    )


@login_required
def candidate_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a candidate with their candidacies; the working group edits them."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_ENDORSEMENTS)
    candidate = selectors.candidate_get(chapter=membership.chapter, pk=pk)
    form = forms.CandidateForm(request.POST or None, instance=candidate)
    if _working_group_saves(
        request,
        membership,
        form,
        lambda: services.candidate_save(
            chapter=membership.chapter, actor=request.user, candidate=candidate, **form.cleaned_data
        ),
    ):
        messages.success(request, "Candidate saved.")
        return redirect(candidate.get_absolute_url())
    endorsements = selectors.endorsement_list(chapter=membership.chapter).filter(candidate=candidate)
    return render(
        request,
        "endorsements/candidate_detail.html",
        _context(membership, candidate=candidate, form=form, endorsements=endorsements),
        status=400 if form.errors else 200,
    )


# Questionnaire templates.


@login_required
def questionnaire_template_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's questionnaires and write a new one."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.RUN_ENDORSEMENTS)
    form = forms.QuestionnaireTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.questionnaire_template_create(
                chapter=membership.chapter,
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
                prompts=form.prompts(),
                actor=request.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Questionnaire “{template}” saved.")
            return redirect("endorsements:questionnaire_template_list", chapter=chapter)
    return render(
        request,
        "endorsements/questionnaire_template_list.html",
        _context(membership, templates=selectors.questionnaire_template_list(chapter=membership.chapter), form=form),
        status=400 if form.errors else 200,
    )


@login_required
def questionnaire_template_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show one version of a questionnaire; saving changes makes the next version."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.RUN_ENDORSEMENTS)
    template = selectors.questionnaire_template_get(chapter=membership.chapter, pk=pk)
    initial = {
        "title": template.title,
        "introduction": template.introduction,
        "questions": "\n".join(q.prompt for q in template.questions.all()),
    }
    form = forms.QuestionnaireTemplateForm(request.POST or None, initial=initial)
    form.fields["title"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            revised = services.questionnaire_template_revise(
                template=template,
                introduction=form.cleaned_data["introduction"],
                prompts=form.prompts(),
                actor=request.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Saved as “{revised}”. Questionnaires already sent keep their version.")
            return redirect("endorsements:questionnaire_template_detail", chapter=chapter, pk=revised.pk)
    return render(
        request,
        "endorsements/questionnaire_template_detail.html",
        _context(membership, template=template, form=form),
        status=400 if form.errors else 200,
    )


# Endorsements.


@login_required
def endorsement_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's endorsements by status."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_ENDORSEMENTS)
    status = request.GET.get("status") or None
    if status not in (None, *S.values):
        status = None
    return render(
        request,
        "endorsements/endorsement_list.html",
        _context(
            membership,
            endorsements=selectors.endorsement_list(chapter=membership.chapter, status=status),
            chart=bar_chart(
                title="Endorsements by status", bars=selectors.endorsement_status_counts(chapter=membership.chapter)
            ),
            statuses=S.choices,
            status=status,
        ),
    )


@login_required
def endorsement_create(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Start considering a candidate in a race."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.RUN_ENDORSEMENTS)
    form = forms.EndorsementStartForm(
        request.POST or None,
        races=selectors.race_list(chapter=membership.chapter),
        candidates=selectors.candidate_list(chapter=membership.chapter),
    )
    if request.method == "POST" and form.is_valid():
        try:
            endorsement = services.endorsement_start(
                chapter=membership.chapter,
                race=form.cleaned_data["race"],
                candidate=form.cleaned_data["candidate"],
                actor=request.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Started: {endorsement}.")
            return redirect(endorsement.get_absolute_url())
    return render(
        request,
        "endorsements/endorsement_create.html",
        _context(membership, form=form),
        status=400 if form.errors else 200,
    )


@login_required
def endorsement_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show where an endorsement stands, its timeline, and what the working group can do next."""
    membership, endorsement = selectors.endorsement_get_for_user(user=request.user, chapter_slug=chapter, pk=pk)
    runs = permissions.RUN_ENDORSEMENTS.allows(membership)
    vote = selectors.vote_current(endorsement=endorsement)
    context = _context(
        membership,
        endorsement,
        runs=runs,
        vote=vote,
        tally=services.vote_tally(vote) if vote else None,
        ballot_cast=vote is not None and vote.ballots.filter(member=membership).exists(),
        actions={t.action for t in workflow.allowed_actions(endorsement.status, side=workflow.Side.CHAPTER)},
        endorsed=endorsement.status in workflow.ENDORSED,
    )
    if runs:
        context.update(
            questionnaires=selectors.questionnaire_list(endorsement=endorsement),
            dossier=selectors.dossier_get(endorsement=endorsement),
            plan=selectors.local_plan_get(endorsement=endorsement),
            comments=endorsement.comments.select_related("author"),
            comment_form=forms.CommentForm(),
            publicity_form=forms.PublicityForm(
                initial={"is_public": endorsement.is_public, "public_statement": endorsement.public_statement}
            ),
            transition_form=forms.TransitionForm(initial={"version": endorsement.version}),
            national_blockers=services.national_request_blockers(endorsement),
            packet_jobs=endorsement.packet_jobs.all()[:3],
        )
    return render(request, "endorsements/endorsement_detail.html", context)


@login_required
@require_POST
def endorsement_transition(request: AuthedRequest, chapter: str, pk: int, action: str) -> HttpResponse:
    """Make one of the working group's simple moves: start research, or withdraw."""
    _, endorsement = _run(request, chapter, pk)
    form = forms.TransitionForm(request.POST)
    if action not in ("start_research", "withdraw") or not form.is_valid():
        messages.error(request, "That step cannot be taken from here. Reload the page and try again.")
        return redirect(endorsement.get_absolute_url())
    version = form.cleaned_data["version"]
    try:
        if action == "start_research":
            services.endorsement_research_start(endorsement=endorsement, actor=request.user, expected_version=version)
        else:
            services.endorsement_withdraw(
                endorsement=endorsement,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=version,
            )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The endorsement is now {endorsement.get_status_display().lower()}.")
    return redirect(endorsement.get_absolute_url())


@login_required
def questionnaire_send(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Send the candidate the questionnaire as a unique, expiring link."""
    membership, endorsement = _run(request, chapter, pk)
    form = forms.QuestionnaireSendForm(
        request.POST or None,
        templates=selectors.questionnaire_template_latest(chapter=membership.chapter),
        initial={"version": endorsement.version, "sent_to": endorsement.candidate.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire, link = services.questionnaire_send(
                endorsement=endorsement,
                template=form.cleaned_data["template"],
                sent_to=form.cleaned_data["sent_to"],
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Questionnaire sent to {questionnaire.sent_to}. You can also share this link with them: {link}",
            )
            return redirect(endorsement.get_absolute_url())
    return render(
        request,
        "endorsements/questionnaire_send.html",
        _context(
            membership, endorsement, form=form, questionnaires=selectors.questionnaire_list(endorsement=endorsement)
        ),
        status=400 if form.errors else 200,
    )


@login_required
def dossier(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Edit the research dossier and its attachments."""
    membership, endorsement = _run(request, chapter, pk)
    current = selectors.dossier_get(endorsement=endorsement)
    form = forms.DossierForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_update(endorsement=endorsement, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Dossier saved.")
            return redirect("endorsements:dossier", chapter=chapter, pk=pk)
    return render(
        request,
        "endorsements/dossier.html",
        _context(membership, endorsement, form=form, dossier=current, attachment_form=forms.AttachmentForm()),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def dossier_attachment_add(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Attach a file to the dossier."""
    _, endorsement = _run(request, chapter, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a file and give it a title.")
    else:
        try:
            services.dossier_attachment_add(
                endorsement=endorsement,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Attachment added.")
    return redirect("endorsements:dossier", chapter=chapter, pk=pk)


@login_required
def dossier_attachment_download(request: AuthedRequest, chapter: str, pk: int, attachment: int) -> FileResponse:
    """Download one of the dossier's attachments."""
    _, endorsement = _run(request, chapter, pk)
    found = selectors.dossier_attachment_get(endorsement=endorsement, pk=attachment)
    services.file_download_record(endorsement=endorsement, actor=request.user, target=found)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=Path(found.file.name or "").name)


@login_required
@require_POST
def comment_add(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Add a comment to the working group's discussion."""
    _, endorsement = _run(request, chapter, pk)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write something before posting.")
    else:
        services.comment_add(endorsement=endorsement, author=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Comment posted.")
    return redirect(f"{endorsement.get_absolute_url()}#discussion")


@login_required
def local_plan(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Write the local plan: how a win builds the chapter."""
    membership, endorsement = _run(request, chapter, pk)
    current = selectors.local_plan_get(endorsement=endorsement)
    form = forms.LocalPlanForm(
        request.POST or None, instance=current, campaigns=selectors.campaign_choices(chapter=membership.chapter)
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.local_plan_update(endorsement=endorsement, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            missing = plan.missing_sections
            messages.success(
                request,
                "Local plan saved." + (f" Still to write: {', '.join(missing)}." if missing else " It is complete."),
            )
            return redirect("endorsements:local_plan", chapter=chapter, pk=pk)
    return render(
        request, "endorsements/local_plan.html", _context(membership, endorsement, form=form, plan=current),
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
def vote(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show the chapter vote: open it, enter counts or cast a ballot, and close it."""
    membership, endorsement = selectors.endorsement_get_for_user(user=request.user, chapter_slug=chapter, pk=pk)
    current = selectors.vote_current(endorsement=endorsement)
    tally = services.vote_tally(current) if current else None
    return render(
        request,
        "endorsements/vote.html",
        _context(
            membership,
            endorsement,
            vote=current,
            tally=tally,
            chart=bar_chart(
                title="Ballots so far" if current and current.is_open else "Result",
                bars=[("Yes", tally.yes), ("No", tally.no), ("Abstain", tally.abstain)],
            )
            if tally
            else "",
            ballot=current.ballots.filter(member=membership).first() if current else None,
            runs=permissions.RUN_ENDORSEMENTS.allows(membership),
            open_form=forms.VoteOpenForm(initial={"version": endorsement.version}),
            counts_form=forms.VoteCountsForm(
                initial={"yes": current.yes_count, "no": current.no_count, "abstain": current.abstain_count}
                if current
                else None
            ),
            ballot_form=forms.BallotForm(),
            close_form=forms.VoteCloseForm(initial={"version": endorsement.version}),
            can_open_endorse="open_vote" in {t.action for t in workflow.allowed_actions(endorsement.status)},
            can_open_rescind=endorsement.status in workflow.ENDORSED,
        ),
    )


@login_required
@require_POST
def vote_open(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Open the chapter vote, to endorse or to rescind."""
    _, endorsement = _run(request, chapter, pk)
    form = forms.VoteOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how the vote is recorded.")
    else:
        try:
            services.vote_open(
                endorsement=endorsement,
                method=form.cleaned_data["method"],
                kind=form.cleaned_data["kind"] or ChapterVote.Kind.ENDORSE,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The vote is open.")
    return redirect("endorsements:vote", chapter=chapter, pk=pk)


@login_required
@require_POST
def vote_counts(request: AuthedRequest, chapter: str, pk: int, vote_pk: int) -> HttpResponse:
    """Enter the counts from a meeting's vote."""
    _, endorsement = _run(request, chapter, pk)
    current = selectors.vote_get(endorsement=endorsement, pk=vote_pk)
    form = forms.VoteCountsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter whole numbers of yes, no and abstaining votes.")
    else:
        try:
            services.vote_counts_record(vote=current, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Counts saved.")
    return redirect("endorsements:vote", chapter=chapter, pk=pk)


@login_required
@require_POST
def ballot_cast(request: AuthedRequest, chapter: str, pk: int, vote_pk: int) -> HttpResponse:
    """Cast the member's one ballot."""
    membership, endorsement = selectors.endorsement_get_for_user(user=request.user, chapter_slug=chapter, pk=pk)
    current = selectors.vote_get(endorsement=endorsement, pk=vote_pk)
    form = forms.BallotForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose yes, no or abstain.")
    else:
        try:
            services.ballot_cast(vote=current, member=membership, choice=form.cleaned_data["choice"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your ballot is cast.")
    return redirect("endorsements:vote", chapter=chapter, pk=pk)


@login_required
@require_POST
def vote_close(request: AuthedRequest, chapter: str, pk: int, vote_pk: int) -> HttpResponse:
    """Close the vote and apply its result."""
    _, endorsement = _run(request, chapter, pk)
    current = selectors.vote_get(endorsement=endorsement, pk=vote_pk)
    form = forms.VoteCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reload the page and try again.")
        return redirect("endorsements:vote", chapter=chapter, pk=pk)
    try:
        closed, tally = services.vote_close(
            vote=current,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            public_note=form.cleaned_data["public_note"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("endorsements:vote", chapter=chapter, pk=pk)
    messages.success(
        request,
        f"The vote {closed.get_result_display().lower()}: {tally.yes} yes, {tally.no} no, {tally.abstain} abstaining.",
    )
    return redirect(endorsement.get_absolute_url())


@login_required
def national_request(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Ask national to endorse, once the chapter has endorsed, planned and made its case."""
    membership, endorsement = _run(request, chapter, pk)
    form = forms.NationalRequestForm(request.POST or None, initial={"version": endorsement.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.national_request_submit(
                endorsement=endorsement,
                local_request=form.cleaned_data["local_request"],
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The national request is submitted. The NEC will review it.")
            return redirect(endorsement.get_absolute_url())
    return render(
        request,
        "endorsements/national_request.html",
        _context(
            membership,
            endorsement,
            form=form,
            blockers=services.national_request_blockers(endorsement),
            late_warning=services.national_request_late_warning(endorsement),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def publicity(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Choose whether the chapter's endorsement shows on the public page."""
    _, endorsement = _run(request, chapter, pk)
    form = forms.PublicityForm(request.POST)
    if form.is_valid():
        try:
            services.endorsement_publicity_set(endorsement=endorsement, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            shown = "shows on" if form.cleaned_data["is_public"] else "does not show on"
            messages.success(request, f"The endorsement {shown} the public page.")
    return redirect(endorsement.get_absolute_url())


@login_required
def commitments(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """List the candidate's commitments with their check-ins, and add one."""
    membership, endorsement = _run(request, chapter, pk)
    form = forms.CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_add(endorsement=endorsement, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Commitment added: {commitment}.")
            return redirect("endorsements:commitments", chapter=chapter, pk=pk)
    return render(
        request,
        "endorsements/commitments.html",
        _context(
            membership,
            endorsement,
            form=form,
            commitments=selectors.commitment_list(endorsement=endorsement),
            check_in_form=forms.CheckInForm(),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def commitment_check_in(request: AuthedRequest, chapter: str, pk: int, commitment: int) -> HttpResponse:
    """Record a check-in on one commitment."""
    _, endorsement = _run(request, chapter, pk)
    found = selectors.commitment_get(endorsement=endorsement, pk=commitment)
    form = forms.CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status and a date.")
    else:
        try:
            services.commitment_check_in(commitment=found, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Check-in recorded for {found}.")
    return redirect("endorsements:commitments", chapter=chapter, pk=pk)


@login_required
@require_POST
def packet_start(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Start rendering the reviewers' packet."""
    _, endorsement = _run(request, chapter, pk)
    job = services.packet_job_start(endorsement=endorsement, actor=request.user)
    return redirect("endorsements:packet_status", chapter=chapter, pk=pk, job=job.pk)


@login_required
def packet_status(request: AuthedRequest, chapter: str, pk: int, job: int) -> HttpResponse:
    """Show the packet's progress; HTMX polls the bar until it is ready."""
    membership, endorsement = _run(request, chapter, pk)
    found = selectors.packet_job_get(endorsement=endorsement, pk=job)
    context = _context(
        membership,
        endorsement,
        job=found,
        progress=job_progress_get(found),
        poll_url=request.path,
        download_url=f"{request.path}download/",
    )
    template = (
        "endorsements/_packet_progress.html"
        if request.headers.get("HX-Request") == "true"
        else "endorsements/packet_status.html"
    )
    return render(request, template, context)


@login_required
def packet_download(request: AuthedRequest, chapter: str, pk: int, job: int) -> FileResponse:
    """Download a finished packet."""
    _, endorsement = _run(request, chapter, pk)
    found = selectors.packet_job_get(endorsement=endorsement, pk=job)
    if not found.file:
        raise Http404
    services.file_download_record(endorsement=endorsement, actor=request.user, target=found)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=Path(found.file.name or "").name)
