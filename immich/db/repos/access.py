"""Access SQL (Immich's AccessRepository, asset and tag parts): which ids a user may use.

Three ways in, as Immich grants them:
- owner: the caller owns the asset; a ``locked`` one only from an elevated session (PIN
  unlocked) and never for ``asset.share``;
- album: the asset (or the still photo it is the live video of) is in an album the caller owns
  or is a member of, and is neither trashed nor locked: read-like permissions only;
- partner: the asset's owner shares their library with the caller (``partner``, both users
  live) and the asset is neither trashed, archived nor locked (``timeline`` or ``hidden``,
  Immich's checkPartnerAccess): read-like permissions and ``asset.share``.

Partners also pass ``timeline.read`` on the sharer and ``partner.update`` on the partnership
(``partner_*`` functions below).

Tags pass for their owner only, whatever the ``tag.*`` permission.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from immich.db.repos import Conn

# Permissions passed by the owner (locked assets only with elevation) or an album member.
READ_PERMISSIONS = frozenset({"asset.read", "asset.view", "asset.download"})
# Permissions passed by the owner only (locked assets only with elevation).
OWNER_PERMISSIONS = frozenset(
    {"asset.update", "asset.delete", "asset.copy", "asset.edit", "asset.derive"}
)
# Permissions passed by the owner only, never for a locked asset.
SHARE_PERMISSIONS = frozenset({"asset.share"})


def _uuids(ids: Iterable[uuid.UUID | str]) -> list[uuid.UUID]:
    return [i if isinstance(i, uuid.UUID) else uuid.UUID(str(i)) for i in ids]


async def _owned(
    db: Conn, user_id: uuid.UUID, ids: list[uuid.UUID], *, elevated: bool
) -> set[uuid.UUID]:
    rows = await db.fetch(
        'SELECT "id" FROM "asset" WHERE "id" = ANY($1::uuid[]) AND "ownerId" = $2 '
        "AND ($3 OR \"visibility\" <> 'locked')",
        ids,
        user_id,
        elevated,
    )
    return {r["id"] for r in rows}


async def _in_albums(db: Conn, user_id: uuid.UUID, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    rows = await db.fetch(
        """
        SELECT a."id" FROM "asset" a
        WHERE a."id" = ANY($1::uuid[]) AND a."deletedAt" IS NULL AND a."visibility" <> 'locked'
          AND EXISTS (
            SELECT 1 FROM "album_asset" aa
            JOIN "album" al ON al."id" = aa."albumId" AND al."deletedAt" IS NULL
            WHERE (aa."assetId" = a."id" OR aa."assetId" IN (
                      SELECT p."id" FROM "asset" p
                      WHERE p."livePhotoVideoId" = a."id" AND p."deletedAt" IS NULL))
              AND (al."ownerId" = $2 OR EXISTS (
                      SELECT 1 FROM "album_user" au
                      WHERE au."albumId" = al."id" AND au."userId" = $2)))
        """,
        ids,
        user_id,
    )
    return {r["id"] for r in rows}


async def asset_ids_for(
    db: Conn,
    user_id: uuid.UUID | str,
    ids: Iterable[uuid.UUID | str],
    permission: str,
    elevated: bool,
) -> set[uuid.UUID]:
    """Those of ``ids`` the user holds ``permission`` on; an unknown permission grants none."""
    wanted = list(dict.fromkeys(_uuids(ids)))
    if not wanted:
        return set()
    user = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id))
    if permission in SHARE_PERMISSIONS:
        owned = await _owned(db, user, wanted, elevated=False)
        return owned | await partner_asset_ids(db, user, [i for i in wanted if i not in owned])
    if permission in OWNER_PERMISSIONS:
        return await _owned(db, user, wanted, elevated=elevated)
    if permission in READ_PERMISSIONS:
        owned = await _owned(db, user, wanted, elevated=elevated)
        rest = [i for i in wanted if i not in owned]
        found = owned | (await _in_albums(db, user, rest) if rest else set())
        return found | await partner_asset_ids(db, user, [i for i in wanted if i not in found])
    return set()


# --- partners (Immich's checkPartnerAccess of assets and timelines, PartnerAccess) ------------

# The partnerships that share with $1, their sharer not soft-deleted.
_SHARING_WITH = """
    FROM "partner" p JOIN "user" u ON u."id" = p."sharedById" AND u."deletedAt" IS NULL
    WHERE p."sharedWithId" = $1
"""


async def partner_asset_ids(db: Conn, user_id: uuid.UUID, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``ids`` owned by a user who shares with ``user_id``, neither trashed nor
    archived nor locked (the sharer's ``timeline`` and ``hidden`` assets)."""
    if not ids:
        return set()
    rows = await db.fetch(
        'SELECT a."id" FROM "asset" a WHERE a."id" = ANY($2::uuid[]) AND a."deletedAt" IS NULL '
        "AND a.\"visibility\" IN ('timeline', 'hidden') "
        f'AND a."ownerId" IN (SELECT p."sharedById" {_SHARING_WITH})',
        user_id,
        ids,
    )
    return {r["id"] for r in rows}


async def partner_sharer_ids(
    db: Conn, user_id: uuid.UUID | str, ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Those of the user ids ``ids`` who share with ``user_id`` (``timeline.read`` of a
    partner's timeline, ``partner.update`` of the partnership they started)."""
    wanted = list(dict.fromkeys(_uuids(ids)))
    if not wanted:
        return set()
    rows = await db.fetch(
        f'SELECT p."sharedById" {_SHARING_WITH} AND p."sharedById" = ANY($2::uuid[])',
        user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id)),
        wanted,
    )
    return {r["sharedById"] for r in rows}


# Tag permissions: a tag is its owner's alone (Immich's TagAccess.checkOwnerAccess).
TAG_PERMISSIONS = frozenset({"tag.read", "tag.update", "tag.delete", "tag.asset"})


async def tag_ids_for(
    db: Conn, user_id: uuid.UUID | str, ids: Iterable[uuid.UUID | str], permission: str
) -> set[uuid.UUID]:
    """Those of ``ids`` that are tags of the user; an unknown permission grants none."""
    wanted = list(dict.fromkeys(_uuids(ids)))
    if not wanted or permission not in TAG_PERMISSIONS:
        return set()
    rows = await db.fetch(
        'SELECT "id" FROM "tag" WHERE "id" = ANY($1::uuid[]) AND "userId" = $2',
        wanted,
        user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id)),
    )
    return {r["id"] for r in rows}


# Memory permissions: a memory is its owner's alone, and a trashed one is out of reach
# (Immich's MemoryAccess.checkOwnerAccess).
MEMORY_PERMISSIONS = frozenset({"memory.read", "memory.update", "memory.delete"})


async def memory_ids_for(
    db: Conn, user_id: uuid.UUID | str, ids: Iterable[uuid.UUID | str], permission: str
) -> set[uuid.UUID]:
    """Those of ``ids`` that are the user's memories, not trashed; an unknown permission
    grants none."""
    wanted = list(dict.fromkeys(_uuids(ids)))
    if not wanted or permission not in MEMORY_PERMISSIONS:
        return set()
    rows = await db.fetch(
        'SELECT "id" FROM "memory" WHERE "id" = ANY($1::uuid[]) AND "ownerId" = $2 '
        'AND "deletedAt" IS NULL',
        wanted,
        _uuids([user_id])[0],
    )
    return {r["id"] for r in rows}


# Album permissions (Immich's checkOtherAccess): the owner always; a member with one of the
# roles listed (an editor also passes where a viewer does); ``album.delete`` the owner only.
ALBUM_MEMBER_ROLES: dict[str, tuple[str, ...]] = {
    "album.read": ("editor", "viewer"),
    "album.download": ("editor", "viewer"),
    "album.update": ("editor",),
    "album.share": ("editor",),
    "albumAsset.create": ("editor",),
    "albumAsset.delete": ("editor",),
    "album.delete": (),
}


async def album_ids_for(
    db: Conn, user_id: uuid.UUID | str, ids: Iterable[uuid.UUID | str], permission: str
) -> set[uuid.UUID]:
    """Those of ``ids`` (live albums) the user holds ``permission`` on; an unknown permission
    grants none. A member counts only while their user is not deleted."""
    wanted = list(dict.fromkeys(_uuids(ids)))
    if not wanted or permission not in ALBUM_MEMBER_ROLES:
        return set()
    rows = await db.fetch(
        """
        SELECT al."id" FROM "album" al
        WHERE al."id" = ANY($1::uuid[]) AND al."deletedAt" IS NULL
          AND (al."ownerId" = $2 OR EXISTS (
                SELECT 1 FROM "album_user" au JOIN "user" u ON u."id" = au."userId"
                WHERE au."albumId" = al."id" AND au."userId" = $2 AND u."deletedAt" IS NULL
                  AND au."role" = ANY($3::varchar[])))
        """,
        wanted,
        user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id)),
        list(ALBUM_MEMBER_ROLES[permission]),
    )
    return {r["id"] for r in rows}


async def activity_create_album_ids(
    db: Conn, user_id: uuid.UUID | str, album_ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Albums the user may comment on or like (Immich's checkCreateAccess): owner or member
    (any role), and the album's activity enabled."""
    wanted = list(dict.fromkeys(_uuids(album_ids)))
    if not wanted:
        return set()
    rows = await db.fetch(
        """
        SELECT al."id" FROM "album" al
        WHERE al."id" = ANY($1::uuid[]) AND al."deletedAt" IS NULL AND al."isActivityEnabled"
          AND (al."ownerId" = $2 OR EXISTS (
                SELECT 1 FROM "album_user" au
                WHERE au."albumId" = al."id" AND au."userId" = $2))
        """,
        wanted,
        user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id)),
    )
    return {r["id"] for r in rows}


async def activity_delete_ids(
    db: Conn, user_id: uuid.UUID | str, ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Activities the user may delete: their own, or any in an album they own."""
    wanted = list(dict.fromkeys(_uuids(ids)))
    if not wanted:
        return set()
    rows = await db.fetch(
        """
        SELECT ac."id" FROM "activity" ac JOIN "album" al ON al."id" = ac."albumId"
        WHERE ac."id" = ANY($1::uuid[])
          AND (ac."userId" = $2 OR (al."ownerId" = $2 AND al."deletedAt" IS NULL))
        """,
        wanted,
        user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id)),
    )
    return {r["id"] for r in rows}


# Shared links (Immich's AssetAccess/AlbumAccess.checkSharedLinkAccess): a link reaches its own
# assets (an individual link's, or its album's while the album lives), and the live videos of
# those, never a trashed one; beyond Immich, never a locked one either.
async def shared_link_asset_ids(
    db: Conn, link_id: uuid.UUID, ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Those of ``ids`` the link reaches."""
    wanted = list(dict.fromkeys(_uuids(ids)))
    if not wanted:
        return set()
    rows = await db.fetch(
        """
        SELECT a."id" FROM "asset" a
        WHERE a."id" = ANY($2::uuid[]) AND a."deletedAt" IS NULL AND a."visibility" <> 'locked'
          AND EXISTS (
            SELECT 1 FROM "asset" s
            WHERE (s."id" = a."id" OR s."livePhotoVideoId" = a."id") AND s."deletedAt" IS NULL
              AND (EXISTS (
                     SELECT 1 FROM "shared_link_asset" sla
                     WHERE sla."sharedLinkId" = $1 AND sla."assetId" = s."id")
                   OR EXISTS (
                     SELECT 1 FROM "shared_link" sl
                     JOIN "album" al ON al."id" = sl."albumId" AND al."deletedAt" IS NULL
                     JOIN "album_asset" aa ON aa."albumId" = al."id"
                     WHERE sl."id" = $1 AND aa."assetId" = s."id")))
        """,
        link_id,
        wanted,
    )
    return {r["id"] for r in rows}


async def shared_link_album_ids(
    db: Conn, link_id: uuid.UUID, ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Those of ``ids`` that are the link's album (while it lives)."""
    wanted = list(dict.fromkeys(_uuids(ids)))
    if not wanted:
        return set()
    rows = await db.fetch(
        'SELECT al."id" FROM "shared_link" sl JOIN "album" al ON al."id" = sl."albumId" '
        'AND al."deletedAt" IS NULL WHERE sl."id" = $1 AND al."id" = ANY($2::uuid[])',
        link_id,
        wanted,
    )
    return {r["id"] for r in rows}
