"""Types shared by views."""

from django.http import HttpRequest

from core.models import User


class AuthedRequest(HttpRequest):
    """A request from a signed-in user, as login_required guarantees."""

    user: User
