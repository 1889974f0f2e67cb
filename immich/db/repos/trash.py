"""SQL of the trash: restore, empty (mark ``deleted``), and ids awaiting permanent deletion.

A trashed asset has ``deletedAt`` set and status ``trashed``; emptying the trash marks it
``deleted`` (out of the trash view at once) until a worker removes the row and its files.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from immich.db.repos import Conn

_TOUCH = '"updatedAt" = now()'


def _count(status: str) -> int:
    return int(status.split()[-1])


async def restore_for_owner(db: Conn, owner_id: uuid.UUID) -> int:
    """Every trashed asset of the owner back to the timeline; how many."""
    return _count(
        await db.execute(
            f'UPDATE "asset" SET "status" = \'active\', "deletedAt" = NULL, {_TOUCH} '
            'WHERE "ownerId" = $1 AND "deletedAt" IS NOT NULL AND "status" = \'trashed\'',
            owner_id,
        )
    )


async def restore_ids(db: Conn, ids: Iterable[uuid.UUID]) -> int:
    return _count(
        await db.execute(
            f'UPDATE "asset" SET "status" = \'active\', "deletedAt" = NULL, {_TOUCH} '
            'WHERE "id" = ANY($1::uuid[]) AND "status" = \'trashed\'',
            list(ids),
        )
    )


async def empty_for_owner(db: Conn, owner_id: uuid.UUID) -> int:
    """Mark the owner's trashed assets ``deleted`` (a worker removes them); how many."""
    return _count(
        await db.execute(
            f'UPDATE "asset" SET "status" = \'deleted\', {_TOUCH} '
            'WHERE "ownerId" = $1 AND "deletedAt" IS NOT NULL AND "status" <> \'deleted\'',
            owner_id,
        )
    )


async def deleted_ids(db: Conn, limit: int) -> list[uuid.UUID]:
    """Assets marked ``deleted`` (an emptied trash), at most ``limit``."""
    rows = await db.fetch(
        'SELECT "id" FROM "asset" WHERE "deletedAt" IS NOT NULL AND "status" = \'deleted\' '
        "LIMIT $1",
        limit,
    )
    return [r["id"] for r in rows]


async def trashed_before(db: Conn, before: dt.datetime, limit: int) -> list[uuid.UUID]:
    """Assets in the trash (or emptied from it) since ``before`` or earlier, at most ``limit``."""
    rows = await db.fetch(
        'SELECT "id" FROM "asset" WHERE "deletedAt" <= $1 ORDER BY "deletedAt" LIMIT $2',
        before,
        limit,
    )
    return [r["id"] for r in rows]


async def count_existing(db: Conn, ids: Iterable[uuid.UUID]) -> int:
    """How many of these assets still exist."""
    found = await db.fetchval(
        'SELECT count(*) FROM "asset" WHERE "id" = ANY($1::uuid[])', list(ids)
    )
    return int(found)
