"""HDR -> SDR transcode speed: a 1080p 10-bit PQ HEVC clip through the plugin's transcode.

    .venv/bin/python bench/hdr_bench.py [--frames 120] [--keep /tmp/bench-hdr-1080p.mkv]

Makes (or reuses) a 1920x1080 30 fps HEVC Main10 clip tagged BT.2020/PQ (a moving gradient
from 1 to 1000 cd/m²), then transcodes it with Immich's defaults (h264, crf 23, ultrafast,
tonemap hable) under policy "all", at 1080p ("original") and at 720p, with tone mapping and
with ``tonemap=disabled`` for contrast, and prints frames per second. The LUT is built once
before timing (it is cached on disk after the first use).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from plugins.video._tonemap import ToneMap, lut_file  # noqa: E402
from plugins.video.config import FFmpegConfig  # noqa: E402
from plugins.video.transcode import transcode  # noqa: E402


def pq(nits: np.ndarray) -> np.ndarray:
    p = (nits / 10000.0) ** 0.1593017578125
    return ((0.8359375 + 18.8515625 * p) / (1 + 18.6875 * p)) ** 78.84375


def make_clip(path: Path, frames: int) -> None:
    w, h = 1920, 1080
    x = np.linspace(0, 1, w)[None, :] * np.ones((h, 1))
    y = np.linspace(0, 1, h)[:, None] * np.ones((1, w))
    with av.open(str(path), "w") as out:
        s = out.add_stream("libx265", rate=30)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p10le"
        s.options = {"preset": "ultrafast", "x265-params": "log-level=error"}
        c = s.codec_context
        c.color_primaries, c.color_trc, c.colorspace, c.color_range = 9, 16, 9, 1
        for i in range(frames):
            shift = (x + i / frames) % 1.0
            nits = 1.0 + 999.0 * np.stack([shift, y, 1 - shift], axis=-1) ** 2
            rgb = np.rint(pq(nits) * 65535).astype(np.uint16)
            f = av.VideoFrame.from_ndarray(rgb, format="rgb48le")
            f = f.reformat(format="yuv420p10le", dst_colorspace="bt2020", dst_color_range=1)
            f.color_primaries, f.color_trc, f.colorspace, f.color_range = 9, 16, 9, 1
            f.pts, f.time_base = i, Fraction(1, 30)
            out.mux(s.encode(f))
        out.mux(s.encode(None))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    src = args.keep or Path(tempfile.gettempdir()) / f"bench-hdr-1080p-{args.frames}.mkv"
    if not src.exists():
        t = time.perf_counter()
        make_clip(src, args.frames)
        print(f"made {src} in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    lut_file(ToneMap("pq", "hable"))
    print(f"LUT (65^3, hable/PQ) ready in {time.perf_counter() - t:.2f} s (cached afterwards)")
    with tempfile.TemporaryDirectory() as out:
        for resolution in ("original", "720"):
            for tonemap in ("hable", "disabled"):
                cfg = FFmpegConfig.from_dict(
                    {"transcode": "all", "targetResolution": resolution, "tonemap": tonemap}
                )
                t = time.perf_counter()
                r = transcode(src, Path(out) / "o.mp4", cfg)
                dt = time.perf_counter() - t
                print(
                    f"HDR->{r.width}x{r.height} h264 tonemap={tonemap:8s}: "
                    f"{args.frames / dt:6.1f} frames/s ({dt:.2f} s for {args.frames} frames)"
                )
    print("command: .venv/bin/python bench/hdr_bench.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
