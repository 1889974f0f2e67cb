"""SQL for the ``asset`` and ``asset_exif`` tables: statistics, upload, edits, deletion."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import asyncpg

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
        f'UPDATE SET {updates}, "updatedAt" = now()' if updates else "NOTHING"
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


# --- upload, asset CRUD and deletion (the ingest issue) -------------------------------------

_UPLOAD_CHECKSUM = "UQ_assets_owner_checksum"


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _uuids(values: Iterable[uuid.UUID | str]) -> list[uuid.UUID]:
    return [_uuid(v) for v in values]


def is_checksum_conflict(err: asyncpg.UniqueViolationError) -> bool:
    """The unique violation is the owner+checksum index of uploads (a duplicate upload)."""
    return getattr(err, "constraint_name", None) == _UPLOAD_CHECKSUM


async def has_uploads(db: Conn) -> bool:
    """Whether any uploaded (not library) asset exists: its files live in the media folder."""
    return bool(
        await db.fetchval('SELECT EXISTS (SELECT 1 FROM "asset" WHERE "libraryId" IS NULL)')
    )


async def upload_id_by_checksum(
    db: Conn, owner_id: uuid.UUID | str, checksum: bytes
) -> uuid.UUID | None:
    """The owner's uploaded asset with this content (Immich's getUploadAssetIdByChecksum)."""
    found: uuid.UUID | None = await db.fetchval(
        'SELECT "id" FROM "asset" WHERE "ownerId" = $1 AND "checksum" = $2 AND "libraryId" IS NULL',
        _uuid(owner_id),
        checksum,
    )
    return found


async def by_checksums(db: Conn, owner_id: uuid.UUID | str, checksums: list[bytes]) -> list[Row]:
    """``id``, ``checksum``, ``deletedAt`` of the owner's uploads with these contents."""
    return list(
        await db.fetch(
            'SELECT "id", "checksum", "deletedAt" FROM "asset" WHERE "ownerId" = $1 '
            'AND "checksum" = ANY($2::bytea[]) AND "libraryId" IS NULL',
            _uuid(owner_id),
            checksums,
        )
    )


async def reserve_quota(db: Conn, user_id: uuid.UUID | str, size: int) -> bool:
    """Add ``size`` bytes to the user's usage unless that passes their quota; False if it would.

    One statement, so concurrent uploads cannot pass the quota together.
    """
    row = await db.fetchrow(
        'UPDATE "user" SET "quotaUsageInBytes" = "quotaUsageInBytes" + $2 WHERE "id" = $1 '
        'AND ("quotaSizeInBytes" IS NULL OR "quotaUsageInBytes" + $2 <= "quotaSizeInBytes") '
        'RETURNING "id"',
        _uuid(user_id),
        size,
    )
    return row is not None


async def release_quota(db: Conn, usage: Mapping[uuid.UUID, int]) -> None:
    """Give back bytes of deleted uploads, per owner (never below zero)."""
    for user_id, size in usage.items():
        await db.execute(
            'UPDATE "user" SET "quotaUsageInBytes" = GREATEST("quotaUsageInBytes" - $2, 0) '
            'WHERE "id" = $1',
            user_id,
            size,
        )


async def add_file(db: Conn, asset_id: uuid.UUID | str, file_type: str, path: str) -> None:
    await db.execute(
        'INSERT INTO "asset_file" ("assetId", "type", "path") VALUES ($1, $2, $3) '
        'ON CONFLICT ("assetId", "type", "isEdited") DO UPDATE SET "path" = EXCLUDED."path", '
        '"updatedAt" = now()',
        _uuid(asset_id),
        file_type,
        path,
    )


async def get(db: Conn, asset_id: uuid.UUID | str) -> Row | None:
    return await db.fetchrow('SELECT * FROM "asset" WHERE "id" = $1', _uuid(asset_id))


async def get_exif(db: Conn, asset_id: uuid.UUID | str) -> Row | None:
    return await db.fetchrow('SELECT * FROM "asset_exif" WHERE "assetId" = $1', _uuid(asset_id))


async def stack_summary(db: Conn, stack_id: uuid.UUID | str) -> Row | None:
    """``id``, ``primaryAssetId``, ``assetCount`` (not deleted members) of a stack."""
    return await db.fetchrow(
        'SELECT s."id", s."primaryAssetId", count(a."id") AS "assetCount" FROM "stack" s '
        'LEFT JOIN "asset" a ON a."stackId" = s."id" AND a."deletedAt" IS NULL '
        'WHERE s."id" = $1 GROUP BY s."id"',
        _uuid(stack_id),
    )


async def has_preview(db: Conn, asset_id: uuid.UUID | str) -> bool:
    return bool(
        await db.fetchval(
            'SELECT EXISTS (SELECT 1 FROM "asset_file" WHERE "assetId" = $1 '
            "AND \"type\" = 'preview')",
            _uuid(asset_id),
        )
    )


async def update_many(
    db: Conn, ids: Iterable[uuid.UUID | str], values: Mapping[str, Any]
) -> list[Row]:
    """Set asset columns on every id; return the updated rows."""
    bad = set(values) - WRITABLE
    if bad:
        raise ValueError(f"not a writable asset column: {sorted(bad)}")
    if not values:
        return []
    sets = ", ".join(f'"{c}" = ${i}' for i, c in enumerate(values, start=2))
    return list(
        await db.fetch(
            f'UPDATE "asset" SET {sets}, "updatedAt" = now() '
            'WHERE "id" = ANY($1::uuid[]) RETURNING *',
            _uuids(ids),
            *values.values(),
        )
    )


async def update_exif_many(
    db: Conn, ids: Iterable[uuid.UUID | str], values: Mapping[str, Any]
) -> None:
    """Set EXIF columns an owner edited on every id and lock them (``lockedProperties``), so a
    metadata refresh keeps the owner's values, as Immich's updateAllExif."""
    if not values:
        return
    names = list(values)
    columns = ", ".join(f'"{c}"' for c in names)
    params = ", ".join(f"${i}" for i in range(3, len(names) + 3))
    updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in names)
    await db.execute(
        f'INSERT INTO "asset_exif" ("assetId", "lockedProperties", {columns}) '
        f"SELECT id, $2::varchar[], {params} FROM unnest($1::uuid[]) AS id "
        f'ON CONFLICT ("assetId") DO UPDATE SET {updates}, "lockedProperties" = ('
        'SELECT array_agg(DISTINCT p) FROM unnest("asset_exif"."lockedProperties" || $2) p), '
        '"updatedAt" = now()',
        _uuids(ids),
        names,
        *values.values(),
    )


async def shift_dates(
    db: Conn, ids: Iterable[uuid.UUID | str], minutes: int, time_zone: str | None
) -> None:
    """Move ``dateTimeOriginal`` and ``localDateTime`` by ``minutes``; set the EXIF time zone."""
    await db.execute(
        'UPDATE "asset_exif" SET "dateTimeOriginal" = "dateTimeOriginal" + make_interval('
        'mins => $2), "timeZone" = COALESCE($3, "timeZone"), "lockedProperties" = ('
        'SELECT array_agg(DISTINCT p) FROM unnest("lockedProperties" || \'{dateTimeOriginal,'
        'timeZone}\'::varchar[]) p), "updatedAt" = now() '
        'WHERE "assetId" = ANY($1::uuid[])',
        _uuids(ids),
        minutes,
        time_zone,
    )
    if minutes:
        await db.execute(
            'UPDATE "asset" SET "localDateTime" = "localDateTime" + make_interval(mins => $2), '
            '"updatedAt" = now() WHERE "id" = ANY($1::uuid[])',
            _uuids(ids),
            minutes,
        )


async def trash(db: Conn, ids: Iterable[uuid.UUID | str]) -> int:
    """Move to the trash (status ``trashed``, ``deletedAt`` now); return how many."""
    result = await db.execute(
        'UPDATE "asset" SET "status" = \'trashed\', "deletedAt" = now(), '
        '"updatedAt" = now() '
        'WHERE "id" = ANY($1::uuid[]) AND "status" <> \'deleted\'',
        _uuids(ids),
    )
    return int(result.split()[-1])


async def delete_rows(db: Conn, ids: Iterable[uuid.UUID | str]) -> list[Row]:
    """Delete assets; per deleted asset: ``id``, ``ownerId``, ``libraryId``, ``size`` (EXIF
    file size), ``livePhotoVideoId``, ``isOffline`` and ``files`` (every path it used: original,
    sidecar, encoded video, generated files). Dependent rows go with it (cascades)."""
    return list(
        await db.fetch(
            """
            WITH gone AS (
                SELECT a."id", a."ownerId", a."libraryId", a."livePhotoVideoId", a."isOffline",
                    COALESCE(e."fileSizeInByte", 0) AS "size",
                    array_remove(ARRAY[a."originalPath", a."sidecarPath",
                        NULLIF(a."encodedVideoPath", '')] || COALESCE((
                        SELECT array_agg(f."path") FROM "asset_file" f
                        WHERE f."assetId" = a."id"), '{}'), NULL) AS "files"
                FROM "asset" a LEFT JOIN "asset_exif" e ON e."assetId" = a."id"
                WHERE a."id" = ANY($1::uuid[])
                FOR UPDATE OF a
            ), deleted AS (
                DELETE FROM "asset" a USING gone WHERE a."id" = gone."id" RETURNING a."id"
            )
            SELECT gone.* FROM gone JOIN deleted USING ("id")
            """,
            _uuids(ids),
        )
    )


async def unused_motion_parts(db: Conn, ids: Iterable[uuid.UUID | str]) -> list[uuid.UUID]:
    """Of these (live photo video) ids, those no remaining asset links to."""
    rows = await db.fetch(
        'SELECT m."id" FROM "asset" m WHERE m."id" = ANY($1::uuid[]) AND NOT EXISTS ('
        'SELECT 1 FROM "asset" a WHERE a."livePhotoVideoId" = m."id")',
        _uuids(ids),
    )
    return [r["id"] for r in rows]


async def referenced_paths(db: Conn, paths: list[str]) -> set[str]:
    """Which of these paths an asset row still uses (so the file must stay)."""
    rows = await db.fetch(
        """
        SELECT p FROM unnest($1::varchar[]) AS p WHERE EXISTS (
            SELECT 1 FROM "asset" a WHERE a."originalPath" = p OR a."sidecarPath" = p
                OR a."encodedVideoPath" = p)
          OR EXISTS (SELECT 1 FROM "asset_file" f WHERE f."path" = p)
        """,
        paths,
    )
    return {r["p"] for r in rows}
