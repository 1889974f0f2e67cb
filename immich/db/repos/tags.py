"""SQL of ``tag``, ``tag_asset`` and ``tag_closure`` (Immich's TagRepository).

A tag's ``value`` is its whole path (``a/b/c``); every level is a row of its own whose
``parentId`` is the level above. ``tag_closure`` holds each (ancestor, descendant) pair, a tag
with itself included, so "tagged ``a`` or anything under it" is one join (``has_tags``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Tag, TagAsset


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _uuids(values: Iterable[uuid.UUID | str]) -> list[uuid.UUID]:
    return [_uuid(v) for v in values]


async def get(db: Conn, tag_id: uuid.UUID | str) -> Row | None:
    return await q.fetchrow(db, Tag.select().where(Tag.id == _uuid(tag_id)))


async def get_by_value(db: Conn, user_id: uuid.UUID | str, value: str) -> Row | None:
    query = Tag.select().where((Tag.user_id == _uuid(user_id)) & (Tag.value == value))
    return await q.fetchrow(db, query)


async def list_for_user(db: Conn, user_id: uuid.UUID | str) -> list[Row]:
    """The user's tags by value (a parent right before its children)."""
    query = Tag.select().where(Tag.user_id == _uuid(user_id)).order_by(Tag.value)
    return await q.fetch(db, query)


async def _link_ancestors(db: Conn, tag_id: uuid.UUID, parent_id: uuid.UUID | None) -> None:
    """The tag's closure rows: itself, and (with a parent) every ancestor of the parent."""
    # raw SQL: INSERT ... SELECT with ON CONFLICT (no builder words for it)
    await db.execute(
        'INSERT INTO "tag_closure" ("id_ancestor", "id_descendant") VALUES ($1, $1) '
        "ON CONFLICT DO NOTHING",
        tag_id,
    )
    if parent_id is not None:
        await db.execute(
            'INSERT INTO "tag_closure" ("id_ancestor", "id_descendant") '
            'SELECT "id_ancestor", $1 FROM "tag_closure" WHERE "id_descendant" = $2 '
            "ON CONFLICT DO NOTHING",
            tag_id,
            parent_id,
        )


async def create(
    db: Conn,
    user_id: uuid.UUID | str,
    value: str,
    *,
    color: str | None = None,
    parent_id: uuid.UUID | str | None = None,
) -> Row:
    """A new tag (and its closure rows); the (user, value) pair must be free."""
    parent = _uuid(parent_id) if parent_id is not None else None
    values = {"userId": _uuid(user_id), "value": value, "color": color, "parentId": parent}
    row = await q.fetchrow(db, Tag.insert(q.new_row(Tag, values)).returning(*Tag.all_columns()))
    assert row is not None
    await _link_ancestors(db, row["id"], parent)
    return row


async def upsert_value(
    db: Conn, user_id: uuid.UUID | str, value: str, parent_id: uuid.UUID | None
) -> Row:
    """The user's tag of this value, made if missing, its parent set (Immich's upsertValue)."""
    query = (
        Tag.insert(
            q.new_row(Tag, {"userId": _uuid(user_id), "value": value, "parentId": parent_id})
        )
        .on_conflict(
            target=(Tag.user_id, Tag.value), action="DO UPDATE", values=[(Tag.parent_id, parent_id)]
        )
        .returning(*Tag.all_columns())
    )
    row = await q.fetchrow(db, query)
    assert row is not None
    await _link_ancestors(db, row["id"], parent_id)
    return row


async def upsert_paths(db: Conn, user_id: uuid.UUID | str, paths: Iterable[str]) -> list[Row]:
    """Each path's deepest tag, every level above it made too (``a/b`` makes ``a``, then
    ``a/b`` under it), as Immich's ``upsertTags``: empty levels are dropped (``a//b`` is
    ``a/b``), a path of no levels gives nothing, a repeated path is done once.

    Rows are written in value order whatever the asked order, so two transactions upserting
    the same tags (metadata jobs of photos with the same keywords) lock them in the same order
    and one waits for the other instead of deadlocking; the answer keeps the asked order."""
    levels: dict[str, list[str]] = {}
    for path in dict.fromkeys(paths):
        parts = [p for p in path.split("/") if p]
        if parts:
            levels[path] = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    made: dict[str, Row] = {}
    for value in sorted({v for values in levels.values() for v in values}):
        parent_value, _, _ = value.rpartition("/")
        parent = made[parent_value]["id"] if parent_value else None
        made[value] = await upsert_value(db, user_id, value, parent)
    return [made[values[-1]] for values in levels.values()]


async def update_color(db: Conn, tag_id: uuid.UUID | str, color: str | None) -> Row:
    sets: dict[Column | str, Any] = {Tag.color: color}
    query = Tag.update(sets).where(Tag.id == _uuid(tag_id)).returning(*Tag.all_columns())
    row = await q.fetchrow(db, query)
    assert row is not None
    return row


async def delete(db: Conn, tag_id: uuid.UUID | str) -> None:
    """Remove the tag; its descendants and every asset link go with it (cascades)."""
    await q.execute(db, Tag.delete().where(Tag.id == _uuid(tag_id)))


async def delete_empty(db: Conn) -> int:
    """Remove tags that neither they nor any descendant is on an asset (Immich's TagCleanup);
    how many went."""
    unused = WhereRaw(
        'NOT EXISTS (SELECT 1 FROM "tag_closure" c JOIN "tag_asset" ta ON ta."tagId" = '
        'c."id_descendant" WHERE c."id_ancestor" = "tag"."id")'
    )
    return q.affected(await q.execute(db, Tag.delete().where(unused)))


# --- tags on assets ---------------------------------------------------------------------------


async def asset_ids_with(
    db: Conn, tag_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Which of these assets carry the tag."""
    query = TagAsset.select(TagAsset.asset_id).where(
        (TagAsset.tag_id == _uuid(tag_id))
        & (TagAsset.asset_id == q.any_of(_uuids(asset_ids), "uuid"))
    )
    return {r["assetId"] for r in await q.fetch(db, query)}


async def add_assets(db: Conn, tag_id: uuid.UUID | str, asset_ids: Sequence[uuid.UUID]) -> None:
    if not asset_ids:
        return
    # raw SQL: many rows from one array argument (unnest)
    await db.execute(
        'INSERT INTO "tag_asset" ("tagId", "assetId") SELECT $1, unnest($2::uuid[]) '
        "ON CONFLICT DO NOTHING",
        _uuid(tag_id),
        list(asset_ids),
    )


async def remove_assets(db: Conn, tag_id: uuid.UUID | str, asset_ids: Sequence[uuid.UUID]) -> None:
    if not asset_ids:
        return
    query = TagAsset.delete().where(
        (TagAsset.tag_id == _uuid(tag_id)) & (TagAsset.asset_id == q.any_of(asset_ids, "uuid"))
    )
    await q.execute(db, query)


async def add_pairs(
    db: Conn, tag_ids: Sequence[uuid.UUID], asset_ids: Sequence[uuid.UUID]
) -> list[Row]:
    """Every tag on every asset; the (assetId, tagId) pairs that were new."""
    if not tag_ids or not asset_ids:
        return []
    # raw SQL: a cross product of two array arguments, returning only the inserted rows
    return list(
        await db.fetch(
            'INSERT INTO "tag_asset" ("assetId", "tagId") '
            "SELECT a, t FROM unnest($1::uuid[]) a CROSS JOIN unnest($2::uuid[]) t "
            'ON CONFLICT DO NOTHING RETURNING "assetId", "tagId"',
            list(asset_ids),
            list(tag_ids),
        )
    )


async def replace_for_asset(
    db: Conn, asset_id: uuid.UUID | str, tag_ids: Sequence[uuid.UUID]
) -> None:
    """The asset carries exactly these tags (Immich's replaceAssetTags). Run in a transaction."""
    await q.execute(db, TagAsset.delete().where(TagAsset.asset_id == _uuid(asset_id)))
    if tag_ids:
        await db.execute(
            'INSERT INTO "tag_asset" ("assetId", "tagId") SELECT $1, unnest($2::uuid[]) '
            "ON CONFLICT DO NOTHING",
            _uuid(asset_id),
            list(tag_ids),
        )


async def of_asset(db: Conn, asset_id: uuid.UUID | str) -> list[Row]:
    """The tags on an asset, by value (``AssetResponseDto.tags``)."""
    query = (
        Tag.select()
        .where(
            Tag.id.is_in(
                TagAsset.select(TagAsset.tag_id).where(TagAsset.asset_id == _uuid(asset_id))
            )
        )
        .order_by(Tag.value)
    )
    return await q.fetch(db, query)


async def sync_exif_tags(db: Conn, asset_ids: Iterable[uuid.UUID | str]) -> None:
    """Write each asset's tag values into ``asset_exif.tags`` and lock the column, so a
    metadata refresh keeps the owner's tags (Immich's ``updateTags``; an asset without an EXIF
    row gets one)."""
    ids = list(dict.fromkeys(_uuids(asset_ids)))
    if not ids:
        return
    # raw SQL: an upsert of many rows whose values are sub-selects, merging an array
    await db.execute(
        """
        INSERT INTO "asset_exif" ("assetId", "tags", "lockedProperties")
        SELECT a.id, ARRAY(SELECT t."value" FROM "tag_asset" ta JOIN "tag" t ON t."id" = ta."tagId"
                           WHERE ta."assetId" = a.id ORDER BY t."value")::varchar[],
               '{tags}'::varchar[]
        FROM unnest($1::uuid[]) AS a(id)
        WHERE EXISTS (SELECT 1 FROM "asset" x WHERE x."id" = a.id)
        ON CONFLICT ("assetId") DO UPDATE SET "tags" = EXCLUDED."tags",
            "lockedProperties" = (SELECT array_agg(DISTINCT p) FROM
                                  unnest("asset_exif"."lockedProperties" || '{tags}'::varchar[]) p)
        """,
        ids,
    )


async def exif_tags(db: Conn, asset_id: uuid.UUID | str) -> list[str]:
    """The asset's ``asset_exif.tags`` (the file's keywords, or the owner's locked tags)."""
    values = await db.fetchval(
        'SELECT "tags" FROM "asset_exif" WHERE "assetId" = $1', _uuid(asset_id)
    )
    return list(values or [])


# --- search -----------------------------------------------------------------------------------


def has_tags(tag_ids: Sequence[uuid.UUID | str], asset_id: str = '"asset"."id"') -> WhereRaw:
    """Where-condition: the asset carries every one of ``tag_ids``, each directly or through a
    descendant tag (Immich's ``hasTags``). ``asset_id`` is the SQL of the asset id column.
    Combine with ``&``: ``Asset.owner_id == me & has_tags(ids)``; an empty list matches all."""
    ids = list(dict.fromkeys(_uuids(tag_ids)))
    if not ids:
        return WhereRaw("true")
    return WhereRaw(
        f'{asset_id} IN (SELECT ta."assetId" FROM "tag_asset" ta '
        'JOIN "tag_closure" c ON c."id_descendant" = ta."tagId" '
        'WHERE c."id_ancestor" = ANY({}::uuid[]) GROUP BY ta."assetId" '
        'HAVING count(DISTINCT c."id_ancestor") >= {})',
        ids,
        len(ids),
    )


def has_no_tags(asset_id: str = '"asset"."id"') -> WhereRaw:
    """Where-condition: the asset carries no tag (Immich's ``tagIds: null``)."""
    return WhereRaw(f'NOT EXISTS (SELECT 1 FROM "tag_asset" ta WHERE ta."assetId" = {asset_id})')
