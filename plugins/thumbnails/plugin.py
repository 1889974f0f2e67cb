"""The thumbnails plugin's hooks: thumbnails follow metadata extraction, as in Immich.

- ``AssetGenerateThumbnails {id}`` and ``AssetGenerateThumbnailsQueueAll {force}`` on the
  ``thumbnailGeneration`` queue (the queue's "start" button enqueues the latter).
- ``on_metadata_extracted`` of a fresh upload (``source`` "upload" or "copy", as Immich's job
  service) -> ``AssetGenerateThumbnails {id, source}``. A metadata refresh on its own does
  not regenerate thumbnails.
- Its own job's success fires ``on_thumbnails_generated`` (the asset's type and the chain's
  source); the plugins answering it (video transcoding, later smart search, faces, ...) give
  the follow-up jobs. The plugin knows none of them, nor which plugin extracts metadata.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

from immich import events, hookimpl
from immich.context import AppContext
from immich.jobs.types import JobDefinition, JobRequest, RenditionsResult
from immich.plugins import follow_ups
from plugins.thumbnails._jobs import (
    GENERATE,
    GENERATE_ALL,
    QUEUE,
    generate_all,
    generate_thumbnails,
)

CHAINED_SOURCES = frozenset({"upload", "copy"})


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name=GENERATE, queue=QUEUE, handler=generate_thumbnails),
        JobDefinition(name=GENERATE_ALL, queue=QUEUE, handler=generate_all),
    ]


@hookimpl
def on_metadata_extracted(
    ctx: AppContext, asset_id: str, asset_type: str, source: str | None
) -> Sequence[JobRequest] | None:
    if source not in CHAINED_SOURCES:
        return None
    return [JobRequest(GENERATE, {"id": asset_id, "source": source})]


@hookimpl
def on_job_finished(
    ctx: AppContext, name: str, data: Mapping[str, Any], result: Any
) -> Awaitable[list[JobRequest]] | None:
    """Our own job succeeded: fire ``on_thumbnails_generated``; its answers are follow-ups."""
    if name != GENERATE or not isinstance(result, RenditionsResult) or not result.ok:
        return None
    jobs = follow_ups(
        ctx.hook.on_thumbnails_generated,
        ctx=ctx,
        asset_id=str(data["id"]),
        asset_type=result.asset_type or "IMAGE",
        source=data.get("source"),
    )
    if data.get("source") != "upload" and not data.get("notify"):
        return jobs
    return _announced(ctx, str(data["id"]), jobs)


async def _announced(
    ctx: AppContext, asset_id: str, jobs: Awaitable[list[JobRequest]]
) -> list[JobRequest]:
    """As Immich: a new upload's thumbnails are ready, so its owner's clients hear of it."""
    found = await jobs
    await events.emit(ctx, None, "on_upload_success", events.asset_ref(asset_id))
    await events.emit(ctx, None, "AssetUploadReadyV2", events.upload_ready_ref(asset_id))
    return found
