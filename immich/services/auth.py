"""Authentication rules: credentials from a request, sessions, API keys, passwords."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import re
import secrets
import uuid
from typing import TYPE_CHECKING, Any

import asyncpg
import attrs
import bcrypt
from starlette.requests import Request

from immich.api import errors
from immich.api.errors import Forbidden, Unauthorized
from immich.db.repos import api_keys, sessions
from immich.services import access

if TYPE_CHECKING:
    from immich.api.routing import Operation
    from immich.context import AppContext

ACCESS_COOKIE = "immich_access_token"
AUTH_TYPE_COOKIE = "immich_auth_type"
IS_AUTHENTICATED_COOKIE = "immich_is_authenticated"
COOKIE_MAX_AGE = 400 * 24 * 3600  # as Immich: the longest a browser keeps a cookie
SESSION_TOUCH_INTERVAL = dt.timedelta(hours=1)
BCRYPT_ROUNDS = 10  # Immich's cost; hashes stay interchangeable with Immich's
# As Immich: an elevated session in use keeps at least this long before it locks again.
PIN_KEEP_ALIVE = dt.timedelta(minutes=5)


@attrs.frozen
class AuthContext:
    """The caller: the user row and how they authenticated."""

    user: asyncpg.Record
    session_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    permissions: frozenset[str] | None = None  # None = a session: every permission

    @property
    def user_id(self) -> uuid.UUID:
        return self.user["id"]  # type: ignore[no-any-return]

    @property
    def is_admin(self) -> bool:
        return bool(self.user["isAdmin"])

    @property
    def elevated(self) -> bool:
        """A session with its PIN unlocked (never an API key): locked assets are usable."""
        return access.is_elevated(self)

    def allows(self, permission: str) -> bool:
        if self.permissions is None or "all" in self.permissions:
            return True
        return permission in self.permissions


def hash_secret(secret: str) -> bytes:
    """SHA-256 of a session token or API key: what the database keeps."""
    return hashlib.sha256(secret.encode()).digest()


def new_secret() -> str:
    """Immich's form: 32 random bytes as base64 with non-word characters removed."""
    return re.sub(r"\W", "", base64.b64encode(secrets.token_bytes(32)).decode())


async def hash_password(password: str) -> str:
    salt = bcrypt.gensalt(BCRYPT_ROUNDS)
    hashed = await asyncio.to_thread(bcrypt.hashpw, password.encode(), salt)
    return hashed.decode()


async def check_password(password: str, hashed: str) -> bool:
    if not hashed:
        return False
    try:
        return await asyncio.to_thread(bcrypt.checkpw, password.encode(), hashed.encode())
    except ValueError:
        return False


def _session_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    for name in ("x-immich-user-token", "x-immich-session-token"):
        if value := request.headers.get(name):
            return value
    return request.cookies.get(ACCESS_COOKIE) or request.query_params.get("sessionKey")


async def authenticate(ctx: AppContext, request: Request) -> AuthContext | None:
    """The caller, None when the request has no credentials; 401 for bad ones."""
    api_key = request.headers.get("x-api-key") or request.query_params.get("apiKey")
    if api_key:
        row = await api_keys.get_by_key(ctx.db.pool, hash_secret(api_key))
        if row is None:
            raise Unauthorized(errors.INVALID_API_KEY)
        return AuthContext(
            user=row, api_key_id=row["apiKeyId"], permissions=frozenset(row["permissions"])
        )
    token = _session_token(request)
    if token:
        row = await sessions.get_by_token(ctx.db.pool, hash_secret(token))
        if row is None:
            raise Unauthorized(errors.INVALID_USER_TOKEN)
        now = dt.datetime.now(dt.UTC)
        if now - row["sessionUpdatedAt"] > SESSION_TOUCH_INTERVAL:
            await sessions.touch(ctx.db.pool, row["sessionId"])
        pin_until = row["pinExpiresAt"]
        if pin_until is not None and now < pin_until < now + PIN_KEEP_ALIVE:
            await sessions.update(
                ctx.db.pool, row["sessionId"], {"pinExpiresAt": now + PIN_KEEP_ALIVE}
            )
        return AuthContext(user=row, session_id=row["sessionId"])
    return None


async def authorize(ctx: AppContext, request: Request, op: Operation) -> AuthContext | None:
    """Apply an operation's auth rules: signed in, admin-only, API-key permission."""
    if not op.auth:
        return None  # public operations never look at credentials
    auth = await authenticate(ctx, request)
    if auth is None:
        raise Unauthorized(errors.AUTH_REQUIRED)
    if op.admin and not auth.is_admin:
        raise Forbidden("Forbidden")
    if op.permission and not auth.allows(op.permission):
        raise Forbidden(f"Missing required permission: {op.permission}")
    return auth


def login_cookies(token: str, secure: bool) -> list[tuple[str, str, bool]]:
    """(name, value, httpOnly) of the cookies Immich sets on login."""
    return [
        (ACCESS_COOKIE, token, True),
        (AUTH_TYPE_COOKIE, "password", True),
        (IS_AUTHENTICATED_COOKIE, "true", False),
    ]


def set_login_cookies(response: Any, token: str, secure: bool) -> None:
    for name, value, http_only in login_cookies(token, secure):
        response.set_cookie(
            name,
            value,
            max_age=COOKIE_MAX_AGE,
            path="/",
            httponly=http_only,
            secure=secure,
            samesite="lax",
        )


def clear_login_cookies(response: Any) -> None:
    for name in (ACCESS_COOKIE, AUTH_TYPE_COOKIE, IS_AUTHENTICATED_COOKIE):
        response.delete_cookie(name, path="/")
