"""Writing the owner's edits into an XMP sidecar (``plugins.metadata.sidecar_write``): what is
written for which edited column, a new sidecar or an existing one (UTF-16 too), atomically,
and read back by the extraction as the values the owner set."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from plugins.metadata import ExifTool, extract
from plugins.metadata.sidecar_write import (
    SidecarWriteError,
    exif_date,
    write_sidecar,
    xmp_values,
    zone_of,
)

EDITED: dict[str, Any] = {
    "description": "Two lines\nand ünïcode",
    "dateTimeOriginal": dt.datetime(2021, 6, 5, 10, 20, 30, 456000, tzinfo=dt.UTC),
    "timeZone": "Europe/Oslo",
    "latitude": -33.8568,
    "longitude": 151.2153,
    "rating": 4,
    "tags": ["Trips/Norway/Oslo", "Family"],
}


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


async def read_json(et: ExifTool, path: Path) -> dict[str, Any]:
    return await et.read_json(path, ["-json", "-n", "-struct"])


def test_only_the_edited_columns_are_written() -> None:
    assert xmp_values(EDITED, {"rating"}) == {"Rating": 4}
    assert xmp_values(EDITED, set()) == {}
    assert xmp_values({**EDITED, "rating": None}, {"rating"}) == {"Rating": 0}  # Immich's ?? 0
    both = xmp_values({**EDITED, "description": None}, {"description"})
    assert both == {"Description": "", "ImageDescription": ""}
    everything = xmp_values(EDITED, set(EDITED))
    assert everything["DateTimeOriginal"] == "2021:06:05 12:20:30.456+02:00"  # Oslo in June
    assert everything["TagsList"] == ["Trips/Norway/Oslo", "Family"]
    assert (everything["GPSLatitude"], everything["GPSLongitude"]) == (-33.8568, 151.2153)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC+2", "2021:01:01 14:00:00.000+02:00"),
        ("UTC-5:30", "2021:01:01 06:30:00.000-05:30"),
        ("UTC", "2021:01:01 12:00:00.000+00:00"),
        (None, "2021:01:01 12:00:00.000+00:00"),
        ("Not/AZone", "2021:01:01 12:00:00.000+00:00"),
        ("America/New_York", "2021:01:01 07:00:00.000-05:00"),
    ],
)
def test_the_date_is_written_in_the_assets_zone(zone: str | None, expected: str) -> None:
    assert exif_date(dt.datetime(2021, 1, 1, 12, tzinfo=dt.UTC), zone) == expected
    assert zone_of(zone) is not None


async def test_a_new_sidecar_holds_the_values_and_extraction_reads_them(
    tmp_path: Path, assets: Path, exiftool: ExifTool
) -> None:
    photo = tmp_path / "photo.jpg"
    shutil.copy(assets / "metadata/tags/picasa.jpg", photo)  # Keywords Frost, Yard; 2010 date
    sidecar = tmp_path / "photo.jpg.xmp"
    await write_sidecar(exiftool, sidecar, xmp_values(EDITED, set(EDITED)))
    assert listing(tmp_path) == ["photo.jpg", "photo.jpg.xmp"]
    on_disk = await read_json(exiftool, sidecar)
    assert on_disk["FileType"] == "XMP"
    assert on_disk["Description"] == on_disk["ImageDescription"] == EDITED["description"]
    assert on_disk["Rating"] == 4
    assert on_disk["TagsList"] == ["Trips/Norway/Oslo", "Family"]
    assert on_disk["GPSLatitude"] == pytest.approx(-33.8568)
    assert on_disk["DateTimeOriginal"] == "2021:06:05 12:20:30.456+02:00"
    exif = await extract(photo, sidecar, exiftool=exiftool, reverse_geocoding=False)
    assert exif.description == EDITED["description"]
    assert exif.rating == 4
    assert exif.tags == ("Trips/Norway/Oslo", "Family")  # TagsList wins over the Keywords
    assert (exif.latitude, exif.longitude) == (
        pytest.approx(-33.8568),
        pytest.approx(151.2153),
    )
    assert exif.dateTimeOriginal == EDITED["dateTimeOriginal"]  # the same instant


async def test_an_existing_sidecar_keeps_what_was_not_edited(
    tmp_path: Path, exiftool: ExifTool
) -> None:
    sidecar = tmp_path / "photo.xmp"
    await write_sidecar(exiftool, sidecar, {"Rating": 2, "TagsList": ["Old"], "Description": "x"})
    await write_sidecar(exiftool, sidecar, {"Rating": 5, "TagsList": []})
    on_disk = await read_json(exiftool, sidecar)
    assert on_disk["Rating"] == 5
    assert on_disk["Description"] == "x"
    assert "TagsList" not in on_disk  # an empty list removes it
    await write_sidecar(exiftool, sidecar, {"Description": "", "GPSLatitude": None})
    assert (await read_json(exiftool, sidecar))["Description"] == ""  # written empty


async def test_a_utf16_sidecar_is_rewritten_as_utf8(
    tmp_path: Path, assets: Path, exiftool: ExifTool
) -> None:
    # metadata/xmp/dates/2000.xmp: UTF-16 with a BOM (xmp:CreateDate), unreadable to exiftool
    sidecar = tmp_path / "photo.xmp"
    shutil.copy(assets / "metadata/xmp/dates/2000.xmp", sidecar)
    await write_sidecar(exiftool, sidecar, {"Rating": 3})
    assert not sidecar.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    on_disk = await read_json(exiftool, sidecar)
    assert on_disk["Rating"] == 3
    assert str(on_disk["CreateDate"]).startswith("2000:09:27 14:35:33")  # kept


async def test_a_failed_write_leaves_the_sidecar_and_no_temp_file(
    tmp_path: Path, exiftool: ExifTool
) -> None:
    sidecar = tmp_path / "photo.xmp"
    sidecar.write_text("not xmp at all")
    with pytest.raises(SidecarWriteError):
        await write_sidecar(exiftool, sidecar, {"Rating": 3})
    assert sidecar.read_text() == "not xmp at all"
    assert listing(tmp_path) == ["photo.xmp"]
    folder = tmp_path / "taken.xmp"
    folder.mkdir()  # a folder where the sidecar should be
    with pytest.raises(OSError):
        await write_sidecar(exiftool, folder, {"Rating": 3})
    assert listing(tmp_path) == ["photo.xmp", "taken.xmp"]


async def test_values_travel_as_json(tmp_path: Path, exiftool: ExifTool) -> None:
    """Quotes, a leading dash and a line break are values, never exiftool arguments."""
    sidecar = tmp_path / "photo.xmp"
    text = '-Rating=5 "quoted"\n-overwrite_original'
    await write_sidecar(exiftool, sidecar, {"Description": text, "TagsList": ["-all=", "a/b"]})
    on_disk = await read_json(exiftool, sidecar)
    assert on_disk["Description"] == text
    assert on_disk["TagsList"] == ["-all=", "a/b"]
    assert "Rating" not in on_disk
    assert json.dumps(on_disk)  # plain JSON back
