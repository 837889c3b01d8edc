"""Chapter pages: dashboard, members, invitations, settings and the audit trail."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chapters import permissions, selectors, services
from chapters.forms import AuditFilterForm, ChapterSettingsForm, InvitationForm, RoleForm
from chapters.models import Invitation
from core.adapters import INVITATION_SESSION_KEY
from core.errors import ApplicationError
from core.selectors import audit_event_list
from core.types import AuthedRequest
from core.views import LAST_CHAPTER_SESSION_KEY
from data_vault.views.people import dashboard_card as vault_card


@login_required
def dashboard(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Show the chapter's overview."""
    membership = selectors.membership_get_for_user(user=request.user, chapter_slug=chapter)
    request.session[LAST_CHAPTER_SESSION_KEY] = membership.chapter.slug
    return render(
        request,
        "chapters/dashboard.html",
        {"membership": membership, "chapter": membership.chapter, "vault": vault_card(membership=membership)},
    )


@login_required
def member_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's members with their roles."""
    membership = selectors.membership_get_for_user(
        user=request.user, chapter_slug=chapter, rule=permissions.VIEW_MEMBERS
    )
    return render(
        request,
        "chapters/member_list.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "members": selectors.membership_list(chapter=membership.chapter),
            "role_form": RoleForm(),
        },
    )


@login_required
@require_POST
def member_role_change(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Change one member's role."""
    membership = selectors.membership_get_for_user(
        user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_MEMBERS
    )
    member = selectors.membership_get(chapter=membership.chapter, pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the chapter roles.")
        return redirect("chapters:member_list", chapter=chapter)
    try:
        services.membership_role_change(membership=member, role=form.cleaned_data["role"], actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{member.user.email} is now {member.get_role_display().lower()}.")
    return redirect("chapters:member_list", chapter=chapter)


@login_required
@require_POST
def member_remove(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Remove someone from the chapter."""
    membership = selectors.membership_get_for_user(
        user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_MEMBERS
    )
    member = selectors.membership_get(chapter=membership.chapter, pk=pk)
    try:
        services.membership_remove(membership=member, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{member.user.email} was removed from the chapter.")
    return redirect("chapters:member_list", chapter=chapter)


@login_required
def invitation_list(request: AuthedRequest, chapter: str) -> HttpResponse:
    """List the chapter's invitations and send a new one."""
    membership = selectors.membership_get_for_user(
        user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_MEMBERS
    )
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, link = services.invitation_send(
                chapter=membership.chapter,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ApplicationError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. You can also share this link with them: {link}",
            )
            return redirect("chapters:invitation_list", chapter=chapter)
    return render(
        request,
        "chapters/invitation_list.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "form": form,
            "invitations": selectors.invitation_list(chapter=membership.chapter),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def invitation_revoke(request: AuthedRequest, chapter: str, pk: int) -> HttpResponse:
    """Revoke a pending invitation."""
    membership = selectors.membership_get_for_user(
        user=request.user, chapter_slug=chapter, rule=permissions.MANAGE_MEMBERS
    )
    invitation = selectors.invitation_get(chapter=membership.chapter, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The invitation to {invitation.email} was revoked.")
    return redirect("chapters:invitation_list", chapter=chapter)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation; a signed-in invitee accepts it, anyone else signs up or in first."""
    invitation = selectors.invitation_get_by_token(token=token)
    if invitation.status == Invitation.Status.PENDING:
        # The link proves the invitee reads this address: signing up with it needs no second check.
        request.session[INVITATION_SESSION_KEY] = token
        get_adapter(request).stash_verified_email(request, invitation.email)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            messages.success(request, f"Welcome to {membership.chapter.name}.")
            return redirect(membership.chapter.get_absolute_url())
    return render(request, "chapters/invitation_accept.html", {"invitation": invitation, "token": token})


@login_required
def chapter_settings(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Edit the chapter's settings and endorsement rules."""
    membership = selectors.membership_get_for_user(
        user=request.user, chapter_slug=chapter, rule=permissions.CHANGE_SETTINGS
    )
    form = ChapterSettingsForm(request.POST or None, instance=membership.chapter)
    if request.method == "POST" and form.is_valid():
        try:
            services.chapter_settings_update(chapter=membership.chapter, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Settings saved.")
            return redirect("chapters:settings", chapter=chapter)
    return render(
        request,
        "chapters/settings.html",
        {"membership": membership, "chapter": membership.chapter, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def audit_trail(request: AuthedRequest, chapter: str) -> HttpResponse:
    """Show the chapter's audit trail, newest first, filtered."""
    membership = selectors.membership_get_for_user(
        user=request.user, chapter_slug=chapter, rule=permissions.VIEW_AUDIT_TRAIL
    )
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(
        chapter=membership.chapter,
        action=filters.get("action") or None,
        actor_email=filters.get("actor") or None,
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "chapters/audit_trail.html",
        {
            "membership": membership,
            "chapter": membership.chapter,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )
