"""SQL for the ``asset`` and ``asset_exif`` tables: statistics, upload, edits, deletion."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import asyncpg
from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Asset, AssetExif, AssetFile, User

# Columns a caller may set on insert (ids and timestamps are managed here; updateId by the database trigger).
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


def _writable(values: Mapping[str, Any]) -> None:
    bad = set(values) - WRITABLE
    if bad:
        raise ValueError(f"not a writable asset column: {sorted(bad)}")


async def create(db: Conn, values: Mapping[str, Any]) -> Row:
    _writable(values)
    query = Asset.insert(q.new_row(Asset, values)).returning(*Asset.all_columns())
    row = await q.fetchrow(db, query)
    assert row is not None
    return row


async def upsert_exif(db: Conn, values: Mapping[str, Any]) -> Row:
    """Insert or replace an asset's EXIF row (``values`` must hold ``assetId``)."""
    if "assetId" not in values:
        raise ValueError("asset_exif needs assetId")
    query = AssetExif.insert(q.new_row(AssetExif, values))
    updates: list[Column | tuple[Column, Any]] = [
        c
        for c in q.by_column_name(AssetExif, values)
        if isinstance(c, Column) and c is not AssetExif.asset_id
    ]
    if updates:
        query = query.on_conflict(
            target=AssetExif.asset_id,
            action="DO UPDATE",
            values=[*updates, (AssetExif.updated_at, q.NOW)],
        )
    else:
        query = query.on_conflict(target=AssetExif.asset_id, action="DO NOTHING")
    row = await q.fetchrow(db, query.returning(*AssetExif.all_columns()))
    assert row is not None
    return row


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
    return bool(await q.fetchval(db, Asset.exists().where(Asset.library_id.is_null())))


async def upload_id_by_checksum(
    db: Conn, owner_id: uuid.UUID | str, checksum: bytes
) -> uuid.UUID | None:
    """The owner's uploaded asset with this content (Immich's getUploadAssetIdByChecksum)."""
    query = Asset.select(Asset.id).where(
        (Asset.owner_id == _uuid(owner_id))
        & (Asset.checksum == checksum)
        & Asset.library_id.is_null()
    )
    found: uuid.UUID | None = await q.fetchval(db, query)
    return found


async def by_checksums(db: Conn, owner_id: uuid.UUID | str, checksums: list[bytes]) -> list[Row]:
    """``id``, ``checksum``, ``deletedAt`` of the owner's uploads with these contents."""
    query = Asset.select(Asset.id, Asset.checksum, Asset.deleted_at).where(
        (Asset.owner_id == _uuid(owner_id))
        & (Asset.checksum == q.any_of(checksums, "bytea"))
        & Asset.library_id.is_null()
    )
    return await q.fetch(db, query)


async def reserve_quota(db: Conn, user_id: uuid.UUID | str, size: int) -> bool:
    """Add ``size`` bytes to the user's usage unless that passes their quota; False if it would.

    One statement, so concurrent uploads cannot pass the quota together.
    """
    query = (
        User.update({User.quota_usage_in_bytes: User.quota_usage_in_bytes + size})
        .where(
            (User.id == _uuid(user_id))
            & (
                User.quota_size_in_bytes.is_null()
                | WhereRaw('"quotaUsageInBytes" + {} <= "quotaSizeInBytes"', size)
            )
        )
        .returning(User.id)
    )
    return await q.fetchrow(db, query) is not None


async def release_quota(db: Conn, usage: Mapping[uuid.UUID, int]) -> None:
    """Give back bytes of deleted uploads, per owner (never below zero)."""
    for user_id, size in usage.items():
        less = QueryString('GREATEST("quotaUsageInBytes" - {}, 0)', size)
        await q.execute(
            db, User.update({User.quota_usage_in_bytes: less}).where(User.id == user_id)
        )


async def add_file(db: Conn, asset_id: uuid.UUID | str, file_type: str, path: str) -> None:
    row = q.new_row(AssetFile, {"assetId": _uuid(asset_id), "type": file_type, "path": path})
    query = AssetFile.insert(row).on_conflict(
        target=(AssetFile.asset_id, AssetFile.type, AssetFile.is_edited),
        action="DO UPDATE",
        values=[AssetFile.path, (AssetFile.updated_at, q.NOW)],
    )
    await q.execute(db, query)


_GET = q.template(lambda asset_id: Asset.select().where(Asset.id == asset_id))
_GET_EXIF = q.template(lambda asset_id: AssetExif.select().where(AssetExif.asset_id == asset_id))


async def get(db: Conn, asset_id: uuid.UUID | str) -> Row | None:
    return await q.fetchrow(db, _GET(_uuid(asset_id)))


async def get_exif(db: Conn, asset_id: uuid.UUID | str) -> Row | None:
    return await q.fetchrow(db, _GET_EXIF(_uuid(asset_id)))


async def stack_summary(db: Conn, stack_id: uuid.UUID | str) -> Row | None:
    """``id``, ``primaryAssetId``, ``assetCount`` (not deleted members) of a stack."""
    # raw SQL: a counted LEFT JOIN with a condition (piccolo joins only along foreign keys)
    return await db.fetchrow(
        'SELECT s."id", s."primaryAssetId", count(a."id") AS "assetCount" FROM "stack" s '
        'LEFT JOIN "asset" a ON a."stackId" = s."id" AND a."deletedAt" IS NULL '
        'WHERE s."id" = $1 GROUP BY s."id"',
        _uuid(stack_id),
    )


async def has_preview(db: Conn, asset_id: uuid.UUID | str) -> bool:
    query = AssetFile.exists().where(
        (AssetFile.asset_id == _uuid(asset_id)) & (AssetFile.type == "preview")
    )
    return bool(await q.fetchval(db, query))


async def update_many(
    db: Conn, ids: Iterable[uuid.UUID | str], values: Mapping[str, Any]
) -> list[Row]:
    """Set asset columns on every id; return the updated rows."""
    _writable(values)
    if not values:
        return []
    sets: dict[Column | str, Any] = {
        **q.by_column_name(Asset, values),
        Asset.updated_at: q.NOW,
    }
    query = (
        Asset.update(sets)
        .where(Asset.id == q.any_of(_uuids(ids), "uuid"))
        .returning(*Asset.all_columns())
    )
    return await q.fetch(db, query)


async def update_exif_many(
    db: Conn, ids: Iterable[uuid.UUID | str], values: Mapping[str, Any]
) -> None:
    """Set EXIF columns an owner edited on every id and lock them (``lockedProperties``), so a
    metadata refresh keeps the owner's values, as Immich's updateAllExif."""
    if not values:
        return
    # raw SQL: an upsert of many rows from unnest() that merges arrays (no builder words for it)
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


def _shifted(column: str) -> str:
    """``column`` moved by $2 minutes, kept within years 1-9999 (what Python reads back);
    NULL stays NULL (GREATEST would skip it)."""
    moved = f'"{column}" + make_interval(mins => $2)'
    return (
        f'CASE WHEN "{column}" IS NULL THEN NULL ELSE LEAST(GREATEST({moved}, '
        "'0001-01-01T00:00:00Z'::timestamptz), '9999-12-31T23:59:59.999Z'::timestamptz) END"
    )


async def shift_dates(
    db: Conn, ids: Iterable[uuid.UUID | str], minutes: int, time_zone: str | None
) -> None:
    """Move ``dateTimeOriginal`` and ``localDateTime`` by ``minutes``; set the EXIF time zone."""
    # raw SQL: interval arithmetic and an array merge in SET (no builder words for them)
    await db.execute(
        f'UPDATE "asset_exif" SET "dateTimeOriginal" = {_shifted("dateTimeOriginal")}, '
        '"timeZone" = COALESCE($3, "timeZone"), "lockedProperties" = ('
        'SELECT array_agg(DISTINCT p) FROM unnest("lockedProperties" || \'{dateTimeOriginal,'
        'timeZone}\'::varchar[]) p), "updatedAt" = now() '
        'WHERE "assetId" = ANY($1::uuid[])',
        _uuids(ids),
        minutes,
        time_zone,
    )
    if minutes:
        await db.execute(
            f'UPDATE "asset" SET "localDateTime" = {_shifted("localDateTime")}, '
            '"updatedAt" = now() WHERE "id" = ANY($1::uuid[])',
            _uuids(ids),
            minutes,
        )


async def trash(db: Conn, ids: Iterable[uuid.UUID | str]) -> int:
    """Move to the trash (status ``trashed``, ``deletedAt`` now); return how many."""
    query = Asset.update(
        {
            Asset.status: "trashed",
            Asset.deleted_at: q.NOW,
            Asset.updated_at: q.NOW,
        }
    ).where((Asset.id == q.any_of(_uuids(ids), "uuid")) & (Asset.status != "deleted"))
    return q.affected(await q.execute(db, query))


async def delete_rows(db: Conn, ids: Iterable[uuid.UUID | str]) -> list[Row]:
    """Delete assets; per deleted asset: ``id``, ``ownerId``, ``libraryId``, ``size`` (EXIF
    file size), ``livePhotoVideoId``, ``isOffline`` and ``files`` (every path it used: original,
    sidecar, encoded video, generated files). Dependent rows go with it (cascades)."""
    # raw SQL: a CTE that locks, reports and deletes in one statement
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
                ORDER BY a."id"  -- one lock order, so overlapping deletes queue, not deadlock
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
    # raw SQL: NOT EXISTS on the same table (piccolo's NOT IN would drop every row on a NULL)
    rows = await db.fetch(
        'SELECT m."id" FROM "asset" m WHERE m."id" = ANY($1::uuid[]) AND NOT EXISTS ('
        'SELECT 1 FROM "asset" a WHERE a."livePhotoVideoId" = m."id")',
        _uuids(ids),
    )
    return [r["id"] for r in rows]


async def referenced_paths(db: Conn, paths: list[str]) -> set[str]:
    """Which of these paths an asset row still uses (so the file must stay)."""
    # raw SQL: a filter over unnest() of the given paths
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
