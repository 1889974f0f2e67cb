"""The metadata plugin's hooks: the first link of the ingest job chain.

- ``on_asset_uploaded`` -> ``AssetExtractMetadata {id, source: "upload"}`` (as Immich's upload).
- ``AssetExtractMetadata`` / ``AssetExtractMetadataQueueAll {force}`` on ``metadataExtraction``;
  ``SidecarCheck`` / ``SidecarQueueAll {force}`` on ``sidecar``.
- ``on_job_finished`` of its own jobs: a successful extraction fires ``on_metadata_extracted``
  (the asset's type and the chain's ``source``; the thumbnails plugin answers an upload's);
  a new motion-photo video gets its own ``AssetExtractMetadata`` (and ``AssetEncodeVideo``
  when some plugin registers that job); a replaced one ``AssetDelete`` (likewise); a sidecar
  that appeared, changed or went away refreshes the asset's metadata.
- ``SidecarWrite`` on ``sidecar`` (the owner's edits into the XMP sidecar, queued by the core);
  once written (or skipped: nothing edited) the asset's metadata is refreshed with ``source:
  "sidecar-write"``, and that refresh raises ``on_asset_update`` (the asset's answer) for the
  owner's clients, as Immich's notification service does.
- ``reverse_geocode``: the provider behind ``GET /api/map/reverse-geocode`` (the same index).
- ``search_places``: the reverse geocoder's places by name (``GET /search/places``).
- ``startup``: a worker builds the reverse geocoder's index in the background.
- ``shutdown``: the worker's exiftool process exits (it starts on the first extraction).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

from immich import events, hookimpl
from immich.context import AppContext
from immich.jobs.asset_jobs import VANISHED
from immich.jobs.names import JobName
from immich.jobs.types import JobDefinition, JobRequest, JobResult, JobStatus
from immich.places import PlaceMatch
from immich.plugins import follow_ups
from immich.services.map import GeoPlace
from plugins.metadata import geocode
from plugins.metadata._jobs import (
    EXTRACT,
    EXTRACT_ALL,
    QUEUE,
    SIDECAR_ALL,
    SIDECAR_CHECK,
    SIDECAR_QUEUE,
    MetadataResult,
    close_exiftool,
    extract_all,
    extract_metadata,
    sidecar_all,
    sidecar_check,
)
from plugins.metadata._sidecar_job import SIDECAR_WRITE, sidecar_write

SIDECAR_WRITE_SOURCE = "sidecar-write"

PRELOAD_STATE = "metadata.geocoder-preload"


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name=EXTRACT, queue=QUEUE, handler=extract_metadata),
        JobDefinition(name=EXTRACT_ALL, queue=QUEUE, handler=extract_all),
        JobDefinition(name=SIDECAR_CHECK, queue=SIDECAR_QUEUE, handler=sidecar_check),
        JobDefinition(name=SIDECAR_ALL, queue=SIDECAR_QUEUE, handler=sidecar_all),
        JobDefinition(name=SIDECAR_WRITE, queue=SIDECAR_QUEUE, handler=sidecar_write),
    ]


@hookimpl
def on_asset_uploaded(ctx: AppContext, asset: Mapping[str, Any]) -> Sequence[JobRequest] | None:
    return [JobRequest(EXTRACT, {"id": str(asset["id"]), "source": "upload"})]


@hookimpl
def on_job_finished(
    ctx: AppContext, name: str, data: Mapping[str, Any], result: Any
) -> Sequence[JobRequest] | Awaitable[list[JobRequest]] | None:
    if not isinstance(result, JobResult) or result.asset_id is None:
        return None
    if name == SIDECAR_WRITE:  # written or nothing to write: read the sidecar back (Immich)
        if result.status is JobStatus.failed or result.reason == VANISHED:
            return None
        return [JobRequest(EXTRACT, {"id": result.asset_id, "source": SIDECAR_WRITE_SOURCE})]
    if not result.ok:
        return None
    if name == SIDECAR_CHECK:
        return [JobRequest(EXTRACT, {"id": result.asset_id})]
    if name == EXTRACT and isinstance(result, MetadataResult):
        return _extracted(ctx, result, data.get("source"))
    return None


async def _extracted(ctx: AppContext, result: MetadataResult, source: Any) -> list[JobRequest]:
    """Fire ``on_metadata_extracted``; its answers plus the motion photo's own jobs."""
    assert result.asset_id is not None
    jobs = await follow_ups(
        ctx.hook.on_metadata_extracted,
        ctx=ctx,
        asset_id=result.asset_id,
        asset_type=result.asset_type or "IMAGE",
        source=source if isinstance(source, str) else None,
    )
    own: list[JobRequest] = []
    motion = result.motion_asset_id
    if motion and result.motion_asset_created:
        own.append(JobRequest(EXTRACT, {"id": motion}))
        own.append(JobRequest(JobName.AssetEncodeVideo, {"id": motion}))
    if result.replaced_motion_asset_id:
        data = {"id": result.replaced_motion_asset_id, "deleteOnDisk": True}
        own.append(JobRequest(JobName.AssetDelete, data))
    if source == SIDECAR_WRITE_SOURCE:  # the owner's clients refresh the edited asset
        await events.emit(ctx, None, "on_asset_update", events.asset_update_ref(result.asset_id))
    # a job no plugin registers is left out (no video plugin: no transcode of the motion part)
    return jobs + [job for job in own if job.name in ctx.queues.registry]


@hookimpl
def reverse_geocode(
    ctx: AppContext, latitude: float, longitude: float
) -> Awaitable[GeoPlace | None]:
    return _reverse_geocode(latitude, longitude)


async def _reverse_geocode(latitude: float, longitude: float) -> GeoPlace | None:
    # The index is built on first use (about a second), off the event loop.
    place = await asyncio.to_thread(geocode.reverse_geocode, latitude, longitude)
    return None if place is None else GeoPlace(place.city, place.state, place.country)


@hookimpl
def startup(ctx: AppContext) -> None:
    """A worker builds the reverse geocoder's index in the background (seconds of CPU), so
    the first photo with GPS does not wait for it."""
    geocode.use_data_folder(ctx.settings.reverse_geocoding_root)  # IMMICH_REVERSE_GEOCODING_ROOT
    enabled = ctx.config.get().get("reverseGeocoding", {}).get("enabled", True)
    if "worker" in ctx.settings.roles and enabled:
        ctx.state[PRELOAD_STATE] = asyncio.get_running_loop().create_task(geocode.preload())


@hookimpl
def search_places(ctx: AppContext, name: str) -> Awaitable[Sequence[PlaceMatch]] | None:
    """The reverse geocoder's places named like ``name`` (the index is built in a thread on
    first use)."""
    return asyncio.to_thread(geocode.search_places, name)


@hookimpl
def shutdown(ctx: AppContext) -> Awaitable[None] | None:
    preload = ctx.state.pop(PRELOAD_STATE, None)
    if preload is not None:
        preload.cancel()
    return close_exiftool(ctx)
