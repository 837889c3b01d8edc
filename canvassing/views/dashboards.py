"""A campaign's dashboard, its quality flags and their review, and lists built from its answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from canvassing import dashboards, permissions, selectors, services
from canvassing.forms import ListFromAnswersForm
from chapters.selectors import membership_get_for_user
from core.charts import bar_chart, line_chart
from core.errors import ApplicationError
from core.types import AuthedRequest


@login_required
def campaign_dashboard(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show doors, contacts, contact rate and answers, by turf, shift and canvasser."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_CAMPAIGNS)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    questions = list(selectors.question_list(campaign=campaign))
    totals = dashboards.campaign_totals(campaign=campaign)
    breakdowns = []
    for by, title in (("turf", "By turf"), ("shift", "By shift"), ("canvasser", "By canvasser")):
        rows = dashboards.campaign_breakdown(campaign=campaign, by=by)
        chart = bar_chart(title=f"Contact rate {title.lower()}", bars=[(r.label, r.contact_percent) for r in rows],
                          unit="%")  # fmt: skip
        breakdowns.append({"title": title, "rows": rows, "chart": chart})
    answers = dashboards.campaign_answers(campaign=campaign, questions=questions)
    by_day = dashboards.campaign_doors_by_day(campaign=campaign)
    return render(
        request,
        "canvassing/campaign_dashboard.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "campaign": campaign,
            "totals": totals,
            "door_goal_percent": round(100 * totals.doors / campaign.door_goal) if campaign.door_goal else None,
            "breakdowns": breakdowns,
            "doors_chart": line_chart(title="Doors knocked by day", series={"Doors": by_day}) if by_day else "",
            "answer_charts": [
                bar_chart(title=f"{a.question}", bars=[(label, float(n)) for label, n in a.counts]) for a in answers
            ],
            "flags": selectors.quality_flag_list(campaign=campaign).filter(status="open"),
            "list_form": ListFromAnswersForm(questions=questions),
        },
    )


@login_required
def flag_list(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """List a campaign's quality flags for review."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.REVIEW_RESULTS)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    return render(
        request,
        "canvassing/flag_list.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "campaign": campaign,
            "flags": selectors.quality_flag_list(campaign=campaign),
        },
    )


@login_required
def flag_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a flagged batch of results, to accept or roll back."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.REVIEW_RESULTS)
    flag = selectors.quality_flag_get(chapter=membership.chapter, pk=pk)
    return render(
        request,
        "canvassing/flag_detail.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "flag": flag,
            "visits": selectors.quality_flag_visits(flag=flag),
        },
    )


@login_required
@require_POST
def flag_review(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Accept a flagged batch, or roll it back out of the vault."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.REVIEW_RESULTS)
    flag = selectors.quality_flag_get(chapter=membership.chapter, pk=pk)
    try:
        if request.POST.get("decision") == "rollback":
            removed = services.quality_flag_rollback(
                flag=flag, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(
                request, f"Rolled back: {removed} result{'s' if removed != 1 else ''} removed from the vault."
            )
        elif request.POST.get("decision") == "accept":
            services.quality_flag_accept(flag=flag, actor=request.user)
            messages.success(request, "Accepted: the results stay.")
        else:
            messages.error(request, "Choose to accept or roll back.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(flag)


@login_required
@require_POST
def list_from_answers(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Save a list of the people who gave an answer in this campaign, for the next one."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_CAMPAIGNS)
    campaign = selectors.campaign_get(chapter=membership.chapter, pk=pk)
    form = ListFromAnswersForm(request.POST, questions=list(selectors.question_list(campaign=campaign)))
    if not form.is_valid():
        messages.error(request, "Choose an answer and name the list.")
        return redirect("canvassing:campaign_dashboard", chapter=chapter, pk=pk)
    question_pk, value = form.cleaned_data["answer"].split(":", 1)
    try:
        saved_list = services.saved_list_from_answers(
            campaign=campaign, question=selectors.question_get(campaign=campaign, pk=int(question_pk)), value=value,
            name=form.cleaned_data["name"], actor=request.user,
        )  # fmt: skip
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Saved the list “{saved_list.name}”; cut turf from it in any campaign.")
    return redirect("canvassing:campaign_dashboard", chapter=chapter, pk=pk)
