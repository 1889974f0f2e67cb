"""SQL of ``memory`` and ``memory_asset`` (Immich's MemoryRepository and the asset
repository's ``getByDayOfYear``).

A memory's assets are read apart from the memory (``assets_of``): only those on the timeline
and not trashed, oldest first, as Immich's answers show them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw
from piccolo.query import OrderByRaw

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Memory, MemoryAsset

CLEANUP_AFTER_DAYS = 30
"""Unsaved memories older than this go in the nightly cleanup (Immich's rule)."""
ON_THIS_DAY_LIMIT = 20
"""At most this many assets of one day make an "on this day" memory (Immich's limit)."""


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


@attrs.frozen(kw_only=True)
class MemorySearch:
    """``MemorySearchDto``'s filters: None means "not asked"."""

    type: str | None = None
    for_date: dt.date | None = None
    is_trashed: bool = False
    is_saved: bool | None = None
    size: int | None = None
    order: str | None = None  # "asc", "desc" (the default) or "random"


def _where(owner_id: uuid.UUID | str, search: MemorySearch) -> Any:
    where: Any = Memory.owner_id == _uuid(owner_id)
    where &= Memory.deleted_at.is_not_null() if search.is_trashed else Memory.deleted_at.is_null()
    if search.is_saved is not None:
        where &= Memory.is_saved == search.is_saved
    if search.type is not None:
        where &= Memory.type == search.type
    if search.for_date is not None:
        # Immich compares the timestamps with the date as midnight UTC
        day = dt.datetime.combine(search.for_date, dt.time(), tzinfo=dt.UTC)
        where &= (Memory.show_at.is_null()) | (Memory.show_at <= day)
        where &= (Memory.hide_at.is_null()) | (Memory.hide_at >= day)
    return where


async def search(db: Conn, owner_id: uuid.UUID | str, search: MemorySearch) -> list[Row]:
    query = Memory.select().where(_where(owner_id, search))
    if search.order == "random":
        query = query.order_by(OrderByRaw("random()"))
    else:
        query = query.order_by(Memory.memory_at, ascending=search.order == "asc")
    if search.size is not None:
        query = query.limit(search.size)
    return await q.fetch(db, query)


async def statistics(db: Conn, owner_id: uuid.UUID | str, search: MemorySearch) -> int:
    return int(await q.fetchval(db, Memory.count().where(_where(owner_id, search))) or 0)


async def get(db: Conn, memory_id: uuid.UUID | str) -> Row | None:
    """The memory unless trashed (``deletedAt`` set)."""
    query = Memory.select().where((Memory.id == _uuid(memory_id)) & Memory.deleted_at.is_null())
    return await q.fetchrow(db, query)


async def assets_of(db: Conn, memory_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Row]]:
    """Each memory's assets on the timeline and not trashed, oldest first."""
    if not memory_ids:
        return {}
    # raw SQL: a join returning the link's column beside the asset's (piccolo joins follow
    # foreign keys declared on Table classes, which ours leave to the migrations)
    rows = await db.fetch(
        'SELECT ma."memoriesId" AS "_memoryId", a.* FROM "memory_asset" ma '
        'JOIN "asset" a ON a."id" = ma."assetId" '
        'WHERE ma."memoriesId" = ANY($1::uuid[]) AND a."visibility" = \'timeline\' '
        'AND a."deletedAt" IS NULL ORDER BY a."fileCreatedAt", a."id"',
        list(memory_ids),
    )
    found: dict[uuid.UUID, list[Row]] = {m: [] for m in memory_ids}
    for row in rows:
        found[row["_memoryId"]].append(row)
    return found


async def create(
    db: Conn, values: Mapping[str, Any], asset_ids: Iterable[uuid.UUID | str] = ()
) -> Row:
    """A new memory (``values`` by column name) and its assets (deduplicated)."""
    names = list(values)
    q.by_column_name(Memory, values)  # unknown names raise
    columns = ", ".join(f'"{n}"' for n in names)
    slots = ", ".join(f"${i + 1}" for i in range(len(names)))
    # raw SQL: the jsonb "data" column (see _query's note on JSON values)
    row: Row | None = await db.fetchrow(
        f'INSERT INTO "memory" ({columns}) VALUES ({slots}) RETURNING *',
        *(values[n] for n in names),
    )
    assert row is not None
    await add_assets(db, row["id"], asset_ids)
    return row


async def update(db: Conn, memory_id: uuid.UUID | str, changes: Mapping[str, Any]) -> Row | None:
    """Set these columns (by name); with none, only ``updatedAt`` moves (the trigger)."""
    sets: dict[Column | str, Any] = dict(q.by_column_name(Memory, changes))
    if not sets:
        sets = {Memory.updated_at: q.NOW}
    query = (
        Memory.update(sets).where(Memory.id == _uuid(memory_id)).returning(*Memory.all_columns())
    )
    return await q.fetchrow(db, query)


async def delete(db: Conn, memory_id: uuid.UUID | str) -> None:
    await q.execute(db, Memory.delete().where(Memory.id == _uuid(memory_id)))


async def asset_ids_in(
    db: Conn, memory_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> set[uuid.UUID]:
    """Which of these assets the memory holds."""
    wanted = [_uuid(a) for a in asset_ids]
    if not wanted:
        return set()
    query = MemoryAsset.select(MemoryAsset.asset_id).where(
        (MemoryAsset.memories_id == _uuid(memory_id))
        & (MemoryAsset.asset_id == q.any_of(wanted, "uuid"))
    )
    return {r["assetId"] for r in await q.fetch(db, query)}


async def add_assets(
    db: Conn, memory_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> None:
    wanted = list(dict.fromkeys(_uuid(a) for a in asset_ids))
    if not wanted:
        return
    rows = [q.new_row(MemoryAsset, {"memoriesId": _uuid(memory_id), "assetId": a}) for a in wanted]
    await q.execute(db, MemoryAsset.insert(*rows).on_conflict(action="DO NOTHING"))


async def remove_assets(
    db: Conn, memory_id: uuid.UUID | str, asset_ids: Iterable[uuid.UUID | str]
) -> None:
    wanted = [_uuid(a) for a in asset_ids]
    if not wanted:
        return
    await q.execute(
        db,
        MemoryAsset.delete().where(
            (MemoryAsset.memories_id == _uuid(memory_id))
            & (MemoryAsset.asset_id == q.any_of(wanted, "uuid"))
        ),
    )


async def cleanup(db: Conn) -> tuple[int, int]:
    """Immich's MemoryCleanup: take archived, hidden and locked assets out of every memory,
    then delete unsaved memories made more than 30 days ago. (links removed, memories removed)"""
    off_timeline = WhereRaw(
        'EXISTS (SELECT 1 FROM "asset" a WHERE a."id" = "memory_asset"."assetId" '
        "AND a.\"visibility\" <> 'timeline')"
    )
    links = q.affected(await q.execute(db, MemoryAsset.delete().where(off_timeline)))
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=CLEANUP_AFTER_DAYS)
    old = Memory.delete().where((Memory.created_at < cutoff) & (Memory.is_saved == False))  # noqa: E712
    return links, q.affected(await q.execute(db, old))


async def first_year(db: Conn, owner_id: uuid.UUID | str) -> int | None:
    """The year (local date) of the owner's oldest asset."""
    # raw SQL: an aggregate of an expression (the local date)
    first = await db.fetchval(
        'SELECT min(("localDateTime" AT TIME ZONE \'UTC\')::date) FROM "asset" '
        'WHERE "ownerId" = $1',
        _uuid(owner_id),
    )
    return first.year if first is not None else None


async def on_days(
    db: Conn, owner_id: uuid.UUID | str, days: Sequence[dt.date]
) -> list[tuple[dt.date, list[uuid.UUID]]]:
    """For each day, up to 20 of the owner's assets whose local date is that day (earliest
    first): on the timeline, not trashed, processed (a job status row) and with a preview, as
    Immich's ``getByDayOfYear``. Days without such assets are left out."""
    if not days:
        return []
    # raw SQL: a LATERAL join per day with its own LIMIT (no builder words for it); the local
    # date is "localDateTime" read as UTC, the wall clock where the photo was taken
    rows = await db.fetch(
        'SELECT d."day", a."id" FROM unnest($2::date[]) AS d("day") CROSS JOIN LATERAL ('
        '  SELECT asset."id", asset."localDateTime" FROM "asset"'
        '  JOIN "asset_job_status" s ON s."assetId" = asset."id"'
        '  WHERE asset."ownerId" = $1 AND asset."visibility" = \'timeline\''
        '  AND asset."deletedAt" IS NULL'
        '  AND (asset."localDateTime" AT TIME ZONE \'UTC\')::date = d."day"'
        '  AND EXISTS (SELECT 1 FROM "asset_file" f WHERE f."assetId" = asset."id"'
        "    AND f.\"type\" = 'preview')"
        f'  ORDER BY asset."localDateTime", asset."id" LIMIT {ON_THIS_DAY_LIMIT}'
        ') a ORDER BY d."day" DESC, a."localDateTime", a."id"',
        _uuid(owner_id),
        list(days),
    )
    found: dict[dt.date, list[uuid.UUID]] = {}
    for row in rows:
        found.setdefault(row["day"], []).append(row["id"])
    return list(found.items())
