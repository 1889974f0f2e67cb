"""Credentials from HTTP: headers, cookies and query keys in; the login cookies out.

Immich's rules for where a client may put its credentials (a share key or slug, looked at
first; ``x-api-key`` header or ``apiKey`` query; ``Authorization: Bearer``, ``x-immich-user-token``, ``x-immich-session-token``, the
``immich_access_token`` cookie or the ``sessionKey`` query); who they name is decided by
``immich.services.auth``, which sees only the strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from immich.services import auth as auth_service
from immich.services.auth import AuthContext, ShareCredentials

if TYPE_CHECKING:
    from immich.api.routing import Operation
    from immich.context import AppContext

ACCESS_COOKIE = "immich_access_token"
AUTH_TYPE_COOKIE = "immich_auth_type"
IS_AUTHENTICATED_COOKIE = "immich_is_authenticated"
SHARED_LINK_COOKIE = "immich_shared_link_token"
# Operations that answer a password-protected link's missing password themselves.
OWN_PASSWORD_OPERATIONS = frozenset({"sharedLinkLogin", "getMySharedLink"})
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


def share_credentials(request: Request, op: Operation | None = None) -> ShareCredentials:
    """The share key (``x-immich-share-key`` header or ``key`` query) or slug
    (``x-immich-share-slug`` or ``slug``) and the visitor's link tokens (Immich's
    ``immich_shared_link_token`` cookie, comma-separated)."""
    cookie = request.cookies.get(SHARED_LINK_COOKIE) or ""
    return ShareCredentials(
        key=request.headers.get("x-immich-share-key") or request.query_params.get("key") or None,
        slug=request.headers.get("x-immich-share-slug") or request.query_params.get("slug") or None,
        route=op is not None and op.shared_link,
        own_password=op is not None and op.operation_id in OWN_PASSWORD_OPERATIONS,
        tokens=tuple(t for t in cookie.split(",") if t),
    )


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
        share=share_credentials(request, op),
    )


def set_shared_link_cookie(response: Response, request: Request, token: str, secure: bool) -> None:
    """Add a link's token to the visitor's cookie (one day, as Immich), keeping the others."""
    tokens = [t for t in (request.cookies.get(SHARED_LINK_COOKIE) or "").split(",") if t]
    if token not in tokens:
        tokens.append(token)
    response.set_cookie(
        SHARED_LINK_COOKIE,
        ",".join(tokens),
        max_age=24 * 3600,
        path="/",
        httponly=True,
        secure=secure,
        samesite="lax",
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
