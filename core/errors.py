"""Errors a service raises when a request cannot be carried out."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A user-facing refusal: the message says what went wrong and nothing changed."""

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
