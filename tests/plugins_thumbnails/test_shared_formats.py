"""Every photo format in the shared Immich test assets: decoder, sizes, formats, orientation.

Skipped, naming the folder, when ../shared/testdata/immich-test-assets is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.thumbnails import ImageConfig, generate

from .conftest import loader, open_output

# file, decoder, upright size, preview (1440 on the shorter side), thumbnail (250), colorspace
CASES = [
    ("formats/jpeg/el_torcal_rocks.jpeg", "vips:jpegload", (512, 341), (512, 341), (375, 250), "srgb"),
    ("formats/jpg/el_torcal_rocks.jpg", "vips:jpegload", (512, 341), (512, 341), (375, 250), "srgb"),
    ("formats/png/density_plot.png", "vips:pngload", (800, 800), (800, 800), (250, 250), "srgb"),
    ("formats/webp/denali.webp", "vips:webpload", (600, 315), (600, 315), (476, 250), "srgb"),
    ("formats/avif/8bit-sRGB.avif", "vips:heifload", (1617, 1080), (1617, 1080), (374, 250), "srgb"),
    ("formats/avif/10bit-HDR-P3-nclx.avif", "vips:heifload", (3681, 5594), (1440, 2188), (250, 380), "srgb"),
    ("formats/heic/IMG_2682.heic", "pillow-heif", (4032, 3024), (1920, 1440), (333, 250), "p3"),
    ("formats/motionphoto/samsung-one-ui-6.heic", "pillow-heif", (3000, 4000), (1440, 1920), (250, 333), "srgb"),
    ("formats/jxl/8bit-sRGB.jxl", "pillow-jxl", (1440, 1080), (1440, 1080), (333, 250), "srgb"),
    ("formats/jxl/16bit-HDR-P3-nclx.jxl", "pillow-jxl", (5667, 3685), (2215, 1440), (385, 250), "p3"),
    ("metadata/faces/portrait-orientation-6.jpg", "vips:jpegload", (840, 700), (840, 700), (300, 250), "srgb"),
    ("albums/text/craft-beer.jpg", "vips:jpegload", (6000, 4000), (2160, 1440), (375, 250), "srgb"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "decoder", "size", "preview_size", "thumb_size", "colorspace"),
    CASES,
    ids=[Path(case[0]).name for case in CASES],
)
def test_shared_photo(
    assets: Path,
    tmp_path: Path,
    name: str,
    decoder: str,
    size: tuple[int, int],
    preview_size: tuple[int, int],
    thumb_size: tuple[int, int],
    colorspace: str,
) -> None:
    result = generate(assets / name, tmp_path / "p.jpeg", tmp_path / "t.webp", ImageConfig())
    assert result.decoder == decoder
    assert (result.width, result.height) == size
    assert result.colorspace == colorspace
    preview, thumb = open_output(tmp_path / "p.jpeg"), open_output(tmp_path / "t.webp")
    assert loader(preview).startswith("jpegload") and loader(thumb).startswith("webpload")
    assert (preview.width, preview.height) == preview_size
    assert (thumb.width, thumb.height) == thumb_size
    assert preview.bands == 3 and thumb.bands == 3
    # not a blank image: real photos have detail
    assert thumb.deviate() > 3
    assert len(result.thumbhash) >= 19


def test_orientation_6_photo_is_upright(assets: Path, tmp_path: Path) -> None:
    """portrait.jpg and portrait-orientation-6.jpg show the same picture."""
    faces = assets / "metadata" / "faces"
    a = generate(faces / "portrait.jpg", tmp_path / "a.jpg", tmp_path / "a.webp", ImageConfig())
    b = generate(
        faces / "portrait-orientation-6.jpg", tmp_path / "b.jpg", tmp_path / "b.webp", ImageConfig()
    )
    assert (a.width, a.height) == (b.width, b.height) == (840, 700)
    diff = (open_output(tmp_path / "a.webp") - open_output(tmp_path / "b.webp")).abs().avg()
    assert diff < 12, diff  # same picture (a wrong rotation differs by far more)


@pytest.mark.parametrize("folder", ["albums", "metadata"])
def test_every_shared_jpeg_generates(assets: Path, tmp_path: Path, folder: str) -> None:
    files = sorted((assets / folder).rglob("*.jpg"))
    assert files
    for src in files:
        result = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig())
        short = min(result.width, result.height)
        assert min(result.preview.width, result.preview.height) == min(short, 1440), src
        assert min(result.thumbnail.width, result.thumbnail.height) == min(short, 250), src
