"""The metadata plugin's job handlers: extraction, sidecar discovery and their "queue all" jobs.

``AssetExtractMetadata {id}`` loads the asset, reads it (and its XMP sidecar) with the worker's
exiftool process, upserts ``asset_exif``, tags the asset with its keywords (``TagsList``,
``HierarchicalSubject`` or ``Keywords``, tags made where missing), updates the asset's dates, size and duration as
Immich's metadata service does, links live photos, extracts motion-photo videos, and sets
``asset_job_status.metadataExtractedAt``. A file that cannot be read records the reason in
``asset_job_status.failures["metadataExtraction"]`` and fails the job; the worker goes on.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from immich import events
from immich.context import AppContext
from immich.db.repos import Conn, Row, asset_files, job_status
from immich.db.repos import exif as exif_repo
from immich.jobs.asset_jobs import asset_id_of, gone, lock_asset, vanished
from immich.jobs.names import JobName
from immich.jobs.types import JobRequest, JobResult, JobStatus, QueuedResult
from immich.services import tags as tag_service
from plugins.metadata._live import apply_motion_photo, link_live_photo
from plugins.metadata.exiftool import ExifTool
from plugins.metadata.extract import Exif, extract
from plugins.metadata.sidecar import sidecar_candidates

log = logging.getLogger(__name__)

EXTRACT = JobName.AssetExtractMetadata
EXTRACT_ALL = JobName.AssetExtractMetadataQueueAll
SIDECAR_CHECK = JobName.SidecarCheck
SIDECAR_ALL = JobName.SidecarQueueAll
QUEUE = "metadataExtraction"
SIDECAR_QUEUE = "sidecar"
EXIFTOOL_STATE = "metadata.exiftool"
SIDEWAYS = frozenset({"5", "6", "7", "8"})  # EXIF orientations that swap width and height


class MetadataJobError(Exception):
    """The asset's file could not be read; the reason is recorded with the asset."""


@attrs.frozen(kw_only=True)
class MetadataResult(JobResult):
    """``AssetExtractMetadata``'s result: besides the asset's type, what it linked or made.

    ``motion_asset_id``: the hidden video of a motion photo (``motion_asset_created`` when
    this run made it); ``replaced_motion_asset_id``: an earlier one it replaced;
    ``live_photo_linked``: the other half of a live photo it linked.
    """

    motion_asset_id: str | None = None
    motion_asset_created: bool = False
    replaced_motion_asset_id: str | None = None
    live_photo_linked: str | None = None


def exiftool(ctx: AppContext) -> ExifTool:
    """This process's exiftool client (the process itself starts on the first request)."""
    et: ExifTool | None = ctx.state.get(EXIFTOOL_STATE)
    if et is None:
        et = ctx.state[EXIFTOOL_STATE] = ExifTool()
    return et


async def close_exiftool(ctx: AppContext) -> None:
    et: ExifTool | None = ctx.state.pop(EXIFTOOL_STATE, None)
    if et is not None:
        await et.close()


def display_size(exif: Exif) -> tuple[int | None, int | None]:
    """Width and height as shown: EXIF orientations 5-8 turn the picture sideways."""
    width, height = exif.exifImageWidth, exif.exifImageHeight
    if exif.orientation in SIDEWAYS:
        return height, width
    return width, height


def sidecar_of(asset: Row) -> Path | None:
    """The asset's sidecar: its ``sidecar`` file row, else the legacy ``sidecarPath``; only
    when the file is there."""
    for value in (asset["sidecarFile"], asset["sidecarPath"]):
        if value and os.path.isfile(value):
            return Path(value)
    return None


async def fail(db: Conn, asset_id: uuid.UUID, queue: str, reason: str) -> MetadataJobError:
    await job_status.record_failure(db, asset_id, queue, reason)
    log.warning("%s failed for asset %s: %s", queue, asset_id, reason)
    return MetadataJobError(reason)


async def extract_metadata(ctx: AppContext, data: Mapping[str, Any]) -> MetadataResult:
    asset_id = asset_id_of(data)
    pool = ctx.db.pool
    asset = await job_status.asset_for_job(pool, asset_id)
    if asset is None:
        return vanished(EXTRACT, asset_id, MetadataResult)
    try:
        return await _extract(ctx, asset_id, asset)
    except Exception:
        if await gone(pool, asset_id):  # deleted meanwhile (its owner, say): no failure
            return vanished(EXTRACT, asset_id, MetadataResult)
        raise


async def _extract(ctx: AppContext, asset_id: uuid.UUID, asset: Row) -> MetadataResult:
    pool = ctx.db.pool
    config = ctx.config.get()
    geocoding = bool(config.get("reverseGeocoding", {}).get("enabled", True))
    et = exiftool(ctx)
    try:
        exif = await extract(
            Path(asset["originalPath"]),
            sidecar_of(asset),
            ctx.settings.tz,
            exiftool=et,
            file_created_at=min(asset["fileCreatedAt"], asset["fileModifiedAt"]),
            reverse_geocoding=geocoding,
            file_modified_at=asset["fileModifiedAt"],
        )
    except Exception as err:
        if await gone(pool, asset_id):
            raise  # the caller ends the job as skipped
        raise await fail(pool, asset_id, QUEUE, str(err) or type(err).__name__) from err
    width, height = display_size(exif)
    async with ctx.db.transaction() as conn:
        await lock_asset(conn, asset_id)  # before its exif: a racing delete waits
        await exif_repo.upsert(conn, asset_id, exif.exif_row())
        await exif_repo.apply_to_asset(
            conn,
            asset_id,
            file_created_at=exif.dateTimeOriginal,
            local_date_time=exif.localDateTime,
            file_modified_at=exif.modifyDate or asset["fileModifiedAt"],
            duration_ms=exif.duration,
            width=width,
            height=height,
        )
        # the stored tag values (the file's keywords unless the owner locked theirs) -> tags
        await tag_service.apply_file_keywords(conn, asset_id, asset["ownerId"])
    found: dict[str, Any] = {}
    if exif.motion is not None and asset["type"] == "IMAGE":
        motion = await apply_motion_photo(ctx, asset, exif, et)
        if motion is not None:
            found["motion_asset_id"] = str(motion.id)
            found["motion_asset_created"] = motion.created
            if motion.replaced is not None:
                found["replaced_motion_asset_id"] = str(motion.replaced)
    if exif.livePhotoCID and asset["type"] in ("IMAGE", "VIDEO"):
        linked = await link_live_photo(ctx.db, asset, exif.livePhotoCID)
        if linked is not None:
            found["live_photo_linked"] = str(linked)
            video = linked if asset["type"] == "IMAGE" else asset_id  # now hidden (as Immich)
            await events.emit(ctx, [asset["ownerId"]], "on_asset_hidden", str(video))
    await job_status.mark_done(pool, asset_id, "metadataExtractedAt", QUEUE)
    return MetadataResult(asset_id=str(asset_id), asset_type=asset["type"], **found)


async def sidecar_check(ctx: AppContext, data: Mapping[str, Any]) -> JobResult:
    """Find the asset's XMP sidecar (``file.ext.xmp``, then ``file.xmp``) and record it as its
    ``sidecar`` file; "success" when that changed (a metadata refresh follows), else "skipped"."""
    asset_id = asset_id_of(data)
    pool = ctx.db.pool
    asset = await job_status.asset_for_job(pool, asset_id)
    if asset is None:
        return vanished(SIDECAR_CHECK, asset_id)
    current: str | None = asset["sidecarFile"]
    candidates = [Path(p) for p in (current, asset["sidecarPath"]) if p]
    candidates += sidecar_candidates(Path(asset["originalPath"]))
    found = next((c for c in candidates if c.is_file() and os.access(c, os.R_OK)), None)
    if found is None:
        if current is not None:
            await asset_files.delete(pool, asset_id, "sidecar")
    elif str(found) != current:
        await asset_files.upsert(pool, asset_id, "sidecar", str(found))
    changed = (str(found) if found else None) != current
    status = JobStatus.success if changed else JobStatus.skipped
    return JobResult(status=status, asset_id=str(asset_id), asset_type=asset["type"])


Page = Callable[[Conn, bool, "uuid.UUID | None"], Awaitable[list[uuid.UUID]]]


async def queue_all(ctx: AppContext, data: Mapping[str, Any], page: Page, job: str) -> int:
    """Enqueue ``job {id}`` for every asset ``page`` lists (a page at a time)."""
    force = bool(data.get("force"))
    after: uuid.UUID | None = None
    queued = 0
    while ids := await page(ctx.db.pool, force, after):
        for asset_id in ids:
            await ctx.queues.enqueue(JobRequest(job, {"id": str(asset_id)}))
        queued += len(ids)
        after = ids[-1]
    log.info("%s: queued %d job(s) (force=%s)", job, queued, force)
    return queued


async def extract_all(ctx: AppContext, data: Mapping[str, Any]) -> QueuedResult:
    return QueuedResult(queued=await queue_all(ctx, data, job_status.metadata_page, EXTRACT))


async def sidecar_all(ctx: AppContext, data: Mapping[str, Any]) -> QueuedResult:
    queued = await queue_all(ctx, data, job_status.sidecar_page, SIDECAR_CHECK)
    return QueuedResult(queued=queued)
