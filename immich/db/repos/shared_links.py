"""SQL of ``shared_link`` and ``shared_link_asset`` (Immich's SharedLinkRepository).

A link is *live* when it is INDIVIDUAL or its album still exists (not deleted): Immich hides the
others everywhere (an album in the trash takes its links with it). Expiry is the auth layer's
rule, not a filter here: the owner still lists and edits an expired link.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import SharedLink, SharedLinkAsset

# Immich's SharedLinkType values.
ALBUM = "ALBUM"
INDIVIDUAL = "INDIVIDUAL"

# raw SQL: the album-liveness join (piccolo has no LEFT JOIN ... ON with a condition)
_SELECT = """
SELECT sl.* FROM "shared_link" sl
LEFT JOIN "album" al ON al."id" = sl."albumId" AND al."deletedAt" IS NULL
WHERE (sl."type" = 'INDIVIDUAL' OR al."id" IS NOT NULL)
"""


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def get(db: Conn, user_id: uuid.UUID | str, link_id: uuid.UUID | str) -> Row | None:
    """The user's live link of this id."""
    return await db.fetchrow(
        _SELECT + ' AND sl."id" = $1 AND sl."userId" = $2', _uuid(link_id), _uuid(user_id)
    )


async def list_for_user(
    db: Conn,
    user_id: uuid.UUID | str,
    *,
    link_id: str | None = None,
    album_id: str | None = None,
) -> list[Row]:
    """The user's live links, newest first, optionally one id or one album's."""
    return list(
        await db.fetch(
            _SELECT + ' AND sl."userId" = $1 AND ($2::uuid IS NULL OR sl."id" = $2) '
            'AND ($3::uuid IS NULL OR sl."albumId" = $3) ORDER BY sl."createdAt" DESC',
            _uuid(user_id),
            _uuid(link_id) if link_id else None,
            _uuid(album_id) if album_id else None,
        )
    )


async def get_by_key(db: Conn, key: bytes) -> Row | None:
    """The live link of this key (whatever its expiry)."""
    return await db.fetchrow(_SELECT + ' AND sl."key" = $1', key)


async def get_by_slug(db: Conn, slug: str) -> Row | None:
    """The live link of this slug (whatever its expiry)."""
    return await db.fetchrow(_SELECT + ' AND sl."slug" = $1', slug)


async def create(db: Conn, values: Mapping[str, Any]) -> Row:
    """A new link from Immich's column names; its assets are added apart (``add_assets``)."""
    query = SharedLink.insert(q.new_row(SharedLink, values)).returning(*SharedLink.all_columns())
    row = await q.fetchrow(db, query)
    assert row is not None
    return row


async def update(db: Conn, link_id: uuid.UUID | str, changes: Mapping[str, Any]) -> Row:
    """Set these columns (Immich's names) of the link; the updated row."""
    query = (
        SharedLink.update(q.by_column_name(SharedLink, changes))
        .where(SharedLink.id == _uuid(link_id))
        .returning(*SharedLink.all_columns())
    )
    row = await q.fetchrow(db, query)
    assert row is not None
    return row


async def delete(db: Conn, link_id: uuid.UUID | str) -> None:
    await q.execute(db, SharedLink.delete().where(SharedLink.id == _uuid(link_id)))


async def asset_ids(db: Conn, link_id: uuid.UUID | str) -> list[uuid.UUID]:
    """An individual link's assets (not in the trash), oldest first as Immich lists them."""
    rows = await db.fetch(
        'SELECT a."id" FROM "shared_link_asset" sla JOIN "asset" a ON a."id" = sla."assetId" '
        'WHERE sla."sharedLinkId" = $1 AND a."deletedAt" IS NULL ORDER BY a."fileCreatedAt"',
        _uuid(link_id),
    )
    return [r["id"] for r in rows]


async def all_asset_ids(db: Conn, link_id: uuid.UUID | str) -> set[uuid.UUID]:
    """Every asset row of the link, trashed ones too (the ``duplicate`` check of addAssets)."""
    query = SharedLinkAsset.select(SharedLinkAsset.asset_id).where(
        SharedLinkAsset.shared_link_id == _uuid(link_id)
    )
    return {r["assetId"] for r in await q.fetch(db, query)}


async def add_assets(
    db: Conn, link_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Add assets to the link; those that were not there yet."""
    ids = list(dict.fromkeys(_uuid(a) for a in asset_ids))
    if not ids:
        return set()
    # raw SQL: INSERT ... SELECT unnest ... ON CONFLICT DO NOTHING RETURNING (one statement)
    rows = await db.fetch(
        'INSERT INTO "shared_link_asset" ("assetId", "sharedLinkId") '
        'SELECT unnest($2::uuid[]), $1 ON CONFLICT DO NOTHING RETURNING "assetId"',
        _uuid(link_id),
        ids,
    )
    return {r["assetId"] for r in rows}


async def remove_assets(
    db: Conn, link_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Remove assets from the link; those that were there."""
    ids = [_uuid(a) for a in asset_ids]
    if not ids:
        return set()
    query = (
        SharedLinkAsset.delete()
        .where(
            (SharedLinkAsset.shared_link_id == _uuid(link_id))
            & (SharedLinkAsset.asset_id == q.any_of(ids, "uuid"))
        )
        .returning(SharedLinkAsset.asset_id)
    )
    return {r["assetId"] for r in await q.fetch(db, query)}


async def album_asset_count(db: Conn, album_id: uuid.UUID | str) -> int:
    """Assets of an album not in the trash (the share page's "N shared photos & videos")."""
    value = await db.fetchval(
        'SELECT count(*) FROM "album_asset" aa JOIN "asset" a ON a."id" = aa."assetId" '
        'WHERE aa."albumId" = $1 AND a."deletedAt" IS NULL',
        _uuid(album_id),
    )
    return int(value or 0)
