"""``extract()`` on the shared test files: GPS and place, rating, tags, camera, bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from immich.db.repos import exif as exif_repo
from plugins.metadata import Exif, ExifTool, MetadataError, extract


async def test_gps_and_city(assets: Path, exiftool: ExifTool) -> None:
    # GPS 39.115 N 108.400968 W: near Palisade, Colorado (Immich's e2e expects the same place)
    exif = await extract(assets / "metadata/gps-position/thompson-springs.jpg", exiftool=exiftool)
    assert exif.latitude == pytest.approx(39.115)
    assert exif.longitude == pytest.approx(-108.400968333333)
    assert (exif.city, exif.state, exif.country) == (
        "Palisade",
        "Colorado",
        "United States of America",
    )
    assert exif.lensModel == "Canon EF 24-105mm f/4L IS II USM"
    assert exif.profileDescription == "sRGB v4 ICC preference perceptual intent beta"
    assert exif.description.startswith("Early winter scene") and not exif.description.endswith(" ")
    assert "thompson springs" in exif.tags


async def test_geocoding_can_be_off(assets: Path, exiftool: ExifTool) -> None:
    path = assets / "metadata/gps-position/thompson-springs.jpg"
    exif = await extract(path, exiftool=exiftool, reverse_geocoding=False)
    assert exif.latitude == pytest.approx(39.115)
    assert exif.city is None and exif.country is None


async def test_empty_gps_gives_no_position(assets: Path, exiftool: ExifTool) -> None:
    # empty GPSLatitude/GPSLongitude tags: no position, no place, the rest is read
    exif = await extract(assets / "metadata/gps-position/empty_gps.jpg", exiftool=exiftool)
    assert exif.latitude is None and exif.longitude is None and exif.city is None
    assert (exif.make, exif.model) == ("motorola", "moto g(9) plus")
    assert (exif.exifImageWidth, exif.exifImageHeight) == (4640, 3472)
    assert (exif.fNumber, exif.focalLength, exif.iso) == (1.8, 5.53, 234)
    assert exif.exposureTime == "1/40"  # printed as Immich stores it


async def test_rating(assets: Path, exiftool: ExifTool) -> None:
    # XMP and IFD0 Rating 3
    exif = await extract(assets / "metadata/rating/mongolels.jpg", exiftool=exiftool)
    assert exif.rating == 3
    assert exif.description == "Mongol Els"
    assert (exif.make, exif.model) == ("Canon", "Canon EOS 500D")


async def test_tags_and_camera(assets: Path, exiftool: ExifTool) -> None:
    # IPTC Keywords "Frost", "Yard"; the Canon LensID "Unknown 6-18mm" and LensType "n/a" are
    # no lens model for Immich; ImageSize (the real pixels, 100x75) wins over the EXIF size.
    exif = await extract(assets / "metadata/tags/picasa.jpg", exiftool=exiftool)
    assert exif.tags == ("Frost", "Yard")
    assert exif.lensModel is None
    assert (exif.exifImageWidth, exif.exifImageHeight) == (100, 75)
    assert exif.exposureTime == "1/400"
    assert exif.orientation == "1"
    assert exif.description == "Image-Description"
    assert exif.rating is None


async def test_hierarchical_keywords(assets: Path, exiftool: ExifTool) -> None:
    # XMP-lr HierarchicalSubject "People|Marie Curie" becomes Immich's "People/Marie Curie"
    exif = await extract(assets / "metadata/faces/portrait-orientation-6.jpg", exiftool=exiftool)
    assert "People/Marie Curie" in exif.tags
    assert exif.orientation == "6"


async def test_heic_motion_photo_fields(assets: Path, exiftool: ExifTool) -> None:
    exif = await extract(assets / "formats/motionphoto/samsung-one-ui-6.heic", exiftool=exiftool)
    assert (exif.make, exif.model) == ("samsung", "SM-S906U")
    assert exif.fileSizeInByte == 3678952
    assert exif.colorspace == "sRGB"
    assert exif.motion is not None and exif.motion.tag == "MotionPhotoVideo"
    assert exif.livePhotoCID is None
    assert exif.duration is None  # a still image has no duration


async def test_exif_row_has_immich_columns(assets: Path, exiftool: ExifTool) -> None:
    exif = await extract(assets / "metadata/tags/picasa.jpg", exiftool=exiftool)
    row = exif.exif_row()
    assert set(row) == exif_repo.COLUMNS  # every column the repository writes, no other
    assert row["tags"] == ["Frost", "Yard"]
    assert Exif().exif_row()["tags"] is None and Exif().exif_row()["description"] == ""


async def test_zero_byte_file(tmp_path: Path, exiftool: ExifTool) -> None:
    empty = tmp_path / "empty.jpg"
    empty.touch()
    with pytest.raises(MetadataError, match="empty"):
        await extract(empty, exiftool=exiftool)


async def test_corrupt_file(tmp_path: Path, exiftool: ExifTool) -> None:
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(MetadataError, match="format error|not an image"):
        await extract(junk, exiftool=exiftool)
    text = tmp_path / "notes.jpg"
    text.write_text("hello")
    with pytest.raises(MetadataError, match="not an image or video"):
        await extract(text, exiftool=exiftool)
    with pytest.raises(MetadataError, match="No such file"):
        await extract(tmp_path / "missing.jpg", exiftool=exiftool)


async def test_truncated_jpeg_still_extracts(
    tmp_path: Path, assets: Path, exiftool: ExifTool
) -> None:
    # a JPEG cut after its EXIF block: exiftool warns, the tags it read are kept
    data = (assets / "metadata/gps-position/empty_gps.jpg").read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 2])
    exif = await extract(cut, exiftool=exiftool)
    assert exif.make == "motorola"
    assert exif.fileSizeInByte == len(data) // 2


async def test_odd_file_names(tmp_path: Path, assets: Path, exiftool: ExifTool) -> None:
    # a name starting with "-" and non-ASCII letters reach exiftool as a file, not an option
    odd = tmp_path / "-été ünïcode.jpg"
    shutil.copy(assets / "metadata/rating/mongolels.jpg", odd)
    exif = await extract(odd, exiftool=exiftool)
    assert exif.rating == 3
