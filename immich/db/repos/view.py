"""SQL for folder views (Immich's ViewRepository) and the calendar heat map (Immich's
``AssetRepository.getCalendarHeatmap``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Asset, AssetExif


def _in_folder_view(owner_id: uuid.UUID) -> Any:
    """Immich's folder rule: the owner's timeline assets, not trashed, with their dates."""
    return (
        (Asset.owner_id == owner_id)
        & (Asset.visibility == "timeline")
        & Asset.deleted_at.is_null()
        & Asset.file_created_at.is_not_null()
        & Asset.file_modified_at.is_not_null()
        & Asset.local_date_time.is_not_null()
    )


# raw SQL: SELECT DISTINCT of a regex substring (piccolo has no words for it); filters piccolo's.
_FOLDERS = """
    SELECT DISTINCT substring("asset"."originalPath" from '^(.*/)[^/]*$') AS "directoryPath"
    FROM "asset" WHERE {} ORDER BY "directoryPath"
"""


async def unique_folders(db: Conn, owner_id: uuid.UUID) -> list[str]:
    rows = await q.fetch(db, q.raw(_FOLDERS, _in_folder_view(owner_id)))
    return [r["directoryPath"].rstrip("/") for r in rows if r["directoryPath"] is not None]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# raw SQL: ordered by the file-name part of the path (a regexp_replace expression).
_IN_FOLDER = """
    SELECT "asset".* FROM "asset"
    WHERE {} AND "asset"."originalPath" LIKE {} AND "asset"."originalPath" NOT LIKE {}
    ORDER BY regexp_replace("asset"."originalPath", '.*/(.+)', '\\1')
"""


async def assets_in_folder(db: Conn, owner_id: uuid.UUID, path: str) -> list[Row]:
    """Assets directly in ``path`` (matched anywhere in the original path, as Immich does; its
    ``%``/``_`` are taken literally here, where Immich lets them act as wildcards)."""
    folder = _like_escape(path.rstrip("/"))
    query = q.raw(_IN_FOLDER, _in_folder_view(owner_id), f"%{folder}/%", f"%{folder}/%/%")
    return await q.fetch(db, query)


async def exif_of(db: Conn, asset_ids: list[uuid.UUID]) -> dict[uuid.UUID, Row]:
    rows = await q.fetch(
        db, AssetExif.select().where(AssetExif.asset_id == q.any_of(asset_ids, "uuid"))
    )
    return {r["assetId"]: r for r in rows}


_COLUMNS = {"Upload": '"asset"."createdAt"', "Taken": '"asset"."localDateTime"'}

# raw SQL: group by a date_trunc expression (piccolo has no words for it); filters piccolo's.
_HEATMAP = """
    SELECT (date_trunc('DAY', {col} AT TIME ZONE 'UTC'))::date AS "date", count(*) AS "count"
    FROM "asset" WHERE {{}} AND {col} >= {{}} AND {col} < {{}}
    GROUP BY 1 ORDER BY 1
"""


async def day_counts(
    db: Conn, owner_id: uuid.UUID, kind: str, start: dt.datetime, end: dt.datetime
) -> dict[dt.date, int]:
    """Assets per UTC day in ``[start, end)`` by upload (``createdAt``) or taken date
    (``localDateTime``); trashed and locked assets are not counted."""
    where = (
        (Asset.owner_id == owner_id) & Asset.deleted_at.is_null() & (Asset.visibility != "locked")
    )
    text = _HEATMAP.format(col=_COLUMNS[kind])
    rows = await q.fetch(db, q.raw(text, where, start, end))
    return {r["date"]: r["count"] for r in rows}
