"""Domain errors: what went wrong, in Immich's words, raised by services, jobs and plugins.

Nothing here knows HTTP: ``immich.api.errors`` turns a ``DomainError`` into Immich's error
answer. Each class carries ``status``, the kind of failure in the numbering Immich's messages
come with (400 bad input, 401 no credentials, 403 not allowed, 404 unknown, 409 conflict), as
Polar's ``PolarError.status_code`` does; a caller may give another (500, 503) for a failure of
the server itself.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a caller is meant to answer rather than crash on."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


ApiError = DomainError  # the name plugins and older modules use


class BadRequest(DomainError):
    status = 400


class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class ValidationFailed(DomainError):
    """Invalid input, every problem with its path: ``[{"path": [...], "message": ...}]``."""

    status = 400

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("Validation failed")
        self.errors = errors


# Immich's messages, where more than one module answers with them.
AUTH_REQUIRED = "Authentication required"
INVALID_USER_TOKEN = "Invalid user token"
INVALID_API_KEY = "Invalid API key"
BAD_LOGIN = "Incorrect email or password"
ADMIN_EXISTS = "The server already has an admin"

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
]
