"""Two-pass encoding (``ffmpeg.twoPass``), as Immich decides it, with PyAV.

Eligible as in Immich: H.264/HEVC when ``maxBitrate`` is set (bitrate mode: target
``max / 1.45``, minimum half the target, maximum ``max``; no CRF), VP9 and AV1 always.
PyAV can hand libx264 (``stats`` option, pass flags) and libx265 (``x265-params``
``pass``/``stats``) a stats file; libvpx and SVT-AV1 keep their first-pass stats in the
codec context's ``stats_out``/``stats_in``, which PyAV does not expose, so those stay single
pass (logged). The first pass decodes and converts the video exactly as the second does and
throws its packets away; the stats live in a folder beside the output's temporary file (on the
media filesystem, not ``/tmp``), removed afterwards, or swept with that file after a kill
(``immich.storage.temp``).
"""

from __future__ import annotations

import logging
import math
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from immich.storage.temp import work_folder_for

from ._encoders import VIDEO_ENCODERS, video_options
from ._frames import FramePipe
from ._tonemap import ToneMap
from .config import FFmpegConfig

log = logging.getLogger(__name__)

STATS_CODECS = ("h264", "hevc")


@dataclass(frozen=True, slots=True)
class Pass:
    """Encoder settings of one pass: extra options and the codec flag."""

    number: int  # 1 or 2
    stats: Path

    def apply(self, ctx: Any, codec: str, options: dict[str, str]) -> None:
        opts = dict(options)
        if codec == "h264":
            opts["stats"] = str(self.stats)
        else:
            extra = f"pass={self.number}:stats={self.stats}"
            opts["x265-params"] = (
                f"{opts['x265-params']}:{extra}" if "x265-params" in opts else extra
            )
        ctx.options = opts
        flag = av.codec.context.Flags.pass1 if self.number == 1 else av.codec.context.Flags.pass2
        ctx.flags |= flag


def eligible(cfg: FFmpegConfig) -> bool:
    """Whether Immich would encode ``cfg``'s target in two passes."""
    if not cfg.two_pass:
        return False
    if cfg.target_video_codec in ("h264", "hevc"):
        return cfg.encoder_bitrate_bps > 0
    return True


def usable(cfg: FFmpegConfig) -> bool:
    """Eligible and doable with PyAV (logs why not when eligible but not doable)."""
    if not eligible(cfg):
        return False
    if cfg.target_video_codec not in STATS_CODECS:
        log.info(
            "twoPass: %s keeps its first-pass stats where PyAV cannot reach them; one pass",
            VIDEO_ENCODERS[cfg.target_video_codec],
        )
        return False
    return True


def options(cfg: FFmpegConfig, codec: str) -> dict[str, str]:
    """Encoder options of both passes: the bitrate distribution instead of CRF."""
    opts = video_options(cfg, codec)
    top = cfg.encoder_bitrate_bps
    target = math.ceil(top / 1.45)
    for key in ("crf", "maxrate", "bufsize"):
        opts.pop(key, None)
    opts["b"] = str(target)
    opts["minrate"] = str(target // 2)
    opts["maxrate"] = str(top)
    opts["bufsize"] = str(2 * top)  # without a buffer x264/x265 ignore maxrate
    return opts


@contextmanager
def stats_folder(temp: Path) -> Iterator[Path]:
    """A folder for the stats files of the encode into ``temp`` (``temp_for``'s name),
    removed with everything in it."""
    folder = work_folder_for(temp)
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def first_pass(
    source: Path,
    stream_index: int,
    cfg: FFmpegConfig,
    rotation: int,
    size: tuple[int, int],
    tonemap: ToneMap | None,
    stats: Path,
) -> int:
    """Run the analysis pass over the video of ``source``; returns the frames encoded."""
    codec = cfg.target_video_codec
    count = 0
    with av.open(str(source), metadata_errors="ignore") as inp:
        vin: Any = inp.streams[stream_index]
        vin.codec_context.thread_type = "AUTO"
        pipe = FramePipe(vin, rotation, size[0], size[1], tonemap=tonemap)
        ctx: Any = av.CodecContext.create(VIDEO_ENCODERS[codec], "w")
        ctx.width, ctx.height, ctx.pix_fmt = size[0], size[1], "yuv420p"
        ctx.time_base = vin.time_base or Fraction(1, 90000)
        ctx.framerate = vin.average_rate or vin.guessed_rate or Fraction(30)
        ctx.thread_count = cfg.threads
        Pass(1, stats).apply(ctx, codec, options(cfg, codec))
        last: int | None = None
        for frame in _decoded(inp, vin):
            for f in pipe.push(frame):
                if f.pts is None:
                    continue
                if last is not None and f.pts <= last:
                    f.pts = last + 1
                last = f.pts
                f.pict_type = av.video.frame.PictureType.NONE
                ctx.encode(f)
                count += 1
        ctx.encode(None)
    return count


def _decoded(inp: Any, vin: Any) -> Iterator[av.VideoFrame | None]:
    yield from inp.decode(vin)
    yield None  # flush the filter graph
