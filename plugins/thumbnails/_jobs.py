"""The thumbnails plugin's job handlers: ``AssetGenerateThumbnails {id}`` and its "queue all".

For an IMAGE asset: decode the original once, write ``thumbs/<owner>/<aa>/<bb>/<id>_preview``
and ``_thumbnail`` (extensions from ``image.preview.format`` / ``image.thumbnail.format``; a
``_fullsize`` copy when ``image.fullsize.enabled`` and browsers cannot show the original),
upsert their ``asset_file`` rows, store the ThumbHash, set ``asset_job_status.thumbnailAt``.
Files are written to temporary files and renamed, so a failed run leaves nothing behind (a
killed one's are removed by its retry, once its writer is gone (``immich.storage.orphans``)
or older than the job lease, and by the "queue all" run: ``immich.storage.temp``); a
file that cannot be decoded records the reason in ``failures["thumbnailGeneration"]`` and
fails the job. VIDEO assets get their poster from whichever plugin provides
``make_video_poster`` (the video plugin: the same files and rows), else are skipped; hidden
ones are skipped (as Immich), and so is an asset that vanished meanwhile (quietly).
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from immich.context import AppContext
from immich.db.repos import Row, asset_files, job_status
from immich.db.repos import exif as exif_repo
from immich.jobs.asset_jobs import asset_id_of, files_gone, gone, lock_asset, vanished
from immich.jobs.names import JobName
from immich.jobs.types import JobRequest, JobStatus, QueuedResult, RenditionsResult
from immich.media.renditions import ImageConfig, Result
from immich.storage import layout, temp
from plugins.thumbnails._generate import generate

log = logging.getLogger(__name__)

GENERATE = JobName.AssetGenerateThumbnails
GENERATE_ALL = JobName.AssetGenerateThumbnailsQueueAll
QUEUE = "thumbnailGeneration"


class ThumbnailJobError(Exception):
    """The asset's thumbnails could not be made; the reason is recorded with the asset."""


def is_srgb(exif: Row | None) -> bool | None:
    """Immich's ``isSRGB``: from the EXIF colour space or profile name, else 8-bit means sRGB.
    None without an EXIF row (the image library then goes by the ICC profile)."""
    if exif is None:
        return None
    colorspace, profile = exif["colorspace"], exif["profileDescription"]
    if colorspace or profile:
        return any("srgb" in str(s).lower() for s in (colorspace, profile) if s)
    if exif["bitsPerSample"]:
        return bool(exif["bitsPerSample"] == 8)
    return True


def outputs(media: Path, asset: Row, cfg: ImageConfig) -> dict[str, Path]:
    owner, asset_id = str(asset["ownerId"]), str(asset["id"])
    return {
        "preview": layout.thumbnail_path(media, owner, asset_id, "preview", cfg.preview.format),
        "thumbnail": layout.thumbnail_path(
            media, owner, asset_id, "thumbnail", cfg.thumbnail.format
        ),
        "fullsize": layout.thumbnail_path(media, owner, asset_id, "fullsize", cfg.fullsize.format),
    }


def _skipped(asset_id: uuid.UUID, asset_type: str, reason: str) -> RenditionsResult:
    return RenditionsResult(
        status=JobStatus.skipped, asset_id=str(asset_id), asset_type=asset_type, reason=reason
    )


async def generate_thumbnails(ctx: AppContext, data: Mapping[str, Any]) -> RenditionsResult:
    asset_id = asset_id_of(data)
    pool = ctx.db.pool
    asset = await job_status.asset_for_job(pool, asset_id)
    if asset is None:
        return vanished(GENERATE, asset_id, RenditionsResult)
    if asset["visibility"] == "hidden":
        return _skipped(asset_id, asset["type"], "hidden")
    if asset["type"] == "VIDEO":
        poster = ctx.hook.make_video_poster(ctx=ctx, asset=asset)
        if poster is None:  # no plugin makes video posters
            return _skipped(asset_id, "VIDEO", "video")
        made_poster: RenditionsResult = await poster
        return made_poster
    if asset["type"] != "IMAGE":  # AUDIO/OTHER have no thumbnails
        return _skipped(asset_id, asset["type"], asset["type"].lower())
    try:
        cfg = ImageConfig.from_dict(ctx.config.get().get("image"))
        paths = outputs(ctx.settings.media_location, asset, cfg)
        await asyncio.to_thread(_sweep_leftovers, paths.values(), ctx.settings.job_lease_s)
        exif = await exif_repo.get(pool, asset_id)
        made: Result = await asyncio.to_thread(
            generate,
            Path(asset["originalPath"]),
            paths["preview"],
            paths["thumbnail"],
            cfg,
            out_fullsize=paths["fullsize"],
            is_srgb=is_srgb(exif),
        )
    except Exception as err:
        if await gone(pool, asset_id):  # its file went with it
            return vanished(GENERATE, asset_id, RenditionsResult)
        reason = str(err) or type(err).__name__
        await job_status.record_failure(pool, asset_id, QUEUE, reason)
        log.warning("thumbnail generation failed for asset %s: %s", asset_id, reason)
        raise ThumbnailJobError(reason) from err
    written = [made.preview.path, made.thumbnail.path]
    written += [made.fullsize.path] if made.fullsize is not None else []
    try:
        stale = await _store(ctx, asset_id, cfg, made)
    except Exception:
        if not await gone(pool, asset_id):
            raise
        stale = [str(path) for path in written]  # e.g. its owner was hard-deleted meanwhile
        _remove(stale)
        return vanished(GENERATE, asset_id, RenditionsResult)
    _remove(stale)
    return RenditionsResult(
        asset_id=str(asset_id),
        asset_type="IMAGE",
        width=made.width,
        height=made.height,
        preview_path=str(made.preview.path),
        thumbnail_path=str(made.thumbnail.path),
        fullsize_path=str(made.fullsize.path) if made.fullsize is not None else None,
    )


def _sweep_leftovers(paths: Iterable[Path], lease_s: float) -> None:
    """A killed earlier run of this job (the one being retried, perhaps on another host) may
    have left temporary files of these outputs: those older than the lease go."""
    for path in paths:
        temp.sweep_leftovers_of(path, lease_s)


def _remove(paths: list[str]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as err:
            log.warning("cannot remove the old file %s: %s", path, err)


async def _store(ctx: AppContext, asset_id: uuid.UUID, cfg: ImageConfig, made: Result) -> list[str]:
    """Record the files, ThumbHash and success in one transaction; return the paths of files
    no longer used (an earlier format's, or a fullsize copy no longer made)."""
    async with ctx.db.transaction() as conn:
        await lock_asset(conn, asset_id)  # before its files: a racing delete waits
        before = {row["type"]: row["path"] for row in await asset_files.for_asset(conn, asset_id)}
        written = {
            "preview": (made.preview.path, cfg.preview.progressive),
            "thumbnail": (made.thumbnail.path, cfg.thumbnail.progressive),
        }
        if made.fullsize is not None:
            written["fullsize"] = (made.fullsize.path, cfg.fullsize.progressive)
        for kind, (path, progressive) in written.items():
            await asset_files.upsert(
                conn,
                asset_id,
                kind,  # type: ignore[arg-type]
                str(path),
                is_progressive=progressive,
            )
        if made.fullsize is None and "fullsize" in before:
            await asset_files.delete(conn, asset_id, "fullsize")
        await asset_files.set_thumbnail_result(
            conn, asset_id, made.thumbhash, made.width, made.height
        )
        await job_status.mark_done(conn, asset_id, "thumbnailAt", QUEUE)
    now = {kind: str(path) for kind, (path, _) in written.items()}
    return [
        path
        for kind, path in before.items()
        if kind in ("preview", "thumbnail", "fullsize") and now.get(kind) != path
    ]


async def generate_all(ctx: AppContext, data: Mapping[str, Any]) -> QueuedResult:
    """Enqueue ``AssetGenerateThumbnails`` for every visible asset (``force``) or for those
    missing a preview, a thumbnail or a ThumbHash: no row, or a row whose file is gone. First
    sweeps ``thumbs/`` of the temporary files killed workers left (``immich.storage.temp``)."""
    thumbs = ctx.settings.media_location / "thumbs"
    await asyncio.to_thread(temp.sweep, thumbs, ctx.settings.job_lease_s)
    force = bool(data.get("force"))
    after: uuid.UUID | None = None
    queued = 0
    while ids := await job_status.thumbnail_page(ctx.db.pool, force, after):
        for asset_id in ids:
            await ctx.queues.enqueue(JobRequest(GENERATE, {"id": str(asset_id)}))
        queued += len(ids)
        after = ids[-1]
    if not force:
        async for ids in files_gone(ctx.db.pool, ("preview", "thumbnail")):
            await ctx.queues.enqueue_all(JobRequest(GENERATE, {"id": str(i)}) for i in ids)
            queued += len(ids)
    log.info("%s: queued %d job(s) (force=%s)", GENERATE, queued, force)
    return QueuedResult(queued=queued)
