"""Authentication rules: who a token or API key names, sessions, passwords, login, sign-up.

Plain values in and out: reading the credentials from headers, cookies or the query and setting
the login cookies is the api layer's (``immich.api._auth``)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import re
import secrets
import uuid
from collections.abc import Mapping
from typing import Any, Literal

import asyncpg
import attrs
import bcrypt

from immich import errors
from immich.db import locks
from immich.db.repos import Conn, Row, api_keys, sessions, shared_links, users
from immich.errors import BadRequest, Forbidden, Unauthorized
from immich.services import access

SESSION_TOUCH_INTERVAL = dt.timedelta(hours=1)
BCRYPT_ROUNDS = 10  # Immich's cost; hashes stay interchangeable with Immich's
# As Immich: an elevated session in use keeps at least this long before it locks again.
PIN_KEEP_ALIVE = dt.timedelta(minutes=5)


@attrs.frozen
class SharedLinkAuth:
    """What a shared link lets its visitor do (Immich's AuthSharedLink): the link's id, its
    owner, its album (None for an individual link) and its switches."""

    id: uuid.UUID
    user_id: uuid.UUID
    album_id: uuid.UUID | None
    allow_upload: bool
    allow_download: bool
    show_exif: bool
    password: str | None
    key: bytes

    @classmethod
    def of(cls, row: Row) -> SharedLinkAuth:
        return cls(
            id=row["id"],
            user_id=row["userId"],
            album_id=row["albumId"],
            allow_upload=bool(row["allowUpload"]),
            allow_download=bool(row["allowDownload"]),
            show_exif=bool(row["showExif"]),
            password=row["password"],
            key=bytes(row["key"]),
        )


@attrs.frozen
class AuthContext:
    """The caller: the user row and how they authenticated.

    A shared-link visitor (``shared_link`` set) carries the link owner's user row, as Immich's
    AuthDto; what they may reach is the link's, never the owner's (``immich.services.access``
    answers by the link when it is given the whole context)."""

    user: asyncpg.Record
    session_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    permissions: frozenset[str] | None = None  # None = a session: every permission
    shared_link: SharedLinkAuth | None = None

    @property
    def user_id(self) -> uuid.UUID:
        return self.user["id"]  # type: ignore[no-any-return]

    @property
    def is_admin(self) -> bool:
        return bool(self.user["isAdmin"])

    @property
    def elevated(self) -> bool:
        """A session with its PIN unlocked (never an API key, never a link): locked assets are
        usable."""
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


async def authenticate(
    db: Conn, *, api_key: str | None = None, session_token: str | None = None
) -> AuthContext | None:
    """The caller an API key (checked first) or a session token names; None without either;
    401 when the one given is unknown. A session in use is touched at most hourly, and its PIN
    unlock kept alive (``PIN_KEEP_ALIVE``)."""
    if api_key:
        row = await api_keys.get_by_key(db, hash_secret(api_key))
        if row is None:
            raise Unauthorized(errors.INVALID_API_KEY)
        return AuthContext(
            user=row, api_key_id=row["apiKeyId"], permissions=frozenset(row["permissions"])
        )
    if session_token:
        row = await sessions.get_by_token(db, hash_secret(session_token))
        if row is None:
            raise Unauthorized(errors.INVALID_USER_TOKEN)
        now = dt.datetime.now(dt.UTC)
        if now - row["sessionUpdatedAt"] > SESSION_TOUCH_INTERVAL:
            await sessions.touch(db, row["sessionId"])
        pin_until = row["pinExpiresAt"]
        if pin_until is not None and now < pin_until < now + PIN_KEEP_ALIVE:
            await sessions.update(db, row["sessionId"], {"pinExpiresAt": now + PIN_KEEP_ALIVE})
        return AuthContext(user=row, session_id=row["sessionId"])
    return None


async def authorize(
    db: Conn,
    *,
    api_key: str | None,
    session_token: str | None,
    admin: bool = False,
    permission: str | Literal[False] | None = None,
    share: ShareCredentials | None = None,
) -> AuthContext:
    """An operation's rules for its caller: signed in, admin when ``admin``, and (for an API
    key) holding ``permission``. A share key or slug (``share``) is looked at first, as Immich
    does: see ``shared_link_auth``."""
    if share is not None and (share.key or share.slug):
        return await shared_link_auth(db, share)
    auth = await authenticate(db, api_key=api_key, session_token=session_token)
    if auth is None:
        raise Unauthorized(errors.AUTH_REQUIRED)
    if admin and not auth.is_admin:
        raise Forbidden("Forbidden")
    # Immich's AuthService.authenticate: no permission named means ``all``; False means none.
    if permission is not False and not auth.allows(permission or "all"):
        raise Forbidden(f"Missing required permission: {permission or 'all'}")
    return auth


@attrs.frozen
class ShareCredentials:
    """A request's share key or slug and what the operation allows: ``route`` (Immich's
    ``sharedLink: true``), ``own_password`` (the operation answers a missing password itself:
    sharedLinkLogin, getMySharedLink) and the link tokens of the visitor's cookie."""

    key: str | None = None
    slug: str | None = None
    route: bool = False
    own_password: bool = False
    tokens: tuple[str, ...] = ()


def share_key_bytes(key: str) -> bytes:
    """A key as URLs carry it: base64url (Immich's form), or hex when 100 characters long."""
    try:
        if len(key) == 100:
            return bytes.fromhex(key)
        return base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    except ValueError:
        return b""


def link_token(link_id: uuid.UUID | str, password: str) -> str:
    """The proof of a link's password that sharedLinkLogin puts in the visitor's cookie."""
    return base64.b64encode(hashlib.sha256(f"{link_id}-{password}".encode()).digest()).decode()


def is_live(row: Row | None) -> bool:
    """Whether a link exists and has not expired."""
    if row is None:
        return False
    expires = row["expiresAt"]
    return expires is None or expires > dt.datetime.now(dt.UTC)


async def shared_link_auth(db: Conn, share: ShareCredentials) -> AuthContext:
    """The visitor of a share key (or else slug): 401 for an unknown or expired link, 403 on
    an operation links may not use (Immich's "Forbidden"), and, beyond Immich (whose server
    leaves the password to its web page), 401 ``Password required`` until the visitor has
    logged in to a password-protected link (``own_password`` operations excepted)."""
    if share.key:
        row = await shared_links.get_by_key(db, share_key_bytes(share.key))
        if not is_live(row):
            raise Unauthorized("Invalid share key")
    else:
        row = await shared_links.get_by_slug(db, share.slug or "")
        if not is_live(row):
            raise Unauthorized("Invalid share slug")
    assert row is not None
    owner = await users.get(db, row["userId"])
    if owner is None:
        raise Unauthorized("Invalid share key" if share.key else "Invalid share slug")
    if not share.route:
        raise Forbidden("Forbidden")
    link = SharedLinkAuth.of(row)
    if (
        link.password
        and not share.own_password
        and link_token(link.id, link.password) not in share.tokens
    ):
        raise Unauthorized("Password required")
    return AuthContext(user=owner, shared_link=link)


@attrs.frozen
class Device:
    """What a new session records about the client (Immich's ``getUserAgentDetails``)."""

    type: str = ""
    os: str = ""
    app_version: str | None = None


@attrs.frozen
class LoginResult:
    """A new session: its token (shown once) and the user it belongs to."""

    token: str
    user: Row
    is_onboarded: bool


async def login(
    db: Conn, config: Mapping[str, Any], email: str, password: str, device: Device
) -> LoginResult:
    """Immich's password login: check the credentials, open a session for ``device``."""
    if not config["passwordLogin"]["enabled"]:
        raise Unauthorized("Password login has been disabled")
    user = await users.get_by_email(db, email)
    if user is None or not await check_password(password, user["password"]):
        raise Unauthorized(errors.BAD_LOGIN)
    token = new_secret()
    await sessions.create(
        db,
        user["id"],
        hash_secret(token),
        device_type=device.type,
        device_os=device.os,
        app_version=device.app_version,
    )
    meta = await users.get_metadata(db, user["id"])
    is_onboarded = bool((meta.get("onboarding") or {}).get("isOnboarded", False))
    return LoginResult(token=token, user=user, is_onboarded=is_onboarded)


async def logout(db: Conn, auth: AuthContext) -> None:
    """End the caller's session (an API key has none to end)."""
    if auth.session_id is not None:
        await sessions.delete(db, auth.session_id)


async def sign_up_admin(db: Conn, email: str, name: str, password: str) -> Row:
    """The first user, an admin; 400 once the server has one, even when two sign-ups race
    (the advisory lock holds until the caller's transaction ends)."""
    hashed = await hash_password(password)  # before the lock: bcrypt takes a while
    await db.execute("SELECT pg_advisory_xact_lock($1)", locks.ADMIN_SIGN_UP)
    if await users.has_admin(db):
        raise BadRequest(errors.ADMIN_EXISTS)
    return await users.create(
        db,
        {
            "email": email,
            "name": name,
            "password": hashed,
            "isAdmin": True,
            "shouldChangePassword": False,
            "storageLabel": "admin",
        },
    )


async def change_password(
    db: Conn, auth: AuthContext, password: str, new_password: str, invalidate_sessions: bool
) -> Row:
    """A new password for the caller, who proves the current one; other sessions end when
    ``invalidate_sessions``."""
    user = await users.get(db, auth.user_id)
    if user is None or not await check_password(password, user["password"]):
        raise BadRequest("Wrong password")
    row = await users.update(
        db,
        user["id"],
        {"password": await hash_password(new_password), "shouldChangePassword": False},
    )
    if invalidate_sessions:
        await sessions.delete_for_user(db, user["id"], except_id=auth.session_id)
    assert row is not None
    return row
