"""Job state shared by replicas, kept in ``system_metadata``: paused queues, cron runs."""

from __future__ import annotations

from immich.db import locks
from immich.db.repos import Conn

_PAUSED = "queue-paused:"
_CRON = "cron-last-run:"


async def paused_queues(db: Conn) -> set[str]:
    rows = await db.fetch(
        'SELECT "key" FROM "system_metadata" WHERE starts_with("key", $1)', _PAUSED
    )
    return {row["key"][len(_PAUSED) :] for row in rows}


async def set_queue_paused(db: Conn, name: str, paused: bool) -> None:
    if paused:
        await db.execute(
            'INSERT INTO "system_metadata" ("key", "value") VALUES ($1, $2) '
            'ON CONFLICT ("key") DO NOTHING',
            _PAUSED + name,
            True,
        )
    else:
        await db.execute('DELETE FROM "system_metadata" WHERE "key" = $1', _PAUSED + name)


def lock_key(name: str) -> int:
    """The pg_advisory_lock key of a cron duty (``immich.db.locks.cron_duty``)."""
    return locks.cron_duty(name)


async def try_lock(db: Conn, key: int) -> bool:
    return bool(await db.fetchval("SELECT pg_try_advisory_lock($1)", key))


async def unlock(db: Conn, key: int) -> None:
    await db.execute("SELECT pg_advisory_unlock($1)", key)


async def claim_cron_slot(db: Conn, name: str, slot: str) -> bool:
    """Record that duty ``name`` runs at ``slot`` (ISO minute); False if it already did."""
    row = await db.fetchval(
        'INSERT INTO "system_metadata" ("key", "value") VALUES ($1, to_jsonb($2::text)) '
        'ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value" '
        'WHERE "system_metadata"."value" #>> \'{}\' < $2 '
        "RETURNING 1",
        _CRON + name,
        slot,
    )
    return row is not None
