"""Activity rules (Immich's ActivityService): comments and likes under an album or one of its
assets.

Reading (list, statistics) needs ``album.read`` on the album; creating needs membership (or
ownership) of an album whose activity is enabled; deleting, the author or the album's owner.
A second like of the same target answers the first (``duplicate``: 200 instead of 201).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from immich.db.repos import Conn, Row
from immich.db.repos import activities as repo
from immich.db.repos import albums as albums_repo
from immich.db.repos import users as users_repo
from immich.errors import BadRequest
from immich.services import access

if TYPE_CHECKING:
    from immich.services.auth import AuthContext


async def _with_users(db: Conn, rows: list[Row]) -> list[tuple[Row, Row]]:
    users: dict[uuid.UUID, Row] = {}
    for user_id in {r["userId"] for r in rows}:
        user = await users_repo.get(db, user_id)
        if user is not None:
            users[user_id] = user
    return [(r, users[r["userId"]]) for r in rows if r["userId"] in users]


async def search(
    db: Conn,
    auth: AuthContext,
    album_id: str,
    *,
    asset_id: str | None = None,
    user_id: str | None = None,
    level: str | None = None,
    type: str | None = None,  # noqa: A002 - Immich's field
) -> list[tuple[Row, Row]]:
    """Activity of an album, oldest first: ``level`` ``album`` keeps album-level activity only,
    ``type`` ``like`` likes only (``comment`` filters nothing, as in Immich)."""
    await access.require_albums(db, auth.user_id, "album.read", [album_id])
    asset: Any = None if level == "album" else asset_id
    kwargs: dict[str, Any] = {"album_id": album_id, "user_id": user_id}
    if asset is not None or level == "album":
        kwargs["asset_id"] = asset
    rows = await repo.search(db, is_liked=True if type == "like" else None, **kwargs)
    return await _with_users(db, rows)


async def statistics(
    db: Conn, auth: AuthContext, album_id: str, asset_id: str | None
) -> dict[str, int]:
    await access.require_albums(db, auth.user_id, "album.read", [album_id])
    return await repo.statistics(db, album_id, asset_id)


async def create(
    db: Conn,
    auth: AuthContext,
    album_id: str,
    type: str,  # noqa: A002 - Immich's field
    *,
    asset_id: str | None = None,
    comment: str | None = None,
) -> tuple[tuple[Row, Row], bool]:
    """A like or a comment; ``(activity, duplicate)``."""
    await access.require_activity_create(db, auth.user_id, album_id)
    if asset_id and not await albums_repo.asset_ids_in(db, album_id, [asset_id]):
        # Immich fails on the (albumId, assetId) foreign key (a 500); the album's rule instead
        raise access.no_access("activity.create")
    if type == "like":
        found = await repo.search(
            db, album_id=album_id, user_id=auth.user_id, asset_id=asset_id, is_liked=True
        )
        if found:
            return (await _with_users(db, found[:1]))[0], True
        comment = None
    elif not comment:
        raise BadRequest("Comment is required")
    row = await repo.create(
        db,
        album_id=album_id,
        user_id=auth.user_id,
        asset_id=asset_id,
        comment=comment,
        is_liked=type == "like",
    )
    return (row, auth.user), False


async def delete(db: Conn, auth: AuthContext, activity_id: str) -> None:
    await access.require_activity_delete(db, auth.user_id, activity_id)
    await repo.delete(db, activity_id)
