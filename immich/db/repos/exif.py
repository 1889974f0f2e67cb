"""SQL of the metadata job: ``asset_exif`` rows and what extraction changes on ``asset`` rows
(dates, size, duration, live-photo links, motion-photo video assets)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from immich.db.repos import Conn, Row

# asset_exif columns the metadata job writes (assetId and the bookkeeping columns aside).
COLUMNS = frozenset(
    {
        "make",
        "model",
        "exifImageWidth",
        "exifImageHeight",
        "fileSizeInByte",
        "orientation",
        "dateTimeOriginal",
        "modifyDate",
        "timeZone",
        "lensModel",
        "fNumber",
        "focalLength",
        "iso",
        "exposureTime",
        "latitude",
        "longitude",
        "city",
        "state",
        "country",
        "description",
        "fps",
        "livePhotoCID",
        "autoStackId",
        "projectionType",
        "profileDescription",
        "colorspace",
        "bitsPerSample",
        "rating",
        "tags",
    }
)


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def get(db: Conn, asset_id: uuid.UUID | str) -> Row | None:
    return await db.fetchrow('SELECT * FROM "asset_exif" WHERE "assetId" = $1', _uuid(asset_id))


async def upsert(db: Conn, asset_id: uuid.UUID | str, values: Mapping[str, Any]) -> Row:
    """Insert or update the asset's EXIF row; columns named in its ``lockedProperties`` (values
    a user edited) keep their value, as Immich's ``lockedPropertiesBehavior: 'skip'``."""
    bad = set(values) - COLUMNS
    if bad:
        raise ValueError(f"not an asset_exif column: {sorted(bad)}")
    names = list(values)
    columns = ", ".join(f'"{c}"' for c in ["assetId", *names])
    params = ", ".join(f"${i}" for i in range(1, len(names) + 2))
    updates = ", ".join(
        f'"{c}" = CASE WHEN \'{c}\' = ANY("asset_exif"."lockedProperties") '
        f'THEN "asset_exif"."{c}" ELSE EXCLUDED."{c}" END'
        for c in names
    )
    row = await db.fetchrow(
        f'INSERT INTO "asset_exif" ({columns}) VALUES ({params}) '
        f'ON CONFLICT ("assetId") DO UPDATE SET {updates}, '
        '"updatedAt" = now() RETURNING *',
        _uuid(asset_id),
        *values.values(),
    )
    assert row is not None
    return row  # type: ignore[no-any-return]


async def apply_to_asset(
    db: Conn,
    asset_id: uuid.UUID | str,
    *,
    file_created_at: dt.datetime | None,
    local_date_time: dt.datetime | None,
    file_modified_at: dt.datetime,
    duration_ms: int | None,
    width: int | None,
    height: int | None,
) -> None:
    """What extraction sets on the asset row, as Immich: the capture date (unless the user
    locked ``dateTimeOriginal``), the file's mtime, the duration, and width/height only when
    the asset has none yet."""
    await db.execute(
        """
        UPDATE "asset" a SET
            "fileCreatedAt" = CASE WHEN locked THEN a."fileCreatedAt"
                              ELSE COALESCE($2, a."fileCreatedAt") END,
            "localDateTime" = CASE WHEN locked THEN a."localDateTime"
                              ELSE COALESCE($3, a."localDateTime") END,
            "fileModifiedAt" = $4,
            "duration" = $5::integer,
            "width" = COALESCE(a."width", $6),
            "height" = COALESCE(a."height", $7),
            "updatedAt" = now()
        FROM (SELECT COALESCE((SELECT 'dateTimeOriginal' = ANY(e."lockedProperties")
                               FROM "asset_exif" e WHERE e."assetId" = $1), false) AS locked) l
        WHERE a."id" = $1
        """,
        _uuid(asset_id),
        file_created_at,
        local_date_time,
        file_modified_at,
        duration_ms,
        width,
        height,
    )


async def find_live_photo_match(
    db: Conn,
    *,
    asset_id: uuid.UUID | str,
    owner_id: uuid.UUID | str,
    library_id: uuid.UUID | None,
    live_photo_cid: str,
    other_type: str,
) -> Row | None:
    """Another asset of the owner (same library), of ``other_type``, with the same
    ContentIdentifier: the other half of an Apple live photo."""
    return await db.fetchrow(
        """
        SELECT a."id", a."ownerId", a."type", a."livePhotoVideoId" FROM "asset" a
        JOIN "asset_exif" e ON e."assetId" = a."id"
        WHERE a."id" <> $1 AND a."ownerId" = $2 AND a."libraryId" IS NOT DISTINCT FROM $3
          AND a."type" = $4 AND e."livePhotoCID" = $5 AND a."deletedAt" IS NULL
        ORDER BY a."createdAt" LIMIT 1
        """,
        _uuid(asset_id),
        _uuid(owner_id),
        library_id,
        other_type,
        live_photo_cid,
    )


async def link_live_photo(db: Conn, photo_id: uuid.UUID | str, video_id: uuid.UUID | str) -> None:
    """Point the photo at its video, hide the video and take it out of every album."""
    await set_live_photo_video(db, photo_id, video_id)
    await db.execute(
        """
        UPDATE "asset" SET "visibility" = 'hidden', "updatedAt" = now()
        WHERE "id" = $1 AND "visibility" <> 'hidden'
        """,
        _uuid(video_id),
    )
    await db.execute('DELETE FROM "album_asset" WHERE "assetId" = $1', _uuid(video_id))


async def set_live_photo_video(
    db: Conn, photo_id: uuid.UUID | str, video_id: uuid.UUID | str
) -> None:
    await db.execute(
        """
        UPDATE "asset" SET "livePhotoVideoId" = $2, "updatedAt" = now()
        WHERE "id" = $1 AND "livePhotoVideoId" IS DISTINCT FROM $2
        """,
        _uuid(photo_id),
        _uuid(video_id),
    )


async def by_checksum(
    db: Conn, owner_id: uuid.UUID | str, library_id: uuid.UUID | None, checksum: bytes
) -> Row | None:
    """The owner's asset with this content (in this library, or uploaded when None)."""
    return await db.fetchrow(
        """
        SELECT * FROM "asset"
        WHERE "ownerId" = $1 AND "libraryId" IS NOT DISTINCT FROM $2 AND "checksum" = $3
        """,
        _uuid(owner_id),
        library_id,
        checksum,
    )


async def add_usage(db: Conn, user_id: uuid.UUID | str, size: int) -> None:
    """Count ``size`` more bytes against the user's quota (Immich's ``updateUsage``)."""
    await db.execute(
        'UPDATE "user" SET "quotaUsageInBytes" = "quotaUsageInBytes" + $2 WHERE "id" = $1',
        _uuid(user_id),
        size,
    )
