"""SQL for the ``asset`` and ``asset_exif`` tables (the ingest issue adds the rest)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from immich.db.repos import Conn, Row

# Columns a caller may set on insert (ids, timestamps and updateId are managed here).
WRITABLE = frozenset(
    {
        "id",
        "deviceAssetId",
        "ownerId",
        "libraryId",
        "deviceId",
        "type",
        "status",
        "originalPath",
        "originalFileName",
        "fileCreatedAt",
        "localDateTime",
        "fileModifiedAt",
        "isFavorite",
        "duration",
        "encodedVideoPath",
        "sidecarPath",
        "checksum",
        "checksumAlgorithm",
        "thumbhash",
        "livePhotoVideoId",
        "isOffline",
        "isExternal",
        "stackId",
        "duplicateId",
        "visibility",
        "width",
        "height",
        "deletedAt",
    }
)


def _insert_sql(table: str, values: Mapping[str, Any], suffix: str = "") -> str:
    names = ", ".join(f'"{c}"' for c in values)
    placeholders = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    return f'INSERT INTO "{table}" ({names}) VALUES ({placeholders}) {suffix} RETURNING *'


async def create(db: Conn, values: Mapping[str, Any]) -> Row:
    bad = set(values) - WRITABLE
    if bad:
        raise ValueError(f"not a writable asset column: {sorted(bad)}")
    row = await db.fetchrow(_insert_sql("asset", values), *values.values())
    assert row is not None
    return row  # type: ignore[no-any-return]


async def upsert_exif(db: Conn, values: Mapping[str, Any]) -> Row:
    """Insert or replace an asset's EXIF row (``values`` must hold ``assetId``)."""
    if "assetId" not in values:
        raise ValueError("asset_exif needs assetId")
    updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in values if c != "assetId")
    conflict = 'ON CONFLICT ("assetId") DO ' + (
        f'UPDATE SET {updates}, "updatedAt" = now(), "updateId" = gen_random_uuid()'
        if updates
        else "NOTHING"
    )
    row = await db.fetchrow(_insert_sql("asset_exif", values, conflict), *values.values())
    assert row is not None
    return row  # type: ignore[no-any-return]


async def user_stats(db: Conn) -> list[Row]:
    """Per (not deleted) user: photo/video counts and bytes used, as Immich's getUserStats.

    Counts leave out trashed and hidden assets; usage counts uploads only (not external
    library files), from the EXIF file size.
    """
    return list(
        await db.fetch(
            """
            SELECT u."id" AS "userId", u."name" AS "userName", u."quotaSizeInBytes",
              count(*) FILTER (WHERE a."type" = 'IMAGE' AND a."visibility" <> 'hidden')
                AS "photos",
              count(*) FILTER (WHERE a."type" = 'VIDEO' AND a."visibility" <> 'hidden')
                AS "videos",
              COALESCE(sum(e."fileSizeInByte") FILTER (WHERE a."libraryId" IS NULL), 0)
                AS "usage",
              COALESCE(sum(e."fileSizeInByte")
                FILTER (WHERE a."libraryId" IS NULL AND a."type" = 'IMAGE'), 0) AS "usagePhotos",
              COALESCE(sum(e."fileSizeInByte")
                FILTER (WHERE a."libraryId" IS NULL AND a."type" = 'VIDEO'), 0) AS "usageVideos"
            FROM "user" u
            LEFT JOIN "asset" a ON a."ownerId" = u."id" AND a."deletedAt" IS NULL
            LEFT JOIN "asset_exif" e ON e."assetId" = a."id"
            WHERE u."deletedAt" IS NULL
            GROUP BY u."id"
            ORDER BY u."createdAt"
            """
        )
    )
