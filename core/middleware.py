"""Request-wide middleware: the client IP for the audit trail, and required MFA."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)

# Paths a user who still needs MFA may reach: sign-in, MFA set-up, and public pages.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/public/", "/invite/")


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address, trusting the first proxy hop only."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Keep the client IP where audit records can find it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class RequireMfaMiddleware:
    """Send chairs, organizers and national roles to set up TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from chapters.permissions import user_lacks_required_mfa

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and user_lacks_required_mfa(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Two-factor authentication is required for your role. Set it up first."},
                    status=403,
                )
            messages.warning(
                request,
                "Your role gives you access to personal data, so two-factor authentication is required. "
                "Set it up to continue.",
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.get_full_path()}")
        return self.get_response(request)
