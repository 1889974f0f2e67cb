"""SQL for the map (Immich's MapRepository ``getMapMarkers``): located assets of some owners,
or in some albums, newest first.

``markers_json`` answers them as the JSON text of ``MapMarkerResponseDto``s, built by
PostgreSQL: the answer is every located asset of a library (900k markers, 100 MB at 1M
assets), and making a Python object of each row cost as much again as the query
(``bench/search_bench.py``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from immich.db.repos import Conn
from immich.db.repos import _query as q
from immich.db.tables import AlbumAsset, Asset

# raw SQL: an INNER JOIN onto asset_exif (piccolo joins only along declared foreign keys; every
# filter is piccolo's), the rows as one JSON array of MapMarkerResponseDto's fields, compact, in
# order, as UTF-8 bytes (no decoding and re-encoding of 100 MB); row_to_json writes float8 as
# PostgreSQL's shortest exact text, as Python's json would
_MARKERS_JSON = """
    SELECT convert_to('[' || COALESCE(
        string_agg(row_to_json(j)::text, ',' ORDER BY m."at" DESC), '') || ']', 'UTF8')
    FROM (
        SELECT "asset_exif"."city", "asset_exif"."country", "asset"."id",
            "asset_exif"."latitude" AS "lat", "asset_exif"."longitude" AS "lon",
            "asset_exif"."state", "asset"."fileCreatedAt" AS "at"
        FROM "asset" JOIN "asset_exif" ON "asset_exif"."assetId" = "asset"."id"
            AND "asset_exif"."latitude" IS NOT NULL AND "asset_exif"."longitude" IS NOT NULL
        WHERE {}
    ) AS m, LATERAL (SELECT m."city", m."country", m."id", m."lat", m."lon", m."state") AS j
"""


async def markers_json(
    db: Conn,
    me: uuid.UUID,
    owner_ids: Sequence[uuid.UUID],
    album_ids: Sequence[uuid.UUID],
    *,
    is_archived: bool | None = None,
    is_favorite: bool | None = None,
    created_after: dt.datetime | None = None,
    created_before: dt.datetime | None = None,
) -> bytes:
    """Immich's filters: the timeline's assets, plus the caller's own archived ones when
    ``is_archived`` (locked and hidden ones never); of ``owner_ids`` or in ``album_ids``. The
    answer is a list of ``MapMarkerResponseDto`` as JSON (UTF-8), newest first."""
    where = _where(
        me, owner_ids, album_ids, is_archived, is_favorite, created_after, created_before
    )
    return bytes(await q.fetchval(db, q.raw(_MARKERS_JSON, where)))


def _where(
    me: uuid.UUID,
    owner_ids: Sequence[uuid.UUID],
    album_ids: Sequence[uuid.UUID],
    is_archived: bool | None,
    is_favorite: bool | None,
    created_after: dt.datetime | None,
    created_before: dt.datetime | None,
) -> Any:
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
    return where & whose
