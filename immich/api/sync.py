"""/api/sync: the phone app's sync stream and its checkpoints (acks), per login session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import Response, StreamingResponse

from immich.api.dto import UNSET
from immich.api.routing import Call, Router
from immich.api.sync_dtos import (
    SyncAckDeleteDto,
    SyncAckDto,
    SyncAckSetDto,
    SyncStreamDto,
    encode_line,
)
from immich.services import sync as service
from immich.services.auth import AuthContext
from immich.services.sync_types import SyncEntityType

router = Router()
TAG = "Sync"
MEDIA_TYPE = "application/jsonlines+json"
CHUNK = 64 * 1024  # bytes of lines gathered per write


def _auth(call: Call) -> AuthContext:
    assert call.auth is not None
    return call.auth


async def _lines(pool: Any, plan: service.Plan) -> AsyncIterator[bytes]:
    """The plan's lines, a chunk at a time, read on a connection of the stream's own in one
    read-only snapshot (its rows are one moment's, however long the client takes)."""
    async with pool.acquire() as conn:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            parts: list[str] = []
            size = 0
            async for line in service.run_stream(conn, plan):
                text = encode_line(line)
                parts.append(text)
                size += len(text)
                if size >= CHUNK:
                    yield "".join(parts).encode()
                    parts, size = [], 0
            if parts:
                yield "".join(parts).encode()


@router.route(
    "POST",
    "/sync/stream",
    operation_id="getSyncStream",
    tag=TAG,
    permission="sync.stream",
    content_type=MEDIA_TYPE,
    transaction=False,
)
async def get_sync_stream(call: Call[SyncStreamDto]) -> Response:
    """Stream sync changes"""
    async with call.ctx.db.transaction() as db:
        plan = await service.plan_stream(db, _auth(call), call.body.types, call.body.reset is True)
    return StreamingResponse(_lines(call.ctx.db.pool, plan), media_type=MEDIA_TYPE)


@router.route(
    "GET",
    "/sync/ack",
    operation_id="getSyncAck",
    tag=TAG,
    response=list[SyncAckDto],
    permission="syncCheckpoint.read",
)
async def get_sync_ack(call: Call) -> list[SyncAckDto]:
    """Retrieve acknowledgements"""
    rows = await service.get_acks(call.db, _auth(call))
    return [SyncAckDto(ack=r["ack"], type=SyncEntityType(r["type"])) for r in rows]


@router.route(
    "POST",
    "/sync/ack",
    operation_id="sendSyncAck",
    tag=TAG,
    status=204,
    permission="syncCheckpoint.update",
)
async def send_sync_ack(call: Call[SyncAckSetDto]) -> None:
    """Acknowledge changes"""
    await service.set_acks(call.db, _auth(call), call.body.acks)


@router.route(
    "DELETE",
    "/sync/ack",
    operation_id="deleteSyncAck",
    tag=TAG,
    status=204,
    permission="syncCheckpoint.delete",
)
async def delete_sync_ack(call: Call[SyncAckDeleteDto]) -> None:
    """Delete acknowledgements"""
    types = None if call.body.types is UNSET else [str(t) for t in call.body.types]
    await service.delete_acks(call.db, _auth(call), types)
