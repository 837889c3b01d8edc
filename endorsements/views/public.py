"""Pages with no sign-in: the candidate's questionnaire link and the public list of endorsements."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.errors import ApplicationError
from endorsements import forms, selectors, services
from endorsements.models import Questionnaire


@never_cache
def public_questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    """Let the candidate answer through the link: save a draft, or submit, which locks the answers."""
    questionnaire = selectors.questionnaire_get_by_token(token=token)
    status = questionnaire.status
    form = forms.QuestionnaireAnswerForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and status == Questionnaire.Status.OPEN and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.questionnaire_answers_save(questionnaire=questionnaire, answers=form.answers(), submit=submit)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Your answers are submitted. Thank you." if submit else "Draft saved. You can come back to this link.",
            )
            return redirect(request.path)
    return render(
        request,
        "endorsements/public_questionnaire.html",
        {
            "questionnaire": questionnaire,
            "status": status,
            "closed_message": services.QUESTIONNAIRE_CLOSED_MESSAGES.get(status, ""),
            "form": form,
            "answers": questionnaire.answers.select_related("question") if status == "submitted" else [],
        },
        status=400 if form.errors else 200,
    )


@require_GET
def public_endorsements(request: HttpRequest) -> HttpResponse:
    """List nationally endorsed candidates and the chapter endorsements chapters made public."""
    response = render(
        request, "endorsements/public_endorsements.html", {"endorsements": selectors.public_endorsement_list()}
    )
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)  # It carries the personal menu.
        return response
    # The page has no form for visitors, so it needs no CSRF cookie; without one, shared caches may keep it.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    patch_cache_control(response, public=True, max_age=settings.ENDORSEMENTS_PUBLIC_CACHE_SECONDS)
    return response
