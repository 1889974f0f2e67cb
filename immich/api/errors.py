"""Error answers in Immich 3.1's shape: ``{"message": ...}`` (+ ``errors`` for validation)."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Raised anywhere below a route; the app turns it into a JSON answer."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def body(self) -> dict[str, Any]:
        return {"message": self.message}


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class ValidationFailed(ApiError):
    """Invalid input: ``{"message": "Validation failed", "errors": [{path, message}]}``."""

    status = 400

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("Validation failed")
        self.errors = errors

    def body(self) -> dict[str, Any]:
        return {"message": self.message, "errors": self.errors}


AUTH_REQUIRED = "Authentication required"
INVALID_USER_TOKEN = "Invalid user token"
INVALID_API_KEY = "Invalid API key"
BAD_LOGIN = "Incorrect email or password"
ADMIN_EXISTS = "The server already has an admin"
