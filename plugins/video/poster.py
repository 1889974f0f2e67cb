"""Video posters: a representative frame -> preview + thumbnail + ThumbHash, like images.

Frame choice: the keyframes at or before 10%, 20%, 30%, 40% and 50% of the duration are
decoded (keyframes only, so this costs a few frames, not the whole video) and the one with the
highest luminance variance wins: a black or flat fade-in frame has almost none. When all of
them are flat (a short clip whose only keyframe is the first, black, frame), frames from the
first half are decoded in order and every half second is scored instead.

The frame is scaled (shorter side at most ``image.preview.size``), turned upright from the
display rotation (an HDR frame tone mapped to BT.709 SDR as the transcode does, by
``ffmpeg.tonemap``), and handed as pixels to the core's ``immich.media.renditions.render``, the
code the thumbnails plugin's photos go through, so video posters get exactly the image
settings, formats, colour handling and ThumbHash of photos. The plugin provides the poster
through the ``make_video_poster`` hook, which the ``AssetGenerateThumbnails`` job calls for a
VIDEO asset: ``generate_video_thumbnails`` writes the files atomically and records them
(``asset_file``, ``asset.thumbhash``, ``asset_job_status.thumbnailAt``), or records the
reason and raises VideoError.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import pyvips

from immich.context import AppContext
from immich.db.repos import asset_files, job_status
from immich.jobs.asset_jobs import gone, lock_asset, vanished
from immich.jobs.names import JobName
from immich.jobs.types import RenditionsResult
from immich.media.renditions import ImageConfig, Result, ThumbnailError, render
from immich.storage import layout

from ._errors import VideoError, av_reason
from ._tonemap import ToneMap, plan, tonemap_rgb48
from .config import FFmpegConfig
from .policy import scaled_size
from .probe import MediaInfo, probe

log = logging.getLogger(__name__)

SAMPLE_POINTS = (0.1, 0.2, 0.3, 0.4, 0.5)
FLAT_VARIANCE = 40.0  # below this (8-bit luma variance) a frame counts as black or flat
SCAN_BUDGET_FRAMES = 600  # most frames decoded by the fallback scan
QUEUE = "thumbnailGeneration"


@dataclass(frozen=True, slots=True)
class PosterFrame:
    rgb: np.ndarray[Any, np.dtype[np.uint8]]  # upright, height x width x 3
    time: float  # seconds from the start of the stream
    score: float  # luminance variance


@dataclass(frozen=True, slots=True)
class Poster:
    result: Result
    frame_time: float
    width: int  # the video's upright size
    height: int


def luma_variance(frame: av.VideoFrame) -> float:
    """Variance of the luminance of a 64-pixel-wide copy of the frame."""
    width = 64
    height = max(2, round(frame.height * width / max(frame.width, 1)))
    small = frame.reformat(width=width, height=height, format="gray")
    return float(np.var(small.to_ndarray()))


def pick_frame(path: Path, info: MediaInfo, short_side: int, tonemap: str = "hable") -> PosterFrame:
    """The poster frame of ``path``, scaled so its shorter side is at most ``short_side``;
    an HDR (or BT.2020) frame tone mapped to BT.709 by ``tonemap`` (``ffmpeg.tonemap``)."""
    video = info.video
    if video is None:
        raise VideoError("cannot make a poster: no video stream")
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = container.streams[video.index]
            stream.codec_context.thread_type = "AUTO"
            best = _best_keyframe(container, stream, video.start_time, info.duration)
            if best is None or best[1] < FLAT_VARIANCE:
                scanned = _best_scanned(container, stream, info.duration)
                if scanned is not None and (best is None or scanned[1] > best[1]):
                    best = scanned
            if best is None:
                raise VideoError("cannot make a poster: no frame could be decoded")
            frame, score = best
            width, height = scaled_size(frame.width, frame.height, short_side)
            rgb = _to_rgb(
                frame, width, height, plan(tonemap, frame.color_trc, frame.color_primaries)
            )
    except av.FFmpegError as exc:
        raise VideoError(f"cannot decode video: {av_reason(exc)}") from exc
    turns = video.rotation // 90  # counter-clockwise quarter turns, as np.rot90 counts
    upright = np.ascontiguousarray(np.rot90(rgb, turns) if turns else rgb, dtype=np.uint8)
    return PosterFrame(upright, float(frame.time or 0.0) - video.start_time, score)


def _to_rgb(
    frame: av.VideoFrame, width: int, height: int, tm: ToneMap | None
) -> np.ndarray[Any, np.dtype[np.uint8]]:
    if tm is None:
        small = frame.reformat(width=width, height=height, format="rgb24", interpolation="AREA")
        return np.asarray(small.to_ndarray(), dtype=np.uint8)
    deep = frame.reformat(
        width=width,
        height=height,
        format="rgb48le",
        src_colorspace="bt2020",
        src_color_range=frame.color_range,
        interpolation="AREA",
    )
    return tonemap_rgb48(np.asarray(deep.to_ndarray(), dtype=np.uint16), tm)


def _first_frame(container: Any, stream: Any) -> av.VideoFrame | None:
    for packet in container.demux(stream):
        for frame in packet.decode():
            assert isinstance(frame, av.VideoFrame)
            return frame
    return None


def _best_keyframe(
    container: Any, stream: Any, start: float, duration: float
) -> tuple[av.VideoFrame, float] | None:
    if duration <= 0 or not stream.time_base:
        return None
    stream.codec_context.skip_frame = "NONKEY"
    best: tuple[av.VideoFrame, float] | None = None
    seen: set[int | None] = set()
    try:
        for point in SAMPLE_POINTS:
            target = int((start + point * duration) / stream.time_base)
            container.seek(target, stream=stream, backward=True)
            frame = _first_frame(container, stream)
            if frame is None or frame.pts in seen:
                continue
            seen.add(frame.pts)
            score = luma_variance(frame)
            if best is None or score > best[1]:
                best = (frame, score)
    except av.FFmpegError as exc:  # an unseekable file: the scan below still works
        log.debug("poster: seeking failed (%s), scanning instead", av_reason(exc))
    finally:
        stream.codec_context.skip_frame = "DEFAULT"
    return best


def _best_scanned(
    container: Any, stream: Any, duration: float
) -> tuple[av.VideoFrame, float] | None:
    """Decode from the start, scoring a frame every half second of the first half."""
    try:
        container.seek(0)
    except av.FFmpegError:
        pass
    limit = duration * 0.5 if duration > 0 else float("inf")
    best: tuple[av.VideoFrame, float] | None = None
    next_time = float("-inf")
    for count, frame in enumerate(_frames(container, stream)):
        t = float(frame.time or 0.0)
        if count >= SCAN_BUDGET_FRAMES or (best is not None and t > limit):
            break
        if t < next_time:
            continue
        next_time = t + 0.5
        score = luma_variance(frame)
        if best is None or score > best[1]:
            best = (frame, score)
    return best


def _frames(container: Any, stream: Any) -> Iterator[av.VideoFrame]:
    for frame in container.decode(stream):
        assert isinstance(frame, av.VideoFrame)
        yield frame


def make_poster(
    source: Path,
    out_preview: Path,
    out_thumbnail: Path,
    cfg: ImageConfig,
    info: MediaInfo | None = None,
    tonemap: str = "hable",
) -> Poster:
    """Pick the poster frame of ``source`` and write the preview and thumbnail files
    (atomically, by the core's renditions). Raises VideoError with the reason."""
    info = info or probe(source)
    video = info.video
    if video is None:
        raise VideoError("cannot make a poster: no video stream")
    frame = pick_frame(source, info, cfg.preview.size, tonemap)
    height, width, _ = frame.rgb.shape
    try:
        image = pyvips.Image.new_from_memory(frame.rgb.tobytes(), width, height, 3, "uchar")
        image = image.copy(interpretation="srgb")
        result = render(
            image,
            out_preview,
            out_thumbnail,
            cfg,
            size=(width, height),
            decoder="pyav",
            name=source.name,
            is_srgb=True,
        )
    except (ThumbnailError, pyvips.Error) as exc:
        raise VideoError(f"cannot write the poster: {exc}") from exc
    return Poster(result, frame.time, video.display_width, video.display_height)


async def generate_video_thumbnails(ctx: AppContext, asset: Mapping[str, Any]) -> RenditionsResult:
    """The thumbnail job's work for a VIDEO asset row (needs ``id``, ``ownerId``,
    ``originalPath``): poster files, their ``asset_file`` rows, the ThumbHash and
    ``thumbnailAt``. Returns what was made (skipped when the asset vanished meanwhile);
    records the reason and raises VideoError when the video cannot be read."""
    asset_id = asset["id"]
    pool = ctx.db.pool
    try:
        cfg = ImageConfig.from_dict(ctx.config.get().get("image"))
        media = ctx.settings.media_location
        owner = str(asset["ownerId"])
        preview = layout.thumbnail_path(media, owner, str(asset_id), "preview", cfg.preview.format)
        thumb = layout.thumbnail_path(
            media, owner, str(asset_id), "thumbnail", cfg.thumbnail.format
        )
        tonemap = FFmpegConfig.from_dict(ctx.config.get().get("ffmpeg")).tonemap
        poster = await asyncio.to_thread(
            make_poster, Path(asset["originalPath"]), preview, thumb, cfg, None, tonemap
        )
    except (VideoError, ValueError) as err:
        if await gone(pool, asset_id):
            return _vanished(asset_id)
        await job_status.record_failure(pool, asset_id, QUEUE, str(err))
        log.warning("video poster failed for asset %s: %s", asset_id, err)
        raise VideoError(str(err)) from err
    made = poster.result
    now = {"preview": str(made.preview.path), "thumbnail": str(made.thumbnail.path)}
    try:
        before = await _store(ctx, asset_id, cfg, poster)
    except Exception:
        if not await gone(pool, asset_id):
            raise
        for path in now.values():
            with contextlib.suppress(OSError):
                os.unlink(path)
        return _vanished(asset_id)
    for kind, path in before.items():
        if kind in now and now[kind] != path:
            with contextlib.suppress(OSError):
                os.unlink(path)
    return RenditionsResult(
        asset_id=str(asset_id),
        asset_type="VIDEO",
        preview_path=now["preview"],
        thumbnail_path=now["thumbnail"],
        width=poster.width,
        height=poster.height,
        poster_time=round(poster.frame_time, 3),
    )


def _vanished(asset_id: Any) -> RenditionsResult:
    return vanished(JobName.AssetGenerateThumbnails, asset_id, RenditionsResult)


async def _store(
    ctx: AppContext, asset_id: Any, cfg: ImageConfig, poster: Poster
) -> dict[str, str]:
    """Record the poster's files, ThumbHash and success in one transaction; return the file
    paths recorded before."""
    made = poster.result
    async with ctx.db.transaction() as conn:
        await lock_asset(conn, asset_id)  # before its files: a racing delete waits
        before = {r["type"]: r["path"] for r in await asset_files.for_asset(conn, asset_id)}
        await asset_files.upsert(
            conn,
            asset_id,
            "preview",
            str(made.preview.path),
            is_progressive=cfg.preview.progressive,
        )
        await asset_files.upsert(
            conn,
            asset_id,
            "thumbnail",
            str(made.thumbnail.path),
            is_progressive=cfg.thumbnail.progressive,
        )
        await asset_files.set_thumbnail_result(
            conn, asset_id, made.thumbhash, poster.width, poster.height
        )
        await job_status.mark_done(conn, asset_id, "thumbnailAt", QUEUE)
    return before
