"""SQL of the ``SidecarWrite`` job: the edited EXIF values, and unlocking what was written."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from immich.db import locks
from immich.db.repos import Conn, Row


async def take_turn(db: Conn, asset_id: uuid.UUID) -> None:
    """Wait for any other write of this asset's sidecar (a lock held until the transaction
    ends; it takes no row lock, so edits and deletes of the asset never wait for it)."""
    await db.execute("SELECT pg_advisory_xact_lock($1)", locks.sidecar_write(asset_id))


async def edited_exif(db: Conn, asset_id: uuid.UUID, *, for_update: bool = False) -> Row | None:
    """The asset's ``asset_exif`` row (``FOR UPDATE``: held until the transaction ends)."""
    lock = " FOR UPDATE" if for_update else ""
    return await db.fetchrow(f'SELECT * FROM "asset_exif" WHERE "assetId" = $1{lock}', asset_id)


async def unlock(db: Conn, asset_id: uuid.UUID, written: Mapping[str, Any]) -> list[str]:
    """Take the written columns out of ``lockedProperties`` where the row still holds the value
    written (``timeZone`` goes with ``dateTimeOriginal``); return those unlocked. A failure an
    earlier write recorded (``asset_job_status.failures["sidecar"]``) is cleared.

    An edit committed after the job read the row keeps its lock (its own ``SidecarWrite`` is
    queued), so a metadata refresh in between never reads an older sidecar value over it.
    """
    row = await edited_exif(db, asset_id, for_update=True)
    if row is None:
        return []
    done = [n for n, value in written.items() if n != "timeZone" and row[n] == value]
    if "dateTimeOriginal" in done and row["timeZone"] == written.get("timeZone"):
        done.append("timeZone")
    if done:
        await db.execute(
            'UPDATE "asset_exif" SET "lockedProperties" = ARRAY(SELECT p FROM '
            'unnest("lockedProperties") p WHERE NOT p = ANY($2::varchar[]))::varchar[] '
            'WHERE "assetId" = $1',
            asset_id,
            done,
        )
    await db.execute(  # an earlier failed write is forgotten
        'UPDATE "asset_job_status" SET "failures" = "failures" - \'sidecar\' '
        'WHERE "assetId" = $1 AND "failures" ? \'sidecar\'',
        asset_id,
    )
    return done


def locked_values(row: Row, columns: Iterable[str]) -> dict[str, Any]:
    """The row's values of the locked ``columns`` (what a write is compared against later)."""
    locked = set(row["lockedProperties"] or ())
    values = {name: row[name] for name in columns if name in locked}
    if "dateTimeOriginal" in values:
        values["timeZone"] = row["timeZone"]
    return values
