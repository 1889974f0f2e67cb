"""``immich.media.renditions.render`` on its own: a decoded image in, Immich's renditions out.

The thumbnails plugin's photos and the video plugin's posters both end here; these tests need
no decoder and no plugin.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import pyvips

from immich.media.renditions import ImageConfig, ThumbnailError, render


def frame(width: int, height: int) -> pyvips.Image:
    """An sRGB picture with detail (a ThumbHash of a flat one says little)."""
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([x * 255 // width, y * 255 // height, (x + y) % 256], axis=-1).astype(np.uint8)
    image = pyvips.Image.new_from_memory(rgb.tobytes(), width, height, 3, "uchar")
    return image.copy(interpretation="srgb")


def test_render_writes_preview_thumbnail_and_hash(tmp_path: Path) -> None:
    cfg = ImageConfig.from_dict({"preview": {"size": 300}, "thumbnail": {"size": 100}})
    made = render(
        frame(640, 480),
        tmp_path / "p.jpeg",
        tmp_path / "t.webp",
        cfg,
        size=(1920, 1440),
        decoder="test",
        name="frame",
        is_srgb=True,
    )
    assert (made.width, made.height, made.decoder, made.fullsize) == (1920, 1440, "test", None)
    assert (made.preview.width, made.preview.height) == (400, 300)  # the shorter side
    assert (made.thumbnail.width, made.thumbnail.height) == (133, 100)
    preview = pyvips.Image.new_from_file(str(tmp_path / "p.jpeg"))
    assert (preview.get("vips-loader"), preview.width) == ("jpegload", 400)
    assert pyvips.Image.new_from_file(str(tmp_path / "t.webp")).get("vips-loader") == "webpload"
    assert 5 <= len(made.thumbhash) <= 30
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jpeg", "t.webp"]  # no temp file


def test_render_never_enlarges_and_writes_fullsize_when_asked(tmp_path: Path) -> None:
    made = render(
        frame(120, 90),
        tmp_path / "p.webp",
        tmp_path / "t.webp",
        ImageConfig.from_dict({"preview": {"format": "webp"}}),
        size=(120, 90),
        decoder="test",
        name="small",
        out_fullsize=tmp_path / "f.jpeg",
    )
    assert (made.preview.width, made.preview.height) == (120, 90)
    assert made.fullsize is not None and made.fullsize.format == "jpeg"
    assert (tmp_path / "f.jpeg").is_file()


def test_render_errors_name_the_source_and_write_nothing(tmp_path: Path) -> None:
    whole = tmp_path / "whole.jpg"
    frame(640, 480).jpegsave(str(whole))
    data = whole.read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 3])
    lazy = pyvips.Image.new_from_file(str(cut), fail_on="error")  # pixels are read on demand
    out = tmp_path / "out"
    with pytest.raises(ThumbnailError, match="cannot convert clip.mp4"):
        render(
            lazy,
            out / "p.jpeg",
            out / "t.webp",
            ImageConfig(),
            size=(640, 480),
            decoder="test",
            name="clip.mp4",
        )
    assert not out.exists()
