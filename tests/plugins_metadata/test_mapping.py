"""Immich's tag -> asset_exif mapping, on tag dictionaries shaped as exiftool prints them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from plugins.metadata.dates import Capture
from plugins.metadata.extract import exif_from_tags
from plugins.metadata.geocode import Place

WHEN = datetime(2024, 5, 1, 12, tzinfo=UTC)
CAPTURE = Capture(dateTimeOriginal=WHEN, localDateTime=WHEN, timeZone=None, tag="DateTimeOriginal")


def exif(**tags: Any) -> Any:
    return exif_from_tags(tags, CAPTURE, size=10, mtime=WHEN, place=None)


def test_apple_live_photo_id() -> None:
    # the photo (MakerNotes) and the .mov (QuickTime Keys) share this id
    assert exif(ContentIdentifier="1E2F-AA").livePhotoCID == "1E2F-AA"
    assert exif(MediaGroupUUID="C0FFEE").livePhotoCID == "C0FFEE"
    assert exif().livePhotoCID is None


def test_burst_id() -> None:
    assert exif(BurstUUID="B-1", MediaUniqueID="M-1").autoStackId == "B-1"
    assert exif(CameraBurstID="C-2").autoStackId == "C-2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3), (-1, -1), (0, None), (6, None), (2.0, 2), (2.5, None), ("3", None), (True, None)],
)
def test_rating(value: object, expected: int | None) -> None:
    assert exif(Rating=value).rating == expected


def test_numbers_from_lists_and_failures() -> None:
    e = exif(ISO=[400, 800], FNumber="undef", FocalLength=float("nan"), ExposureTime=0.5)
    assert e.iso == 400  # an array: the first value
    assert e.fNumber is None and e.focalLength is None  # strings and NaN are dropped
    assert e.exposureTime == "0.5"
    assert exif(ExposureTime=2.0).exposureTime == "2"
    assert exif(ISO=2**40).iso is None  # outside Postgres' integer


def test_camera_fallbacks() -> None:
    e = exif(Device={"Manufacturer": "DJI", "ModelName": "Mini 4"})
    assert (e.make, e.model) == ("DJI", "Mini 4")
    e = exif(AndroidMake="Google", AndroidModel="Pixel 8")
    assert (e.make, e.model) == ("Google", "Pixel 8")
    assert exif(LensID="----", LensModel="XF23mmF2 R WR").lensModel == "XF23mmF2 R WR"


def test_bits_projection_and_tags() -> None:
    assert exif(BitsPerSample="12 12 12").bitsPerSample == 12
    assert exif(BitDepth=24).bitsPerSample == 8  # per pixel -> per channel
    assert exif(ProjectionType="equirectangular").projectionType == "EQUIRECTANGULAR"
    assert exif(Keywords="single").tags == ("single",)
    assert exif(Keywords=[2024, "trip"]).tags == ("2024", "trip")
    assert exif(TagsList=["a/b"], Keywords=["k"]).tags == ("a/b",)
    assert exif(HierarchicalSubject=["Places|Paris/Centre"]).tags == ("Places/Paris|Centre",)


def test_position_and_place() -> None:
    e = exif_from_tags(
        {"GPSLatitude": 48.85, "GPSLongitude": 2.35},
        CAPTURE,
        size=1,
        mtime=WHEN,
        place=Place("Paris", "Île-de-France", "France"),
    )
    assert (e.latitude, e.longitude, e.city, e.country) == (48.85, 2.35, "Paris", "France")
    assert exif(GPSLatitude=0, GPSLongitude=0).latitude is None  # "no fix"
    assert exif(GPSLatitude="", GPSLongitude="").latitude is None


def test_dimensions_and_duration() -> None:
    assert (exif(ImageSize="6000x4000", ImageWidth=160).exifImageWidth) == 6000
    assert exif(ImageWidth=640, ImageHeight=480).exifImageHeight == 480
    assert exif(Duration=12.3456).duration == 12346
    assert exif(Duration="0:00:12").duration is None
