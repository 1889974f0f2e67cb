"""Test clips made once per session (real H.264/MP4, HEVC/MKV, VP9/WebM files, made by PyAV)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from .clips import MARKER, make_clip

CLIPS: dict[str, dict[str, Any]] = {
    # 2 s, 160x120 at 30 fps, AAC: the plain phone video
    "h264": {"name": "plain.mp4"},
    # 3 s whose first second is black, a keyframe only at the start
    "black_start": {"name": "black.mp4", "seconds": 3.0, "black_seconds": 1.0},
    # the same with a keyframe every half second
    "black_start_gop": {"name": "black_gop.mp4", "seconds": 3.0, "black_seconds": 1.0, "gop": 15},
    # HEVC in Matroska, shown rotated a quarter turn, Opus audio
    "hevc_rotated": {
        "name": "rotated.mkv",
        "codec": "libx265",
        "audio": "libopus",
        "rotation": 90,
        "seconds": 1.0,
    },
    # VP9 + Opus in WebM
    "vp9": {"name": "clip.webm", "codec": "libvpx-vp9", "audio": "libopus", "seconds": 1.0},
    # 10-bit H.264, no audio
    "h264_10bit": {"name": "tenbit.mp4", "pix_fmt": "yuv420p10le", "audio": None, "seconds": 1.0},
    # 7 s, 320x240: long enough for four HLS segments
    "long": {"name": "long.mp4", "seconds": 7.0, "width": 320, "height": 240},
}


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def clip(clip_dir: Path) -> Callable[[str], Path]:
    """``clip(kind)``: the path of a test clip of that kind (made on first use)."""
    made: dict[str, Path] = {}

    def get(kind: str) -> Path:
        if kind not in made:
            spec = dict(CLIPS[kind])
            made[kind] = make_clip(clip_dir / spec.pop("name"), **spec)
        return made[kind]

    return get


@pytest.fixture
def broken(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """Files that are not playable videos: empty, text, and a truncated MP4."""
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n" * 20)
    whole = make_clip(tmp_path / "whole.mp4", seconds=1.0)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[:2000])
    yield {"empty": empty, "text": text, "truncated": cut}


def decode_frames(path: Path) -> list[av.VideoFrame]:
    with av.open(str(path)) as container:
        return list(container.decode(video=0))


def marker_corner(rgb: np.ndarray[Any, Any]) -> str:
    """Which corner holds the white marker of the test pattern (top-left before rotation)."""
    h, w, _ = rgb.shape
    m = max(2, MARKER // 2)
    corners = {
        "top-left": rgb[:m, :m],
        "top-right": rgb[:m, w - m :],
        "bottom-left": rgb[h - m :, :m],
        "bottom-right": rgb[h - m :, w - m :],
    }
    return max(corners, key=lambda k: float(corners[k].mean()))
