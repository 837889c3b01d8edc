"""Pages for people, households, contact history, lists, exports, sharing and erasure."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from chapters.models import Membership
from chapters.selectors import membership_get_for_user
from core.charts import bar_chart
from core.errors import ApplicationError
from core.permissions import Rule
from core.services import job_progress_get
from core.types import AuthedRequest
from data_vault import permissions, selectors, services
from data_vault.filters import CONTACT_CHOICES, PeopleFilter, people_filter_parse, people_filter_query
from data_vault.forms import (
    BulkTagForm,
    ContactLogForm,
    DoNotContactForm,
    EmailForm,
    ErasureForm,
    HouseholdMoveForm,
    LadderForm,
    MergeForm,
    PersonForm,
    PhoneForm,
    SavedListForm,
    SharingForm,
    TagForm,
)
from data_vault.models import DNC_CHANNELS, ExportJob, Ladder, Person, SavedList

PAGE_SIZE = 50


def dashboard_card(*, membership: Membership) -> dict[str, Any]:
    """Return the vault card's figures and ladder chart for the chapter overview; nothing to those kept out."""
    if not permissions.VIEW_PEOPLE.allows(membership):
        return {}
    figures = selectors.vault_figures(chapter=membership.chapter)
    climbed = any(count for _, count in figures.ladder)
    title = "People on the ladder, above unknown"
    return {
        "figures": figures,
        "ladder_chart": bar_chart(title=title, bars=figures.ladder, unit="people", unit_one="person")
        if climbed
        else "",
    }


def _filter_context(*, membership: Membership, people_filter: PeopleFilter) -> dict[str, Any]:
    """Return what the filter form needs: current values and the chapter's choices."""
    chapter = membership.chapter
    current = {
        key: ", ".join(str(v) for v in value) if isinstance(value, list) else value
        for key, value in people_filter.to_dict().items()
    }
    questions = list(selectors.survey_question_choices(chapter=chapter))
    question_choices = [(str(question.pk), f"{question.campaign.name}: {question}") for question in questions]
    if people_filter.answer_question not in {"", *dict(question_choices)}:
        # A key logged through the API or kept in a saved list, not one of the campaigns' questions.
        question_choices.append((people_filter.answer_question, people_filter.answer_question))
    answers = {option.value: option.label for question in questions for option in question.options.all()}
    return {
        "current": current,
        "filters_set": len(current.keys() - {"q"}),
        "question_choices": question_choices,
        "answer_choices": sorted(answers.items()),
        "people_filter": people_filter,
        "ladder_choices": Ladder.choices,
        "registration_choices": Person.RegistrationStatus.choices,
        "channel_choices": [(c.value, c.label) for c in DNC_CHANNELS],
        "contact_choices": CONTACT_CHOICES.items(),
        "support_choices": range(1, 6),
        "tag_choices": list(selectors.tag_list(chapter=chapter).values_list("name", flat=True)),
        "campaign_choices": list(selectors.campaign_choices(chapter=chapter)),
    }


def _parse(query: QueryDict) -> tuple[PeopleFilter, str]:
    """Return the filter in a query string, or an empty one and the reason it was refused."""
    try:
        return people_filter_parse(people_filter_query(query)), ""
    except ApplicationError as error:
        return PeopleFilter(), error.message


@login_required
def person_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's people, filtered and searched on the server, a page at a time."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_PEOPLE)
    people_filter, error = _parse(request.GET)
    if error:
        messages.error(request, error)
    people = selectors.person_list(chapter=membership.chapter, filters=people_filter)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    saved_list = None
    if request.GET.get("list", "").isdigit():
        saved_list = selectors.saved_list_get(chapter=membership.chapter, pk=int(request.GET["list"]))
    query = selectors.filters_query(people_filter.to_dict())
    return render(
        request,
        "data_vault/person_list.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "page": page,
            "query": query,
            "filter_query": query,
            "saved_list": saved_list,
            "list_form": SavedListForm(),
            **_filter_context(membership=membership, people_filter=people_filter),
        },
        status=400 if error else 200,
    )


@login_required
def saved_list_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's saved lists; each one's live count loads on its own."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_PEOPLE)
    return render(
        request,
        "data_vault/saved_list_list.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "saved_lists": selectors.saved_list_list(chapter=membership.chapter),
        },
    )


@login_required
@require_POST
def saved_list_create(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Save the people list's current filter as a list."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_LISTS)
    form = SavedListForm(request.POST)
    filters = people_filter_query(QueryDict(request.POST.get("filters", "")))
    if not form.is_valid():
        messages.error(request, "Give the list a name.")
        return redirect(_people_url(chapter, selectors.filters_query(filters)))
    try:
        saved_list = services.saved_list_create(
            chapter=membership.chapter,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            filters=filters,
            actor=request.user,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(_people_url(chapter, selectors.filters_query(filters)))
    messages.success(request, f"Saved the list {saved_list.name!r}.")
    return redirect(saved_list.get_absolute_url())


def _people_url(chapter: str, query: str) -> str:
    url = reverse("data_vault:person_list", kwargs={"chapter": chapter})
    return f"{url}?{query}" if query else url


@login_required
def saved_list_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a saved list: its filter and the people it holds now."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_PEOPLE)
    saved_list = selectors.saved_list_get(chapter=membership.chapter, pk=pk)
    people_filter, error = _stored_filter(saved_list)
    people = selectors.person_list(chapter=membership.chapter, filters=people_filter)
    if error:
        people = people.none()
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "data_vault/saved_list_detail.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "saved_list": saved_list,
            "page": page,
            "error": error,
            "filter_query": selectors.filters_query(saved_list.filters),
            "filter_labels": selectors.filter_labels(saved_list.filters),
            "agreements": selectors.sharing_agreement_list(saved_list=saved_list),
            "ladder_chart": bar_chart(
                title="People in this list by ladder level",
                bars=selectors.person_ladder_counts(people=people),
                unit="people",
                unit_one="person",
            ),
        },
    )


def _stored_filter(saved_list: SavedList) -> tuple[PeopleFilter, str]:
    """Return a list's stored filter, or an empty one and why it no longer reads."""
    try:
        return people_filter_parse(saved_list.filters), ""
    except ApplicationError as error:
        return PeopleFilter(), error.message


@login_required
def saved_list_count(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Return how many people a saved list holds now, as a small fragment."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_PEOPLE)
    saved_list = selectors.saved_list_get(chapter=membership.chapter, pk=pk)
    people_filter, error = _stored_filter(saved_list)
    count = 0 if error else selectors.person_filter(chapter=membership.chapter, filters=people_filter).count()
    return HttpResponse(f"{count:,}", content_type="text/plain; charset=utf-8")


@login_required
def saved_list_edit(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Rename or redescribe a saved list, or give it the people list's current filter."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_LISTS)
    saved_list = selectors.saved_list_get(chapter=membership.chapter, pk=pk)
    if request.method == "POST" and "filters" in request.POST:
        filters = people_filter_query(QueryDict(request.POST["filters"]))
        try:
            services.saved_list_update(saved_list=saved_list, filters=filters, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(_people_url(chapter, selectors.filters_query(filters) + f"&list={saved_list.pk}"))
        messages.success(request, f"The list {saved_list.name!r} now uses this filter.")
        return redirect(saved_list.get_absolute_url())
    form = SavedListForm(request.POST or None, initial={"name": saved_list.name, "description": saved_list.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_list_update(
                saved_list=saved_list,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                actor=request.user,
            )
        except ApplicationError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, "List saved.")
            return redirect(saved_list.get_absolute_url())
    return render(
        request,
        "data_vault/saved_list_edit.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "saved_list": saved_list,
            "form": form,
            "filter_query": selectors.filters_query(saved_list.filters),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def saved_list_delete(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Delete a saved list; the people in it stay."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_LISTS)
    saved_list = selectors.saved_list_get(chapter=membership.chapter, pk=pk)
    services.saved_list_delete(saved_list=saved_list, actor=request.user)
    messages.success(request, f"Deleted the list {saved_list.name!r}. Nobody was removed from the vault.")
    return redirect("data_vault:saved_list_list", chapter=chapter)


def _person_for(request: AuthedRequest, chapter: str, pk: int, rule: Rule) -> tuple[Membership, Person]:
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=rule)
    return membership, selectors.person_get(chapter=membership.chapter, pk=pk)


@login_required
def person_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a person: details, household, contact history, ladder changes and provenance."""
    membership, person = _person_for(request, chapter, pk, permissions.VIEW_PEOPLE)
    return render(
        request,
        "data_vault/person_detail.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "person": person,
            "housemates": selectors.household_people(household=person.household).exclude(pk=person.pk)
            if person.household
            else [],
            "timeline": selectors.person_timeline(person=person),
            "provenance": selectors.person_provenance(person=person),
            # Forms here share field names ("channel", "reason"): each gets its own ids, so labels find their fields.
            "contact_form": ContactLogForm(chapter=membership.chapter, auto_id="contact_%s"),
            "tag_form": TagForm(auto_id="tag_%s"),
            "ladder_form": LadderForm(initial={"level": person.ladder}, auto_id="ladder_%s"),
            "dnc_form": DoNotContactForm(auto_id="dnc_%s"),
            "phone_form": PhoneForm(auto_id="phone_%s"),
            "email_form": EmailForm(auto_id="email_%s"),
        },
    )


@login_required
def person_edit(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Correct a person's details; every change is audited and kept in their provenance."""
    membership, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.person_update(
                person=person, actor=request.user, changes={name: form.cleaned_data[name] for name in form.fields}
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Saved: {', '.join(changed)}." if changed else "Nothing changed.")
            return redirect("data_vault:person_detail", chapter=chapter, pk=person.pk)
    return render(
        request,
        "data_vault/person_edit.html",
        {"membership": membership, "chapter": membership.chapter, "person": person, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def person_household_move(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Move a person to another door: an address typed in, or one of the chapter's households found by search."""
    membership, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    form = HouseholdMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        household_id = form.cleaned_data["household"]
        try:
            if household_id:
                # Another chapter's door answers 404, like one that does not exist.
                target = selectors.household_get(chapter=membership.chapter, pk=household_id)
                household = services.person_household_move(person=person, actor=request.user, household=target)
            else:
                household = services.person_household_move(person=person, actor=request.user, address=form.address())
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            moved = person.household_id != household.pk
            messages.success(
                request, f"Moved to {household.address_line}." if moved else f"Already at {household.address_line}."
            )
            return redirect("data_vault:person_detail", chapter=chapter, pk=person.pk)
    q = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "data_vault/person_move.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "person": person,
            "form": form,
            "q": q,
            "households": selectors.household_search(chapter=membership.chapter, q=q) if q else [],
        },
        status=400 if form.errors else 200,
    )


def _back(chapter: str, person: Person) -> HttpResponse:
    return redirect("data_vault:person_detail", chapter=chapter, pk=person.pk)


@login_required
@require_POST
def person_contact_log(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Log a phone call, text, email or event with a person by hand."""
    membership, person = _person_for(request, chapter, pk, permissions.LOG_CONTACT)
    form = ContactLogForm(request.POST, chapter=membership.chapter)
    if not form.is_valid():
        messages.error(request, "Check the contact: " + "; ".join(str(m) for e in form.errors.values() for m in e))
        return _back(chapter, person)
    try:
        services.contact_event_record(
            chapter=membership.chapter,
            recorded_by=request.user,
            person=person,
            channel=form.cleaned_data["channel"],
            result=form.cleaned_data["result"],
            campaign=form.cleaned_data["campaign"],
            occurred_at=form.cleaned_data["occurred_at"],
            notes=form.cleaned_data["notes"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Contact logged.")
    return _back(chapter, person)


@login_required
@require_POST
def person_tag_add(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Tag a person."""
    _, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    form = TagForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Give the tag a name of at most 60 characters.")
        tag = services.person_tag_add(person=person, tag_name=form.cleaned_data["name"], actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Tagged {tag.name!r}.")
    return _back(chapter, person)


@login_required
@require_POST
def person_tag_remove(request: AuthedRequest, chapter: str, pk: int, tag: int) -> HttpResponse:
    """Take a tag off a person."""
    membership, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    found = selectors.tag_get(chapter=membership.chapter, pk=tag)
    services.person_tag_remove(person=person, tag=found, actor=request.user)
    messages.success(request, f"Removed the tag {found.name!r}.")
    return _back(chapter, person)


@login_required
@require_POST
def person_ladder_set(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Move a person up or down the engagement ladder by hand."""
    _, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    form = LadderForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a ladder level.")
        return _back(chapter, person)
    change = services.person_ladder_set(
        person=person, level=form.cleaned_data["level"], actor=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, f"Now {person.get_ladder_display().lower()}." if change else "Nothing changed.")
    return _back(chapter, person)


@login_required
@require_POST
def person_do_not_contact_set(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Mark a person do-not-contact on one channel, with the reason."""
    _, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    form = DoNotContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the channel and say why.")
        return _back(chapter, person)
    entry = services.person_do_not_contact_set(
        person=person, channel=form.cleaned_data["channel"], reason=form.cleaned_data["reason"], actor=request.user
    )
    messages.success(request, f"Do not contact by {entry.get_channel_display().lower()}.")
    return _back(chapter, person)


@login_required
@require_POST
def person_do_not_contact_clear(request: AuthedRequest, chapter: str, pk: int, channel: str) -> HttpResponse:
    """Lift a do-not-contact on one channel."""
    _, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    services.person_do_not_contact_clear(person=person, channel=channel, actor=request.user)
    messages.success(request, "Do-not-contact lifted.")
    return _back(chapter, person)


@login_required
def person_merge(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Find a duplicate of a person and merge the two, choosing which record survives."""
    membership, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    form = MergeForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, "Choose the other person and which record to keep.")
            return redirect("data_vault:person_merge", chapter=chapter, pk=person.pk)
        other = selectors.person_get(chapter=membership.chapter, pk=form.cleaned_data["other"])
        survivor, duplicate = (person, other) if form.cleaned_data["survivor"] == "this" else (other, person)
        try:
            kept = services.person_merge(survivor=survivor, duplicate=duplicate, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("data_vault:person_merge", chapter=chapter, pk=person.pk)
        messages.success(request, f"Merged the two records into {kept}.")
        return redirect("data_vault:person_detail", chapter=chapter, pk=kept.pk)
    q = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "data_vault/person_merge.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "person": person,
            "q": q,
            "candidates": selectors.person_duplicates(person=person, q=q),
        },
    )


@login_required
def person_erase(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Delete a person on their request, everywhere; later imports skip them."""
    membership, person = _person_for(request, chapter, pk, permissions.DELETE_PERSON)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(person=person, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, "The person was deleted everywhere. Future imports will skip them.")
            return redirect("data_vault:person_list", chapter=chapter)
    return render(
        request,
        "data_vault/person_erase.html",
        {"membership": membership, "chapter": membership.chapter, "person": person, "form": form},
        status=400 if form.errors else 200,
    )


def _tag_bulk(request: AuthedRequest, membership: Membership, filters: dict[str, Any]) -> None:
    form = BulkTagForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the tag a name of at most 60 characters.")
        return
    try:
        tagged = services.people_tag_bulk(
            chapter=membership.chapter, filters=filters, tag_name=form.cleaned_data["name"], actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Tagged {tagged} {'person' if tagged == 1 else 'people'} {form.cleaned_data['name']!r}."
        )


@login_required
@require_POST
def saved_list_tag(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Tag everyone a saved list holds now."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.EDIT_PEOPLE)
    saved_list = selectors.saved_list_get(chapter=membership.chapter, pk=pk)
    _tag_bulk(request, membership, saved_list.filters)
    return redirect(saved_list.get_absolute_url())


@login_required
@require_POST
def person_list_tag(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Tag everyone the people list's current filter holds."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.EDIT_PEOPLE)
    filters = people_filter_query(QueryDict(request.POST.get("filters", "")))
    _tag_bulk(request, membership, filters)
    return redirect(_people_url(chapter, selectors.filters_query(filters)))


def _export_start(request: AuthedRequest, membership: Membership, **source: Any) -> HttpResponse | None:
    try:
        job = services.list_export_start(chapter=membership.chapter, actor=request.user, **source)
    except ApplicationError as error:
        messages.error(request, error.message)
        return None
    return redirect("data_vault:list_export_detail", chapter=membership.chapter.slug, pk=job.pk)


@login_required
@require_POST
def saved_list_export(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Start a CSV export of a saved list."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.EXPORT_LIST)
    saved_list = selectors.saved_list_get(chapter=membership.chapter, pk=pk)
    return _export_start(request, membership, saved_list=saved_list) or redirect(saved_list.get_absolute_url())


@login_required
@require_POST
def person_list_export(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Start a CSV export of the people list's current filter."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.EXPORT_LIST)
    filters = people_filter_query(QueryDict(request.POST.get("filters", "")))
    started = _export_start(request, membership, filters=filters)
    return started or redirect(_people_url(chapter, selectors.filters_query(filters)))


def _export_context(request: AuthedRequest, chapter: str, pk: int) -> dict[str, Any]:
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.EXPORT_LIST)
    job = selectors.list_export_get(chapter=membership.chapter, pk=pk)
    return {
        "membership": membership,
        "chapter": membership.chapter,
        "job": job,
        "progress": job_progress_get(job),
        "poll_url": reverse("data_vault:list_export_progress", kwargs={"chapter": chapter, "pk": pk}),
        "filter_labels": selectors.filter_labels(job.filters),
    }


@login_required
def list_export_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Show a list export's progress, then its download link until it expires."""
    return render(request, "data_vault/list_export_detail.html", _export_context(request, chapter, pk))


@login_required
def list_export_progress(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Return a list export's progress bar and, when done, its download link."""
    return render(request, "data_vault/_list_export_status.html", _export_context(request, chapter, pk))


@login_required
def list_export_download(request: AuthedRequest, chapter: str, pk: int) -> HttpResponseBase:
    """Send a list export's CSV while its link is valid; the download is audited."""
    context = _export_context(request, chapter, pk)
    job = context["job"]
    if job.is_expired:
        services.list_export_expire(job=job)
        return render(request, "data_vault/list_export_detail.html", context, status=410)
    if job.status != ExportJob.Status.DONE or not job.file:
        messages.error(request, "This export is not ready yet.")
        return redirect("data_vault:list_export_detail", chapter=chapter, pk=pk)
    services.list_export_download_record(job=job, actor=request.user)
    name = f"{slugify(job.saved_list.name if job.saved_list else 'people')}-{job.pk}.csv"
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type="text/csv")


@login_required
def sharing_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Show the lists the chapter shares with its statewide table, and those shared with it."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_PEOPLE)
    return render(
        request,
        "data_vault/sharing_list.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "given": selectors.sharing_agreements_given(chapter=membership.chapter),
            "received": selectors.sharing_agreements_received(chapter=membership.chapter),
        },
    )


@login_required
def saved_list_share(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Share a saved list, read-only, with another chapter of the statewide table."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_SHARING)
    saved_list = selectors.saved_list_get(chapter=membership.chapter, pk=pk)
    form = SharingForm(request.POST or None, partners=selectors.sharing_partner_choices(chapter=membership.chapter))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.sharing_agreement_create(
                saved_list=saved_list,
                partner=form.cleaned_data["partner"],
                purpose=form.cleaned_data["purpose"],
                actor=request.user,
            )
        except ApplicationError as error:
            form.add_error("partner", error.message)
        else:
            messages.success(request, f"{agreement.partner.name} can now read “{saved_list.name}”.")
            return redirect(saved_list.get_absolute_url())
    return render(
        request,
        "data_vault/saved_list_share.html",
        {"membership": membership, "chapter": membership.chapter, "saved_list": saved_list, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def sharing_agreement_revoke(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Stop sharing a list with a partner chapter, at once."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_SHARING)
    agreement = selectors.sharing_agreement_given_get(chapter=membership.chapter, pk=pk)
    services.sharing_agreement_revoke(agreement=agreement, actor=request.user)
    messages.success(request, f"{agreement.partner.name} can no longer read “{agreement.saved_list.name}”.")
    return redirect("data_vault:sharing_list", chapter=chapter)


@login_required
def shared_list_detail(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Read a list another chapter shares with this one: names and doors only; the reading is audited."""
    membership = membership_get_for_user(user=request.user, chapter_slug=chapter, rule=permissions.VIEW_PEOPLE)
    agreement = selectors.shared_list_get(partner=membership.chapter, pk=pk)
    try:
        people = selectors.shared_list_people(agreement=agreement)
    except ApplicationError:
        people = Person.objects.none()
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    services.shared_list_view_record(agreement=agreement, actor=request.user, page=page.number)
    return render(
        request,
        "data_vault/shared_list_detail.html",
        {"membership": membership, "chapter": membership.chapter, "agreement": agreement, "page": page},
    )


@login_required
@require_POST
def person_phone_add(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Add a phone number to a person."""
    _, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    form = PhoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Give the phone number and whether it is a cell or a landline.")
        services.person_phone_add(
            person=person, number=form.cleaned_data["number"], kind=form.cleaned_data["kind"], actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Phone added.")
    return _back(chapter, person)


@login_required
@require_POST
def person_email_add(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Add an email address to a person."""
    _, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    form = EmailForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Give the email address.")
        services.person_email_add(person=person, address=form.cleaned_data["address"], actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Email added.")
    return _back(chapter, person)


@login_required
@require_POST
def person_phone_remove(request: AuthedRequest, chapter: str, pk: int, phone: int) -> HttpResponse:
    """Remove one of a person's phone numbers."""
    _, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    found = get_object_or_404(person.phones.all(), pk=phone)
    services.person_contact_point_remove(person=person, phone=found, actor=request.user)
    messages.success(request, "Phone removed.")
    return _back(chapter, person)


@login_required
@require_POST
def person_email_remove(request: AuthedRequest, chapter: str, pk: int, email: int) -> HttpResponse:
    """Remove one of a person's email addresses."""
    _, person = _person_for(request, chapter, pk, permissions.EDIT_PEOPLE)
    found = get_object_or_404(person.emails.all(), pk=email)
    services.person_contact_point_remove(person=person, email=found, actor=request.user)
    messages.success(request, "Email removed.")
    return _back(chapter, person)
