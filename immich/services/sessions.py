"""Session rules (as Immich's session service): child sessions, lock, revoke."""

from __future__ import annotations

import datetime as dt

from immich.db.repos import Conn, Row, sessions
from immich.errors import BadRequest
from immich.services import auth as auth_service
from immich.services.auth import AuthContext


async def create_child(
    db: Conn,
    auth: AuthContext,
    *,
    device_type: str,
    device_os: str,
    duration: int | None,
) -> tuple[Row, str]:
    """A session whose parent is the caller's (deleted with it); returns the row and token."""
    if auth.session_id is None:
        raise BadRequest("This endpoint can only be used with a session token")
    token = auth_service.new_secret()
    expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=duration) if duration else None
    row = await sessions.create(
        db,
        auth.user_id,
        auth_service.hash_secret(token),
        device_type=device_type,
        device_os=device_os,
        parent_id=auth.session_id,
        expires_at=expires_at,
    )
    return row, token


async def require_own(db: Conn, auth: AuthContext, session_id: str, permission: str) -> Row:
    """The caller's session with this id; Immich's access error otherwise."""
    row = await sessions.get_for_user(db, auth.user_id, session_id)
    if row is None:
        raise BadRequest(f"Not found or no {permission} access")
    return row


async def update(db: Conn, auth: AuthContext, session_id: str, changes: dict[str, bool]) -> Row:
    await require_own(db, auth, session_id, "session.update")
    if not changes:
        raise BadRequest("No fields to update")
    row = await sessions.update(db, session_id, dict(changes))
    assert row is not None
    return row


async def delete(db: Conn, auth: AuthContext, session_id: str) -> None:
    await require_own(db, auth, session_id, "authDevice.delete")
    await sessions.delete(db, session_id)


async def lock(db: Conn, auth: AuthContext, session_id: str) -> None:
    """Drop the session's PIN elevation (locked folder closes)."""
    await require_own(db, auth, session_id, "session.lock")
    await sessions.update(db, session_id, {"pinExpiresAt": None})


async def delete_others(db: Conn, auth: AuthContext) -> None:
    """Log out every session of the caller but the current one."""
    await sessions.delete_for_user(db, auth.user_id, except_id=auth.session_id)
