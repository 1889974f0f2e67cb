"""The video plugin's job handlers (``videoConversion`` and ``backgroundTask`` queues).

``AssetEncodeVideo {id}``: probe the original, decide as Immich (``policy``), and write
``encoded-video/<owner>/<aa>/<bb>/<id>.mp4`` (``asset.encodedVideoPath`` and the
``encoded_video`` asset file), or, when no transcode is needed any more, remove an earlier one.
Success sets ``asset_job_status.videoConvertedAt``; a file that cannot be read or encoded
records the reason in ``failures["videoConversion"]`` and fails the job. Running it twice
gives the same file and rows. ``AssetEncodeVideoQueueAll {force}`` queues every visible video
(force) or those never converted or whose encoded file is gone. ``HlsSessionCleanup`` ends
idle streaming sessions. A transcode's temporary file that a killed worker left is swept by
the job's retry and by every "queue all" run (``immich.storage.temp``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from immich.context import AppContext
from immich.db.repos import asset_files, job_status
from immich.jobs.asset_jobs import asset_id_of, files_gone, gone, lock_asset, vanished
from immich.jobs.names import JobName
from immich.jobs.types import JobRequest, JobResult, JobStatus, QueuedResult
from immich.storage import layout, temp

from . import _repo
from ._errors import VideoError
from .config import FFmpegConfig
from .hls import IDLE_TIMEOUT_S, HlsService, default_root, remove_orphan_folders, session_folders
from .policy import decide
from .probe import probe
from .transcode import transcode

log = logging.getLogger(__name__)

ENCODE = JobName.AssetEncodeVideo
ENCODE_ALL = JobName.AssetEncodeVideoQueueAll
HLS_CLEANUP = JobName.HlsSessionCleanup
QUEUE = "videoConversion"
STREAMING_STATE_KEY = "video.streaming"


@attrs.frozen(kw_only=True)
class EncodeResult(JobResult):
    """``AssetEncodeVideo``'s result: the transcode written (``target``: what Immich's policy
    asked for), or skipped with the policy's reason when none is needed."""

    target: str | None = None
    path: str | None = None
    width: int | None = None
    height: int | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    bytes: int | None = None
    seconds: float | None = None


async def encode_video(ctx: AppContext, data: Mapping[str, Any]) -> EncodeResult:
    asset_id = asset_id_of(data)
    pool = ctx.db.pool
    asset = await job_status.asset_for_job(pool, asset_id)
    if asset is None:
        return vanished(ENCODE, asset_id, EncodeResult)
    if asset["type"] != "VIDEO":
        return EncodeResult(
            status=JobStatus.skipped,
            asset_id=str(asset_id),
            asset_type=asset["type"],
            reason="not a video",
        )
    source = Path(asset["originalPath"])
    dest = layout.encoded_video_path(
        ctx.settings.media_location, str(asset["ownerId"]), str(asset_id)
    )
    started = time.monotonic()
    # a killed earlier run of this job (the one being retried) may have left its temp file
    await asyncio.to_thread(temp.sweep_leftovers_of, dest, ctx.settings.job_lease_s)
    try:
        cfg = FFmpegConfig.from_dict(ctx.config.get().get("ffmpeg"))
        info = await asyncio.to_thread(probe, source)
        video = info.video
        if video is None or not video.width or not video.height:
            raise VideoError("cannot transcode: no video stream")
        decision = decide(cfg, info)
        if decision.needed:
            result = await asyncio.to_thread(transcode, source, dest, cfg, info, decision)
    except (VideoError, ValueError) as err:
        if await gone(pool, asset_id):
            return vanished(ENCODE, asset_id, EncodeResult)
        await job_status.record_failure(pool, asset_id, QUEUE, str(err))
        log.warning("video conversion failed for asset %s: %s", asset_id, err)
        raise VideoError(str(err)) from err
    if not decision.needed:
        await _remove_encoded(ctx, asset_id, asset)
        return EncodeResult(
            status=JobStatus.skipped,
            asset_id=str(asset_id),
            asset_type="VIDEO",
            reason=decision.reason,
        )
    try:
        async with ctx.db.transaction() as conn:
            await lock_asset(conn, asset_id)  # before its files: a racing delete waits
            await asset_files.upsert(conn, asset_id, "encoded_video", str(dest))
            await _repo.set_encoded_video_path(conn, asset_id, str(dest))
            await job_status.mark_done(conn, asset_id, "videoConvertedAt", QUEUE)
    except Exception:
        if not await gone(pool, asset_id):
            raise
        with contextlib.suppress(OSError):
            os.unlink(dest)
        return vanished(ENCODE, asset_id, EncodeResult)
    seconds = time.monotonic() - started
    log.info("encoded video %s (%s) in %.1f s", asset_id, decision.reason, seconds)
    return EncodeResult(
        asset_id=str(asset_id),
        asset_type="VIDEO",
        target=decision.target,
        path=str(dest),
        width=result.width,
        height=result.height,
        video_codec=result.video_codec,
        audio_codec=result.audio_codec,
        bytes=result.bytes,
        seconds=round(seconds, 3),
    )


async def _remove_encoded(ctx: AppContext, asset_id: uuid.UUID, asset: Any) -> None:
    """No transcode wanted: forget (and delete) an earlier one; the step counts as done."""
    async with ctx.db.transaction() as conn:
        await lock_asset(conn, asset_id)  # before its files: a racing delete waits
        old = await asset_files.delete(conn, asset_id, "encoded_video")
        await _repo.set_encoded_video_path(conn, asset_id, None)
        await job_status.mark_done(conn, asset_id, "videoConvertedAt", QUEUE)
    for path in {old, asset["encodedVideoPath"]} - {None, ""}:
        assert path is not None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
            log.info("removed the transcode of %s, no longer required", asset_id)


async def encode_all(ctx: AppContext, data: Mapping[str, Any]) -> QueuedResult:
    media = ctx.settings.media_location  # leftovers of killed transcodes (HLS: its cleanup's)
    skip = (layout.hls_root(media).name,)
    await asyncio.to_thread(
        temp.sweep, media / "encoded-video", ctx.settings.job_lease_s, skip=skip
    )
    force = bool(data.get("force"))
    after: uuid.UUID | None = None
    queued = 0
    while ids := await _repo.video_page(ctx.db.pool, force, after):
        await ctx.queues.enqueue_all(JobRequest(ENCODE, {"id": str(i)}) for i in ids)
        queued += len(ids)
        after = ids[-1]
    if not force:  # converted once, but the encoded file is gone
        async for ids in files_gone(ctx.db.pool, ("encoded_video",)):
            await ctx.queues.enqueue_all(JobRequest(ENCODE, {"id": str(i)}) for i in ids)
            queued += len(ids)
    log.info("%s: queued %d job(s) (force=%s)", ENCODE, queued, force)
    return QueuedResult(queued=queued)


@attrs.frozen(kw_only=True)
class HlsCleanupResult(JobResult):
    """``HlsSessionCleanup``'s result: sessions ended and orphan folders removed."""

    ended: int = 0
    folders: int = 0


async def hls_cleanup(ctx: AppContext, data: Mapping[str, Any]) -> HlsCleanupResult:
    """End streaming sessions idle for five minutes, here and in the database, and remove
    session folders that no session owns any more."""
    service: HlsService | None = ctx.state.get(STREAMING_STATE_KEY)
    ended = await service.cleanup() if service is not None else 0
    removed = await _repo.delete_idle_sessions(ctx.db.pool, IDLE_TIMEOUT_S)
    root = service.root if service is not None else default_root(ctx.settings.media_location)
    live = await _repo.session_ids(ctx.db.pool, session_folders(root))
    folders = await asyncio.to_thread(remove_orphan_folders, root, live, IDLE_TIMEOUT_S)
    return HlsCleanupResult(ended=ended + len(removed), folders=folders)
