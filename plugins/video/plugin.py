"""The video plugin's hooks.

- Jobs: ``AssetEncodeVideo {id}`` and ``AssetEncodeVideoQueueAll {force}`` on the
  ``videoConversion`` queue (its "start" button enqueues the latter); ``HlsSessionCleanup`` on
  ``backgroundTask``, enqueued nightly (with ``nightlyTasks.databaseCleanup``).
- Chain: ``on_thumbnails_generated`` for a VIDEO after an upload (source "upload" or "copy",
  as Immich) -> ``AssetEncodeVideo``. The poster itself: the plugin provides
  ``make_video_poster`` (``poster.generate_video_thumbnails``), which the thumbnail job calls.
- Streaming: in a process with the api role, ``startup`` puts the HLS service in
  ``ctx.state["video.streaming"]`` for ``plugins.video.routes``; in one with the worker role, it
  starts the ``HlsWorker`` (``ctx.state["video.hls_worker"]``) that makes segments for api-only
  replicas. ``shutdown`` stops their producers.
- Schema and routes: the plugin owns ``video_stream_session`` (``migrations/``) and the
  ``/api/assets/{id}/video/...`` operations (``routes.py``); skipping the plugin removes the
  routes and leaves the table as it is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from pathlib import Path
from typing import Any

from immich import hookimpl
from immich.api.routing import Operation
from immich.context import AppContext
from immich.jobs.types import NIGHTLY, CronDuty, JobDefinition, JobRequest, RenditionsResult

from ._hls_worker import HlsWorker
from .hls import HlsService
from .jobs import (
    ENCODE,
    ENCODE_ALL,
    HLS_CLEANUP,
    QUEUE,
    STREAMING_STATE_KEY,
    encode_all,
    encode_video,
    hls_cleanup,
)
from .poster import generate_video_thumbnails
from .routes import router

HLS_WORKER_STATE_KEY = "video.hls_worker"
CHAINED_SOURCES = frozenset({"upload", "copy"})
ENCODE_TIMEOUT_S = 6 * 3600  # a long 4K video on a small CPU
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name=ENCODE, queue=QUEUE, handler=encode_video, timeout_s=ENCODE_TIMEOUT_S),
        JobDefinition(name=ENCODE_ALL, queue=QUEUE, handler=encode_all),
        JobDefinition(name=HLS_CLEANUP, queue="backgroundTask", handler=hls_cleanup),
    ]


async def _enqueue_cleanup(ctx: AppContext) -> None:
    if ctx.config.get().get("nightlyTasks", {}).get("databaseCleanup", True):
        await ctx.queues.enqueue(JobRequest(HLS_CLEANUP))


@hookimpl
def register_cron_jobs() -> Sequence[CronDuty]:
    return [CronDuty(name="hls-session-cleanup", cron=NIGHTLY, handler=_enqueue_cleanup)]


@hookimpl
def make_video_poster(ctx: AppContext, asset: Mapping[str, Any]) -> Awaitable[RenditionsResult]:
    return generate_video_thumbnails(ctx, asset)


@hookimpl
def on_thumbnails_generated(
    ctx: AppContext, asset_id: str, asset_type: str, source: str | None
) -> Sequence[JobRequest] | None:
    if asset_type != "VIDEO" or source not in CHAINED_SOURCES:
        return None
    return [JobRequest(ENCODE, {"id": asset_id, "source": source})]


@hookimpl
async def startup(ctx: AppContext) -> None:
    if "api" in ctx.settings.roles:
        ctx.state[STREAMING_STATE_KEY] = HlsService(ctx)
    if "worker" in ctx.settings.roles:
        worker = HlsWorker(ctx)
        ctx.state[HLS_WORKER_STATE_KEY] = worker
        await worker.start()


@hookimpl
async def shutdown(ctx: AppContext) -> None:
    service: HlsService | None = ctx.state.pop(STREAMING_STATE_KEY, None)
    if service is not None:
        await service.close()
    worker: HlsWorker | None = ctx.state.pop(HLS_WORKER_STATE_KEY, None)
    if worker is not None:
        await worker.stop()


@hookimpl
def register_migrations() -> Path | None:
    return MIGRATIONS


@hookimpl
def register_routes() -> Sequence[Operation]:
    return router.operations
