"""The shape every Blockwork task takes: late acks, bounded retries on transient failures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def retrying_task(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Declare a task that retries transient failures at most three times, with backoff."""
    defaults: dict[str, Any] = {
        "acks_late": True,
        "autoretry_for": TRANSIENT_ERRORS,
        "max_retries": 3,
        "retry_backoff": True,
        "retry_jitter": True,
    }
    return shared_task(**{**defaults, **options})
