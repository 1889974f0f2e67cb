"""HLS segments made by a worker for api replicas that have no worker role (``_hls_remote``).

A process with the worker role holds a LISTEN connection on ``immich_hls_request`` (reconnecting
when it is lost). On ``want <session> <variant> <index>`` it claims the session (the row's
``producerId`` becomes this process's id, unless another live worker holds it) and starts, or
keeps, a ``Producer`` for that variant from that index, writing into the session's folder under
the media folder; a request far from the producer's position restarts it there (as in one
process, through the same ``HlsService``). ``seen ...`` moves the producer's back-pressure on;
``end <session>`` stops it. Every ``HEARTBEAT_S`` the worker marks the sessions it holds as
seen, and drops those it no longer holds (ended, or claimed by another worker after this one
looked gone); a producer's failure is written into the row for the waiting api replica.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
import time
import uuid
import weakref

from immich.context import AppContext
from immich.db.listen import Listener

from . import _repo
from ._hls_remote import CHANNEL, HEARTBEAT_S, STALE_S, parse
from ._playlists import StreamFacts
from ._segmenter import Producer
from .hls import HlsService

log = logging.getLogger(__name__)

WATCH_S = 0.5  # how often producers are checked for failures


def producer_id() -> str:
    """This process's name in ``video_stream_session.producerId``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class HlsWorker:
    """Answers the api replicas' segment requests in a process with the worker role."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.id = producer_id()
        self.service = HlsService(ctx, produce=True)
        self._listener = Listener(ctx.db.url, CHANNEL, self._on_notify, name="hls worker")
        self.listening = self._listener.listening
        self._tasks: set[asyncio.Task[None]] = set()
        self._watcher: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()  # one request at a time: one producer per session
        self._reported: weakref.WeakSet[Producer] = weakref.WeakSet()  # failures written

    async def start(self) -> None:
        self._watcher = asyncio.create_task(self._watch(), name="hls-worker-heartbeat")
        await self._listener.start()

    async def stop(self) -> None:
        await self._listener.stop()
        tasks = [t for t in (self._watcher, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for sid in list(self.service.sessions):
            await self._release(sid, remove=False)
        await self.service.close()

    # --- the channel ----------------------------------------------------------------------------

    def _on_notify(self, text: str) -> None:
        message = parse(text)
        if message is None:
            log.warning("hls worker: ignoring %r", text)
            return
        task = asyncio.get_running_loop().create_task(self._handle(*message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, kind: str, sid: uuid.UUID, variant: int | None, index: int) -> None:
        try:
            async with self._lock:
                if kind == "end":
                    if sid in self.service.sessions:
                        await self._release(sid, remove=True)
                elif kind == "seen" and variant is not None:
                    self._seen(sid, variant, index)
                elif kind == "want" and variant is not None:
                    await self._want(sid, variant, index)
        except Exception:  # a bad request must not stop the listener
            log.exception("hls worker: %s %s failed", kind, sid)

    # --- requests -------------------------------------------------------------------------------

    def _seen(self, sid: uuid.UUID, variant: int, index: int) -> None:
        local = self.service.sessions.get(sid)
        if local is None:
            return
        local.seen = time.monotonic()
        local.last_requested = max(local.last_requested, index)
        if local.producer is not None and local.variant == variant:
            local.producer.requested(index)

    async def _want(self, sid: uuid.UUID, variant: int, index: int) -> None:
        row = await _repo.claim_session(self.ctx.db.pool, sid, self.id, STALE_S)
        if row is None:  # ended, or another live worker holds it
            if sid in self.service.sessions:
                await self._release(sid, remove=False)
            return
        local = self.service.sessions.get(sid)
        if local is None:
            local = self.service._local(sid, StreamFacts.from_json(dict(row["stream"])))
            self.service._start_reaper()
        local.seen = time.monotonic()
        if local.facts.variant(variant) is None or not 0 <= index < local.facts.segment_count:
            return
        local.last_requested = max(local.last_requested, index)
        before = local.producer
        asset = {"originalPath": row["originalPath"]}
        producer = self.service._ensure_producer(asset, sid, local, variant, index)
        if producer is not before:
            log.info(
                "hls worker %s: producing session %s variant %d from segment %d",
                self.id,
                sid,
                variant,
                index,
            )

    async def _release(self, sid: uuid.UUID, *, remove: bool) -> None:
        """Stop making ``sid``'s segments; remove its folder if the session has ended."""
        local = self.service.sessions.pop(sid, None)
        if local is not None and local.producer is not None:
            local.producer.stop()
            await asyncio.to_thread(local.producer.join, 10)
        if remove:
            await asyncio.to_thread(shutil.rmtree, self.service.root / str(sid), True)

    # --- heartbeat and failures -----------------------------------------------------------------

    async def _watch(self) -> None:
        beat = 0.0
        while True:
            await asyncio.sleep(WATCH_S)
            try:
                await self._report_failures()
                if time.monotonic() - beat >= HEARTBEAT_S:
                    beat = time.monotonic()
                    await self._heartbeat()
            except Exception:  # the database away for a moment: try again next time
                log.exception("hls worker: heartbeat failed")

    async def _heartbeat(self) -> None:
        held = list(self.service.sessions)
        if not held:
            return
        pool = self.ctx.db.pool
        async with self._lock:
            mine = await _repo.producer_heartbeat(pool, self.id, held)
            lost = [sid for sid in held if sid not in mine]
            alive = await _repo.session_ids(pool, lost) if lost else set()
            for sid in lost:
                await self._release(sid, remove=sid not in alive)

    async def _report_failures(self) -> None:
        for sid, local in list(self.service.sessions.items()):
            producer = local.producer
            if producer is None or not producer.finished.is_set() or not producer.error:
                continue
            if producer in self._reported:
                continue
            self._reported.add(producer)
            await _repo.report_producer_error(self.ctx.db.pool, sid, self.id, producer.error)
