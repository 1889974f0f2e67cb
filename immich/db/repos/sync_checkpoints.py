"""SQL for ``session_sync_checkpoint`` (a session's sync acks, one per entity type) and the
session's pending-reset flag that goes with them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import _query as q
from immich.db.tables import Session, SessionSyncCheckpoint


async def get_all(db: Conn, session_id: uuid.UUID) -> list[Row]:
    """``type`` and ``ack`` of each checkpoint of the session."""
    query = (
        SessionSyncCheckpoint.select(SessionSyncCheckpoint.type, SessionSyncCheckpoint.ack)
        .where(SessionSyncCheckpoint.session_id == session_id)
        .order_by(SessionSyncCheckpoint.type)
    )
    return await q.fetch(db, query)


async def upsert_all(db: Conn, session_id: uuid.UUID, acks: Iterable[tuple[str, str]]) -> None:
    """Set the checkpoint of each ``(type, ack)``, replacing the type's earlier one."""
    rows = [
        q.new_row(SessionSyncCheckpoint, {"sessionId": session_id, "type": type_, "ack": ack})
        for type_, ack in acks
    ]
    if not rows:
        return
    query = SessionSyncCheckpoint.insert(*rows).on_conflict(
        target=(SessionSyncCheckpoint.session_id, SessionSyncCheckpoint.type),
        action="DO UPDATE",
        values=[SessionSyncCheckpoint.ack],
    )
    await q.execute(db, query)


async def delete_all(db: Conn, session_id: uuid.UUID, types: Iterable[str] | None = None) -> None:
    """Drop the session's checkpoints: all of them, or those of ``types``."""
    where: Any = SessionSyncCheckpoint.session_id == session_id
    if types is not None:
        where = where & (SessionSyncCheckpoint.type == q.any_of(types, "varchar"))
    await q.execute(db, SessionSyncCheckpoint.delete().where(where))


async def is_pending_reset(db: Conn, session_id: uuid.UUID) -> bool:
    query = Session.select(Session.is_pending_sync_reset).where(Session.id == session_id)
    return bool(await q.fetchval(db, query))


async def reset_progress(db: Conn, session_id: uuid.UUID) -> None:
    """Start the session's sync over: no checkpoints, no reset pending (Immich's
    resetSyncProgress)."""
    await q.execute(
        db,
        Session.update({Session.is_pending_sync_reset: False}).where(Session.id == session_id),
    )
    await delete_all(db, session_id)


async def now_id(db: Conn) -> uuid.UUID:
    """The stream's upper bound: a change id for a millisecond before now (rows changed in
    that millisecond wait for the next sync rather than risk being skipped)."""
    # raw SQL: a function call with no table
    value: uuid.UUID = await db.fetchval("SELECT immich_uuid_v7(now() - interval '1 millisecond')")
    return value
