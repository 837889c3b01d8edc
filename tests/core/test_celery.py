"""Celery really goes through Redis: a queued task is consumed by a worker."""

from __future__ import annotations

import time

from django.conf import settings

from config.celery import app
from core.models import AuditEvent
from core.services import audit_record
from core.tasks import retrying_task


@retrying_task(name="tests.record_probe")
def record_probe(label: str) -> None:
    """Record an audit event, so the test can see the worker ran."""
    if not AuditEvent.objects.filter(target_label=label).exists():
        audit_record(actor=None, action=AuditEvent.Action.CREATE, target_label=label)


def test_the_broker_is_redis_with_late_acks_and_one_prefetch():
    assert app.conf.broker_url == settings.REDIS_URL
    assert app.conf.task_always_eager is False
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert record_probe.max_retries == 3


def test_a_queued_task_is_run_by_a_real_worker_and_running_it_twice_is_safe(celery_worker):
    record_probe.delay("probe-1")
    record_probe.delay("probe-1")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not AuditEvent.objects.filter(target_label="probe-1").exists():
        time.sleep(0.1)
    time.sleep(0.5)
    assert AuditEvent.objects.filter(target_label="probe-1").count() == 1
