"""The thumbnails plugin's job handlers: ``AssetGenerateThumbnails {id}`` and its "queue all".

For an IMAGE asset: decode the original once, write ``thumbs/<owner>/<aa>/<bb>/<id>_preview``
and ``_thumbnail`` (extensions from ``image.preview.format`` / ``image.thumbnail.format``; a
``_fullsize`` copy when ``image.fullsize.enabled`` and browsers cannot show the original),
upsert their ``asset_file`` rows, store the ThumbHash, set ``asset_job_status.thumbnailAt``.
Files are written to temporary files and renamed, so a failed run leaves nothing behind; a
file that cannot be decoded records the reason in ``failures["thumbnailGeneration"]`` and
fails the job. VIDEO assets get their poster from the video plugin's
``generate_video_thumbnails`` when that plugin is loaded (the same files and rows), else are
skipped; hidden ones are skipped (as Immich).
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from immich.context import AppContext
from immich.db.repos import Row, asset_files, job_status
from immich.db.repos import exif as exif_repo
from immich.jobs.types import JobRequest
from immich.storage import layout
from plugins.thumbnails._config import ImageConfig
from plugins.thumbnails._generate import generate
from plugins.thumbnails._types import Result

log = logging.getLogger(__name__)

GENERATE = "AssetGenerateThumbnails"
GENERATE_ALL = "AssetGenerateThumbnailsQueueAll"
QUEUE = "thumbnailGeneration"


class ThumbnailJobError(Exception):
    """The asset's thumbnails could not be made; the reason is recorded with the asset."""


def asset_id_of(data: Mapping[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(str(data["id"]))
    except (KeyError, ValueError):
        raise ValueError(f"job data needs an asset id, got {dict(data)!r}") from None


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


VideoPoster = Callable[[AppContext, Any], Awaitable[dict[str, Any]]]


def video_poster(ctx: AppContext) -> VideoPoster | None:
    """The video plugin's poster maker (``plugins.video.poster.generate_video_thumbnails``:
    files, rows, ThumbHash and job status for a VIDEO asset), when that plugin is loaded."""
    try:
        from plugins.video import plugin as video_plugin
        from plugins.video.poster import generate_video_thumbnails
    except ImportError:
        return None
    return generate_video_thumbnails if ctx.pm.is_registered(video_plugin) else None


async def generate_thumbnails(ctx: AppContext, data: Mapping[str, Any]) -> dict[str, Any]:
    asset_id = asset_id_of(data)
    pool = ctx.db.pool
    asset = await job_status.asset_for_job(pool, asset_id)
    if asset is None:
        log.warning("thumbnail generation: asset %s not found", asset_id)
        return {"id": str(asset_id), "status": "failed", "reason": "asset not found"}
    if asset["visibility"] == "hidden":
        return {"id": str(asset_id), "status": "skipped", "reason": "hidden"}
    if asset["type"] == "VIDEO" and (poster := video_poster(ctx)) is not None:
        return await poster(ctx, asset)
    if asset["type"] != "IMAGE":
        # no video plugin for VIDEO posters; AUDIO/OTHER have none
        return {"id": str(asset_id), "status": "skipped", "reason": asset["type"].lower()}
    try:
        cfg = ImageConfig.from_dict(ctx.config.get().get("image"))
        paths = outputs(ctx.settings.media_location, asset, cfg)
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
        reason = str(err) or type(err).__name__
        await job_status.record_failure(pool, asset_id, QUEUE, reason)
        log.warning("thumbnail generation failed for asset %s: %s", asset_id, reason)
        raise ThumbnailJobError(reason) from err
    stale = await _store(ctx, asset_id, cfg, made)
    for path in stale:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as err:
            log.warning("cannot remove the old file %s: %s", path, err)
    return {
        "id": str(asset_id),
        "status": "success",
        "assetType": "IMAGE",
        "width": made.width,
        "height": made.height,
        "fullsize": made.fullsize is not None,
    }


async def _store(ctx: AppContext, asset_id: uuid.UUID, cfg: ImageConfig, made: Result) -> list[str]:
    """Record the files, ThumbHash and success in one transaction; return the paths of files
    no longer used (an earlier format's, or a fullsize copy no longer made)."""
    async with ctx.db.pool.acquire() as conn, conn.transaction():
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


async def generate_all(ctx: AppContext, data: Mapping[str, Any]) -> dict[str, int]:
    """Enqueue ``AssetGenerateThumbnails`` for every visible asset (``force``) or for those
    missing a preview, a thumbnail or a ThumbHash."""
    force = bool(data.get("force"))
    after: uuid.UUID | None = None
    queued = 0
    while ids := await job_status.thumbnail_page(ctx.db.pool, force, after):
        for asset_id in ids:
            await ctx.queues.enqueue(JobRequest(GENERATE, {"id": str(asset_id)}))
        queued += len(ids)
        after = ids[-1]
    log.info("%s: queued %d job(s) (force=%s)", GENERATE, queued, force)
    return {"queued": queued}
