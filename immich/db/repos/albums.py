"""SQL for ``album``, ``album_asset`` and ``album_user``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from immich.db.repos import Conn, Row


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _uuids(values: Iterable[uuid.UUID | str]) -> list[uuid.UUID]:
    return [_uuid(v) for v in values]


# An album with Immich's aggregates over its visible, not deleted assets.
_SELECT = """
    SELECT al.*, COALESCE(m."assetCount", 0) AS "assetCount", m."startDate", m."endDate",
        m."lastModifiedAssetTimestamp"
    FROM "album" al
    LEFT JOIN LATERAL (
        SELECT count(a."id") AS "assetCount", min(a."localDateTime") AS "startDate",
            max(a."localDateTime") AS "endDate", max(a."updatedAt") AS "lastModifiedAssetTimestamp"
        FROM "album_asset" aa JOIN "asset" a ON a."id" = aa."assetId"
        WHERE aa."albumId" = al."id" AND a."deletedAt" IS NULL
          AND a."visibility" IN ('archive', 'timeline')
    ) m ON true
"""
_MEMBER = """EXISTS (SELECT 1 FROM "album_user" au
                      WHERE au."albumId" = al."id" AND au."userId" = $1)"""
_HAS_USERS = 'EXISTS (SELECT 1 FROM "album_user" au WHERE au."albumId" = al."id")'


async def create(
    db: Conn,
    owner_id: uuid.UUID | str,
    name: str,
    description: str,
    order: str,
    thumbnail_id: uuid.UUID | str | None,
) -> Row:
    row = await db.fetchrow(
        'INSERT INTO "album" ("ownerId", "albumName", "description", "order", '
        '"albumThumbnailAssetId") VALUES ($1, $2, $3, $4, $5) RETURNING "id"',
        _uuid(owner_id),
        name,
        description,
        order,
        _uuid(thumbnail_id) if thumbnail_id else None,
    )
    assert row is not None
    return row  # type: ignore[no-any-return]


async def get(db: Conn, album_id: uuid.UUID | str) -> Row | None:
    return await db.fetchrow(
        _SELECT + ' WHERE al."id" = $1 AND al."deletedAt" IS NULL', _uuid(album_id)
    )


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
    where = ['al."deletedAt" IS NULL', f'(al."ownerId" = $1 OR {_MEMBER})']
    args: list[Any] = [_uuid(user_id)]
    if asset_id is not None:
        args.append(_uuid(asset_id))
        where.append(
            f'EXISTS (SELECT 1 FROM "album_asset" x WHERE x."albumId" = al."id" '
            f'AND x."assetId" = ${len(args)})'
        )
    else:
        if is_owned is True:
            where.append('al."ownerId" = $1')
        elif is_owned is False:
            where.append('al."ownerId" <> $1')
        if is_shared is True:
            where.append(_HAS_USERS)
        elif is_shared is False:
            where.append(f"NOT {_HAS_USERS}")
        if album_id is not None:
            args.append(_uuid(album_id))
            where.append(f'al."id" = ${len(args)}')
        if name is not None:
            args.append(name)
            where.append(f'al."albumName" = ${len(args)}')
    sql = _SELECT + " WHERE " + " AND ".join(where) + ' ORDER BY al."createdAt" DESC'
    return list(await db.fetch(sql, *args))


async def members(db: Conn, album_ids: Iterable[uuid.UUID | str]) -> list[Row]:
    """User rows with ``albumId`` and ``role`` (``owner`` for the album's owner)."""
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
        await db.execute(
            'INSERT INTO "album_user" ("albumId", "userId", "role") VALUES ($1, $2, $3) '
            'ON CONFLICT ("albumId", "userId") DO UPDATE SET "role" = EXCLUDED."role"',
            _uuid(album_id),
            _uuid(user_id),
            role,
        )


async def ids_with_role(
    db: Conn, user_id: uuid.UUID | str, album_ids: Iterable[uuid.UUID | str], roles: Iterable[str]
) -> set[uuid.UUID]:
    """Of these albums, those the user owns or is a member of with one of ``roles``."""
    rows = await db.fetch(
        'SELECT al."id" FROM "album" al WHERE al."id" = ANY($2::uuid[]) '
        'AND al."deletedAt" IS NULL AND (al."ownerId" = $1 OR EXISTS ('
        'SELECT 1 FROM "album_user" au WHERE au."albumId" = al."id" AND au."userId" = $1 '
        'AND au."role" = ANY($3::varchar[])))',
        _uuid(user_id),
        _uuids(album_ids),
        list(roles),
    )
    return {r["id"] for r in rows}


async def asset_ids_in(
    db: Conn, album_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Which of these assets the album already holds."""
    rows = await db.fetch(
        'SELECT "assetId" FROM "album_asset" WHERE "albumId" = $1 AND "assetId" = ANY($2::uuid[])',
        _uuid(album_id),
        _uuids(asset_ids),
    )
    return {r["assetId"] for r in rows}


async def add_assets(
    db: Conn, album_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> None:
    """Put assets in the album; set its thumbnail when it has none; touch ``updatedAt``."""
    ids = _uuids(asset_ids)
    if not ids:
        return
    await db.execute(
        'INSERT INTO "album_asset" ("albumId", "assetId") SELECT $1, unnest($2::uuid[]) '
        "ON CONFLICT DO NOTHING",
        _uuid(album_id),
        ids,
    )
    await db.execute(
        'UPDATE "album" SET "albumThumbnailAssetId" = COALESCE("albumThumbnailAssetId", $2), '
        '"updatedAt" = now() WHERE "id" = $1',
        _uuid(album_id),
        ids[0],
    )


async def remove_assets_everywhere(db: Conn, asset_ids: Iterable[uuid.UUID | str]) -> None:
    """Take assets out of every album (Immich does this when they become locked)."""
    await db.execute(
        'DELETE FROM "album_asset" WHERE "assetId" = ANY($1::uuid[])', _uuids(asset_ids)
    )
