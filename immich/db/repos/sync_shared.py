"""SQL of the sync stream for what others share with the caller: partners' libraries and albums
(see ``sync`` for the conventions).

Immich 3.1 keeps an album's owner as an ``album_user`` row (role ``owner``); ours is
``album.ownerId``, so "the caller's albums" are those they own or are a member of, and the
owner's membership is answered from the album (its ``createId`` is that row's change id).
"""

from __future__ import annotations

import uuid

from immich.db.repos import Conn
from immich.db.repos._query import Compiled
from immich.db.repos.sync import EXIF, STACK, Sql, Window, asset_columns, at, ordered


def _my_albums(s: Sql, user_id: uuid.UUID) -> str:
    u = s.p(user_id)
    return (
        f'(SELECT "id" FROM "album" WHERE "ownerId" = {u} '
        f'UNION ALL SELECT "albumId" FROM "album_user" WHERE "userId" = {u})'
    )


def _partners_of(s: Sql, user_id: uuid.UUID) -> str:
    """The users who share their library with ``user_id``."""
    return f'(SELECT "sharedById" FROM "partner" WHERE "sharedWithId" = {s.p(user_id)})'


# --- partners ----------------------------------------------------------------------------------


async def partners_created_after(
    db: Conn, user_id: uuid.UUID, now_id: uuid.UUID, after: uuid.UUID | None
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """``(sharedById, createId)`` of the partnerships shared with the user, from ``after``
    (inclusive) below ``now_id``, oldest first (Immich's getCreatedAfter)."""
    s = Sql()
    where = f'"sharedWithId" = {s.p(user_id)} AND "createId" < {s.p(now_id)}'
    if after is not None:
        where += f' AND "createId" >= {s.p(after)}'
    text = f'SELECT "sharedById", "createId" FROM "partner" WHERE {where} ORDER BY "createId"'
    return [(r[0], r[1]) for r in await db.fetch(text, *s.args)]


def partner_deletes(w: Window) -> Compiled:
    s = Sql()
    u = s.p(w.user_id)
    where = f'(x."sharedById" = {u} OR x."sharedWithId" = {u})'
    data = 'x."sharedById", x."sharedWithId"'
    return ordered(s, data, '"partner_audit" x', where, 'x."id"', w)


def partner_upserts(w: Window) -> Compiled:
    s = Sql()
    u = s.p(w.user_id)
    where = f'(p."sharedById" = {u} OR p."sharedWithId" = {u})'
    data = 'p."sharedById", p."sharedWithId", p."inTimeline"'
    return ordered(s, data, '"partner" p', where, 'p."updateId"', w)


PARTNER_ASSET = asset_columns("false")


def partner_asset_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."ownerId" IN {_partners_of(s, w.user_id)}'
    return ordered(s, 'x."assetId"', '"asset_audit" x', where, 'x."id"', w)


def partner_asset_backfill(w: Window, partner_id: uuid.UUID) -> Compiled:
    s = Sql()
    where = f'a."ownerId" = {s.p(partner_id)}'
    data = PARTNER_ASSET
    return ordered(s, data, '"asset" a', where, 'a."updateId"', w)


def partner_asset_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'a."ownerId" IN {_partners_of(s, w.user_id)}'
    data = PARTNER_ASSET
    return ordered(s, data, '"asset" a', where, 'a."updateId"', w)


def partner_exif_backfill(w: Window, partner_id: uuid.UUID) -> Compiled:
    s = Sql()
    source = '"asset_exif" e JOIN "asset" a ON a."id" = e."assetId"'
    where = f'a."ownerId" = {s.p(partner_id)}'
    return ordered(s, f"{EXIF}", source, where, 'e."updateId"', w)


def partner_exif_upserts(w: Window) -> Compiled:
    s = Sql()
    owners = _partners_of(s, w.user_id)
    where = f'e."assetId" IN (SELECT "id" FROM "asset" WHERE "ownerId" IN {owners})'
    return ordered(s, f"{EXIF}", '"asset_exif" e', where, 'e."updateId"', w)


def partner_stack_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."userId" IN {_partners_of(s, w.user_id)}'
    return ordered(s, 'x."stackId"', '"stack_audit" x', where, 'x."id"', w)


def partner_stack_backfill(w: Window, partner_id: uuid.UUID) -> Compiled:
    s = Sql()
    where = f'st."ownerId" = {s.p(partner_id)}'
    return ordered(s, f"{STACK}", '"stack" st', where, 'st."updateId"', w)


def partner_stack_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'st."ownerId" IN {_partners_of(s, w.user_id)}'
    return ordered(s, f"{STACK}", '"stack" st', where, 'st."updateId"', w)


# --- albums ------------------------------------------------------------------------------------


async def albums_created_after(
    db: Conn, user_id: uuid.UUID, now_id: uuid.UUID, after: uuid.UUID | None
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """``(albumId, createId)`` of the albums the user got (made, or was added to), from
    ``after`` (inclusive) below ``now_id``, oldest first (Immich's getCreatedAfter)."""
    s = Sql()
    u = s.p(user_id)
    where = f'"createId" < {s.p(now_id)}'
    if after is not None:
        where += f' AND "createId" >= {s.p(after)}'
    text = (
        f'SELECT * FROM (SELECT "id", "createId" FROM "album" WHERE "ownerId" = {u} UNION ALL '
        f'SELECT "albumId", "createId" FROM "album_user" WHERE "userId" = {u}) t '
        f'WHERE {where} ORDER BY "createId"'
    )
    return [(r[0], r[1]) for r in await db.fetch(text, *s.args)]


ALBUM = ", ".join(
    (
        'al."id", al."albumName" AS "name", al."description"',
        at('al."createdAt"', "createdAt"),
        at('al."updatedAt"', "updatedAt"),
        'al."albumThumbnailAssetId" AS "thumbnailAssetId", al."isActivityEnabled", al."order"',
    )
)
ALBUM_USER = 'm."albumId", m."userId", m."role"'


def album_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."userId" = {s.p(w.user_id)}'
    return ordered(s, 'x."albumId"', '"album_audit" x', where, 'x."id"', w)


def album_upserts(w: Window, *, with_owner: bool = False) -> Compiled:
    """AlbumV2's columns (AlbumV1's with ``with_owner``)."""
    s = Sql()
    owner = ', al."ownerId"' if with_owner else ""
    where = f'al."id" IN {_my_albums(s, w.user_id)}'
    data = f"{ALBUM}{owner}"
    return ordered(s, data, '"album" al', where, 'al."updateId"', w)


def _album_users(album_filter: str) -> str:
    """Every membership of the albums ``album_filter`` picks, the owner's included."""
    return (
        '(SELECT au."updateId" AS "_id", au."albumId", au."userId", au."role" '
        f'FROM "album_user" au WHERE au."albumId" IN {album_filter} UNION ALL '
        """SELECT al."createId", al."id", al."ownerId", 'owner' """
        f'FROM "album" al WHERE al."id" IN {album_filter}) m'
    )


def album_user_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."albumId" IN {_my_albums(s, w.user_id)}'
    data = 'x."userId", x."albumId"'
    return ordered(s, data, '"album_user_audit" x', where, 'x."id"', w)


def album_user_backfill(w: Window, album_id: uuid.UUID) -> Compiled:
    s = Sql()
    source = _album_users(f"({s.p(album_id)})")
    return ordered(s, ALBUM_USER, source, "TRUE", 'm."_id"', w)


def album_user_upserts(w: Window) -> Compiled:
    s = Sql()
    source = _album_users(_my_albums(s, w.user_id))
    return ordered(s, ALBUM_USER, source, "TRUE", 'm."_id"', w)


def _album_asset(user_id: uuid.UUID, s: Sql) -> str:
    """SyncAssetV2's columns for an album's asset: isFavorite only on the caller's own."""
    return asset_columns(f'(a."ownerId" = {s.p(user_id)} AND a."isFavorite")')


def album_asset_backfill(w: Window, album_id: uuid.UUID) -> Compiled:
    s = Sql()
    data = _album_asset(w.user_id, s)
    source = '"album_asset" aa JOIN "asset" a ON a."id" = aa."assetId"'
    where = f'aa."albumId" = {s.p(album_id)}'
    return ordered(s, data, source, where, 'aa."updateId"', w)


def album_asset_updates(w: Window, create_ack: uuid.UUID) -> Compiled:
    """Changed assets of the caller's albums that the client already has (added to the album
    at or before its AlbumAssetCreateV2 checkpoint)."""
    s = Sql()
    data = _album_asset(w.user_id, s)
    source = '"asset" a JOIN "album_asset" aa ON aa."assetId" = a."id"'
    where = f'aa."updateId" <= {s.p(create_ack)} AND aa."albumId" IN {_my_albums(s, w.user_id)}'
    return ordered(s, data, source, where, 'a."updateId"', w)


def album_asset_creates(w: Window) -> Compiled:
    s = Sql()
    data = _album_asset(w.user_id, s)
    source = '"album_asset" aa JOIN "asset" a ON a."id" = aa."assetId"'
    where = f'aa."albumId" IN {_my_albums(s, w.user_id)}'
    return ordered(s, data, source, where, 'aa."updateId"', w)


def album_exif_backfill(w: Window, album_id: uuid.UUID) -> Compiled:
    s = Sql()
    source = '"album_asset" aa JOIN "asset_exif" e ON e."assetId" = aa."assetId"'
    where = f'aa."albumId" = {s.p(album_id)}'
    return ordered(s, f"{EXIF}", source, where, 'aa."updateId"', w)


def album_exif_updates(w: Window, create_ack: uuid.UUID) -> Compiled:
    s = Sql()
    source = '"asset_exif" e JOIN "album_asset" aa ON aa."assetId" = e."assetId"'
    where = f'aa."updateId" <= {s.p(create_ack)} AND aa."albumId" IN {_my_albums(s, w.user_id)}'
    return ordered(s, f"{EXIF}", source, where, 'e."updateId"', w)


def album_exif_creates(w: Window) -> Compiled:
    s = Sql()
    source = '"album_asset" aa JOIN "asset_exif" e ON e."assetId" = aa."assetId"'
    where = f'aa."albumId" IN {_my_albums(s, w.user_id)}'
    return ordered(s, f"{EXIF}", source, where, 'aa."updateId"', w)


def album_to_asset_deletes(w: Window) -> Compiled:
    s = Sql()
    where = f'x."albumId" IN {_my_albums(s, w.user_id)}'
    data = 'x."assetId", x."albumId"'
    return ordered(s, data, '"album_asset_audit" x', where, 'x."id"', w)


def album_to_asset_backfill(w: Window, album_id: uuid.UUID) -> Compiled:
    s = Sql()
    where = f'aa."albumId" = {s.p(album_id)}'
    data = 'aa."assetId", aa."albumId"'
    return ordered(s, data, '"album_asset" aa', where, 'aa."updateId"', w)


def album_to_asset_upserts(w: Window) -> Compiled:
    s = Sql()
    where = f'aa."albumId" IN {_my_albums(s, w.user_id)}'
    data = 'aa."assetId", aa."albumId"'
    return ordered(s, data, '"album_asset" aa', where, 'aa."updateId"', w)
