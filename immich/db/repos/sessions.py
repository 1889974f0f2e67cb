"""SQL for the ``session`` table (login sessions; tokens stored as SHA-256)."""

from __future__ import annotations

import uuid
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Session

_LIVE = Session.expires_at.is_null() | (Session.expires_at > q.NOW)  # not expired


async def create(
    db: Conn,
    user_id: uuid.UUID,
    token_hash: bytes,
    *,
    device_type: str = "",
    device_os: str = "",
    app_version: str | None = None,
    parent_id: uuid.UUID | None = None,
    expires_at: Any = None,
) -> Row:
    values = {
        "userId": user_id,
        "token": token_hash,
        "deviceType": device_type,
        "deviceOS": device_os,
        "appVersion": app_version,
        "parentId": parent_id,
        "expiresAt": expires_at,
    }
    query = Session.insert(q.new_row(Session, values)).returning(*Session.all_columns())
    row = await q.fetchrow(db, query)
    assert row is not None
    return row


async def get_by_token(db: Conn, token_hash: bytes) -> Row | None:
    """The session and its (not deleted) user, joined: one round trip per request."""
    # raw SQL: a join answering the user's row as `u.*` (piccolo prefixes joined columns), on
    # every request
    return await db.fetchrow(
        'SELECT s."id" AS "sessionId", s."updatedAt" AS "sessionUpdatedAt", '
        's."expiresAt" AS "sessionExpiresAt", s."pinExpiresAt", u.* '
        'FROM "session" s JOIN "user" u ON u."id" = s."userId" '
        'WHERE s."token" = $1 AND u."deletedAt" IS NULL '
        'AND (s."expiresAt" IS NULL OR s."expiresAt" > now())',
        token_hash,
    )


async def get(db: Conn, session_id: uuid.UUID | str) -> Row | None:
    return await q.fetchrow(db, Session.select().where(Session.id == uuid.UUID(str(session_id))))


async def get_for_user(
    db: Conn, user_id: uuid.UUID | str, session_id: uuid.UUID | str
) -> Row | None:
    query = Session.select().where(
        (Session.id == uuid.UUID(str(session_id))) & (Session.user_id == uuid.UUID(str(user_id)))
    )
    return await q.fetchrow(db, query)


async def update(db: Conn, session_id: uuid.UUID | str, values: dict[str, Any]) -> Row | None:
    """Set ``isPendingSyncReset`` and/or ``pinExpiresAt``."""
    bad = set(values) - {"isPendingSyncReset", "pinExpiresAt"}
    if bad:
        raise ValueError(f"not a writable session column: {sorted(bad)}")
    sets = {
        **q.by_column_name(Session, values),
        Session.updated_at: q.NOW,
    }
    query = (
        Session.update(sets)
        .where(Session.id == uuid.UUID(str(session_id)))
        .returning(*Session.all_columns())
    )
    return await q.fetchrow(db, query)


async def list_for_user(db: Conn, user_id: uuid.UUID | str) -> list[Row]:
    query = (
        Session.select()
        .where((Session.user_id == uuid.UUID(str(user_id))) & _LIVE)
        .order_by(Session.updated_at, ascending=False)
    )
    return await q.fetch(db, query)


async def touch(db: Conn, session_id: uuid.UUID) -> None:
    await q.execute(db, Session.update({Session.updated_at: q.NOW}).where(Session.id == session_id))


async def delete(db: Conn, session_id: uuid.UUID | str) -> None:
    await q.execute(db, Session.delete().where(Session.id == uuid.UUID(str(session_id))))


async def delete_for_user(
    db: Conn, user_id: uuid.UUID | str, *, except_id: uuid.UUID | None = None
) -> None:
    where: Any = Session.user_id == uuid.UUID(str(user_id))
    if except_id is not None:
        where = where & (Session.id != except_id)
    await q.execute(db, Session.delete().where(where))


async def delete_stale(db: Conn, idle_days: int = 90) -> int:
    """Remove expired sessions and ones unused for ``idle_days``; return how many."""
    expired = Session.expires_at.is_not_null() & (Session.expires_at <= q.NOW)
    idle = WhereRaw('"updatedAt" <= now() - make_interval(days => {})', idle_days)
    return q.affected(await q.execute(db, Session.delete().where(expired | idle)))


async def lock_all(db: Conn, user_id: uuid.UUID | str) -> None:
    """Drop the PIN elevation of every session of the user (their PIN was reset)."""
    sets: dict[Column | str, Any] = {
        Session.pin_expires_at: None,
        Session.updated_at: q.NOW,
    }
    query = Session.update(sets).where(
        (Session.user_id == uuid.UUID(str(user_id))) & Session.pin_expires_at.is_not_null()
    )
    await q.execute(db, query)
