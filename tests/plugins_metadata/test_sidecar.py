"""XMP sidecars override the file's values; UTF-16 sidecars and ISO arrays are read."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from plugins.metadata import ExifTool, extract, find_sidecar
from plugins.metadata.sidecar import readable_sidecar


@pytest.mark.parametrize("year", [2000, 2010, 2020])
async def test_sidecar_dates_win(
    year: int, tmp_path: Path, assets: Path, exiftool: ExifTool
) -> None:
    # metadata/xmp/dates/<year>.xmp (UTF-16 with a BOM) holds only xmp:CreateDate
    # "<year>-09-27T14:35:33+02:00". The photo's own DateTimeOriginal (2010:02:13 14:55:31) is
    # dropped because the sidecar has a date; the zone is the offset in that date (as Immich's
    # e2e test expects fileCreatedAt 2000-09-27T12:35:33.000Z for 2000.xmp).
    photo = tmp_path / "photo.jpg"
    shutil.copy(assets / "metadata/tags/picasa.jpg", photo)
    sidecar = tmp_path / "photo.xmp"
    shutil.copy(assets / f"metadata/xmp/dates/{year}.xmp", sidecar)
    exif = await extract(photo, find_sidecar(photo), exiftool=exiftool)
    assert exif.dateTimeOriginal == datetime(year, 9, 27, 12, 35, 33, tzinfo=UTC)
    assert exif.timeZone == "UTC+2"
    assert exif.localDateTime == datetime(year, 9, 27, 14, 35, 33, tzinfo=UTC)
    assert exif.dateTag == "CreateDate"
    assert exif.make == "Canon"  # what the sidecar lacks still comes from the photo


async def test_iso_array_and_sidecar_values(
    tmp_path: Path, assets: Path, exiftool: ExifTool
) -> None:
    # problems/xmp/iso-value-array: exif:ISOSpeedRatings is an rdf:Seq (one value, 160), so
    # exiftool gives a list: the first value is taken, nothing crashes. The sidecar also brings
    # another camera, exposure, GPS (40.23 N 76.29 W, Pennsylvania) and an undated-zone date
    # (photoshop:DateCreated 2009-11-28T13:42:39, read in the GPS zone, America/New_York).
    photo = tmp_path / "photo.jpg"
    shutil.copy(assets / "metadata/rating/mongolels.jpg", photo)  # ISO 200, Canon EOS 500D
    sidecar = tmp_path / "photo.jpg.xmp"
    shutil.copy(assets / "problems/xmp/iso-value-array/iso-value-array.xmp", sidecar)
    exif = await extract(photo, sidecar, exiftool=exiftool)
    assert exif.iso == 160
    assert exif.model == "Canon PowerShot SX120 IS"
    assert (exif.fNumber, exif.exposureTime, exif.focalLength) == (2.8, "1/1250", 6)
    assert exif.latitude == pytest.approx(40.2346440833)
    assert exif.longitude == pytest.approx(-76.2871415)
    assert (exif.state, exif.country) == ("Pennsylvania", "United States of America")
    assert exif.timeZone == "America/New_York"
    assert exif.dateTimeOriginal == datetime(2009, 11, 28, 18, 42, 39, tzinfo=UTC)
    assert exif.rating == 3  # not in the sidecar: the photo's
    # the sidecar's blank dc:description does not hide the photo's ImageDescription
    assert exif.description == "Mongol Els"


async def test_sidecar_without_dates_keeps_the_photo_dates(
    tmp_path: Path, assets: Path, exiftool: ExifTool
) -> None:
    photo = tmp_path / "photo.jpg"
    shutil.copy(assets / "metadata/tags/picasa.jpg", photo)
    sidecar = tmp_path / "photo.jpg.xmp"
    sidecar.write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmp:Rating="5">'
        "<dc:subject><rdf:Bag><rdf:li>Sidecar</rdf:li></rdf:Bag></dc:subject>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    exif = await extract(photo, sidecar, exiftool=exiftool)
    assert exif.rating == 5
    assert exif.tags == ("Sidecar",)
    assert exif.dateTimeOriginal == datetime(2010, 2, 13, 14, 55, 31, tzinfo=UTC)


def test_find_sidecar_order(tmp_path: Path) -> None:
    photo = tmp_path / "IMG_1.jpg"
    photo.touch()
    assert find_sidecar(photo) is None
    (tmp_path / "IMG_1.xmp").touch()
    assert find_sidecar(photo) == tmp_path / "IMG_1.xmp"
    (tmp_path / "IMG_1.jpg.xmp").touch()
    assert find_sidecar(photo) == tmp_path / "IMG_1.jpg.xmp"  # Immich checks this one first


def test_utf16_sidecar_is_reencoded(tmp_path: Path) -> None:
    text = '<x:xmpmeta xmlns:x="adobe:ns:meta/">é</x:xmpmeta>'
    utf16 = tmp_path / "a.xmp"
    utf16.write_bytes(text.encode("utf-16"))  # with a byte-order mark
    with readable_sidecar(utf16) as readable:
        assert readable != utf16
        assert readable.read_text(encoding="utf-8") == text
    assert not readable.exists()  # the copy is removed
    utf8 = tmp_path / "b.xmp"
    utf8.write_text(text, encoding="utf-8")
    with readable_sidecar(utf8) as readable:
        assert readable == utf8
