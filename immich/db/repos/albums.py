"""SQL for ``album``, ``album_asset`` and ``album_user``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from piccolo.columns import Column
from piccolo.querystring import QueryString

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Album, AlbumAsset, AlbumUpdatePending, AlbumUser, SharedLink


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _uuids(values: Iterable[uuid.UUID | str]) -> list[uuid.UUID]:
    return [_uuid(v) for v in values]


# An album with Immich's aggregates over its visible, not deleted assets.
# raw SQL: a LATERAL aggregate join (piccolo has no words for it); its filters are piccolo's.
_SELECT = """
    SELECT "album".*, COALESCE(m."assetCount", 0) AS "assetCount", m."startDate", m."endDate",
        m."lastModifiedAssetTimestamp",
        EXISTS (SELECT 1 FROM "shared_link" sl WHERE sl."albumId" = "album"."id")
            AS "hasSharedLink"
    FROM "album"
    LEFT JOIN LATERAL (
        SELECT count(a."id") AS "assetCount", min(a."localDateTime") AS "startDate",
            max(a."localDateTime") AS "endDate", max(a."updatedAt") AS "lastModifiedAssetTimestamp"
        FROM "album_asset" aa JOIN "asset" a ON a."id" = aa."assetId"
        WHERE aa."albumId" = "album"."id" AND a."deletedAt" IS NULL
          AND a."visibility" IN ('archive', 'timeline')
    ) m ON true
    WHERE {}
"""


def _member(user_id: uuid.UUID) -> Any:
    """The user is a member of the album (shared with them)."""
    return Album.id.is_in(AlbumUser.select(AlbumUser.album_id).where(AlbumUser.user_id == user_id))


def _shared() -> Any:
    """Shared with a member, or through a link (Immich's isShared)."""
    return Album.id.is_in(AlbumUser.select(AlbumUser.album_id)) | Album.id.is_in(
        SharedLink.select(SharedLink.album_id).where(SharedLink.album_id.is_not_null())
    )


def _not_shared() -> Any:
    return Album.id.not_in(AlbumUser.select(AlbumUser.album_id)) & Album.id.not_in(
        SharedLink.select(SharedLink.album_id).where(SharedLink.album_id.is_not_null())
    )


async def create(
    db: Conn,
    owner_id: uuid.UUID | str,
    name: str,
    description: str,
    order: str,
    thumbnail_id: uuid.UUID | str | None,
) -> Row:
    values = {
        "ownerId": _uuid(owner_id),
        "albumName": name,
        "description": description,
        "order": order,
        "albumThumbnailAssetId": _uuid(thumbnail_id) if thumbnail_id else None,
    }
    row = await q.fetchrow(db, Album.insert(q.new_row(Album, values)).returning(Album.id))
    assert row is not None
    return row


async def get(db: Conn, album_id: uuid.UUID | str) -> Row | None:
    where = (Album.id == _uuid(album_id)) & Album.deleted_at.is_null()
    return await q.fetchrow(db, q.raw(_SELECT, where))


async def list_for_user(
    db: Conn,
    user_id: uuid.UUID | str,
    *,
    is_owned: bool | None = None,
    is_shared: bool | None = None,
    album_id: uuid.UUID | str | None = None,
    name: str | None = None,
    asset_id: uuid.UUID | str | None = None,
) -> list[Row]:
    """Albums the user owns or is a member of, filtered as Immich's getAllAlbums."""
    user = _uuid(user_id)
    where: Any = Album.deleted_at.is_null() & ((Album.owner_id == user) | _member(user))
    if asset_id is not None:
        holds = AlbumAsset.select(AlbumAsset.album_id).where(AlbumAsset.asset_id == _uuid(asset_id))
        where &= Album.id.is_in(holds)
    else:
        if is_owned is not None:
            where &= (Album.owner_id == user) if is_owned else (Album.owner_id != user)
        if is_shared is not None:
            where &= _shared() if is_shared else _not_shared()
        if album_id is not None:
            where &= Album.id == _uuid(album_id)
        if name is not None:
            where &= Album.album_name == name
    return await q.fetch(db, q.raw(_SELECT + 'ORDER BY "album"."createdAt" DESC', where))


async def members(db: Conn, album_ids: Iterable[uuid.UUID | str]) -> list[Row]:
    """User rows with ``albumId`` and ``role`` (``owner`` for the album's owner)."""
    # raw SQL: a UNION of two joins answering the user's row as `u.*`
    return list(
        await db.fetch(
            """
            SELECT al."id" AS "albumId", 'owner' AS "role", u.* FROM "album" al
            JOIN "user" u ON u."id" = al."ownerId" WHERE al."id" = ANY($1::uuid[])
            UNION ALL
            SELECT au."albumId", au."role", u.* FROM "album_user" au
            JOIN "user" u ON u."id" = au."userId"
            WHERE au."albumId" = ANY($1::uuid[]) AND u."deletedAt" IS NULL
            """,
            _uuids(album_ids),
        )
    )


async def add_users(
    db: Conn, album_id: uuid.UUID | str, users: Iterable[tuple[uuid.UUID | str, str]]
) -> None:
    for user_id, role in users:
        row = q.new_row(
            AlbumUser, {"albumId": _uuid(album_id), "userId": _uuid(user_id), "role": role}
        )
        query = AlbumUser.insert(row).on_conflict(
            target=(AlbumUser.album_id, AlbumUser.user_id),
            action="DO UPDATE",
            values=[AlbumUser.role],
        )
        await q.execute(db, query)


async def ids_with_role(
    db: Conn, user_id: uuid.UUID | str, album_ids: Iterable[uuid.UUID | str], roles: Iterable[str]
) -> set[uuid.UUID]:
    """Of these albums, those the user owns or is a member of with one of ``roles``."""
    user = _uuid(user_id)
    member = AlbumUser.select(AlbumUser.album_id).where(
        (AlbumUser.user_id == user) & (AlbumUser.role == q.any_of(roles, "varchar"))
    )
    query = Album.select(Album.id).where(
        (Album.id == q.any_of(_uuids(album_ids), "uuid"))
        & Album.deleted_at.is_null()
        & ((Album.owner_id == user) | Album.id.is_in(member))
    )
    return {r["id"] for r in await q.fetch(db, query)}


async def asset_ids_in(
    db: Conn, album_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Which of these assets the album already holds."""
    query = AlbumAsset.select(AlbumAsset.asset_id).where(
        (AlbumAsset.album_id == _uuid(album_id))
        & (AlbumAsset.asset_id == q.any_of(_uuids(asset_ids), "uuid"))
    )
    return {r["assetId"] for r in await q.fetch(db, query)}


async def add_assets(
    db: Conn, album_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> None:
    """Put assets in the album; set its thumbnail when it has none; touch ``updatedAt``."""
    ids = _uuids(asset_ids)
    if not ids:
        return
    # raw SQL: many rows from one array argument (unnest)
    await db.execute(
        'INSERT INTO "album_asset" ("albumId", "assetId") SELECT $1, unnest($2::uuid[]) '
        "ON CONFLICT DO NOTHING",
        _uuid(album_id),
        ids,
    )
    sets: dict[Column | str, Any] = {
        Album.album_thumbnail_asset_id: QueryString(
            'COALESCE("albumThumbnailAssetId", {})', ids[0]
        ),
        Album.updated_at: q.NOW,
    }
    await q.execute(db, Album.update(sets).where(Album.id == _uuid(album_id)))


async def remove_assets_everywhere(db: Conn, asset_ids: Iterable[uuid.UUID | str]) -> None:
    """Take assets out of every album (Immich does this when they become locked)."""
    query = AlbumAsset.delete().where(AlbumAsset.asset_id == q.any_of(_uuids(asset_ids), "uuid"))
    await q.execute(db, query)


async def update(db: Conn, album_id: uuid.UUID | str, changes: dict[str, Any]) -> None:
    """Set the given columns (database names) on the album; ``updatedAt`` and ``updateId`` come
    from the triggers."""
    columns = {
        "albumName": Album.album_name,
        "description": Album.description,
        "albumThumbnailAssetId": Album.album_thumbnail_asset_id,
        "isActivityEnabled": Album.is_activity_enabled,
        "order": Album.order,
    }
    sets: dict[Column | str, Any] = {columns[k]: v for k, v in changes.items()}
    sets[Album.updated_at] = q.NOW
    await q.execute(db, Album.update(sets).where(Album.id == _uuid(album_id)))


async def delete(db: Conn, album_id: uuid.UUID | str) -> None:
    """Delete the album for good (as Immich 3.1); its assets, members and activity cascade and
    the audit triggers of migration 0010 record it for every member."""
    await q.execute(db, Album.delete().where(Album.id == _uuid(album_id)))


async def remove_assets(
    db: Conn, album_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> None:
    query = AlbumAsset.delete().where(
        (AlbumAsset.album_id == _uuid(album_id))
        & (AlbumAsset.asset_id == q.any_of(_uuids(asset_ids), "uuid"))
    )
    await q.execute(db, query)


async def update_thumbnails(db: Conn) -> None:
    """Immich's ``updateThumbnails``: an album whose thumbnail left it (or was deleted) gets its
    newest remaining asset (by ``fileCreatedAt``), or none when empty; an album without one
    gets one."""
    # raw SQL: a correlated sub-select in SET (piccolo has no words for it)
    await db.execute(
        """
        UPDATE "album" SET "albumThumbnailAssetId" = (
            SELECT aa."assetId" FROM "album_asset" aa
            JOIN "asset" a ON a."id" = aa."assetId" AND a."deletedAt" IS NULL
            WHERE aa."albumId" = "album"."id" ORDER BY a."fileCreatedAt" DESC LIMIT 1)
        WHERE ("albumThumbnailAssetId" IS NULL AND EXISTS (
                SELECT 1 FROM "album_asset" aa
                JOIN "asset" a ON a."id" = aa."assetId" AND a."deletedAt" IS NULL
                WHERE aa."albumId" = "album"."id"))
           OR ("albumThumbnailAssetId" IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM "album_asset" aa
                JOIN "asset" a ON a."id" = aa."assetId" AND a."deletedAt" IS NULL
                WHERE aa."albumId" = "album"."id"
                  AND aa."assetId" = "album"."albumThumbnailAssetId"))
        """
    )


async def update_user_role(
    db: Conn, album_id: uuid.UUID | str, user_id: uuid.UUID | str, role: str
) -> None:
    query = AlbumUser.update({AlbumUser.role: role}).where(
        (AlbumUser.album_id == _uuid(album_id)) & (AlbumUser.user_id == _uuid(user_id))
    )
    await q.execute(db, query)


async def remove_user(db: Conn, album_id: uuid.UUID | str, user_id: uuid.UUID | str) -> None:
    query = AlbumUser.delete().where(
        (AlbumUser.album_id == _uuid(album_id)) & (AlbumUser.user_id == _uuid(user_id))
    )
    await q.execute(db, query)


async def map_markers(db: Conn, album_id: uuid.UUID | str) -> list[Row]:
    """Located assets of the album, newest first (Immich's ``getAlbumMapMarkers``)."""
    # raw SQL: joins onto asset_exif and album_asset (piccolo joins only along declared keys)
    return list(
        await db.fetch(
            """
            SELECT a."id", e."latitude" AS "lat", e."longitude" AS "lon", e."city", e."state",
                e."country"
            FROM "asset" a
            JOIN "album_asset" aa ON aa."assetId" = a."id" AND aa."albumId" = $1
            JOIN "asset_exif" e ON e."assetId" = a."id"
                AND e."latitude" IS NOT NULL AND e."longitude" IS NOT NULL
            WHERE a."deletedAt" IS NULL AND a."visibility" <> 'locked'
            ORDER BY a."fileCreatedAt" DESC
            """,
            _uuid(album_id),
        )
    )


async def contributor_counts(db: Conn, album_id: uuid.UUID | str) -> list[Row]:
    """``userId`` and ``assetCount`` per owner of the album's assets not deleted, most first
    (Immich's ``getContributorCounts``)."""
    # raw SQL: a join onto asset grouped by its owner (piccolo joins only along declared keys)
    return list(
        await db.fetch(
            """
            SELECT a."ownerId" AS "userId", count(*) AS "assetCount"
            FROM "album_asset" aa JOIN "asset" a ON a."id" = aa."assetId"
            WHERE aa."albumId" = $1 AND a."deletedAt" IS NULL
            GROUP BY a."ownerId" ORDER BY "assetCount" DESC, a."ownerId"
            """,
            _uuid(album_id),
        )
    )


async def set_update_pending(
    db: Conn,
    album_id: uuid.UUID | str,
    recipient_ids: Iterable[uuid.UUID | str],
    due_at: Any,
) -> dict[uuid.UUID, uuid.UUID]:
    """A fresh token per recipient for the album's delayed "Shared Album Update" (replacing a
    pending one: the debounce), due at ``due_at``; recipient id -> token. Nothing for an
    album deleted meanwhile."""
    # raw SQL: an upsert of many rows from one array argument (unnest), tokens made here
    rows = await db.fetch(
        """
        INSERT INTO "album_update_pending" ("albumId", "recipientId", "token", "dueAt")
        SELECT al."id", r."id", gen_random_uuid(), $3
        FROM "album" al, unnest($2::uuid[]) AS r("id")
        WHERE al."id" = $1 AND EXISTS (SELECT 1 FROM "user" u WHERE u."id" = r."id")
        ON CONFLICT ("albumId", "recipientId")
        DO UPDATE SET "token" = EXCLUDED."token", "dueAt" = EXCLUDED."dueAt"
        RETURNING "recipientId", "token"
        """,
        _uuid(album_id),
        _uuids(recipient_ids),
        due_at,
    )
    return {r["recipientId"]: r["token"] for r in rows}


async def take_update_pending(
    db: Conn, album_id: uuid.UUID | str, recipient_id: uuid.UUID | str, token: uuid.UUID | str
) -> bool:
    """Remove the pending "Shared Album Update" if ``token`` is still its newest; whether it
    was (False: a later addition superseded it, or it was sent)."""
    query = (
        AlbumUpdatePending.delete()
        .where(
            (AlbumUpdatePending.album_id == _uuid(album_id))
            & (AlbumUpdatePending.recipient_id == _uuid(recipient_id))
            & (AlbumUpdatePending.token == _uuid(token))
        )
        .returning(AlbumUpdatePending.token)
    )
    return bool(await q.fetch(db, query))
