"""Video figures: HLS time to first segment, seek, poster and full transcode, on a 60 s 1080p clip.

    .venv/bin/python bench/video_bench.py [--seconds 60] [--keep /tmp/bench-1080p.mp4]

Makes (or reuses) a 1920x1080 30 fps H.264 + AAC clip with PyAV, then measures with the
plugin's own code, each step in a fresh producer/process state:
- HLS: a Producer for the 720p H.264 variant started at segment 0 -> seconds until init.mp4
  and seg_0.m4s exist (what a player waits for after the playlists), and the same for a seek
  to the middle; segments per second while it keeps going.
- Poster: pick the frame and write preview + thumbnail (Immich's default image settings).
- AssetEncodeVideo's transcode with Immich's defaults (h264, 720p, crf 23, ultrafast) under
  policy "all": seconds and frames per second.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from plugins.thumbnails import ImageConfig  # noqa: E402
from plugins.video._playlists import CRF, stream_facts  # noqa: E402
from plugins.video._segmenter import Producer, Rendition, Timeline  # noqa: E402
from plugins.video.config import FFmpegConfig  # noqa: E402
from plugins.video.poster import make_poster  # noqa: E402
from plugins.video.probe import probe  # noqa: E402
from plugins.video.transcode import transcode  # noqa: E402


def make_source(path: Path, seconds: int, width: int = 1920, height: int = 1080) -> None:
    fps = 30
    y, x = np.mgrid[0:height, 0:width]
    base = np.empty((height, width, 3), np.uint8)
    base[..., 0] = (x * 200 // width).astype(np.uint8)
    base[..., 1] = (y * 200 // height).astype(np.uint8)
    base[..., 2] = 60
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "veryfast", "crf": "20", "g": "60"}
        audio = out.add_stream("aac", rate=48000, layout="stereo")
        for i in range(seconds * fps):
            img = base.copy()
            left = (i * 16) % (width - 300)
            img[400:700, left : left + 300] = (250, 250, 250)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, fps)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        for start in range(0, seconds * 48000, 1024):
            t = np.arange(start, start + 1024) / 48000
            wave = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
            frame = av.AudioFrame.from_ndarray(
                np.stack([wave, wave]), format="fltp", layout="stereo"
            )
            frame.sample_rate, frame.pts = 48000, start
            out.mux(audio.encode(frame))
        out.mux(audio.encode(None))


def first_segment(source: Path, start: int, work: Path) -> tuple[float, float, float]:
    """(seconds to init + first segment, seconds to 5 segments, segments/s) from ``start``."""
    info = probe(source)
    cfg = FFmpegConfig.from_dict({"realtime": {"enabled": True, "resolutions": [720]}})
    facts = stream_facts(info, cfg)
    assert facts is not None
    v = facts.variants[0]
    timeline = Timeline(
        facts.video_index,
        facts.audio_index,
        facts.start_time,
        facts.rotation,
        facts.segment_duration,
        facts.segment_count,
        facts.fps,
    )
    rendition = Rendition(
        v.codec, v.width, v.height, v.bitrate, CRF[v.codec], facts.preset, v.level
    )
    folder = work / f"hls-{start}" / str(v.index)
    times: dict[int, float] = {}
    done = threading.Event()
    began = time.perf_counter()

    def written(index: int) -> None:
        times[index] = time.perf_counter() - began
        if index >= start + 4:
            done.set()

    producer = Producer(source, folder, timeline, rendition, start, written)
    producer.start()
    done.wait(120)
    producer.stop()
    producer.join()
    assert producer.error is None, producer.error
    assert (folder / "init.mp4").is_file()
    first, fifth = times[start], times[start + 4]
    return first, fifth, 4 / (fifth - first)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--keep", type=Path, default=Path(tempfile.gettempdir()) / "bench-1080p.mp4"
    )
    args = parser.parse_args()
    source: Path = args.keep
    if not source.is_file() or abs(probe(source).duration - args.seconds) > 1:
        t = time.perf_counter()
        make_source(source, args.seconds)
        print(
            f"made {source} ({source.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s"
        )
    info = probe(source)
    video = info.video
    assert video is not None
    print(
        f"source: {video.width}x{video.height} {video.codec_name} {video.fps:.0f} fps, "
        f"{info.duration:.1f} s, {os.cpu_count()} CPUs, PyAV {av.__version__}"
    )
    work = Path(tempfile.mkdtemp(prefix="video-bench-"))
    try:
        for label, start in (("start", 0), ("seek to the middle", 15)):
            first, fifth, rate = first_segment(source, start, work)
            print(
                f"HLS 720p h264, {label}: first segment after {first:.2f} s, "
                f"5 segments after {fifth:.2f} s ({rate:.2f} segments/s = {rate * 2:.1f}x realtime)"
            )
        t = time.perf_counter()
        poster = make_poster(source, work / "p.jpeg", work / "t.webp", ImageConfig(), info)
        print(f"poster: {time.perf_counter() - t:.2f} s (frame at {poster.frame_time:.1f} s)")
        cfg = FFmpegConfig.from_dict({"transcode": "all"})
        t = time.perf_counter()
        result = transcode(source, work / "out.mp4", cfg, info)
        spent = time.perf_counter() - t
        print(
            f"transcode to {result.width}x{result.height} h264 (Immich defaults): {spent:.1f} s, "
            f"{video.frame_count / spent:.0f} frames/s, {result.bytes / 1e6:.1f} MB"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("command: .venv/bin/python bench/video_bench.py --seconds", args.seconds)


if __name__ == "__main__":
    main()
