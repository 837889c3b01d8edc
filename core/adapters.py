"""allauth adapter: sign-up only through an invitation."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

INVITATION_SESSION_KEY = "invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    """Open sign-up only to people holding an invitation link."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(request.session.get(INVITATION_SESSION_KEY))
