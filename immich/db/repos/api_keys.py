"""SQL for the ``api_key`` table (keys stored as SHA-256)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from immich.db.repos import Conn, Row


async def create(
    db: Conn, user_id: uuid.UUID, name: str, key_hash: bytes, permissions: Sequence[str]
) -> Row:
    row = await db.fetchrow(
        'INSERT INTO "api_key" ("userId", "name", "key", "permissions") '
        "VALUES ($1, $2, $3, $4) RETURNING *",
        user_id,
        name,
        key_hash,
        list(permissions),
    )
    assert row is not None
    return row  # type: ignore[no-any-return]


async def get_by_key(db: Conn, key_hash: bytes) -> Row | None:
    """The key and its (not deleted) user, joined."""
    return await db.fetchrow(
        'SELECT k."id" AS "apiKeyId", k."name" AS "apiKeyName", k."permissions", u.* '
        'FROM "api_key" k JOIN "user" u ON u."id" = k."userId" '
        'WHERE k."key" = $1 AND u."deletedAt" IS NULL',
        key_hash,
    )


async def get(db: Conn, user_id: uuid.UUID | str, key_id: uuid.UUID | str) -> Row | None:
    return await db.fetchrow(
        'SELECT * FROM "api_key" WHERE "id" = $1 AND "userId" = $2',
        uuid.UUID(str(key_id)),
        uuid.UUID(str(user_id)),
    )


async def list_for_user(db: Conn, user_id: uuid.UUID | str) -> list[Row]:
    return list(
        await db.fetch(
            'SELECT * FROM "api_key" WHERE "userId" = $1 ORDER BY "createdAt" DESC',
            uuid.UUID(str(user_id)),
        )
    )


async def update(
    db: Conn,
    user_id: uuid.UUID | str,
    key_id: uuid.UUID | str,
    name: str | None,
    permissions: Sequence[str] | None,
) -> Row | None:
    return await db.fetchrow(
        'UPDATE "api_key" SET "name" = COALESCE($3, "name"), '
        '"permissions" = COALESCE($4, "permissions"), "updatedAt" = now() '
        'WHERE "id" = $1 AND "userId" = $2 RETURNING *',
        uuid.UUID(str(key_id)),
        uuid.UUID(str(user_id)),
        name,
        list(permissions) if permissions is not None else None,
    )


async def delete(db: Conn, user_id: uuid.UUID | str, key_id: uuid.UUID | str) -> bool:
    result = await db.execute(
        'DELETE FROM "api_key" WHERE "id" = $1 AND "userId" = $2',
        uuid.UUID(str(key_id)),
        uuid.UUID(str(user_id)),
    )
    return result.endswith(" 1")
