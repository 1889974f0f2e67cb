"""SQL of ``asset_metadata``: an asset's key/value metadata (values are JSON objects)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from immich.db.repos import Conn, Row

_COLUMNS = '"assetId", "key", "value", "updatedAt"'


async def list_for_asset(db: Conn, asset_id: uuid.UUID) -> list[Row]:
    return list(
        await db.fetch(
            f'SELECT {_COLUMNS} FROM "asset_metadata" WHERE "assetId" = $1 ORDER BY "key"',
            asset_id,
        )
    )


async def get(db: Conn, asset_id: uuid.UUID, key: str) -> Row | None:
    return await db.fetchrow(
        f'SELECT {_COLUMNS} FROM "asset_metadata" WHERE "assetId" = $1 AND "key" = $2',
        asset_id,
        key,
    )


async def upsert(db: Conn, items: Sequence[tuple[uuid.UUID, str, Any]]) -> list[Row]:
    """Insert or replace (asset id, key, value) items; return the stored rows, in that order."""
    if not items:
        return []
    return list(
        await db.fetch(
            f"""
            INSERT INTO "asset_metadata" ("assetId", "key", "value")
            SELECT i."assetId", i."key", i."value"
            FROM unnest($1::uuid[], $2::varchar[], $3::jsonb[]) WITH ORDINALITY
                AS i("assetId", "key", "value", n)
            ORDER BY i.n
            ON CONFLICT ("assetId", "key") DO UPDATE SET "value" = EXCLUDED."value",
                "updatedAt" = now()
            RETURNING {_COLUMNS}
            """,
            [i[0] for i in items],
            [i[1] for i in items],
            [i[2] for i in items],
        )
    )


async def delete(db: Conn, items: Iterable[tuple[uuid.UUID, str]]) -> int:
    """Remove (asset id, key) items; how many existed."""
    pairs = list(items)
    if not pairs:
        return 0
    status = await db.execute(
        'DELETE FROM "asset_metadata" m USING unnest($1::uuid[], $2::varchar[]) AS i(a, k) '
        'WHERE m."assetId" = i.a AND m."key" = i.k',
        [p[0] for p in pairs],
        [p[1] for p in pairs],
    )
    return int(status.split()[-1])
