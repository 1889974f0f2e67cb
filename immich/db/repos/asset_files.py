"""SQL for ``asset_file`` (generated files of an asset: preview, thumbnail, fullsize, sidecar,
encoded video) and the thumbnail job's writes on the asset row."""

from __future__ import annotations

import uuid
from typing import Literal

from immich.db.repos import Conn, Row

FileType = Literal["fullsize", "preview", "thumbnail", "sidecar", "encoded_video"]
FILE_TYPES: frozenset[str] = frozenset(FileType.__args__)  # type: ignore[attr-defined]


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def for_asset(db: Conn, asset_id: uuid.UUID | str, *, is_edited: bool = False) -> list[Row]:
    return list(
        await db.fetch(
            'SELECT * FROM "asset_file" WHERE "assetId" = $1 AND "isEdited" = $2 ORDER BY "type"',
            _uuid(asset_id),
            is_edited,
        )
    )


async def upsert(
    db: Conn,
    asset_id: uuid.UUID | str,
    file_type: FileType,
    path: str,
    *,
    is_progressive: bool = False,
    is_edited: bool = False,
) -> Row:
    """The asset's file of this type: inserted, or updated. The row keeps its id; ``updatedAt``
    moves (the file was rewritten, so clients' cached copies, keyed by it, go stale)."""
    if file_type not in FILE_TYPES:
        raise ValueError(f"not an asset_file type: {file_type}")
    row = await db.fetchrow(
        """
        INSERT INTO "asset_file" ("assetId", "type", "path", "isProgressive", "isEdited")
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT ("assetId", "type", "isEdited") DO UPDATE
        SET "path" = EXCLUDED."path", "isProgressive" = EXCLUDED."isProgressive",
            "updatedAt" = now()
        RETURNING *
        """,
        _uuid(asset_id),
        file_type,
        path,
        is_progressive,
        is_edited,
    )
    assert row is not None
    return row  # type: ignore[no-any-return]


async def delete(
    db: Conn, asset_id: uuid.UUID | str, file_type: FileType, *, is_edited: bool = False
) -> str | None:
    """Remove the row; return the path it held (the caller removes the file)."""
    path: str | None = await db.fetchval(
        'DELETE FROM "asset_file" WHERE "assetId" = $1 AND "type" = $2 AND "isEdited" = $3 '
        'RETURNING "path"',
        _uuid(asset_id),
        file_type,
        is_edited,
    )
    return path


async def set_thumbnail_result(
    db: Conn, asset_id: uuid.UUID | str, thumbhash: bytes, width: int, height: int
) -> None:
    """Store the ThumbHash; width/height only where metadata left them empty."""
    await db.execute(
        """
        UPDATE "asset" SET "thumbhash" = $2,
            "width" = COALESCE("width", $3), "height" = COALESCE("height", $4),
            "updatedAt" = now()
        WHERE "id" = $1 AND ("thumbhash" IS DISTINCT FROM $2 OR "width" IS NULL
                             OR "height" IS NULL)
        """,
        _uuid(asset_id),
        thumbhash,
        width,
        height,
    )


async def get(
    db: Conn, asset_id: uuid.UUID | str, file_type: FileType, *, is_edited: bool = False
) -> Row | None:
    return await db.fetchrow(
        'SELECT * FROM "asset_file" WHERE "assetId" = $1 AND "type" = $2 AND "isEdited" = $3',
        _uuid(asset_id),
        file_type,
        is_edited,
    )


async def paths_page(
    db: Conn, types: tuple[FileType, ...], after: uuid.UUID | None, limit: int = 1000
) -> list[Row]:
    """``assetId`` and ``paths`` (all its unedited files of these types) of assets not
    deleted, in asset id order after ``after``: the "missing" runs check them on disk."""
    return list(
        await db.fetch(
            'SELECT f."assetId", array_agg(f."path") AS "paths" FROM "asset_file" f '
            'JOIN "asset" a ON a."id" = f."assetId" '
            'WHERE f."type" = ANY($1::text[]) AND NOT f."isEdited" AND a."deletedAt" IS NULL '
            'AND ($2::uuid IS NULL OR f."assetId" > $2) '
            'GROUP BY f."assetId" ORDER BY f."assetId" LIMIT $3',
            list(types),
            after,
            limit,
        )
    )
