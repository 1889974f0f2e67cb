"""generate() on synthetic images of every format: sizes, formats, rotation, colour, files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pillow_jxl
import pytest
import pyvips

from immich.media.renditions import icc_description
from plugins.thumbnails import ImageConfig, generate

from ._samples import BLUE, GREEN, RED, WHITE, pattern, vips_image, write
from .conftest import close, loader, open_output, pixel

FORMATS = ["jpg", "png", "webp", "avif", "heic", "jxl", "gif", "tif"]
DECODERS = {"heic": "pillow-heif", "jxl": "pillow-jxl"}


@pytest.mark.parametrize("ext", FORMATS)
def test_every_format_gives_preview_and_thumbnail(tmp_path: Path, ext: str) -> None:
    src = write(tmp_path / f"src.{ext}", 3000, 2000)
    cfg = ImageConfig.from_dict({"preview": {"size": 1440}, "thumbnail": {"size": 250}})
    result = generate(src, tmp_path / "p.jpeg", tmp_path / "t.webp", cfg)

    assert (result.width, result.height) == (3000, 2000)
    assert result.decoder == DECODERS.get(ext, result.decoder)
    if ext not in DECODERS:
        assert result.decoder.startswith("vips:")
    preview, thumb = open_output(tmp_path / "p.jpeg"), open_output(tmp_path / "t.webp")
    assert loader(preview).startswith("jpegload") and loader(thumb).startswith("webpload")
    # the SHORTER side gets the configured size
    assert (preview.width, preview.height) == (2160, 1440)
    assert (thumb.width, thumb.height) == (375, 250)
    assert (result.preview.width, result.preview.height) == (2160, 1440)
    assert result.preview.bytes == (tmp_path / "p.jpeg").stat().st_size
    assert result.thumbnail.bytes == (tmp_path / "t.webp").stat().st_size
    # the pixels survived: the quadrant colours are where they were
    assert close(pixel(thumb, 40, 40), RED) and close(pixel(thumb, 330, 40), GREEN)
    assert close(pixel(thumb, 40, 210), BLUE) and close(pixel(thumb, 330, 210), WHITE)
    assert len(result.thumbhash) > 5
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["p.jpeg", "t.webp", src.name])


def test_portrait_uses_shorter_side_and_never_enlarges(tmp_path: Path) -> None:
    src = write(tmp_path / "tall.jpg", 1000, 3000)
    result = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig())
    assert (result.preview.width, result.preview.height) == (1000, 3000)  # 1000 < 1440: as is
    assert (result.thumbnail.width, result.thumbnail.height) == (250, 750)


def test_formats_sizes_quality_progressive_from_config(tmp_path: Path) -> None:
    src = write(tmp_path / "src.png", 1200, 900)
    cfg = ImageConfig.from_dict(
        {
            "preview": {"format": "webp", "size": 720, "quality": 50},
            "thumbnail": {"format": "jpeg", "size": 100, "quality": 90, "progressive": True},
        }
    )
    result = generate(src, tmp_path / "p.webp", tmp_path / "t.jpg", cfg)
    preview, thumb = open_output(tmp_path / "p.webp"), open_output(tmp_path / "t.jpg")
    assert loader(preview).startswith("webpload") and loader(thumb).startswith("jpegload")
    assert (preview.width, preview.height) == (960, 720)
    assert (thumb.width, thumb.height) == (133, 100)
    assert result.preview.format == "webp" and result.thumbnail.format == "jpeg"
    assert b"\xff\xc2" in (tmp_path / "t.jpg").read_bytes()  # SOF2: progressive JPEG
    low = generate(src, tmp_path / "low.webp", tmp_path / "t2.jpg", cfg)
    high_cfg = ImageConfig.from_dict({"preview": {"format": "webp", "size": 720, "quality": 95}})
    high = generate(src, tmp_path / "high.webp", tmp_path / "t3.webp", high_cfg)
    assert high.preview.bytes > low.preview.bytes


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied(tmp_path: Path, orientation: int) -> None:
    # Stored pixels are chosen so that, once the orientation is applied, the picture is the
    # upright 600x400 pattern: write the inverse transform of the tag, then tag it.
    upright = vips_image(pattern(600, 400))
    inverse: Callable[[pyvips.Image], pyvips.Image] = {
        1: lambda i: i,
        2: lambda i: i.fliphor(),
        3: lambda i: i.rot180(),
        4: lambda i: i.flipver(),
        5: lambda i: i.rot90().fliphor(),
        6: lambda i: i.rot270(),
        7: lambda i: i.rot270().fliphor(),
        8: lambda i: i.rot90(),
    }[orientation]
    stored = inverse(upright).copy()
    stored.set_type(pyvips.GValue.gint_type, "orientation", orientation)
    src = tmp_path / "o.jpg"
    stored.jpegsave(str(src), Q=95)
    assert pyvips.Image.new_from_file(str(src)).get("orientation") == orientation

    result = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig())
    assert (result.width, result.height) == (600, 400)
    thumb = open_output(tmp_path / "t.webp")
    assert (thumb.width, thumb.height) == (375, 250)
    assert close(pixel(thumb, 40, 40), RED), pixel(thumb, 40, 40)
    assert close(pixel(thumb, 330, 40), GREEN)
    assert close(pixel(thumb, 40, 210), BLUE)


def test_output_carries_profile_of_its_colorspace(tmp_path: Path) -> None:
    src = write(tmp_path / "s.jpg", 800, 600)  # no profile: treated as sRGB, stays sRGB
    result = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig())
    assert result.colorspace == "srgb"
    for out in ("p.jpg", "t.webp"):
        icc = open_output(tmp_path / out).get("icc-profile-data")
        assert "srgb" in icc_description(bytes(icc)).lower()


def test_wide_gamut_source_goes_to_configured_colorspace(tmp_path: Path) -> None:
    p3 = vips_image(pattern(800, 600)).icc_transform("p3", input_profile="srgb")
    src = tmp_path / "p3.jpg"
    p3.jpegsave(str(src), keep="icc")
    for colorspace, expected in (("p3", "sp3c"), ("srgb", "srgb")):
        cfg = ImageConfig.from_dict({"colorspace": colorspace})
        result = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", cfg)
        assert result.colorspace == colorspace
        preview = pyvips.Image.new_from_file(str(tmp_path / "p.jpg"))
        assert expected in icc_description(bytes(preview.get("icc-profile-data"))).lower()
    # a caller that knows better (EXIF ColorSpace=sRGB) keeps sRGB
    forced = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig(), is_srgb=True)
    assert forced.colorspace == "srgb"


def test_alpha_is_flattened_for_jpeg_and_kept_for_webp(tmp_path: Path) -> None:
    rgba = vips_image(pattern(400, 400)).bandjoin(0)  # fully transparent
    src = tmp_path / "a.png"
    rgba.pngsave(str(src))
    result = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig())
    preview, thumb = open_output(tmp_path / "p.jpg"), open_output(tmp_path / "t.webp")
    assert preview.bands == 3 and pixel(preview, 10, 10) == [255.0, 255.0, 255.0]
    assert thumb.bands == 4 and float(thumb(10, 10)[3]) == 0.0
    assert result.thumbhash[2] & 0x80  # thumbhash's "has alpha" bit


def test_fullsize_only_for_formats_browsers_cannot_show(tmp_path: Path) -> None:
    cfg = ImageConfig.from_dict({"fullsize": {"enabled": True, "format": "jpeg"}})
    heic = write(tmp_path / "s.heic", 2000, 1600)
    result = generate(
        heic, tmp_path / "p.jpg", tmp_path / "t.webp", cfg, out_fullsize=tmp_path / "f.jpg"
    )
    assert result.fullsize is not None
    full = open_output(tmp_path / "f.jpg")
    assert (full.width, full.height) == (2000, 1600) and loader(full).startswith("jpegload")
    assert (result.preview.width, result.preview.height) == (1800, 1440)

    jpeg = write(tmp_path / "s.jpg", 2000, 1600)
    result = generate(
        jpeg, tmp_path / "p.jpg", tmp_path / "t.webp", cfg, out_fullsize=tmp_path / "g.jpg"
    )
    assert result.fullsize is None and not (tmp_path / "g.jpg").exists()

    off = ImageConfig()  # fullsize.enabled is false by default
    result = generate(
        heic, tmp_path / "p.jpg", tmp_path / "t.webp", off, out_fullsize=tmp_path / "h.jpg"
    )
    assert result.fullsize is None and not (tmp_path / "h.jpg").exists()


def test_jpeg_recompressed_as_jxl_decodes(tmp_path: Path) -> None:
    jpeg = vips_image(pattern(640, 480)).jpegsave_buffer(Q=90)
    enc = pillow_jxl.Encoder(mode="RGB", lossless=True, quality=100)  # type: ignore[call-arg]
    src = tmp_path / "r.jxl"
    src.write_bytes(enc(jpeg, 640, 480, jpeg_encode=True))
    result = generate(src, tmp_path / "p.jpg", tmp_path / "t.webp", ImageConfig())
    assert (result.width, result.height) == (640, 480)
    assert close(pixel(open_output(tmp_path / "t.webp"), 20, 20), RED)


def test_creates_missing_folders_and_replaces_old_outputs(tmp_path: Path) -> None:
    src = write(tmp_path / "s.png", 500, 500)
    out = tmp_path / "thumbs" / "user" / "ab" / "cd"
    (tmp_path / "thumbs").mkdir()
    generate(src, out / "p.jpg", out / "t.webp", ImageConfig())
    first = (out / "t.webp").read_bytes()
    write(src, 500, 300)
    result = generate(src, out / "p.jpg", out / "t.webp", ImageConfig())
    assert (out / "t.webp").read_bytes() != first
    assert (result.thumbnail.width, result.thumbnail.height) == (417, 250)
    assert sorted(p.name for p in out.iterdir()) == ["p.jpg", "t.webp"]
