"""Posters: a representative frame (not the black first one), upright, through the image
library (same formats and ThumbHash as photos)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import pyvips

from plugins.thumbnails import ImageConfig
from plugins.video import VideoError
from plugins.video.poster import make_poster, pick_frame
from plugins.video.probe import probe

from .conftest import marker_corner


def mean_luma(rgb: np.ndarray) -> float:  # type: ignore[type-arg]
    return float(rgb.astype(np.float32).mean())


@pytest.mark.parametrize("kind", ["black_start", "black_start_gop"])
def test_poster_is_not_the_black_first_frame(clip: Callable[[str], Path], kind: str) -> None:
    path = clip(kind)
    frame = pick_frame(path, probe(path), 1440)
    assert frame.time >= 1.0  # the first second is black
    assert mean_luma(frame.rgb) > 40
    assert frame.score > 100


def test_keyframes_are_enough_when_they_are_varied(clip: Callable[[str], Path]) -> None:
    """With a keyframe every half second, a keyframe past the black second is chosen."""
    path = clip("black_start_gop")
    frame = pick_frame(path, probe(path), 1440)
    assert frame.time * 30 % 15 == pytest.approx(0, abs=1e-6)


def test_rotated_poster_is_upright(clip: Callable[[str], Path]) -> None:
    path = clip("hevc_rotated")
    frame = pick_frame(path, probe(path), 1440)
    assert frame.rgb.shape == (160, 120, 3)
    assert marker_corner(frame.rgb) == "bottom-left"


def test_frame_is_scaled_to_the_preview_size(clip: Callable[[str], Path]) -> None:
    path = clip("long")  # 320x240
    frame = pick_frame(path, probe(path), 60)
    assert frame.rgb.shape == (60, 80, 3)


def test_make_poster_writes_preview_thumbnail_and_thumbhash(
    clip: Callable[[str], Path], tmp_path: Path
) -> None:
    cfg = ImageConfig.from_dict({"thumbnail": {"size": 50, "format": "webp"}})
    preview, thumb = tmp_path / "p" / "x_preview.jpeg", tmp_path / "p" / "x_thumbnail.webp"
    poster = make_poster(clip("hevc_rotated"), preview, thumb, cfg)
    assert (poster.width, poster.height) == (120, 160)
    p = pyvips.Image.new_from_file(str(preview), fail_on="error")
    t = pyvips.Image.new_from_file(str(thumb), fail_on="error")
    assert (p.width, p.height, p.get("vips-loader")) == (120, 160, "jpegload")
    assert (t.width, t.height, t.get("vips-loader")) == (50, 67, "webpload")
    assert p.avg() > 30
    assert 5 <= len(poster.result.thumbhash) <= 25
    assert sorted(f.name for f in preview.parent.iterdir()) == [preview.name, thumb.name]


def test_make_poster_is_repeatable(clip: Callable[[str], Path], tmp_path: Path) -> None:
    cfg = ImageConfig()
    preview, thumb = tmp_path / "a_preview.jpeg", tmp_path / "a_thumbnail.webp"
    first = make_poster(clip("h264"), preview, thumb, cfg)
    data = preview.read_bytes()
    second = make_poster(clip("h264"), preview, thumb, cfg)
    assert second.result.thumbhash == first.result.thumbhash
    assert preview.read_bytes() == data


@pytest.mark.parametrize("kind", ["empty", "text", "truncated"])
def test_bad_files_raise_and_write_nothing(
    broken: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "thumbs"
    with pytest.raises(VideoError, match="cannot"):
        make_poster(broken[kind], out / "p.jpeg", out / "t.webp", ImageConfig())
    assert not out.exists() or list(out.iterdir()) == []
