"""Memory rules (Immich's MemoryService): the caller's memories and their assets, and the
"on this day" generation and cleanup the nightly jobs run (plugins/memories calls them).

A memory is its owner's alone: reading, changing or deleting one needs it to be the caller's
and not trashed (400 ``Not found or no memory.<read|update|delete> access`` otherwise). Assets
go in only where the caller may share them (``asset.share``: their own, not locked); a memory
answer shows its assets on the timeline and not trashed, oldest first, and a search leaves out
memories with none.

Generation: for each day from 3 days ago to 3 days ahead (UTC days, as Immich) not done yet
(``memories-state.lastOnThisDayDate`` in ``system_metadata``), each user with memories enabled
gets one ``on_this_day`` memory per earlier year that has assets on that month and day, by the
assets' local date (where the photo was taken), shown that whole day (UTC).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from immich.db.repos import Conn, Row, system_metadata, users
from immich.db.repos import memories as repo
from immich.db.repos.memories import MemorySearch
from immich.errors import BadRequest
from immich.services import access
from immich.services import preferences as preference_service
from immich.services.auth import AuthContext

log = logging.getLogger(__name__)

BulkResult = dict[str, Any]  # BulkIdResponseDto-shaped: id, success, error?
ON_THIS_DAY = "on_this_day"
STATE_KEY = "memories-state"
DAYS = 3
"""Memories are made for the days from this many days ago to this many days ahead."""


async def with_assets(db: Conn, rows: list[Row]) -> list[tuple[Row, list[Row]]]:
    found = await repo.assets_of(db, [r["id"] for r in rows])
    return [(r, found[r["id"]]) for r in rows]


async def search(db: Conn, auth: AuthContext, filters: MemorySearch) -> list[tuple[Row, list[Row]]]:
    rows = await with_assets(db, await repo.search(db, auth.user_id, filters))
    return [(memory, assets) for memory, assets in rows if assets]


async def statistics(db: Conn, auth: AuthContext, filters: MemorySearch) -> int:
    return await repo.statistics(db, auth.user_id, filters)


async def _find(db: Conn, memory_id: str | uuid.UUID) -> tuple[Row, list[Row]]:
    row = await repo.get(db, memory_id)
    if row is None:
        raise BadRequest("Memory not found")
    return (await with_assets(db, [row]))[0]


async def get(db: Conn, auth: AuthContext, memory_id: str) -> tuple[Row, list[Row]]:
    await access.require_memories(db, auth.user_id, "memory.read", [memory_id])
    return await _find(db, memory_id)


async def create(
    db: Conn, auth: AuthContext, values: Mapping[str, Any], asset_ids: Iterable[str]
) -> tuple[Row, list[Row]]:
    """A memory of the caller (``values`` by column name); assets the caller may not share
    are left out silently, as Immich."""
    wanted = list(dict.fromkeys(uuid.UUID(str(a)) for a in asset_ids))
    allowed = await access.allowed_assets(db, auth.user_id, "asset.share", wanted)
    row = await repo.create(
        db, {**values, "ownerId": auth.user_id}, [a for a in wanted if a in allowed]
    )
    return (await with_assets(db, [row]))[0]


async def update(
    db: Conn, auth: AuthContext, memory_id: str, changes: Mapping[str, Any]
) -> tuple[Row, list[Row]]:
    """Change ``isSaved``, ``memoryAt`` or ``seenAt`` (by column name)."""
    await access.require_memories(db, auth.user_id, "memory.update", [memory_id])
    await repo.update(db, memory_id, changes)
    return await _find(db, memory_id)


async def delete(db: Conn, auth: AuthContext, memory_id: str) -> None:
    await access.require_memories(db, auth.user_id, "memory.delete", [memory_id])
    await repo.delete(db, memory_id)


async def add_assets(
    db: Conn, auth: AuthContext, memory_id: str, asset_ids: Iterable[str]
) -> list[BulkResult]:
    """A result per asked id, in order: ``duplicate`` when the memory holds it already,
    ``no_permission`` without ``asset.share``. Immich asks only ``memory.read`` here."""
    await access.require_memories(db, auth.user_id, "memory.read", [memory_id])
    ids = [uuid.UUID(str(i)) for i in asset_ids]
    present = await repo.asset_ids_in(db, memory_id, ids)
    results, added = await access.sort_additions(db, auth.user_id, ids, present)
    if added:
        await repo.add_assets(db, memory_id, added)
        await repo.update(db, memory_id, {})
    return results


async def remove_assets(
    db: Conn, auth: AuthContext, memory_id: str, asset_ids: Iterable[str]
) -> list[BulkResult]:
    """A result per asked id, in order (``not_found`` when the memory does not hold it). The
    memory's owner may always take assets out (Immich's ``memory.delete`` rule), so no asset
    check follows."""
    await access.require_memories(db, auth.user_id, "memory.update", [memory_id])
    ids = [uuid.UUID(str(i)) for i in asset_ids]
    present = await repo.asset_ids_in(db, memory_id, ids)
    results: list[BulkResult] = []
    removed: list[uuid.UUID] = []
    for asset_id in ids:
        if asset_id not in present:
            results.append({"id": str(asset_id), "success": False, "error": "not_found"})
        else:
            present.discard(asset_id)
            removed.append(asset_id)
            results.append({"id": str(asset_id), "success": True})
    if removed:
        await repo.remove_assets(db, memory_id, removed)
        await repo.update(db, memory_id, {})
    return results


# --- the nightly jobs -------------------------------------------------------------------------


def target_days(today: dt.date) -> list[dt.date]:
    """The days memories are made for: ``DAYS`` before ``today`` to ``DAYS`` after."""
    return [today + dt.timedelta(days=i) for i in range(-DAYS, DAYS + 1)]


def _same_day(year: int, target: dt.date) -> dt.date | None:
    """``target``'s month and day in ``year``; None for 29 February in a common year."""
    try:
        return target.replace(year=year)
    except ValueError:
        return None


async def last_generated(db: Conn) -> dt.date | None:
    state = await system_metadata.get(db, STATE_KEY)
    value = state.get("lastOnThisDayDate") if isinstance(state, Mapping) else None
    if not value:
        return None
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()


async def record_generated(db: Conn, target: dt.date) -> None:
    state = await system_metadata.get(db, STATE_KEY)
    state = dict(state) if isinstance(state, Mapping) else {}
    midnight = dt.datetime.combine(target, dt.time(), tzinfo=dt.UTC)
    state["lastOnThisDayDate"] = midnight.isoformat().replace("+00:00", "Z")
    await system_metadata.set(db, STATE_KEY, state)


async def users_with_memories(db: Conn) -> list[uuid.UUID]:
    """Users not deleted whose ``memories.enabled`` preference is on (beyond Immich, which
    makes memories for everyone and lets the clients hide them)."""
    found: list[uuid.UUID] = []
    for user in await users.list_users(db):
        prefs = await preference_service.get(db, user["id"])
        if prefs.get("memories", {}).get("enabled", True):
            found.append(user["id"])
    return found


async def create_on_this_day(db: Conn, owner_id: uuid.UUID, target: dt.date) -> int:
    """The owner's "on this day" memories for ``target``: one per earlier year with assets on
    that day; how many were made."""
    first = await repo.first_year(db, owner_id)
    if first is None:
        return 0
    days = [d for y in range(first, target.year) if (d := _same_day(y, target)) is not None]
    start = dt.datetime.combine(target, dt.time(), tzinfo=dt.UTC)
    made = 0
    for day, asset_ids in await repo.on_days(db, owner_id, days):
        values = {
            "ownerId": owner_id,
            "type": ON_THIS_DAY,
            "data": {"year": day.year},
            "memoryAt": start.replace(year=day.year),
            "showAt": start,
            "hideAt": start + dt.timedelta(days=1) - dt.timedelta(milliseconds=1),
        }
        await repo.create(db, values, asset_ids)
        made += 1
    return made


async def cleanup(db: Conn) -> tuple[int, int]:
    """MemoryCleanup: (asset links removed, memories removed)."""
    return await repo.cleanup(db)
