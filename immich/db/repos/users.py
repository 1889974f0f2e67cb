"""SQL for the ``user`` and ``user_metadata`` tables."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from immich.db.repos import Conn, Row

# Columns a caller may set through create/update (all others are managed here).
WRITABLE = frozenset(
    {
        "email",
        "password",
        "name",
        "isAdmin",
        "avatarColor",
        "profileImagePath",
        "profileChangedAt",
        "shouldChangePassword",
        "storageLabel",
        "oauthId",
        "pinCode",
        "quotaSizeInBytes",
        "quotaUsageInBytes",
        "status",
        "deletedAt",
    }
)


def _check(values: Mapping[str, Any]) -> None:
    bad = set(values) - WRITABLE
    if bad:
        raise ValueError(f"not a writable user column: {sorted(bad)}")


async def get(db: Conn, user_id: uuid.UUID | str, *, with_deleted: bool = False) -> Row | None:
    sql = 'SELECT * FROM "user" WHERE "id" = $1'
    if not with_deleted:
        sql += ' AND "deletedAt" IS NULL'
    return await db.fetchrow(sql, uuid.UUID(str(user_id)))


async def get_by_email(db: Conn, email: str, *, with_deleted: bool = False) -> Row | None:
    sql = 'SELECT * FROM "user" WHERE lower("email") = lower($1)'
    if not with_deleted:
        sql += ' AND "deletedAt" IS NULL'
    return await db.fetchrow(sql, email)


async def get_by_storage_label(db: Conn, label: str) -> Row | None:
    return await db.fetchrow('SELECT * FROM "user" WHERE "storageLabel" = $1', label)


async def get_admin(db: Conn) -> Row | None:
    return await db.fetchrow(
        'SELECT * FROM "user" WHERE "isAdmin" AND "deletedAt" IS NULL ORDER BY "createdAt" LIMIT 1'
    )


async def has_admin(db: Conn) -> bool:
    return bool(await db.fetchval('SELECT EXISTS (SELECT 1 FROM "user" WHERE "isAdmin")'))


async def list_users(
    db: Conn, *, with_deleted: bool = False, user_id: str | None = None, newest_first: bool = False
) -> list[Row]:
    where = ["TRUE"]
    args: list[Any] = []
    if not with_deleted:
        where.append('"deletedAt" IS NULL')
    if user_id is not None:
        args.append(uuid.UUID(user_id))
        where.append(f'"id" = ${len(args)}')
    return list(
        await db.fetch(
            f'SELECT * FROM "user" WHERE {" AND ".join(where)} '
            f'ORDER BY "createdAt" {"DESC" if newest_first else "ASC"}',
            *args,
        )
    )


async def create(db: Conn, values: Mapping[str, Any]) -> Row:
    _check(values)
    cols = list(values)
    placeholders = ", ".join(f"${i}" for i in range(1, len(cols) + 1))
    names = ", ".join(f'"{c}"' for c in cols)
    row = await db.fetchrow(
        f'INSERT INTO "user" ({names}) VALUES ({placeholders}) RETURNING *', *values.values()
    )
    assert row is not None
    return row  # type: ignore[no-any-return]


async def update(db: Conn, user_id: uuid.UUID | str, values: Mapping[str, Any]) -> Row | None:
    _check(values)
    if not values:
        return await get(db, user_id, with_deleted=True)
    sets = ", ".join(f'"{c}" = ${i}' for i, c in enumerate(values, start=2))
    return await db.fetchrow(
        f'UPDATE "user" SET {sets}, "updatedAt" = now() WHERE "id" = $1 RETURNING *',
        uuid.UUID(str(user_id)),
        *values.values(),
    )


async def delete_hard(db: Conn, user_id: uuid.UUID | str) -> None:
    await db.execute('DELETE FROM "user" WHERE "id" = $1', uuid.UUID(str(user_id)))


async def restore(db: Conn, user_id: uuid.UUID | str) -> Row | None:
    """Undo a soft delete: active again, no deletion date."""
    return await db.fetchrow(
        'UPDATE "user" SET "status" = \'active\', "deletedAt" = NULL, "updatedAt" = now() '
        'WHERE "id" = $1 RETURNING *',
        uuid.UUID(str(user_id)),
    )


async def deleted_before(db: Conn, days: int) -> list[Row]:
    """Soft-deleted users to remove: delete delay passed, or force-deleted ("removing")."""
    return list(
        await db.fetch(
            'SELECT * FROM "user" WHERE "deletedAt" IS NOT NULL '
            'AND ("deletedAt" <= now() - make_interval(days => $1) OR "status" = \'removing\')',
            days,
        )
    )


async def get_metadata(db: Conn, user_id: uuid.UUID | str) -> dict[str, Any]:
    rows = await db.fetch(
        'SELECT "key", "value" FROM "user_metadata" WHERE "userId" = $1', uuid.UUID(str(user_id))
    )
    return {r["key"]: r["value"] for r in rows}


async def set_metadata(db: Conn, user_id: uuid.UUID | str, key: str, value: Any) -> None:
    await db.execute(
        'INSERT INTO "user_metadata" ("userId", "key", "value") VALUES ($1, $2, $3) '
        'ON CONFLICT ("userId", "key") DO UPDATE SET "value" = EXCLUDED."value"',
        uuid.UUID(str(user_id)),
        key,
        value,
    )


async def delete_metadata(db: Conn, user_id: uuid.UUID | str, key: str) -> None:
    await db.execute(
        'DELETE FROM "user_metadata" WHERE "userId" = $1 AND "key" = $2',
        uuid.UUID(str(user_id)),
        key,
    )


async def get_licenses(db: Conn, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """The stored license of each of these users that has one."""
    rows = await db.fetch(
        'SELECT "userId", "value" FROM "user_metadata" '
        'WHERE "key" = \'license\' AND "userId" = ANY($1::uuid[])',
        user_ids,
    )
    return {r["userId"]: r["value"] for r in rows}


async def asset_statistics(
    db: Conn,
    user_id: uuid.UUID | str,
    *,
    is_favorite: bool | None = None,
    is_trashed: bool | None = None,
    visibility: str | None = None,
) -> dict[str, int]:
    """Counts of a user's assets by type (IMAGE, VIDEO, AUDIO, OTHER); zeros with no asset table."""
    counts = {"IMAGE": 0, "VIDEO": 0, "AUDIO": 0, "OTHER": 0}
    if await db.fetchval("SELECT to_regclass('public.asset')") is None:
        return counts
    where = ['"ownerId" = $1', f'"deletedAt" IS {"NOT " if is_trashed else ""}NULL']
    if is_trashed:
        where.append("\"status\"::text <> 'deleted'")
    args: list[Any] = [uuid.UUID(str(user_id))]
    if visibility is None:
        where.append("\"visibility\"::text IN ('archive', 'timeline')")
    else:
        args.append(visibility)
        where.append(f'"visibility"::text = ${len(args)}')
    if is_favorite is not None:
        args.append(is_favorite)
        where.append(f'"isFavorite" = ${len(args)}')
    rows = await db.fetch(
        f'SELECT "type"::text AS "type", count(*) AS "n" FROM "asset" '
        f"WHERE {' AND '.join(where)} GROUP BY 1",
        *args,
    )
    for row in rows:
        counts[row["type"]] = int(row["n"])
    return counts
