"""Writes shared by every app: the audit trail, API tokens and job progress."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.middleware import current_ip
from core.models import ApiToken, AuditEvent, Job, User

TOKEN_PREFIX = "bw_"


def audit_record(
    *,
    actor: User | None,
    action: str,
    chapter: Any = None,
    target: models.Model | None = None,
    target_label: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one audited action; the IP comes from the request being served."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_email=getattr(actor, "email", "") or "",
        chapter=chapter,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:200],
        ip_address=current_ip.get(),
        details=details or {},
    )


def api_token_digest(raw: str) -> str:
    """Return the SHA-256 digest under which a token is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token and return it with its raw value, shown once."""
    name = name.strip()
    if not name:
        raise ApplicationError("Give the token a name, so you can recognise it later.")
    if user.api_tokens.filter(name=name, revoked_at__isnull=True).exists():
        raise ApplicationError("You already have an active token with that name.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], digest=api_token_digest(raw))
    audit_record(actor=user, action=AuditEvent.Action.API_TOKEN_CREATE, target=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token; revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AuditEvent.Action.API_TOKEN_REVOKE, target=token)
    return token


def job_progress(job: Job, *, done: int, total: int | None = None, phase: str | None = None) -> None:
    """Publish a job's live progress where pages can read it at once."""
    current = cache.get(job.progress_key) or {}
    state = {
        "done": done,
        "total": total if total is not None else current.get("total", job.total),
        "phase": phase if phase is not None else current.get("phase", job.phase),
    }
    cache.set(job.progress_key, state, timeout=24 * 60 * 60)


def job_progress_get(job: Job) -> dict[str, Any]:
    """Return the job's progress: live from the cache, else from the row."""
    if job.is_finished:
        return {"done": job.done, "total": job.total, "phase": job.phase}
    return cache.get(job.progress_key) or {"done": job.done, "total": job.total, "phase": job.phase}


def job_start(job: Job, *, total: int = 0, phase: str = "") -> None:
    """Mark a job as running."""
    started_at = timezone.now()
    type(job)._default_manager.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=started_at, total=total, phase=phase, error=""
    )
    job.status, job.started_at, job.total, job.phase = Job.Status.RUNNING, started_at, total, phase
    job_progress(job, done=0, total=total, phase=phase)


def job_finish(job: Job, *, status: str = Job.Status.DONE, error: str = "", **fields: Any) -> None:
    """Mark a job as finished, keeping its last progress on the row."""
    state = cache.get(job.progress_key) or {}
    values = {
        "status": status,
        "finished_at": timezone.now(),
        "error": error,
        "done": state.get("done", job.done),
        "total": state.get("total", job.total),
        "phase": state.get("phase", job.phase),
        **fields,
    }
    if status == Job.Status.DONE:
        values["done"] = values["total"] = max(values["total"], values["done"])
    type(job)._default_manager.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)
    cache.delete(job.progress_key)


def job_cancel_request(job: Job, *, actor: User) -> None:
    """Ask a running job to stop; a finished job cannot be cancelled."""
    if job.is_finished:
        raise ApplicationError("This job has already finished.")
    type(job)._default_manager.filter(pk=job.pk).update(cancel_requested=True)
    job.cancel_requested = True
    cache.set(f"{job.progress_key}:cancel", True, timeout=24 * 60 * 60)


def job_is_cancelled(job: Job) -> bool:
    """Return whether someone asked the job to stop."""
    if cache.get(f"{job.progress_key}:cancel"):
        return True
    return type(job)._default_manager.filter(pk=job.pk, cancel_requested=True).exists()
