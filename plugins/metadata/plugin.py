"""The metadata plugin's hooks: the first link of the ingest job chain.

- ``on_asset_uploaded`` -> ``AssetExtractMetadata {id, source: "upload"}`` (as Immich's upload).
- ``AssetExtractMetadata`` / ``AssetExtractMetadataQueueAll {force}`` on ``metadataExtraction``;
  ``SidecarCheck`` / ``SidecarQueueAll {force}`` on ``sidecar``.
- ``on_job_finished``: a new motion-photo video gets its own ``AssetExtractMetadata`` (and
  ``AssetEncodeVideo`` when a plugin handles it); a replaced one ``AssetDelete`` (likewise); a
  sidecar that appeared, changed or went away refreshes the asset's metadata.
- ``startup``: a worker builds the reverse geocoder's index in the background.
- ``shutdown``: the worker's exiftool process exits (it starts on the first extraction).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

from immich import hookimpl
from immich.context import AppContext
from immich.jobs.types import JobDefinition, JobRequest
from plugins.metadata import geocode
from plugins.metadata._jobs import (
    EXTRACT,
    EXTRACT_ALL,
    QUEUE,
    SIDECAR_ALL,
    SIDECAR_CHECK,
    SIDECAR_QUEUE,
    close_exiftool,
    extract_all,
    extract_metadata,
    sidecar_all,
    sidecar_check,
)

PRELOAD_STATE = "metadata.geocoder-preload"


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name=EXTRACT, queue=QUEUE, handler=extract_metadata),
        JobDefinition(name=EXTRACT_ALL, queue=QUEUE, handler=extract_all),
        JobDefinition(name=SIDECAR_CHECK, queue=SIDECAR_QUEUE, handler=sidecar_check),
        JobDefinition(name=SIDECAR_ALL, queue=SIDECAR_QUEUE, handler=sidecar_all),
    ]


@hookimpl
def on_asset_uploaded(ctx: AppContext, asset: Mapping[str, Any]) -> Sequence[JobRequest] | None:
    return [JobRequest(EXTRACT, {"id": str(asset["id"]), "source": "upload"})]


@hookimpl
def on_job_finished(
    ctx: AppContext, name: str, data: Mapping[str, Any], result: Any
) -> Sequence[JobRequest] | None:
    if not isinstance(result, Mapping) or result.get("status") != "success":
        return None
    if name == SIDECAR_CHECK:
        return [JobRequest(EXTRACT, {"id": result["id"]})]
    if name != EXTRACT:
        return None
    jobs: list[JobRequest] = []
    motion = result.get("motionAssetId")
    if motion and result.get("motionAssetCreated"):
        jobs.append(JobRequest(EXTRACT, {"id": motion}))
        jobs.append(JobRequest("AssetEncodeVideo", {"id": motion}))
    replaced = result.get("replacedMotionAssetId")
    if replaced:
        jobs.append(JobRequest("AssetDelete", {"id": replaced, "deleteOnDisk": True}))
    return [job for job in jobs if job.name in ctx.queues.registry] or None


@hookimpl
def startup(ctx: AppContext) -> None:
    """A worker builds the reverse geocoder's index in the background (seconds of CPU), so
    the first photo with GPS does not wait for it."""
    geocode.use_data_folder(ctx.settings.reverse_geocoding_root)  # IMMICH_REVERSE_GEOCODING_ROOT
    enabled = ctx.config.get().get("reverseGeocoding", {}).get("enabled", True)
    if "worker" in ctx.settings.roles and enabled:
        ctx.state[PRELOAD_STATE] = asyncio.get_running_loop().create_task(geocode.preload())


@hookimpl
def shutdown(ctx: AppContext) -> Awaitable[None] | None:
    preload = ctx.state.pop(PRELOAD_STATE, None)
    if preload is not None:
        preload.cancel()
    return close_exiftool(ctx)
