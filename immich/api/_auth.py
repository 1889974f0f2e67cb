"""Credentials from HTTP: headers, cookies and query keys in; the login cookies out.

Immich's rules for where a client may put its credentials (``x-api-key`` header or ``apiKey``
query; ``Authorization: Bearer``, ``x-immich-user-token``, ``x-immich-session-token``, the
``immich_access_token`` cookie or the ``sessionKey`` query); who they name is decided by
``immich.services.auth``, which sees only the strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from immich.services import auth as auth_service
from immich.services.auth import AuthContext

if TYPE_CHECKING:
    from immich.api.routing import Operation
    from immich.context import AppContext

ACCESS_COOKIE = "immich_access_token"
AUTH_TYPE_COOKIE = "immich_auth_type"
IS_AUTHENTICATED_COOKIE = "immich_is_authenticated"
COOKIE_MAX_AGE = 400 * 24 * 3600  # as Immich: the longest a browser keeps a cookie


def api_key(request: Request) -> str | None:
    return request.headers.get("x-api-key") or request.query_params.get("apiKey") or None


def session_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    for name in ("x-immich-user-token", "x-immich-session-token"):
        if value := request.headers.get(name):
            return value
    return request.cookies.get(ACCESS_COOKIE) or request.query_params.get("sessionKey")


async def authorize(ctx: AppContext, request: Request, op: Operation) -> AuthContext | None:
    """Apply an operation's auth rules to the request's caller; None for public operations."""
    if not op.auth:
        return None  # public operations never look at credentials
    return await auth_service.authorize(
        ctx.db.pool,
        api_key=api_key(request),
        session_token=session_token(request),
        admin=op.admin,
        permission=op.permission,
    )


def login_cookies(token: str) -> list[tuple[str, str, bool]]:
    """(name, value, httpOnly) of the cookies Immich sets on login."""
    return [
        (ACCESS_COOKIE, token, True),
        (AUTH_TYPE_COOKIE, "password", True),
        (IS_AUTHENTICATED_COOKIE, "true", False),
    ]


def set_login_cookies(response: Response, token: str, secure: bool) -> None:
    for name, value, http_only in login_cookies(token):
        response.set_cookie(
            name,
            value,
            max_age=COOKIE_MAX_AGE,
            path="/",
            httponly=http_only,
            secure=secure,
            samesite="lax",
        )


def clear_login_cookies(response: Response) -> None:
    for name in (ACCESS_COOKIE, AUTH_TYPE_COOKIE, IS_AUTHENTICATED_COOKIE):
        response.delete_cookie(name, path="/")
