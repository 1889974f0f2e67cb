"""Capture date and time zone, as Immich derives them with exiftool-vendored.

Per file (the media file and its sidecar separately, as exiftool-vendored reads each):
``infer_zone`` finds the file's zone with exiftool-vendored's heuristics in Immich's configuration,
first hit wins:

1. explicit tags: ``TimeZone``, ``OffsetTimeOriginal``, ``OffsetTimeDigitized``, ``OffsetTime``,
   ``TimeZoneOffset`` (Nikon's ``DaylightSavings`` adds an hour);
2. the GPS position -> IANA zone (``tzfpy``, the same timezone-boundary-builder data as geo-tz);
3. a non-UTC offset written inside a creation date (``inferTimezoneFromDatestamps``);
4. videos: UTC (``defaultVideosToUTC``);
5. the difference between a capture time and ``GPSDateTime`` / ``DateTimeUTC`` / GPS date+time
   stamps, rounded to 15 minutes;
6. the same against Samsung's ``TimeStamp`` (``inferTimezoneFromTimeStamp``).

``resolve_dates`` then gives every capture tag an instant: its own offset if it has one, UTC for
GPS/UTC tags and for videos, else the file's zone ("backfill"), else none (naive).
``pick_capture`` applies Immich's tag priority and its ``getDates`` rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

# Immich's metadata.service EXIF_DATE_TAGS, in its order (Immich 2.x/3.x).
EXIF_DATE_TAGS = (
    "SubSecDateTimeOriginal",
    "SubSecCreateDate",
    "DateTimeOriginal",
    "CreationDate",
    "CreateDate",
    "MediaCreateDate",
    "DateTimeCreated",
    "GPSDateTime",
    "DateTimeUTC",
    "SonyDateTime2",
    "SourceImageCreateTime",  # insta360, XMP-GPano
)
# exiftool-vendored's CapturedAtTagNames (used to compare with a UTC stamp)
CAPTURED_AT_TAGS = (
    "SubSecDateTimeOriginal",
    "DateTimeOriginal",
    "SubSecCreateDate",
    "CreateDate",
    "SubSecMediaCreateDate",
    "MediaCreateDate",
    "DateTimeCreated",
)
# exiftool-vendored's DefaultCreateDateTagNames (inferTimezoneFromDatestamps)
DATESTAMP_ZONE_TAGS = (
    "SubSecCreateDate",
    "CreateDate",
    "SubSecDateTimeOriginal",
    "DateTimeOriginal",
    "DateTimeCreated",
    "SubSecMediaCreateDate",
    "MediaCreateDate",
    "CreationDate",
    "TimeCreated",
)
EXPLICIT_ZONE_TAGS = ("TimeZone", "OffsetTimeOriginal", "OffsetTimeDigitized", "OffsetTime")
MAX_OFFSET_MINUTES = 14 * 60

_DATETIME = re.compile(
    r"^\s*(\d{4})[:-](\d{1,2})[:-](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?\s*$"
)
_OFFSET = re.compile(r"^\s*(?:UTC|GMT)?\s*([+-])?(\d{1,2})(?::?(\d{2}))?\s*$")
_TRAILING_OFFSET = re.compile(r"(Z|[+-]\d{1,2}:?\d{2})\s*$")


@attrs.frozen
class Zone:
    """A zone as Immich names it: an IANA name, or "UTC" / "UTC+2" / "UTC-05:30"."""

    name: str
    tz: tzinfo


@attrs.frozen
class Stamp:
    """One date tag's value: its wall-clock time and, if the value said so, its offset."""

    wall: datetime  # naive
    offset: timedelta | None
    raw: str

    def instant(self, default: tzinfo) -> datetime:
        """The aware datetime, using ``default`` when the value has no offset of its own."""
        if self.offset is not None:
            return self.wall.replace(tzinfo=timezone(self.offset))
        return self.wall.replace(tzinfo=default)


def offset_zone(minutes: int) -> Zone | None:
    """exiftool-vendored's ``offsetMinutesToZoneName``: "UTC", "UTC+2", "UTC+05:30"."""
    if abs(minutes) > MAX_OFFSET_MINUTES:
        return None
    tz = timezone(timedelta(minutes=minutes))
    if minutes == 0:
        return Zone("UTC", UTC)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    name = f"UTC{sign}{hours}" if mins == 0 else f"UTC{sign}{hours:02d}:{mins:02d}"
    return Zone(name, tz)


def zone_from_name(name: str) -> Zone | None:
    """A zone from an IANA name or an offset text ("+02:00", "UTC-5", "-0800", "Z")."""
    text = name.strip()
    if not text:
        return None
    if text.upper() == "Z":
        return Zone("UTC", UTC)
    if "/" in text or text.upper() == "UTC":
        try:
            return Zone(text, ZoneInfo(text)) if text.upper() != "UTC" else Zone("UTC", UTC)
        except (ZoneInfoNotFoundError, ValueError):
            return None
    m = _OFFSET.match(text)
    if not m:
        return None
    minutes = int(m[2]) * 60 + int(m[3] or 0)
    return offset_zone(-minutes if m[1] == "-" else minutes)


def parse_datetime(value: object) -> Stamp | None:
    """Parse an exiftool date-time ("2023:02:02 02:00:00.5+02:00", ISO too); None if not one."""
    if not isinstance(value, str):
        return None
    m = _DATETIME.match(value)
    if not m:
        return None
    year, month, day, hour, minute = (int(m[i]) for i in range(1, 6))
    second = int(m[6] or 0)
    micro = int((m[7] or "0")[:6].ljust(6, "0"))
    try:
        wall = datetime(year, month, day, hour, minute, min(second, 59), micro)
    except ValueError:
        return None
    if year < 1:
        return None
    offset = _parse_offset(m[8]) if m[8] else None
    return Stamp(wall=wall, offset=offset, raw=value)


def _parse_offset(text: str) -> timedelta | None:
    zone = zone_from_name(text)
    if zone is None:
        return None
    return zone.tz.utcoffset(None)


def _trailing_offset_minutes(value: object) -> int | None:
    """Offset written at the end of a date or time value ("...+02:00"), in minutes."""
    if not isinstance(value, str):
        return None
    m = _TRAILING_OFFSET.search(value)
    if not m:
        return None
    delta = _parse_offset(m[1])
    return None if delta is None else int(delta.total_seconds() // 60)


def _first(value: object) -> object:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _explicit_zone(tags: Mapping[str, Any]) -> tuple[Zone, str] | None:
    for tag in EXPLICIT_ZONE_TAGS:
        value = _first(tags.get(tag))
        if isinstance(value, str) and (zone := zone_from_name(value)) is not None:
            if tag == "TimeZone" and _nikon_dst(tags) and zone.name.startswith("UTC"):
                minutes = int(zone.tz.utcoffset(None).total_seconds() // 60)  # type: ignore[union-attr]
                zone = offset_zone(minutes + 60) or zone
            return zone, tag
    hours = _first(tags.get("TimeZoneOffset"))
    if isinstance(hours, str):
        hours = _to_number(hours.split()[0]) if hours.split() else None
    if isinstance(hours, int | float) and not isinstance(hours, bool):
        zone = offset_zone(round(hours * 60))
        if zone is not None:
            return zone, "TimeZoneOffset"
    return None


def _nikon_dst(tags: Mapping[str, Any]) -> bool:
    make = str(tags.get("Make") or "").lower()
    return "nikon" in make and str(tags.get("DaylightSavings") or "").lower() == "yes"


def _to_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def gps_zone(lat: object, lon: object) -> Zone | None:
    """The IANA zone at a position (tzfpy; oceans give "Etc/GMT+N" as geo-tz does)."""
    from plugins.metadata.geocode import valid_coordinates

    if not valid_coordinates(lat, lon):
        return None
    import tzfpy

    name = tzfpy.get_tz(float(lon), float(lat))  # type: ignore[arg-type]
    return zone_from_name(name) if name else None


def _utc_stamp(tags: Mapping[str, Any], names: tuple[str, ...]) -> datetime | None:
    for name in names:
        stamp = parse_datetime(_first(tags.get(name)))
        if stamp is not None:
            return stamp.instant(UTC).astimezone(UTC).replace(tzinfo=None)
    if "GPSDateTime" in names:
        date, time = tags.get("GPSDateStamp"), tags.get("GPSTimeStamp")
        if isinstance(date, str) and isinstance(time, str):
            stamp = parse_datetime(f"{date} {time}")
            if stamp is not None:
                return stamp.instant(UTC).astimezone(UTC).replace(tzinfo=None)
    return None


def _offset_from_utc(tags: Mapping[str, Any], utc_names: tuple[str, ...]) -> Zone | None:
    utc = _utc_stamp(tags, utc_names)
    if utc is None:
        return None
    for name in CAPTURED_AT_TAGS:
        stamp = parse_datetime(_first(tags.get(name)))
        if stamp is not None:
            minutes = (stamp.wall - utc).total_seconds() / 60
            return offset_zone(round(minutes / 15) * 15)
    return None


def infer_zone(
    tags: Mapping[str, Any], *, is_video: bool, use_gps: bool = True
) -> tuple[Zone, str] | None:
    """The file's zone and where it came from, or None (see the module doc for the order)."""
    if (found := _explicit_zone(tags)) is not None:
        return found
    if use_gps and (zone := gps_zone(tags.get("GPSLatitude"), tags.get("GPSLongitude"))):
        return zone, "GPSLatitude/GPSLongitude"
    for tag in DATESTAMP_ZONE_TAGS:
        minutes = _trailing_offset_minutes(_first(tags.get(tag)))
        if minutes and (zone := offset_zone(minutes)) is not None:  # UTC stamps are skipped
            return zone, f"offset in {tag}"
    if is_video:
        return Zone("UTC", UTC), "defaultVideosToUTC"
    if (zone := _offset_from_utc(tags, ("GPSDateTime", "DateTimeUTC"))) is not None:
        return zone, "offset from GPSDateTime/DateTimeUTC"
    if (zone := _offset_from_utc(tags, ("TimeStamp",))) is not None:
        return zone, "offset from TimeStamp"
    return None


def _is_utc_tag(name: str) -> bool:
    return "UTC" in name or name.startswith("GPS")


def resolve_dates(
    tags: Mapping[str, Any], zone: Zone | None, *, is_video: bool
) -> dict[str, tuple[datetime, bool]]:
    """Each Immich date tag's value as a datetime and whether it carries a zone.

    As exiftool-vendored with ``backfillTimezones``: an offset in the value wins; GPS/UTC tags,
    and every zone-less date of a video, are UTC (then shown in the file's zone); other zone-less
    dates take the file's zone; without one they stay naive.
    """
    out: dict[str, tuple[datetime, bool]] = {}
    for name in EXIF_DATE_TAGS:
        stamp = parse_datetime(_first(tags.get(name)))
        if stamp is None:
            continue
        if stamp.offset is not None:
            out[name] = (stamp.instant(UTC), True)
        elif _is_utc_tag(name) or is_video:
            when = stamp.instant(UTC)
            out[name] = (when.astimezone(zone.tz) if zone else when, True)
        elif zone is not None:
            out[name] = (stamp.wall.replace(tzinfo=zone.tz), True)
        else:
            out[name] = (stamp.wall, False)
    return out


@attrs.frozen
class Capture:
    """Immich's ``getDates`` result."""

    dateTimeOriginal: datetime  # aware, UTC
    localDateTime: datetime  # the wall clock in the photo's zone, labelled UTC
    timeZone: str | None
    tag: str | None  # the tag the date came from; None when file dates were used


def pick_capture(
    dates: Mapping[str, tuple[datetime, bool]],
    zone: Zone | None,
    raw: Mapping[str, Any],
    *,
    tz_fallback: str | None,
    file_dates: list[datetime],
) -> Capture:
    """Immich's date priority and zone rules; ``file_dates`` (aware) are the last resort.

    ``tz_fallback`` (the ``TZ`` setting) is the zone of a zone-less date when no zone was found;
    as in Immich, ``timeZone`` then stays empty.
    """
    for tag in EXIF_DATE_TAGS:
        if tag not in dates:
            continue
        when, has_zone = dates[tag]
        time_zone = zone.name if zone else None
        raw_value = str(_first(raw.get(tag)) or "")
        if time_zone is None and (raw_value.endswith("Z") or raw_value.endswith("+00:00")):
            time_zone = "UTC+0"  # Immich's workaround for explicit UTC without a zone tag
        if has_zone:
            shown = zone_from_name(time_zone) if time_zone else None
            local = when.astimezone(shown.tz if shown else UTC)
        else:
            local = when  # the wall clock, whatever zone it is read in
            fallback = zone_from_name(tz_fallback) if tz_fallback else None
            when = when.replace(tzinfo=fallback.tz if fallback else UTC)
        return Capture(
            dateTimeOriginal=when.astimezone(UTC),
            localDateTime=local.replace(tzinfo=UTC),
            timeZone=time_zone,
            tag=tag,
        )
    earliest = min(d.astimezone(UTC) for d in file_dates)
    return Capture(dateTimeOriginal=earliest, localDateTime=earliest, timeZone=None, tag=None)
