"""The health endpoint reports the database and the broker, and fails when either is down."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def own_broker() -> Iterator[str]:
    """A real Redis server of the test's own, which the test can stop."""
    port = _free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(50):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield url
    process.kill()
    process.wait()


@pytest.mark.django_db
def test_health_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_really_down(client, settings, own_broker):
    """Stop a real broker and watch the endpoint turn red."""
    settings.CELERY_BROKER_URL = own_broker
    assert client.get("/healthz").status_code == 200

    redis.Redis.from_url(own_broker).shutdown(nosave=True)
    time.sleep(0.2)

    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == "ok"
    assert body["broker"].startswith("down")
