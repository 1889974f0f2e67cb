"""API key rules (as Immich's api-key service): secrets shown once, no permission escalation."""

from __future__ import annotations

from collections.abc import Sequence

from immich.db.repos import Conn, Row, api_keys
from immich.errors import BadRequest, Forbidden
from immich.services import auth as auth_service
from immich.services.auth import AuthContext

NOT_FOUND = "API Key not found"
DEFAULT_NAME = "API Key"


def is_granted(requested: Sequence[str], current: frozenset[str]) -> bool:
    """Immich's ``isGranted``: "all" grants anything, else every requested one must be held."""
    return "all" in current or set(requested) <= current


def _check_grant(auth: AuthContext, requested: Sequence[str]) -> None:
    # A key may only hand out what it holds itself; a login session holds everything.
    if auth.permissions is not None and not is_granted(requested, auth.permissions):
        raise BadRequest("Cannot grant permissions you do not have")


async def create(
    db: Conn, auth: AuthContext, name: str | None, permissions: Sequence[str]
) -> tuple[Row, str]:
    """A new key for the caller; returns the row and the secret (never stored in clear)."""
    _check_grant(auth, permissions)
    secret = auth_service.new_secret()
    row = await api_keys.create(
        db, auth.user_id, name or DEFAULT_NAME, auth_service.hash_secret(secret), permissions
    )
    return row, secret


async def get(db: Conn, auth: AuthContext, key_id: str) -> Row:
    row = await api_keys.get(db, auth.user_id, key_id)
    if row is None:
        raise BadRequest(NOT_FOUND)
    return row


async def get_mine(db: Conn, auth: AuthContext) -> Row:
    if auth.api_key_id is None:
        raise Forbidden("Not authenticated with an API Key")
    return await get(db, auth, str(auth.api_key_id))


async def update(
    db: Conn,
    auth: AuthContext,
    key_id: str,
    name: str | None,
    permissions: Sequence[str] | None,
) -> Row:
    await get(db, auth, key_id)
    if permissions is not None:
        _check_grant(auth, permissions)
    row = await api_keys.update(db, auth.user_id, key_id, name or None, permissions)
    if row is None:
        raise BadRequest(NOT_FOUND)
    return row


async def delete(db: Conn, auth: AuthContext, key_id: str) -> None:
    await get(db, auth, key_id)
    await api_keys.delete(db, auth.user_id, key_id)
