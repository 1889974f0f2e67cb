"""SQL for the ``session`` table (login sessions; tokens stored as SHA-256)."""

from __future__ import annotations

import uuid
from typing import Any

from immich.db.repos import Conn, Row


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
    row = await db.fetchrow(
        'INSERT INTO "session" ("userId", "token", "deviceType", "deviceOS", "appVersion", '
        '"parentId", "expiresAt") VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
        user_id,
        token_hash,
        device_type,
        device_os,
        app_version,
        parent_id,
        expires_at,
    )
    assert row is not None
    return row  # type: ignore[no-any-return]


async def get_by_token(db: Conn, token_hash: bytes) -> Row | None:
    """The session and its (not deleted) user, joined: one round trip per request."""
    return await db.fetchrow(
        'SELECT s."id" AS "sessionId", s."updatedAt" AS "sessionUpdatedAt", '
        's."expiresAt" AS "sessionExpiresAt", s."pinExpiresAt", u.* '
        'FROM "session" s JOIN "user" u ON u."id" = s."userId" '
        'WHERE s."token" = $1 AND u."deletedAt" IS NULL '
        'AND (s."expiresAt" IS NULL OR s."expiresAt" > now())',
        token_hash,
    )


async def get(db: Conn, session_id: uuid.UUID | str) -> Row | None:
    return await db.fetchrow('SELECT * FROM "session" WHERE "id" = $1', uuid.UUID(str(session_id)))


async def get_for_user(
    db: Conn, user_id: uuid.UUID | str, session_id: uuid.UUID | str
) -> Row | None:
    return await db.fetchrow(
        'SELECT * FROM "session" WHERE "id" = $1 AND "userId" = $2',
        uuid.UUID(str(session_id)),
        uuid.UUID(str(user_id)),
    )


async def update(db: Conn, session_id: uuid.UUID | str, values: dict[str, Any]) -> Row | None:
    """Set ``isPendingSyncReset`` and/or ``pinExpiresAt``."""
    bad = set(values) - {"isPendingSyncReset", "pinExpiresAt"}
    if bad:
        raise ValueError(f"not a writable session column: {sorted(bad)}")
    sets = "".join(f'"{c}" = ${i}, ' for i, c in enumerate(values, start=2))
    return await db.fetchrow(
        f'UPDATE "session" SET {sets}"updatedAt" = now() WHERE "id" = $1 RETURNING *',
        uuid.UUID(str(session_id)),
        *values.values(),
    )


async def list_for_user(db: Conn, user_id: uuid.UUID | str) -> list[Row]:
    return list(
        await db.fetch(
            'SELECT * FROM "session" WHERE "userId" = $1 '
            'AND ("expiresAt" IS NULL OR "expiresAt" > now()) ORDER BY "updatedAt" DESC',
            uuid.UUID(str(user_id)),
        )
    )


async def touch(db: Conn, session_id: uuid.UUID) -> None:
    await db.execute('UPDATE "session" SET "updatedAt" = now() WHERE "id" = $1', session_id)


async def delete(db: Conn, session_id: uuid.UUID | str) -> None:
    await db.execute('DELETE FROM "session" WHERE "id" = $1', uuid.UUID(str(session_id)))


async def delete_for_user(
    db: Conn, user_id: uuid.UUID | str, *, except_id: uuid.UUID | None = None
) -> None:
    await db.execute(
        'DELETE FROM "session" WHERE "userId" = $1 AND ($2::uuid IS NULL OR "id" <> $2)',
        uuid.UUID(str(user_id)),
        except_id,
    )


async def delete_stale(db: Conn, idle_days: int = 90) -> int:
    """Remove expired sessions and ones unused for ``idle_days``; return how many."""
    result = await db.execute(
        'DELETE FROM "session" WHERE ("expiresAt" IS NOT NULL AND "expiresAt" <= now()) '
        'OR "updatedAt" <= now() - make_interval(days => $1)',
        idle_days,
    )
    return int(result.split()[-1])


async def lock_all(db: Conn, user_id: uuid.UUID | str) -> None:
    """Drop the PIN elevation of every session of the user (their PIN was reset)."""
    await db.execute(
        'UPDATE "session" SET "pinExpiresAt" = NULL, "updatedAt" = now() '
        'WHERE "userId" = $1 AND "pinExpiresAt" IS NOT NULL',
        uuid.UUID(str(user_id)),
    )
