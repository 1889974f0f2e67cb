"""SQL for ``activity`` (Immich's ActivityRepository): comments and likes."""

from __future__ import annotations

import uuid
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Activity

_UNSET: Any = object()


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


# raw SQL: joins onto the author and a LEFT JOIN onto asset (piccolo joins only along declared
# foreign keys); every filter is piccolo's.
_SEARCH = """
    SELECT "activity".* FROM "activity"
    JOIN "user" u ON u."id" = "activity"."userId" AND u."deletedAt" IS NULL
    LEFT JOIN "asset" a ON a."id" = "activity"."assetId"
    WHERE a."deletedAt" IS NULL AND {} ORDER BY "activity"."createdAt" ASC
"""


async def search(
    db: Conn,
    *,
    album_id: uuid.UUID | str | None = None,
    asset_id: Any = _UNSET,
    user_id: uuid.UUID | str | None = None,
    is_liked: bool | None = None,
) -> list[Row]:
    """Activity oldest first; ``asset_id=None`` asks for album-level activity only."""
    where: Any = Activity.id.is_not_null()
    if album_id is not None:
        where &= Activity.album_id == _uuid(album_id)
    if asset_id is None:
        where &= Activity.asset_id.is_null()
    elif asset_id is not _UNSET:
        where &= Activity.asset_id == _uuid(asset_id)
    if user_id is not None:
        where &= Activity.user_id == _uuid(user_id)
    if is_liked is not None:
        where &= Activity.is_liked == is_liked
    return await q.fetch(db, q.raw(_SEARCH, where))


async def create(
    db: Conn,
    *,
    album_id: uuid.UUID | str,
    user_id: uuid.UUID | str,
    asset_id: uuid.UUID | str | None,
    comment: str | None,
    is_liked: bool,
) -> Row:
    values = {
        "albumId": _uuid(album_id),
        "userId": _uuid(user_id),
        "assetId": _uuid(asset_id) if asset_id else None,
        "comment": comment,
        "isLiked": is_liked,
    }
    row = await q.fetchrow(db, Activity.insert(q.new_row(Activity, values)).returning(Activity.id))
    assert row is not None
    found = await q.fetchrow(db, q.raw(_SEARCH, Activity.id == row["id"]))
    assert found is not None
    return found


async def delete(db: Conn, activity_id: uuid.UUID | str) -> None:
    await q.execute(db, Activity.delete().where(Activity.id == _uuid(activity_id)))


async def statistics(
    db: Conn, album_id: uuid.UUID | str, asset_id: uuid.UUID | str | None
) -> dict[str, int]:
    """Comments and likes of living authors, on the album or one asset (trashed and locked
    assets' activity left out)."""
    # raw SQL: count(*) FILTER (piccolo has no words for it)
    row = await db.fetchrow(
        """
        SELECT count(*) FILTER (WHERE NOT ac."isLiked") AS "comments",
               count(*) FILTER (WHERE ac."isLiked") AS "likes"
        FROM "activity" ac
        JOIN "user" u ON u."id" = ac."userId" AND u."deletedAt" IS NULL
        LEFT JOIN "asset" a ON a."id" = ac."assetId"
        WHERE ac."albumId" = $1 AND ($2::uuid IS NULL OR ac."assetId" = $2)
          AND (a."id" IS NULL OR (a."deletedAt" IS NULL AND a."visibility" <> 'locked'))
        """,
        _uuid(album_id),
        _uuid(asset_id) if asset_id else None,
    )
    assert row is not None
    return {"comments": int(row["comments"]), "likes": int(row["likes"])}
