"""
The tenancy walk, as a canvasser of the same chapter.

Every canvassing and vault route, filled from chapter A's objects, is
requested by a canvasser of chapter A whose only turf is another one: each
answers 404. Their own turf answers only while it is assigned to them.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from canvassing import services
from tests.tenancy.registry import Scoped
from tests.tenancy.test_walk import ROUTES, world  # noqa: F401

pytestmark = pytest.mark.django_db

# Pages about the canvasser themselves: their shifts and sign-ups.
OWN_PAGES = {"canvassing:canvass_home", "canvassing:shift_signup", "canvassing:shift_cancel"}
REACHED = ("canvassing:", "data_vault:", "api:canvass_", "api:person", "api:saved_list", "api:household")


def test_canvasser_reaches_no_turf_but_their_own(client: Client, world: SimpleNamespace) -> None:  # noqa: F811
    client.force_login(world.canvasser.user)
    wrong = []
    for name, route in ROUTES.items():
        if not isinstance(route, Scoped) or not name.startswith(REACHED) or name in OWN_PAGES:
            continue
        url = reverse(name, kwargs=route.kwargs(world))
        for method in route.methods:
            response = client.get(url) if method == "GET" else client.generic(method, url)
            if response.status_code != 404:
                wrong.append(f"{method} {url} ({name}) answered {response.status_code}")
    assert not wrong, "A canvasser reached more than their own turf:\n" + "\n".join(wrong)


def test_canvasser_reaches_their_turf_only_while_assigned(client: Client, world: SimpleNamespace) -> None:  # noqa: F811
    own = {"chapter": world.chapter.slug, "pk": world.turf_b.pk}
    door = world.turf_b.doors.first()
    urls = [reverse("canvassing:canvass_walk", kwargs=own), reverse("api:canvass_turf_doors", kwargs=own)]
    submit = reverse("api:canvass_result_submit", kwargs=own)
    result = {"client_uuid": str(uuid.uuid4()), "household_id": door.household_id, "result": "not_home"}
    client.force_login(world.canvasser.user)
    assert [client.get(url).status_code for url in urls] == [200, 200]
    assert client.post(submit, result, content_type="application/json").status_code == 201
    services.assignment_end(assignment=world.assignment, actor=world.captain.user)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    result["client_uuid"] = str(uuid.uuid4())
    assert client.post(submit, result, content_type="application/json").status_code == 404
