"""Adaptive streaming (Immich 3.1's HLS API): sessions, playlists and on-demand segments.

``GET .../stream/main.m3u8`` probes the original once, stores a session (the stream facts) and
answers the master playlist; the variant playlists are computed from the stored facts; a
segment request serves the cached ``seg_<n>.m4s`` or starts (or keeps) a ``Producer`` thread
that transcodes from that segment on, and waits for the file. So a long video starts playing
after one segment's work, and seeking costs one seek. One producer per session: asking for
another variant, or for a segment far from where the producer is, restarts it there.

Segments are cached per session under ``<media>/encoded-video/hls/<sessionId>/<variant>/``
(``layout.hls_root``), which every replica shares. Sessions end on
``DELETE .../stream/{sessionId}`` or after ``IDLE_TIMEOUT_S`` without requests (the server
holding them checks every ``CLEANUP_INTERVAL_S``; ``HlsSessionCleanup`` removes what is left).
Any api replica can serve any session: its facts are in the database. A process that also has
the worker role makes missing segments itself (in threads, off the event loop, never behind
queued jobs); an api-only process transcodes nothing: it asks a worker through PostgreSQL
(``_hls_remote``, answered by ``_hls_worker``) and waits for the file in the shared folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from immich.context import AppContext
from immich.errors import ApiError, BadRequest, NotFound
from immich.storage import layout

from . import _repo
from ._errors import VideoError
from ._hls_remote import RemoteSegments
from ._playlists import CRF, StreamFacts, main_playlist, media_playlist, segment_of, stream_facts
from ._segmenter import Producer, Rendition, Timeline
from .config import FFmpegConfig
from .probe import probe

log = logging.getLogger(__name__)

IDLE_TIMEOUT_S = 5 * 60
CLEANUP_INTERVAL_S = 60
SEGMENT_WAIT_S = 30.0
POLL_S = 0.02
TOUCH_EVERY_S = 30.0
RESTART_SLACK = 2  # a request this many segments past the producer's position waits for it


def default_root(media: Path) -> Path:
    return layout.hls_root(media)


@dataclass
class _Local:
    """What this process holds for a session: its facts, folder and producer."""

    facts: StreamFacts
    folder: Path
    producer: Producer | None = None
    variant: int | None = None
    last_requested: int = -1
    seen: float = field(default_factory=time.monotonic)
    touched: float = field(default_factory=time.monotonic)


class HlsService:
    def __init__(
        self, ctx: AppContext, root: Path | None = None, *, produce: bool | None = None
    ) -> None:
        """``produce``: make segments here (default: when the process has the worker role);
        otherwise ask a worker for them."""
        self.ctx = ctx
        self.root = root or default_root(ctx.settings.media_location)
        if produce is None:
            produce = "worker" in ctx.settings.roles
        self.remote = None if produce else RemoteSegments(ctx, SEGMENT_WAIT_S, POLL_S)
        self.sessions: dict[uuid.UUID, _Local] = {}
        self._reaper: asyncio.Task[None] | None = None

    # --- the API's operations -----------------------------------------------------------------

    async def start_session(self, asset: Mapping[str, Any], user_id: uuid.UUID) -> str:
        """A new session for ``asset``: the master playlist."""
        cfg = FFmpegConfig.from_dict(self.ctx.config.get().get("ffmpeg"))
        if not cfg.realtime.enabled:
            raise BadRequest("Real-time transcoding is not enabled")
        if asset["type"] != "VIDEO":
            raise NotFound("Asset metadata is not yet ready for streaming")
        try:
            info = await asyncio.to_thread(probe, Path(asset["originalPath"]))
        except VideoError as err:
            log.warning("hls: cannot probe asset %s: %s", asset["id"], err)
            raise NotFound("Asset metadata is not yet ready for streaming") from err
        facts = stream_facts(info, cfg)
        if facts is None:
            raise NotFound("No supported variants for this video")
        session_id = uuid.uuid4()
        await _repo.create_session(
            self.ctx.db.pool, session_id, asset["id"], user_id, facts.to_json()
        )
        self._local(session_id, facts)
        self._start_reaper()
        return main_playlist(str(session_id), facts)

    async def media_playlist(
        self,
        asset: Mapping[str, Any],
        user_id: uuid.UUID,
        session_id: uuid.UUID,
        variant: int,
        position: float | None,
    ) -> str:
        local = await self._session(
            asset, user_id, session_id, "Asset not found or metadata not yet ready for streaming"
        )
        facts = local.facts
        if facts.variant(variant) is None:
            raise NotFound("Variant not found")
        if local.variant != variant:  # prewarm where the player will start
            if position is not None:
                start = segment_of(facts, position)
            else:
                start = min(local.last_requested + 1, facts.segment_count - 1)
            if self.remote is not None:
                local.variant = variant
                await self.remote.want(session_id, variant, start)
            else:
                self._ensure_producer(asset, session_id, local, variant, start)
        return media_playlist(facts)

    async def segment(
        self,
        asset: Mapping[str, Any],
        user_id: uuid.UUID,
        session_id: uuid.UUID,
        variant: int,
        filename: str,
        init_hint: int | None,
    ) -> Path:
        """The file to send: cached, or made now."""
        local = await self._session(asset, user_id, session_id, "Session not found")
        facts = local.facts
        if facts.variant(variant) is None:
            raise NotFound("Variant not found")
        path = local.folder / str(variant) / filename
        if filename == "init.mp4":
            index = init_hint if init_hint is not None else local.last_requested + 1
        else:
            index = int(filename[4:-4])
            if index >= facts.segment_count:
                raise NotFound("Segment not found")
            local.last_requested = index
        index = min(max(index, 0), facts.segment_count - 1)
        if self.remote is not None:
            return await self.remote.fetch(session_id, variant, index, path)
        producer = local.producer
        if producer is not None and local.variant == variant:
            producer.requested(index)
        if path.is_file():
            return path
        producer = self._ensure_producer(asset, session_id, local, variant, index)
        deadline = time.monotonic() + SEGMENT_WAIT_S
        while not path.is_file():
            if producer.finished.is_set() and not path.is_file():
                if local.producer is producer and producer.error:
                    raise ApiError(f"Segment transcoding failed: {producer.error}", 500)
                if local.producer is not producer:  # replaced by a request elsewhere
                    raise NotFound("Segment no longer wanted")
                raise NotFound("Segment not found")
            if time.monotonic() > deadline:
                raise ApiError("Segment transcoding timed out", 500)
            await asyncio.sleep(POLL_S)
        return path

    async def end_session(
        self, asset: Mapping[str, Any], user_id: uuid.UUID, session_id: uuid.UUID
    ) -> None:
        # Immich answers 204 for an unknown session too
        found = await _repo.get_session(self.ctx.db.pool, session_id, asset["id"], user_id)
        if found is None:
            return
        await _repo.delete_session(self.ctx.db.pool, session_id)
        await self._drop(session_id)
        if self.remote is not None:
            await self.remote.ended(session_id)

    # --- sessions and producers ---------------------------------------------------------------

    def _local(self, session_id: uuid.UUID, facts: StreamFacts) -> _Local:
        local = self.sessions.get(session_id)
        if local is None:
            local = _Local(facts, self.root / str(session_id))
            self.sessions[session_id] = local
        return local

    async def _session(
        self, asset: Mapping[str, Any], user_id: uuid.UUID, session_id: uuid.UUID, missing: str
    ) -> _Local:
        local = self.sessions.get(session_id)
        pool = self.ctx.db.pool
        if local is None:
            stored = await _repo.get_session(pool, session_id, asset["id"], user_id)
            if stored is None:
                raise NotFound(missing)
            local = self._local(session_id, StreamFacts.from_json(stored))
            self._start_reaper()
        now = time.monotonic()
        local.seen = now
        if now - local.touched > TOUCH_EVERY_S:
            local.touched = now
            await _repo.touch_session(pool, session_id)
        return local

    def _ensure_producer(
        self,
        asset: Mapping[str, Any],
        session_id: uuid.UUID,
        local: _Local,
        variant: int,
        index: int,
    ) -> Producer:
        current = local.producer
        if (
            current is not None
            and local.variant == variant
            and current.covers(index, RESTART_SLACK)
        ):
            current.requested(index)
            return current
        if current is not None:
            current.stop()
        v = local.facts.variant(variant)
        assert v is not None
        cfg = FFmpegConfig.from_dict(self.ctx.config.get().get("ffmpeg"))
        facts = local.facts
        producer = Producer(
            Path(asset["originalPath"]),
            local.folder / str(variant),
            Timeline(
                facts.video_index,
                facts.audio_index,
                facts.start_time,
                facts.rotation,
                facts.segment_duration,
                facts.segment_count,
                facts.fps,
            ),
            Rendition(
                v.codec,
                v.width,
                v.height,
                v.bitrate,
                CRF[v.codec],
                facts.preset,
                v.level,
                cfg.threads,
                cfg.tonemap,
            ),
            index,
        )
        local.producer, local.variant = producer, variant
        producer.start()
        return producer

    async def _drop(self, session_id: uuid.UUID, remove: bool = True) -> None:
        local = self.sessions.pop(session_id, None)
        folder = self.root / str(session_id)
        if local is not None and local.producer is not None:
            local.producer.stop()
            await asyncio.to_thread(local.producer.join, 10)
        if remove:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    # --- idle sessions ------------------------------------------------------------------------

    def _start_reaper(self) -> None:
        if self._reaper is None or self._reaper.done():
            self._reaper = asyncio.create_task(self._reap_forever(), name="hls-session-cleanup")

    async def _reap_forever(self) -> None:
        while self.sessions:
            await asyncio.sleep(CLEANUP_INTERVAL_S)
            try:
                await self.cleanup()
            except Exception:  # the database away for a moment: try again next time
                log.exception("hls: session cleanup failed")

    async def cleanup(self, idle_seconds: float = IDLE_TIMEOUT_S) -> int:
        """End this process's sessions idle for ``idle_seconds``, sessions deleted elsewhere,
        and every session's row idle that long; return how many local sessions ended."""
        now = time.monotonic()
        ended = [sid for sid, s in self.sessions.items() if now - s.seen > idle_seconds]
        pool = self.ctx.db.pool
        alive = await _repo.session_ids(pool, [s for s in self.sessions if s not in ended])
        ended += [sid for sid in self.sessions if sid not in alive and sid not in ended]
        for sid in ended:
            await _repo.delete_session(pool, sid)
            await self._drop(sid)
        await _repo.delete_idle_sessions(pool, idle_seconds)
        if ended:
            log.info("hls: ended %d idle session(s)", len(ended))
        return len(ended)

    async def close(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        for sid in list(self.sessions):  # the folders stay: the sessions may go on elsewhere
            await self._drop(sid, remove=False)


def session_folders(root: Path) -> list[uuid.UUID]:
    """The session ids that have a folder under ``root``."""
    if not root.is_dir():
        return []
    found = []
    for entry in root.iterdir():
        with contextlib.suppress(ValueError):
            found.append(uuid.UUID(entry.name))
    return found


def remove_orphan_folders(root: Path, live: set[uuid.UUID], older_than_s: float) -> int:
    """Remove session folders under ``root`` of sessions not in ``live`` that were not written
    for ``older_than_s`` (what a stopped server left behind)."""
    if not root.is_dir():
        return 0
    removed = 0
    cutoff = time.time() - older_than_s
    for entry in root.iterdir():
        try:
            sid = uuid.UUID(entry.name)
        except ValueError:
            continue
        if sid in live:
            continue
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
    return removed
