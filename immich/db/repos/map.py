"""SQL for the map (Immich's MapRepository ``getMapMarkers``): located assets of some owners,
or in some albums, newest first."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import AlbumAsset, Asset

# raw SQL: an INNER JOIN onto asset_exif (piccolo joins only along declared foreign keys);
# every filter is piccolo's.
_MARKERS = """
    SELECT "asset"."id", "asset_exif"."latitude" AS "lat", "asset_exif"."longitude" AS "lon",
        "asset_exif"."city", "asset_exif"."state", "asset_exif"."country"
    FROM "asset" JOIN "asset_exif" ON "asset_exif"."assetId" = "asset"."id"
        AND "asset_exif"."latitude" IS NOT NULL AND "asset_exif"."longitude" IS NOT NULL
    WHERE {} ORDER BY "asset"."fileCreatedAt" DESC
"""


async def markers(
    db: Conn,
    me: uuid.UUID,
    owner_ids: Sequence[uuid.UUID],
    album_ids: Sequence[uuid.UUID],
    *,
    is_archived: bool | None = None,
    is_favorite: bool | None = None,
    created_after: dt.datetime | None = None,
    created_before: dt.datetime | None = None,
) -> list[Row]:
    """Immich's filters: the timeline's assets, plus the caller's own archived ones when
    ``is_archived`` (locked and hidden ones never); of ``owner_ids`` or in ``album_ids``."""
    where: Any = Asset.deleted_at.is_null()
    if is_archived:
        where &= (Asset.visibility == "timeline") | (
            (Asset.owner_id == me) & (Asset.visibility == "archive")
        )
    else:
        where &= Asset.visibility == "timeline"
    if is_favorite is not None:
        where &= Asset.is_favorite == is_favorite
    if created_after is not None:
        where &= Asset.file_created_at >= created_after
    if created_before is not None:
        where &= Asset.file_created_at <= created_before
    whose: Any = Asset.owner_id == q.any_of(owner_ids, "uuid")
    if album_ids:
        in_albums = AlbumAsset.select(AlbumAsset.asset_id).where(
            AlbumAsset.album_id == q.any_of(album_ids, "uuid")
        )
        whose |= Asset.id.is_in(in_albums)
    return await q.fetch(db, q.raw(_MARKERS, where & whose))
