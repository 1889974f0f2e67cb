"""HLS segments asked of a worker: what an api replica without the worker role does.

Such a replica transcodes nothing. For a segment that is not in the session's folder yet (under
the media folder, which every replica shares) it records the wanted (variant, index) in the
session row and sends ``want <session> <variant> <index>`` on the PostgreSQL channel
``immich_hls_request`` (in one statement: the NOTIFY goes out with the row written), then waits
for the file. Every worker LISTENs there (``_hls_worker``); one claims the session and runs the
producer. While waiting the replica repeats the request now and then (a worker that was
reconnecting missed it), reads the error a worker reported, and gives up after the wait with a
503 (no worker holds the session) or a 500 (a worker does, but was too slow). Segments already
made only send ``seen ...``, so the worker's producer keeps its distance to the player; the end
of a session sends ``end <session>``. PostgreSQL is always there, whatever the job queue.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from pathlib import Path

from immich.context import AppContext
from immich.errors import ApiError, NotFound

from . import _repo

log = logging.getLogger(__name__)

CHANNEL = "immich_hls_request"
HEARTBEAT_S = 5.0  # how often a worker marks its sessions as held
STALE_S = 15.0  # a producer unseen this long has gone: another worker may claim its sessions
RENOTIFY_S = 2.0  # a waiting request is repeated this often
CHECK_S = 0.5  # how often a waiting request reads the session row
NO_WORKER = "Segment transcoding timed out: no video worker answered"
TIMED_OUT = "Segment transcoding timed out"


def payload(kind: str, session_id: uuid.UUID, variant: int | None = None, index: int = 0) -> str:
    return f"{kind} {session_id}" if variant is None else f"{kind} {session_id} {variant} {index}"


def parse(text: str) -> tuple[str, uuid.UUID, int | None, int] | None:
    """``(kind, session, variant, index)`` of a notification; None if it is not one."""
    parts = text.split()
    try:
        if len(parts) == 2:
            return parts[0], uuid.UUID(parts[1]), None, 0
        if len(parts) == 4:
            return parts[0], uuid.UUID(parts[1]), int(parts[2]), int(parts[3])
    except ValueError:
        pass
    return None


class RemoteSegments:
    """The api side: ask the workers for segments and wait for their files."""

    def __init__(self, ctx: AppContext, wait_s: float, poll_s: float) -> None:
        self.ctx = ctx
        self.wait_s = wait_s
        self.poll_s = poll_s

    async def seen(self, session_id: uuid.UUID, variant: int, index: int) -> None:
        """The player got segment ``index`` (the producer may run further ahead)."""
        await _repo.notify(self.ctx.db.pool, CHANNEL, payload("seen", session_id, variant, index))

    async def want(self, session_id: uuid.UUID, variant: int, index: int) -> None:
        """Ask for segments of ``variant`` from ``index`` on (without waiting)."""
        if not await _repo.want_segment(self.ctx.db.pool, CHANNEL, session_id, variant, index):
            raise NotFound("Session not found")

    async def ended(self, session_id: uuid.UUID) -> None:
        await _repo.notify(self.ctx.db.pool, CHANNEL, payload("end", session_id))

    async def fetch(self, session_id: uuid.UUID, variant: int, index: int, path: Path) -> Path:
        """``path`` once a worker has written it."""
        if await asyncio.to_thread(path.is_file):
            await self.seen(session_id, variant, index)
            return path
        await self.want(session_id, variant, index)
        pool = self.ctx.db.pool
        started = time.monotonic()
        deadline = started + self.wait_s
        next_check, next_ask = started + CHECK_S, started + RENOTIFY_S
        while not await asyncio.to_thread(path.is_file):
            now = time.monotonic()
            if now >= next_check or now >= deadline:
                next_check = now + CHECK_S
                state = await _repo.producer_state(pool, session_id, STALE_S)
                if state is None:
                    raise NotFound("Session not found")
                if state["producerError"]:
                    raise ApiError(f"Segment transcoding failed: {state['producerError']}", 500)
                if now >= deadline:
                    if state["producerId"] is None or not state["live"]:
                        log.warning("hls: no video worker answered for session %s", session_id)
                        raise ApiError(NO_WORKER, 503)
                    raise ApiError(TIMED_OUT, 500)
            if now >= next_ask:
                next_ask = now + RENOTIFY_S
                await _repo.notify(pool, CHANNEL, payload("want", session_id, variant, index))
            await asyncio.sleep(self.poll_s)
        return path
