"""The thumbnails plugin's hooks: thumbnails follow metadata extraction, as in Immich.

- ``AssetGenerateThumbnails {id}`` and ``AssetGenerateThumbnailsQueueAll {force}`` on the
  ``thumbnailGeneration`` queue (the queue's "start" button enqueues the latter).
- ``on_job_finished(AssetExtractMetadata)`` of a fresh upload (``source`` "upload" or "copy",
  as Immich's job service) -> ``AssetGenerateThumbnails {id, source}``. A metadata refresh on
  its own does not regenerate thumbnails.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from immich import hookimpl
from immich.context import AppContext
from immich.jobs.types import JobDefinition, JobRequest
from immich.plugins import flatten
from plugins.thumbnails._jobs import (
    GENERATE,
    GENERATE_ALL,
    QUEUE,
    generate_all,
    generate_thumbnails,
)

METADATA_JOB = "AssetExtractMetadata"
CHAINED_SOURCES = frozenset({"upload", "copy"})


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name=GENERATE, queue=QUEUE, handler=generate_thumbnails),
        JobDefinition(name=GENERATE_ALL, queue=QUEUE, handler=generate_all),
    ]


@hookimpl
def on_job_finished(
    ctx: AppContext, name: str, data: Mapping[str, Any], result: Any
) -> Sequence[JobRequest] | None:
    if name == GENERATE:
        return _thumbnails_generated(ctx, data, result)
    if name != METADATA_JOB or data.get("source") not in CHAINED_SOURCES:
        return None
    if not isinstance(result, Mapping) or result.get("status") != "success":
        return None
    return [JobRequest(GENERATE, {"id": str(data["id"]), "source": data["source"]})]


def _thumbnails_generated(
    ctx: AppContext, data: Mapping[str, Any], result: Any
) -> list[JobRequest] | None:
    """A successful thumbnail job fires ``on_thumbnails_generated``; its answers are follow-ups."""
    if not isinstance(result, Mapping) or result.get("status") != "success":
        return None
    answers = ctx.hook.on_thumbnails_generated(
        ctx=ctx,
        asset_id=str(data["id"]),
        asset_type=str(result.get("assetType", "IMAGE")),
        source=data.get("source"),
    )
    return flatten(answers) or None
