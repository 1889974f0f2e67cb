"""SQL for downloads (Immich's DownloadRepository and ``getForOriginals``): which assets a
download holds and how big each is, and the files an archive streams.

Sizes are ``asset_exif.fileSizeInByte``; Immich inner-joins ``asset_exif``, here an asset
without an EXIF row (not extracted yet) still downloads, counted as 0 bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import AlbumAsset, Asset

# raw SQL: a LEFT JOIN onto asset_exif (piccolo joins only along foreign keys, which these
# Table classes do not declare); the filters are piccolo's.
_SIZED = """
    SELECT "asset"."id", "asset"."livePhotoVideoId", "asset"."originalPath",
        COALESCE("asset_exif"."fileSizeInByte", 0) AS "size"
    FROM "asset" LEFT JOIN "asset_exif" ON "asset_exif"."assetId" = "asset"."id"
    WHERE {} ORDER BY "asset"."fileCreatedAt", "asset"."id"
"""

# As above, with the full-size edited rendition for ``edited`` archives (Immich's
# ``buildGetForOriginal``).
_ORIGINALS = """
    SELECT "asset"."id", "asset"."originalFileName", "asset"."originalPath",
        "asset_file"."path" AS "editedPath"
    FROM "asset" LEFT JOIN "asset_file" ON "asset_file"."assetId" = "asset"."id"
        AND "asset_file"."isEdited" AND "asset_file"."type" = 'fullsize'
    WHERE {}
"""


def _uuids(values: Iterable[uuid.UUID | str]) -> list[uuid.UUID]:
    return [v if isinstance(v, uuid.UUID) else uuid.UUID(str(v)) for v in values]


def _visible(*, locked: bool) -> Any:
    """Not trashed; not hidden (the video half of a live photo comes through its photo);
    ``locked`` ones only when asked for (an elevated owner)."""
    where = Asset.deleted_at.is_null() & (Asset.visibility != "hidden")
    return where if locked else where & (Asset.visibility != "locked")


async def sized_by_ids(db: Conn, ids: Iterable[uuid.UUID | str]) -> list[Row]:
    """Immich's ``downloadAssetIds`` (access already checked: any visibility but trashed)."""
    where = (Asset.id == q.any_of(_uuids(ids), "uuid")) & Asset.deleted_at.is_null()
    return await q.fetch(db, q.raw(_SIZED, where))


async def sized_in_album(db: Conn, album_id: uuid.UUID | str) -> list[Row]:
    """Immich's ``downloadAlbumId``: the album's assets, never locked ones."""
    held = AlbumAsset.select(AlbumAsset.asset_id).where(
        AlbumAsset.album_id == _uuids([album_id])[0]
    )
    return await q.fetch(db, q.raw(_SIZED, Asset.id.is_in(held) & _visible(locked=False)))


async def sized_of_owner(db: Conn, owner_id: uuid.UUID | str, *, locked: bool) -> list[Row]:
    """Immich's ``downloadUserId``: the owner's assets but hidden ones; locked ones only for
    an elevated owner (Immich includes them: they would leak out of the Locked Folder)."""
    where = (Asset.owner_id == _uuids([owner_id])[0]) & _visible(locked=locked)
    return await q.fetch(db, q.raw(_SIZED, where))


async def originals(db: Conn, ids: Iterable[uuid.UUID | str], *, edited: bool) -> list[Row]:
    """Name and file of each asset for the archive (``editedPath`` null unless ``edited``)."""
    where = Asset.id == q.any_of(_uuids(ids), "uuid")
    if not edited:
        query = Asset.select(
            Asset.id, Asset.original_file_name, Asset.original_path, q.raw('NULL AS "editedPath"')
        ).where(where)
        return await q.fetch(db, query)
    return await q.fetch(db, q.raw(_ORIGINALS, where))
