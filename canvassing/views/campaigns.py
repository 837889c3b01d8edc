"""Campaign, script and survey question pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from canvassing import permissions, selectors, services
from canvassing.forms import AnswerEffectsForm, CampaignForm, QuestionForm, ScriptForm, ScriptVersionForm
from chapters.selectors import membership_get_for_user
from core.errors import ApplicationError
from core.permissions import require
from core.types import AuthedRequest

# The campaign's links to other records, which the service checks belong to the chapter.
LINKS = ("script", "race", "candidate")


@login_required
def campaign_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's campaigns."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_CAMPAIGNS)
    campaigns = selectors.campaign_list(chapter=membership.chapter)
    return render(
        request,
        "canvassing/campaign_list.html",
        {"membership": membership, "chapter": membership.chapter, "campaigns": campaigns},
    )


@login_required
def campaign_create(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Start a new campaign."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_CAMPAIGNS)
    form = CampaignForm(request.POST or None, chapter=membership.chapter)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in LINKS}
        links = {k: form.cleaned_data[k] for k in LINKS}
        try:
            campaign = services.campaign_create(chapter=membership.chapter, actor=request.user, **links, **fields)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Campaign “{campaign.name}” created.")
            return redirect(campaign)
    return render(
        request,
        "canvassing/campaign_form.html",
        {"membership": membership, "chapter": membership.chapter, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def campaign_edit(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Change a campaign's details, dates, status, goals or script."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_CAMPAIGNS)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign, chapter=membership.chapter)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in LINKS}
        links = {k: form.cleaned_data[k] for k in LINKS}
        try:
            services.campaign_update(campaign=campaign, actor=request.user, **links, **fields)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Campaign saved.")
            return redirect(campaign)
    return render(
        request,
        "canvassing/campaign_form.html",
        {"membership": membership, "chapter": membership.chapter, "form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@login_required
def campaign_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a campaign: its script, questions, turfs and shifts."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_CAMPAIGNS)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    return render(
        request,
        "canvassing/campaign_detail.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "campaign": campaign,
            "script_version": selectors.script_current_version(script=campaign.script),
            "questions": selectors.question_list(campaign=campaign),
            "turfs": selectors.turf_list(campaign=campaign),
            "shifts": selectors.shift_list(campaign=campaign),
            "question_form": QuestionForm(),
        },
    )


@login_required
@require_POST
def question_add(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Add a survey question to a campaign."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_CAMPAIGNS)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the question and choose its kind.")
        return redirect(campaign)
    try:
        services.question_create(
            campaign=campaign,
            text=form.cleaned_data["text"],
            kind=form.cleaned_data["kind"],
            short_label=form.cleaned_data["short_label"],
            options=form.cleaned_data["options"].splitlines(),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Question added.")
    return redirect(campaign)


@login_required
@require_POST
def question_delete(request: AuthedRequest, chapter: str, pk: int, question_pk: int) -> HttpResponse:
    """Remove a question nobody has answered."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_CAMPAIGNS)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    question = selectors.question_get(campaign=campaign, pk=question_pk)
    try:
        services.question_delete(question=question, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Question removed.")
    return redirect(campaign)


@login_required
def answer_effects(request: AuthedRequest, chapter: str, pk: int, option_pk: int) -> HttpResponse:
    """Set what an answer changes in the vault."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_CAMPAIGNS)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    option = selectors.answer_option_get(campaign=campaign, pk=option_pk)
    form = AnswerEffectsForm(request.POST or None, instance=option)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_option_effects_set(option=option, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Effects of “{option.label}” saved.")
            return redirect(campaign)
    return render(
        request,
        "canvassing/answer_effects.html",
        {"membership": membership, "chapter": membership.chapter, "campaign": campaign, "option": option, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def script_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's scripts and write a new one."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_CAMPAIGNS)
    form = ScriptForm(request.POST or None)
    if request.method == "POST":
        require(permissions.MANAGE_CAMPAIGNS, membership)
        if form.is_valid():
            try:
                script = services.script_create(chapter=membership.chapter, actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Script “{script.name}” saved as version 1.")
                return redirect(script)
    return render(
        request,
        "canvassing/script_list.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "scripts": selectors.script_list(chapter=membership.chapter),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def script_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a script's current version, or an earlier one, and add a new version."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_CAMPAIGNS)
    script = selectors.script_get(chapter=membership.chapter, pk=pk)
    versions = list(selectors.script_versions(script=script))
    number = request.GET.get("version", "")
    shown = next((v for v in versions if str(v.number) == number), versions[0] if versions else None)
    form = ScriptVersionForm(
        request.POST or None,
        initial={"intro": shown.intro, "issue": shown.issue, "ask": shown.ask, "close": shown.close} if shown else {},
    )
    if request.method == "POST":
        require(permissions.MANAGE_CAMPAIGNS, membership)
        if form.is_valid():
            version = services.script_version_add(script=script, actor=request.user, **form.cleaned_data)
            messages.success(request, f"Saved as version {version.number}.")
            return redirect(script)
    return render(
        request,
        "canvassing/script_detail.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "script": script,
            "versions": versions,
            "shown": shown,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
