"""Capture dates and zones: the shared ``metadata/dates`` files, then the rules tag by tag."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from plugins.metadata import ExifTool, extract
from plugins.metadata.dates import (
    infer_zone,
    offset_zone,
    parse_datetime,
    pick_capture,
    resolve_dates,
    zone_from_name,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# Expected values, from the files' tags as `exiftool -G1 -a -s` lists them:
DATES = {
    # EXIF DateTimeOriginal 2023:02:02 02:00:00, CreateDate 04:00, XMP-pdf CreationDate 05:00,
    # IPTC TimeCreated 07:00+00:00, XMP GPSDateTime 2023:08:08 08:00 (no zone), GPSDateStamp only.
    # DateTimeOriginal wins Immich's priority. No zone: no offset tag, no GPS position, the one
    # offset (TimeCreated's) is UTC and is skipped, and GPSDateTime is months away from the capture
    # time, so no offset can be derived from it. A zone-less date is read as UTC.
    "date-priority-test.jpg": (utc(2023, 2, 2, 2), None, utc(2023, 2, 2, 2), "DateTimeOriginal"),
    # DateTimeOriginal 2025:12:01 11:30:00 without offset; GPS 39 N 108 W (western Colorado):
    # the zone comes from the position, America/Denver, MST (UTC-7) in December.
    "datetimeoriginal-gps.jpg": (
        utc(2025, 12, 1, 18, 30),
        "America/Denver",
        utc(2025, 12, 1, 11, 30),
        "DateTimeOriginal",
    ),
    # Only XMP-exif GPSDateTime 2023:11:15 12:30:00Z and a position in San Francisco: the instant
    # is the GPS (UTC) time, the zone America/Los_Angeles (PST, UTC-8), so local 04:30.
    "gps-datetime.jpg": (
        utc(2023, 11, 15, 12, 30),
        "America/Los_Angeles",
        utc(2023, 11, 15, 4, 30),
        "GPSDateTime",
    ),
}


@pytest.mark.parametrize("name", sorted(DATES))
async def test_shared_date_files(name: str, assets: Path, exiftool: ExifTool) -> None:
    instant, zone, local, tag = DATES[name]
    exif = await extract(assets / "metadata" / "dates" / name, exiftool=exiftool)
    assert exif.dateTimeOriginal == instant
    assert exif.dateTimeOriginal is not None and exif.dateTimeOriginal.tzinfo is not None
    assert exif.timeZone == zone
    assert exif.localDateTime == local
    assert exif.dateTag == tag


async def test_time_only_falls_back_to_the_file_date(assets: Path, exiftool: ExifTool) -> None:
    # time-created.jpg has only IPTC TimeCreated 14:30:00+00:00: a time without a date is no
    # capture date, so Immich's last resort applies: the file's modification time.
    path = assets / "metadata" / "dates" / "time-created.jpg"
    exif = await extract(path, exiftool=exiftool)
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    assert exif.dateTimeOriginal == mtime
    assert exif.localDateTime == mtime
    assert exif.timeZone is None and exif.dateTag is None
    earlier = utc(2001, 1, 1)
    exif = await extract(path, exiftool=exiftool, file_created_at=earlier)
    assert exif.dateTimeOriginal == earlier  # the earliest of the file dates


async def test_tz_fallback_only_for_zoneless_dates(assets: Path, exiftool: ExifTool) -> None:
    dates = assets / "metadata" / "dates"
    # no zone in the file: 02:00 is read in Berlin (CET, UTC+1); the wall clock stays 02:00 and,
    # as in Immich, timeZone stays empty
    exif = await extract(dates / "date-priority-test.jpg", None, "Europe/Berlin", exiftool=exiftool)
    assert exif.dateTimeOriginal == utc(2023, 2, 2, 1)
    assert exif.localDateTime == utc(2023, 2, 2, 2)
    assert exif.timeZone is None
    # a zone from the file (GPS) wins over the fallback
    exif = await extract(dates / "datetimeoriginal-gps.jpg", None, "Asia/Tokyo", exiftool=exiftool)
    assert exif.dateTimeOriginal == utc(2025, 12, 1, 18, 30)
    assert exif.timeZone == "America/Denver"


async def test_offset_tag_gives_the_zone(assets: Path, exiftool: ExifTool) -> None:
    # The Samsung photo: DateTimeOriginal 2024:01:12 21:38:53, SubSecTimeOriginal 853,
    # OffsetTimeOriginal -08:00 -> SubSecDateTimeOriginal wins, zone "UTC-8".
    exif = await extract(assets / "formats/motionphoto/samsung-one-ui-6.heic", exiftool=exiftool)
    assert exif.dateTag == "SubSecDateTimeOriginal"
    assert exif.timeZone == "UTC-8"
    assert exif.zoneSource == "OffsetTimeOriginal"
    assert exif.dateTimeOriginal == datetime(2024, 1, 13, 5, 38, 53, 853000, tzinfo=UTC)
    assert exif.localDateTime == datetime(2024, 1, 12, 21, 38, 53, 853000, tzinfo=UTC)


# The rules without exiftool, on tag dictionaries as exiftool prints them.


def test_parse_datetime_forms() -> None:
    stamp = parse_datetime("2023:02:02 02:00:00.5+02:00")
    assert stamp is not None
    assert stamp.wall == datetime(2023, 2, 2, 2, 0, 0, 500000)
    assert stamp.offset is not None and stamp.offset.total_seconds() == 7200
    iso = parse_datetime("2010-09-27T14:35:33Z")
    assert iso is not None and iso.offset is not None and iso.offset.total_seconds() == 0
    for bad in ("0000:00:00 00:00:00", "2023:02", "14:30:00+00:00", "", None, 2023):
        assert parse_datetime(bad) is None


def test_zone_names_as_immich_stores_them() -> None:
    assert [offset_zone(m).name for m in (0, 120, -300, 330, -570)] == [  # type: ignore[union-attr]
        "UTC",
        "UTC+2",
        "UTC-5",
        "UTC+05:30",
        "UTC-09:30",
    ]
    assert offset_zone(15 * 60) is None  # beyond +14:00
    assert zone_from_name("Europe/Paris") is not None
    assert zone_from_name("Nowhere/Special") is None
    assert zone_from_name("-0800").name == "UTC-8"  # type: ignore[union-attr]


def test_explicit_offset_beats_gps() -> None:
    tags = {"OffsetTimeOriginal": "+09:00", "GPSLatitude": 48.85, "GPSLongitude": 2.35}
    found = infer_zone(tags, is_video=False)
    assert found is not None and found[0].name == "UTC+9"


def test_nikon_daylight_savings_adds_an_hour() -> None:
    tags = {"Make": "NIKON CORPORATION", "TimeZone": "+01:00", "DaylightSavings": "Yes"}
    found = infer_zone(tags, is_video=False)
    assert found is not None and found[0].name == "UTC+2"


def test_datestamp_offset_skips_utc_stamps() -> None:
    tags = {"TimeCreated": "07:00:00+00:00", "CreateDate": "2020:01:01 10:00:00-05:00"}
    found = infer_zone(tags, is_video=False)
    assert found is not None and found[0].name == "UTC-5"
    assert infer_zone({"TimeCreated": "07:00:00+00:00"}, is_video=False) is None


def test_offset_from_gps_time() -> None:
    # the camera clock says 11:30, the GPS (UTC) 19:31: UTC-8 after rounding to 15 minutes
    tags = {"DateTimeOriginal": "2023:01:15 11:30:45", "GPSDateTime": "2023:01:15 19:31:10Z"}
    found = infer_zone(tags, is_video=False, use_gps=False)
    assert found is not None and found[0].name == "UTC-8"


def test_video_dates_are_utc_and_shown_in_the_zone() -> None:
    # QuickTime CreateDate is UTC; with no other clue the zone is UTC (defaultVideosToUTC)
    tags = {"CreateDate": "2023:06:01 12:00:00", "MIMEType": "video/mp4"}
    found = infer_zone(tags, is_video=True)
    assert found is not None and found[0].name == "UTC"
    capture = pick_capture(
        resolve_dates(tags, found[0], is_video=True),
        found[0],
        tags,
        tz_fallback="Asia/Tokyo",
        file_dates=[utc(2024, 1, 1)],
    )
    assert capture.dateTimeOriginal == utc(2023, 6, 1, 12)  # TZ does not apply to UTC stamps
    # an Apple CreationDate with its offset gives the zone; CreateDate stays UTC
    tags["CreationDate"] = "2023:06:01 14:00:00+02:00"
    zone = infer_zone(tags, is_video=True)
    assert zone is not None and zone[0].name == "UTC+2"
    capture = pick_capture(
        resolve_dates(tags, zone[0], is_video=True), zone[0], tags, tz_fallback=None, file_dates=[]
    )
    assert capture.tag == "CreationDate"
    assert capture.dateTimeOriginal == utc(2023, 6, 1, 12)
    assert capture.localDateTime == utc(2023, 6, 1, 14)


def test_explicit_utc_without_zone_is_stored_as_utc_plus_0() -> None:
    # Immich's workaround: a date ending in Z or +00:00 and no zone -> "UTC+0"
    tags = {"DateTimeUTC": "2023:11:15 10:30:00Z"}
    capture = pick_capture(
        resolve_dates(tags, None, is_video=False), None, tags, tz_fallback=None, file_dates=[]
    )
    assert capture.timeZone == "UTC+0"
    assert capture.dateTimeOriginal == utc(2023, 11, 15, 10, 30)
