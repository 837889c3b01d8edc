"""Shared fixtures: real PostgreSQL and Redis, and the personas each test's story needs."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings

from chapters.models import Chapter, Membership, NationalRole, Role
from core.models import User
from tests.factories import ChapterFactory, MembershipFactory, NationalRoleFactory, UserFactory


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to run on anything but the real services."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        pytest.exit(f"Tests need PostgreSQL (DATABASE_URL); got {engine}. Run them with `make test`.", returncode=3)
    if not settings.REDIS_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.exit("Tests need Redis as the broker (REDIS_URL). Run them with `make test`.", returncode=3)
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.exit(f"Redis at {settings.REDIS_URL} is not answering: {error}", returncode=3)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if any test was skipped: nothing is silently left out."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and exitstatus == 0 and not os.environ.get("BLOCKWORK_ALLOW_SKIPS"):
        session.exitstatus = 1
        if reporter:
            reporter.write_line(f"{skipped} test(s) were skipped; skips fail this suite.", red=True)


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """Close connections left by server and worker threads, so the test database can be dropped."""
    yield
    from django.db import connection

    if not connection.settings_dict["NAME"].startswith("test_"):
        return  # No test asked for the database, so none was made and none is left to drop.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture(scope="session", autouse=True)
def _fresh_redis() -> None:
    """Start every run with an empty test Redis database: no stale throttles or progress."""
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    return


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Keep rate limits and cached progress from leaking between tests."""
    from django.core.cache import cache

    cache.clear()
    return


@pytest.fixture
def chapter(db: None) -> Chapter:
    return ChapterFactory.create(name="Alpha Socialists", slug="alpha")


@pytest.fixture
def other_chapter(db: None) -> Chapter:
    return ChapterFactory.create(name="Beta Socialists", slug="beta")


def _member(chapter: Chapter, role: Role, **kwargs: object) -> Membership:
    return MembershipFactory.create(chapter=chapter, role=role, **kwargs)


@pytest.fixture
def chair(chapter: Chapter) -> Membership:
    return _member(chapter, Role.CHAIR)


@pytest.fixture
def organizer(chapter: Chapter) -> Membership:
    return _member(chapter, Role.ORGANIZER)


@pytest.fixture
def captain(chapter: Chapter) -> Membership:
    return _member(chapter, Role.CAPTAIN)


@pytest.fixture
def canvasser(chapter: Chapter) -> Membership:
    return _member(chapter, Role.CANVASSER)


@pytest.fixture
def member(chapter: Chapter) -> Membership:
    return _member(chapter, Role.MEMBER)


@pytest.fixture
def outsider(other_chapter: Chapter) -> Membership:
    """The chair of another chapter, with two factors: as much reach as anyone outside has."""
    return _member(other_chapter, Role.CHAIR)


@pytest.fixture
def nec_member(db: None) -> User:
    return NationalRoleFactory.create(kind=NationalRole.Kind.NEC_MEMBER).user


@pytest.fixture
def nec_cochair(db: None) -> User:
    return NationalRoleFactory.create(kind=NationalRole.Kind.NEC_COCHAIR).user


@pytest.fixture
def npc_member(db: None) -> User:
    return NationalRoleFactory.create(kind=NationalRole.Kind.NPC_MEMBER).user


@pytest.fixture
def user(db: None) -> User:
    """Someone with an account and no chapter."""
    return UserFactory.create()


@pytest.fixture
def celery_worker(transactional_db: None) -> Iterator[None]:
    """Run a real Celery worker, in a thread, consuming from the test Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield
