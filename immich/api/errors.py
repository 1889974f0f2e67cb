"""Error answers in Immich 3.1's shape: ``{"message": ...}`` (+ ``errors`` for validation).

The errors themselves are domain errors (``immich.errors``, no HTTP there); this module turns
one into the status and JSON body the client gets, and re-exports the names so api modules
keep importing them from here.
"""

from __future__ import annotations

from typing import Any

from immich.errors import (
    ADMIN_EXISTS,
    AUTH_REQUIRED,
    BAD_LOGIN,
    INVALID_API_KEY,
    INVALID_USER_TOKEN,
    ApiError,
    BadRequest,
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    Unauthorized,
    ValidationFailed,
)


def error_status(exc: DomainError) -> int:
    """The HTTP status of a domain error."""
    return exc.status


def error_body(exc: DomainError) -> dict[str, Any]:
    """Immich's error body: the message, plus every problem for invalid input."""
    if isinstance(exc, ValidationFailed):
        return {"message": exc.message, "errors": exc.errors}
    return {"message": exc.message}


__all__ = [
    "ADMIN_EXISTS",
    "AUTH_REQUIRED",
    "BAD_LOGIN",
    "INVALID_API_KEY",
    "INVALID_USER_TOKEN",
    "ApiError",
    "BadRequest",
    "Conflict",
    "DomainError",
    "Forbidden",
    "NotFound",
    "Unauthorized",
    "ValidationFailed",
    "error_body",
    "error_status",
]
