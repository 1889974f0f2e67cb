"""Real test clips made with PyAV: small, fast to encode, with known content.

Each frame shows a bright square moving over a dim colour gradient, with a white marker in the
top-left corner (so rotation can be checked); ``black_seconds`` of black frames come first.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

MARKER = 8  # side of the white top-left marker, in pixels


def frame_pixels(i: int, width: int, height: int, black: bool) -> np.ndarray:
    if black:
        return np.zeros((height, width, 3), np.uint8)
    y, x = np.mgrid[0:height, 0:width]
    img = np.empty((height, width, 3), np.uint8)
    img[..., 0] = (x * 160 // max(width - 1, 1)).astype(np.uint8)
    img[..., 1] = (y * 160 // max(height - 1, 1)).astype(np.uint8)
    img[..., 2] = (i * 7) % 128
    side = max(4, min(width, height) // 4)
    left = (i * 3) % max(width - side, 1)
    img[height // 3 : height // 3 + side, left : left + side] = 255
    img[:MARKER, :MARKER] = 255
    return img


def make_clip(
    path: Path,
    *,
    codec: str = "libx264",
    width: int = 160,
    height: int = 120,
    fps: int = 30,
    seconds: float = 2.0,
    rotation: int = 0,
    audio: str | None = "aac",
    black_seconds: float = 0.0,
    gop: int | None = None,
    pix_fmt: str = "yuv420p",
    options: dict[str, str] | None = None,
) -> Path:
    """Encode a clip to ``path`` (container from the extension) and return the path."""
    frames = round(seconds * fps)
    with av.open(str(path), "w") as out:
        video: Any = out.add_stream(codec, rate=fps)
        video.width, video.height, video.pix_fmt = width, height, pix_fmt
        opts: dict[str, str] = {"preset": "ultrafast"} if codec in ("libx264", "libx265") else {}
        if codec == "libx265":
            opts["x265-params"] = "log-level=error"
        if codec == "libvpx-vp9":
            opts = {"deadline": "realtime", "cpu-used": "8"}
        opts.update(options or {})
        video.options = opts
        if gop:
            video.codec_context.gop_size = gop
        if rotation:
            video.set_display_rotation(rotation)
        sound: Any = None
        if audio:
            sound = out.add_stream(audio, rate=48000, layout="stereo")
        for i in range(frames):
            black = i < black_seconds * fps
            frame = av.VideoFrame.from_ndarray(
                frame_pixels(i, width, height, black), format="rgb24"
            )
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if sound is not None:
            size = 960 if audio == "libopus" else 1024
            total = int(seconds * 48000)
            for start in range(0, total, size):
                t = np.arange(start, start + size) / 48000
                wave = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
                chunk = av.AudioFrame.from_ndarray(
                    np.stack([wave, wave]), format="fltp", layout="stereo"
                )
                chunk.sample_rate = 48000
                chunk.pts = start
                out.mux(sound.encode(chunk))
            out.mux(sound.encode(None))
    return path


async def upload_file(client: Any, headers: dict[str, str], path: Path) -> str:
    """POST /api/assets as the Immich CLI does; the new asset's id."""
    content = read(path)
    data = {
        "fileCreatedAt": "2024-05-01T10:20:30.000Z",
        "fileModifiedAt": "2024-05-01T10:20:30.000Z",
        "fileSize": str(len(content)),
        "isFavorite": "false",
    }
    files = {"assetData": (path.name, content, "application/octet-stream")}
    r = await client.post("/api/assets", headers=headers, data=data, files=files)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def read(path: Path | str) -> bytes:
    """A file's bytes (a plain function, so async tests stay free of blocking path calls)."""
    return Path(path).read_bytes()


def exists(path: Path | str) -> bool:
    return Path(path).exists()


def pq_signal(nits: float) -> float:
    """The PQ (SMPTE ST 2084) code value, 0..1, of a luminance in cd/m²."""
    p = (nits / 10000.0) ** 0.1593017578125
    return float(((0.8359375 + 18.8515625 * p) / (1 + 18.6875 * p)) ** 78.84375)


def make_hdr_clip(
    path: Path,
    *,
    signal: float,
    transfer: int = 16,  # AVColorTransferCharacteristic: 16 PQ, 18 HLG
    width: int = 320,
    height: int = 240,
    frames: int = 10,
    codec: str = "libx265",
) -> Path:
    """A 10-bit BT.2020 clip tagged ``transfer``: a uniform grey of code value ``signal``."""
    with av.open(str(path), "w") as out:
        video: Any = out.add_stream(codec, rate=30)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p10le"
        opts: dict[str, str] = {"preset": "ultrafast"}
        if codec == "libx265":
            opts["x265-params"] = "log-level=error"
        video.options = opts
        ctx = video.codec_context
        ctx.color_primaries, ctx.color_trc, ctx.colorspace, ctx.color_range = 9, transfer, 9, 1
        grey = np.full((height, width, 3), round(signal * 65535), np.uint16)
        for i in range(frames):
            rgb = av.VideoFrame.from_ndarray(grey, format="rgb48le")
            frame = rgb.reformat(format="yuv420p10le", dst_colorspace="bt2020", dst_color_range=1)
            frame.color_primaries, frame.color_trc = 9, transfer
            frame.colorspace, frame.color_range = 9, 1
            frame.pts = i
            frame.time_base = Fraction(1, 30)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
    return path
