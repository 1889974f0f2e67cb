"""SQL for the ``api_key`` table (keys stored as SHA-256)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from piccolo.columns import Column

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import ApiKey


def _of(user_id: uuid.UUID | str, key_id: uuid.UUID | str) -> Any:
    return (ApiKey.id == uuid.UUID(str(key_id))) & (ApiKey.user_id == uuid.UUID(str(user_id)))


async def create(
    db: Conn, user_id: uuid.UUID, name: str, key_hash: bytes, permissions: Sequence[str]
) -> Row:
    values = {"userId": user_id, "name": name, "key": key_hash, "permissions": list(permissions)}
    query = ApiKey.insert(q.new_row(ApiKey, values)).returning(*ApiKey.all_columns())
    row = await q.fetchrow(db, query)
    assert row is not None
    return row


async def get_by_key(db: Conn, key_hash: bytes) -> Row | None:
    """The key and its (not deleted) user, joined."""
    # raw SQL: a join answering the user's row as `u.*` (piccolo prefixes joined columns), on
    # every API-key request
    return await db.fetchrow(
        'SELECT k."id" AS "apiKeyId", k."name" AS "apiKeyName", k."permissions", u.* '
        'FROM "api_key" k JOIN "user" u ON u."id" = k."userId" '
        'WHERE k."key" = $1 AND u."deletedAt" IS NULL',
        key_hash,
    )


async def get(db: Conn, user_id: uuid.UUID | str, key_id: uuid.UUID | str) -> Row | None:
    return await q.fetchrow(db, ApiKey.select().where(_of(user_id, key_id)))


async def list_for_user(db: Conn, user_id: uuid.UUID | str) -> list[Row]:
    query = (
        ApiKey.select()
        .where(ApiKey.user_id == uuid.UUID(str(user_id)))
        .order_by(ApiKey.created_at, ascending=False)
    )
    return await q.fetch(db, query)


async def update(
    db: Conn,
    user_id: uuid.UUID | str,
    key_id: uuid.UUID | str,
    name: str | None,
    permissions: Sequence[str] | None,
) -> Row | None:
    """Set what is given (None keeps the value)."""
    sets: dict[Column | str, Any] = {ApiKey.updated_at: q.NOW}
    if name is not None:
        sets[ApiKey.name] = name
    if permissions is not None:
        sets[ApiKey.permissions] = list(permissions)
    query = ApiKey.update(sets).where(_of(user_id, key_id)).returning(*ApiKey.all_columns())
    return await q.fetchrow(db, query)


async def delete(db: Conn, user_id: uuid.UUID | str, key_id: uuid.UUID | str) -> bool:
    return q.affected(await q.execute(db, ApiKey.delete().where(_of(user_id, key_id)))) == 1
