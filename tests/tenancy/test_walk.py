"""
Walk every URL pattern and API route as an outsider.

The walk fills each route from chapter A's objects and requests it as the chair
of chapter B (two factors set up, the most reach anyone outside has). Scoped
routes must answer 404, exactly like something that does not exist. A route
with no entry in a routes_<app>.py module fails the walk.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType, SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.tenancy
from tests.tenancy.registry import EXEMPT_NAME_PREFIXES, EXEMPT_NAMESPACES, OwnOnly, Public, Route, Scoped

BUILD_ORDER = ["routes_chapters", "routes_data_vault", "routes_canvassing", "routes_endorsements", "routes_committee"]


def _route_modules() -> list[ModuleType]:
    names = [m.name for m in pkgutil.iter_modules(tests.tenancy.__path__) if m.name.startswith("routes_")]
    ordered = [n for n in BUILD_ORDER if n in names] + sorted(n for n in names if n not in BUILD_ORDER)
    return [importlib.import_module(f"tests.tenancy.{name}") for name in ordered]


def _registry() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for module in _route_modules():
        for name, route in module.ROUTES.items():
            assert name not in routes, f"{name} has two walk entries"
            routes[name] = route
    return routes


def _url_names(patterns: list[URLPattern | URLResolver] | None = None, namespace: str = "") -> Iterator[str]:
    """Yield the qualified name of every route; unnamed routes yield their pattern."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            yield f"{namespace}:<unnamed {pattern.pattern}>"


def _exempt(name: str) -> bool:
    namespace = name.split(":", 1)[0] if ":" in name else ""
    return namespace in EXEMPT_NAMESPACES or name.startswith(tuple(EXEMPT_NAME_PREFIXES))


ROUTES = _registry()


@pytest.fixture
def world(chapter, other_chapter, chair, organizer, captain, canvasser, member, outsider) -> SimpleNamespace:
    """Chapter A with one of everything, and chapter B's chair as the outsider."""
    w = SimpleNamespace(
        chapter=chapter,
        other_chapter=other_chapter,
        chair=chair,
        organizer=organizer,
        captain=captain,
        canvasser=canvasser,
        member=member,
        outsider=outsider,
    )
    for module in _route_modules():
        build = getattr(module, "build", None)
        if build:
            build(w)
    return w


def _request(client: Client, method: str, url: str):
    return client.get(url) if method == "GET" else client.generic(method, url)


def test_every_route_has_a_walk_entry() -> None:
    """A new route without an entry telling the walk how to reach it fails here."""
    names = set(_url_names())
    missing = sorted(n for n in names if n not in ROUTES and not _exempt(n))
    stale = sorted(n for n in ROUTES if n not in names)
    assert not missing, f"Routes with no tenancy-walk entry (add them to tests/tenancy/routes_<app>.py): {missing}"
    assert not stale, f"Walk entries for routes that no longer exist: {stale}"


@pytest.mark.django_db
def test_outsider_gets_404_on_every_scoped_route(client: Client, world: SimpleNamespace) -> None:
    """A member of another chapter cannot tell that any of chapter A's objects exist."""
    client.force_login(world.outsider.user)
    wrong = []
    for name, route in ROUTES.items():
        if not isinstance(route, Scoped):
            continue
        url = reverse(name, kwargs=route.kwargs(world))
        for method in route.methods:
            status = _request(client, method, url).status_code
            if status != 404:
                wrong.append(f"{method} {url} ({name}) answered {status}")
    assert not wrong, "Outsider was not refused with 404:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_outsider_sees_nothing_of_chapter_a_on_own_only_routes(client: Client, world: SimpleNamespace) -> None:
    """Pages listing the user's own things show nothing of another chapter."""
    client.force_login(world.outsider.user)
    leaks = []
    for name, route in ROUTES.items():
        if not isinstance(route, OwnOnly):
            continue
        url = reverse(name, kwargs=route.kwargs(world))
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        body = response.content.decode()
        leaks += [f"{url} ({name}) shows {text!r}" for text in route.hidden(world) if text in body]
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_and_refused_by_the_api(client: Client, world: SimpleNamespace) -> None:
    """Pages redirect to sign-in; the API answers 401 or 403."""
    wrong = []
    for name, route in ROUTES.items():
        if isinstance(route, Public):
            continue
        url = reverse(name, kwargs=route.kwargs(world))
        methods = route.methods if isinstance(route, Scoped) else ("GET",)
        for method in methods:
            response = _request(client, method, url)
            if url.startswith("/api/"):
                ok = response.status_code in (401, 403)
            elif name == "core:home":
                ok = response.status_code == 200 and world.chapter.name not in response.content.decode()
            else:
                ok = response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
            if not ok:
                wrong.append(f"{method} {url} ({name}) answered {response.status_code}")
    assert not wrong, "Anonymous requests not refused:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_public_routes_answer_anonymous_visitors(client: Client, world: SimpleNamespace) -> None:
    """Public routes work with no sign-in."""
    for name, route in ROUTES.items():
        if isinstance(route, Public):
            url = reverse(name, kwargs=route.kwargs(world))
            assert client.get(url).status_code == 200, f"{url} ({name})"
