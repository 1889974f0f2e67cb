"""SQL for the ``system_metadata`` key/value table (JSON values)."""

from __future__ import annotations

from typing import Any

from immich.db.repos import Conn


async def get(db: Conn, key: str) -> Any:
    return await db.fetchval('SELECT "value" FROM "system_metadata" WHERE "key" = $1', key)


async def set(db: Conn, key: str, value: Any) -> None:  # noqa: A001 - the verb
    await db.execute(
        'INSERT INTO "system_metadata" ("key", "value") VALUES ($1, $2) '
        'ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"',
        key,
        value,
    )


async def delete(db: Conn, key: str) -> None:
    await db.execute('DELETE FROM "system_metadata" WHERE "key" = $1', key)
