"""SQL of ``PUT /api/assets/copy``: what moves from one asset to another (albums, favourite)."""

from __future__ import annotations

import uuid

from immich.db.repos import Conn, Row


async def get_for_copy(db: Conn, asset_id: uuid.UUID) -> Row | None:
    """The asset's ``id``, ``stackId``, ``isFavorite``, ``originalPath`` and ``sidecar`` (its
    sidecar file row's path, else the legacy ``sidecarPath``)."""
    return await db.fetchrow(
        """
        SELECT a."id", a."stackId", a."isFavorite", a."originalPath",
            COALESCE((SELECT f."path" FROM "asset_file" f WHERE f."assetId" = a."id"
                      AND f."type" = 'sidecar' ORDER BY f."isEdited" LIMIT 1),
                     NULLIF(a."sidecarPath", '')) AS "sidecar"
        FROM "asset" a WHERE a."id" = $1
        """,
        asset_id,
    )


async def copy_albums(db: Conn, source_id: uuid.UUID, target_id: uuid.UUID) -> int:
    """Put the target in every album holding the source; how many it joined."""
    status = await db.execute(
        'INSERT INTO "album_asset" ("albumId", "assetId") '
        'SELECT "albumId", $2 FROM "album_asset" WHERE "assetId" = $1 '
        'ON CONFLICT ("albumId", "assetId") DO NOTHING',
        source_id,
        target_id,
    )
    return int(status.split()[-1])


async def set_favorite(db: Conn, asset_id: uuid.UUID, favorite: bool) -> None:
    await db.execute(
        'UPDATE "asset" SET "isFavorite" = $2, "updatedAt" = now() '
        'WHERE "id" = $1 AND "isFavorite" <> $2',
        asset_id,
        favorite,
    )


async def set_stack(db: Conn, asset_id: uuid.UUID, stack_id: uuid.UUID) -> None:
    await db.execute(
        'UPDATE "asset" SET "stackId" = $2, "updatedAt" = now() WHERE "id" = $1',
        asset_id,
        stack_id,
    )
