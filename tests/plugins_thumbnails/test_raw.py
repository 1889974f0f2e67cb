"""RAW through rawpy, on small DNGs written by the test (no RAW sample in the shared data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.thumbnails import ImageConfig, ThumbnailError, generate

from ._dng import write_dng
from ._samples import RED, pattern, vips_image
from .conftest import close, open_output, pixel


def small_cfg(**image: object) -> ImageConfig:
    return ImageConfig.from_dict({"preview": {"size": 40}, "thumbnail": {"size": 20}, **image})


def test_dng_is_demosaiced_with_orientation(tmp_path: Path) -> None:
    src = write_dng(tmp_path / "r.dng", 64, 48, orientation=1)
    result = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", small_cfg())
    assert result.decoder == "rawpy"
    assert (result.width, result.height) == (64, 48)
    preview = open_output(tmp_path / "p.jpg")
    assert (preview.width, preview.height) == (53, 40)
    left, right = pixel(preview, 5, 20), pixel(preview, 48, 20)
    assert left[0] > left[2] and right[2] > right[0]  # reddish left half, bluish right half

    src6 = write_dng(tmp_path / "r6.dng", 64, 48, orientation=6)  # 90° clockwise
    result = generate(src6, tmp_path / "p6.jpg", tmp_path / "t6.webp", small_cfg())
    assert (result.width, result.height) == (48, 64)
    top, bottom = (
        pixel(open_output(tmp_path / "p6.jpg"), 20, 5),
        pixel(open_output(tmp_path / "p6.jpg"), 20, 48),
    )
    assert top[0] > top[2] and bottom[2] > bottom[0]  # the left half is now on top


def test_embedded_preview_used_when_allowed_and_big_enough(tmp_path: Path) -> None:
    jpeg = vips_image(pattern(120, 80)).jpegsave_buffer(Q=95)
    src = write_dng(
        tmp_path / "e.dng", 64, 48, orientation=6, preview_jpeg=jpeg, preview_size=(120, 80)
    )

    used = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", small_cfg(extractEmbedded=True))
    assert used.decoder == "rawpy:embedded"
    preview = open_output(tmp_path / "p.jpg")
    assert (preview.width, preview.height) == (40, 60)  # the preview, turned by the RAW's flip
    assert close(pixel(preview, 35, 5), RED)  # top-left red quadrant went to the top right

    too_small = ImageConfig.from_dict({"preview": {"size": 100}, "extractEmbedded": True})
    fallback = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", too_small)
    assert fallback.decoder == "rawpy"  # 80 px preview < 100 px wanted: decode the RAW

    off = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", small_cfg())
    assert off.decoder == "rawpy"  # extractEmbedded is off by default


def test_half_size_decode_when_big_enough(tmp_path: Path) -> None:
    src = write_dng(tmp_path / "big.dng", 400, 300)
    result = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", small_cfg())
    assert (result.width, result.height) == (400, 300)
    assert (result.preview.width, result.preview.height) == (53, 40)


def test_corrupt_and_oversized_raw(tmp_path: Path) -> None:
    bad = tmp_path / "bad.nef"
    bad.write_bytes(b"II*\0" + b"\0" * 100)
    with pytest.raises(ThumbnailError, match="cannot decode RAW"):
        generate(bad, tmp_path / "p.jpg", tmp_path / "t.webp", small_cfg())
    src = write_dng(tmp_path / "r.dng", 64, 48)
    with pytest.raises(ThumbnailError, match="over the limit of 1000"):
        generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig(limit_input_pixels=1000))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nef", "r.dng"]
