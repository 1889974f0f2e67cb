"""``extract()``: a file (and its XMP sidecar) -> what Immich stores in ``asset_exif``.

exiftool is asked as Immich's exiftool-vendored asks it: JSON, structs, ``-use MWG`` (the Metadata
Working Group composites reconcile EXIF, IPTC and XMP, e.g. ``DateTimeOriginal`` with its sub-
seconds and offset, ``Description``, ``Keywords``), printed values except a few read as numbers
(``TAG#``: GPS, orientation, durations, focal length, file size), ``-api LargeFileSupport=1``, and
``-ee`` for videos. Ungrouped names are used, as exiftool's own priority and MWG pick one value per
tag; ``-G`` would make us re-implement that. The sidecar is read separately and wins tag by tag
(its dates replace all the file's dates when it has one), as in Immich's ``getExifTags``.
"""

from __future__ import annotations

import asyncio
import math
import mimetypes
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from plugins.metadata import dates, geocode, motion
from plugins.metadata.exiftool import ExifTool, ExifToolError, shared_exiftool
from plugins.metadata.sidecar import readable_sidecar

NUMERIC_TAGS = (
    "*Duration*",
    "GPSAltitude",
    "GPSLatitude",
    "GPSLongitude",
    "GPSPosition",
    "Orientation",
    "FocalLength",
    "FileSize",
    "MicroVideoOffset",
    "Rotation",
)
READ_ARGS = (
    "-json",
    "-struct",
    "-use",
    "MWG",
    "-api",
    "LargeFileSupport=1",
    *(f"-{tag}#" for tag in NUMERIC_TAGS),  # before -all: the first mention of a tag wins
    "-all",
)
VIDEO_EXTENSIONS = frozenset(
    ".3gp .3gpp .avi .flv .insv .m2t .m2ts .m4v .mkv .mov .mp4 .mpe .mpeg .mpg .mts .vob .webm "
    ".wmv".split()
)
ANIMATED_IMAGE_TYPES = frozenset({"GIF", "WEBP", "PNG", "APNG", "AVIF", "JXL"})
# exiftool's QuickTime Rotation (degrees clockwise) -> EXIF orientation
VIDEO_ROTATION = {0: 1, 90: 6, 180: 3, 270: 8, -90: 8}
INT32 = (-(2**31), 2**31 - 1)


class MetadataError(Exception):
    """The file cannot be read (missing, empty, not a media file, exiftool failed)."""


@attrs.frozen
class Exif:
    """Immich's ``asset_exif`` columns (same names), plus what the ``asset`` row takes from them."""

    make: str | None = None
    model: str | None = None
    lensModel: str | None = None
    exifImageWidth: int | None = None
    exifImageHeight: int | None = None
    orientation: str | None = None
    dateTimeOriginal: datetime | None = None
    timeZone: str | None = None
    modifyDate: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    fNumber: float | None = None
    focalLength: float | None = None
    iso: int | None = None
    exposureTime: str | None = None
    description: str = ""
    rating: int | None = None
    tags: tuple[str, ...] = ()
    fps: float | None = None
    projectionType: str | None = None
    profileDescription: str | None = None
    colorspace: str | None = None
    bitsPerSample: int | None = None
    autoStackId: str | None = None
    livePhotoCID: str | None = None
    fileSizeInByte: int | None = None
    # for the asset row (Immich's getDates / duration), and how they were found
    localDateTime: datetime | None = None
    duration: int | None = None  # milliseconds, as Immich 3.x's asset duration
    motion: motion.MotionInfo | None = None
    dateTag: str | None = None
    zoneSource: str | None = None

    def exif_row(self) -> dict[str, Any]:
        """The ``asset_exif`` column values (add ``assetId``)."""
        row = attrs.asdict(self, recurse=False)
        for key in ("localDateTime", "duration", "motion", "dateTag", "zoneSource"):
            del row[key]
        row["tags"] = list(self.tags) or None
        return row


def is_video_path(path: Path) -> bool:
    if path.suffix.lower() in VIDEO_EXTENSIONS:
        return True
    kind, _ = mimetypes.guess_type(path.name)
    return bool(kind and kind.startswith("video/"))


def _absolute(path: Path) -> Path:
    """exiftool gets absolute paths, so a name starting with "-" is never read as an option."""
    return Path(os.path.abspath(path))


async def read_tags(path: Path, *, exiftool: ExifTool | None = None) -> dict[str, Any]:
    """exiftool's tags for one file; raises MetadataError when exiftool reports an error."""
    et = exiftool or shared_exiftool()
    args = [*READ_ARGS, "-ee"] if is_video_path(path) else list(READ_ARGS)
    try:
        tags = await et.read_json(_absolute(path), args)
    except ExifToolError as e:
        raise MetadataError(f"{path}: {e}") from e
    if "Error" in tags:
        raise MetadataError(f"{path}: {tags['Error']}")
    return tags


async def extract(
    path: Path,
    sidecar: Path | None = None,
    tz_fallback: str | None = None,
    *,
    exiftool: ExifTool | None = None,
    file_created_at: datetime | None = None,
    reverse_geocoding: bool = True,
    file_modified_at: datetime | None = None,
) -> Exif:
    """Read ``path`` (and the XMP ``sidecar``, whose tags win) as Immich's metadata job does.

    ``tz_fallback`` is the ``TZ`` setting: the zone of a zone-less capture date when the file gives
    none. ``file_created_at`` (the upload's) joins the file's mtime as last-resort date.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as e:
        raise MetadataError(f"{path}: {e.strerror or e}") from e
    if stat.st_size == 0:
        raise MetadataError(f"{path}: file is empty")
    is_video = is_video_path(path)
    media = await read_tags(path, exiftool=exiftool)
    mime = str(media.get("MIMEType") or "")
    if not media.get("FileType") or mime.startswith("text/"):
        raise MetadataError(f"{path}: not an image or video ({media.get('FileType') or 'unknown'})")
    is_video = is_video or mime.startswith("video/")
    found = dates.infer_zone(media, is_video=is_video)
    zone, zone_source = found if found else (None, None)
    media_dates = dates.resolve_dates(media, zone, is_video=is_video)
    tags = dict(media)
    rotation = _int(media.get("Rotation")) if is_video else None
    if rotation is not None and rotation in VIDEO_ROTATION:
        tags["Orientation"] = VIDEO_ROTATION[rotation]  # as Immich maps the stream's rotation
    if not (is_video or str(media.get("FileType", "")).upper() in ANIMATED_IMAGE_TYPES):
        tags.pop("Duration", None)
    if sidecar is not None:
        with readable_sidecar(sidecar) as readable:
            side = await read_tags(readable, exiftool=exiftool)
        side.pop("Duration", None)
        for key in ("SourceFile", "FileName", "Directory", "FileSize", "FileType", "MIMEType"):
            side.pop(key, None)
        side_found = dates.infer_zone(side, is_video=False)
        side_dates = dates.resolve_dates(
            side, side_found[0] if side_found else None, is_video=False
        )
        if side_dates:  # the sidecar's dates (and zone) replace all of the file's
            media_dates, zone, zone_source = {}, None, None
        if side_found:
            zone, zone_source = side_found
        tags.update(side)
        media_dates.update(side_dates)
    mtime = datetime.fromtimestamp(stat.st_mtime, UTC)
    if file_modified_at is not None and stat.st_mtime <= EARLIEST_MTIME:
        mtime = file_modified_at  # ext4 keeps nothing before 1901-12-13: the upload's own time
    file_dates = [mtime] + ([file_created_at] if file_created_at else [])
    capture = dates.pick_capture(
        media_dates, zone, tags, tz_fallback=tz_fallback, file_dates=file_dates
    )
    lat, lon = _number(tags.get("GPSLatitude")), _number(tags.get("GPSLongitude"))
    place = None
    if reverse_geocoding and geocode.valid_coordinates(lat, lon):
        place = await asyncio.to_thread(geocode.reverse_geocode, lat, lon)  # type: ignore[arg-type]
    return exif_from_tags(
        tags, capture, size=stat.st_size, mtime=mtime, place=place, zone_source=zone_source
    )


EARLIEST_MTIME = -(2**31)  # an int32 time_t: the earliest mtime ext4 (and others) can keep


def exif_from_tags(
    tags: Mapping[str, Any],
    capture: dates.Capture,
    *,
    size: int,
    mtime: datetime,
    place: geocode.Place | None = None,
    zone_source: str | None = None,
) -> Exif:
    """Immich's mapping of (merged) exiftool tags to ``asset_exif`` values."""
    lat, lon = _number(tags.get("GPSLatitude")), _number(tags.get("GPSLongitude"))
    if not geocode.valid_coordinates(lat, lon):
        lat = lon = None
    width, height = _dimensions(tags)
    orientation = _int(tags.get("Orientation"))
    projection = tags.get("ProjectionType")
    duration = _number(tags.get("Duration"))
    return Exif(
        make=_first_text(tags, "Make")
        or _device(tags, "Manufacturer")
        or _text(tags.get("AndroidMake")),
        model=_first_text(tags, "Model")
        or _device(tags, "ModelName")
        or _text(tags.get("AndroidModel")),
        lensModel=_lens_model(tags),
        exifImageWidth=width,
        exifImageHeight=height,
        orientation=str(orientation) if orientation is not None else None,
        dateTimeOriginal=capture.dateTimeOriginal,
        timeZone=capture.timeZone,
        modifyDate=mtime,
        latitude=lat,
        longitude=lon,
        city=place.city if place else None,
        state=place.state if place else None,
        country=place.country if place else None,
        fNumber=_number(tags.get("FNumber")),
        focalLength=_number(tags.get("FocalLength")),
        iso=_int(tags.get("ISO")),
        exposureTime=_exposure(tags.get("ExposureTime")),
        description=(_first_text(tags, "ImageDescription", "Description") or "").strip(),
        rating=_rating(tags.get("Rating")),
        tags=_tag_list(tags),
        fps=_number(tags.get("VideoFrameRate")),
        projectionType=str(projection).upper() if projection else None,
        profileDescription=_text(tags.get("ProfileDescription")),
        colorspace=_text(tags.get("ColorSpace")),
        bitsPerSample=_bits_per_sample(tags),
        autoStackId=_first_text(tags, "BurstID", "BurstUUID", "CameraBurstID", "MediaUniqueID"),
        livePhotoCID=_first_text(tags, "ContentIdentifier", "MediaGroupUUID"),
        fileSizeInByte=size,
        localDateTime=capture.localDateTime,
        duration=round(duration * 1000) if duration is not None and duration >= 0 else None,
        motion=motion.motion_info(tags),
        dateTag=capture.tag,
        zoneSource=zone_source if capture.tag else None,
    )


def _first(value: object) -> object:
    """Immich's ``validate``: the first of a list (e.g. an ISO given as an XMP Seq)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _number(value: object) -> float | None:
    """A finite number within Postgres' int range, else None (strings mean exiftool failed)."""
    value = _first(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or not INT32[0] <= value <= INT32[1]:
        return None
    return value


def _int(value: object) -> int | None:
    number = _number(value)
    return None if number is None else round(number)


def _text(value: object) -> str | None:
    value = _first(value)
    if value is None or value == "" or isinstance(value, dict | list):
        return None
    return str(value)


def _first_text(tags: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        if (text := _text(tags.get(key))) is not None:
            return text
    return None


def _rating(value: object) -> int | None:
    """Immich: a whole number in -1..5 (-1 rejected); 0 means unrated."""
    value = _first(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value == 0:
        return None
    return value if -1 <= value <= 5 else None


def _device(tags: Mapping[str, Any], key: str) -> str | None:
    device = tags.get("Device")
    return _text(device.get(key)) if isinstance(device, dict) else None


def _lens_model(tags: Mapping[str, Any]) -> str | None:
    for key in ("LensID", "LensType", "LensSpec", "LensModel"):
        lens = str(tags.get(key) or "").strip()
        if lens and lens.lower() != "n/a" and lens != "----" and not lens.startswith("Unknown"):
            return lens
    return None


def _dimensions(tags: Mapping[str, Any]) -> tuple[int | None, int | None]:
    size = tags.get("ImageSize")
    if isinstance(size, str) and "x" in size:
        w, _, h = size.partition("x")
        if w.strip().isdigit() and h.strip().isdigit() and int(w) and int(h):
            return int(w), int(h)
    return _int(tags.get("ImageWidth")), _int(tags.get("ImageHeight"))


def _exposure(value: object) -> str | None:
    value = _first(value)
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _bits_per_sample(tags: Mapping[str, Any]) -> int | None:
    for key in (
        "BitsPerSample",
        "ComponentBitDepth",
        "ImagePixelDepth",
        "BitDepth",
        "ColorBitDepth",
    ):
        value = _first(tags.get(key))
        if isinstance(value, str):
            head = value.strip().split(" ")[0]
            value = int(head) if head.isdigit() else None
        bits = _int(value)
        if bits is not None:
            return bits // 3 if bits >= 24 and bits % 3 == 0 else bits
    return None


def _tag_list(tags: Mapping[str, Any]) -> tuple[str, ...]:
    """Immich's ``getTagList``: TagsList, else HierarchicalSubject (``|`` -> ``/``), else Keywords."""
    for key in ("TagsList", "HierarchicalSubject", "Keywords"):
        value = tags.get(key)
        if value is None or value == "":
            continue
        values = value if isinstance(value, list) else [value]
        if key == "HierarchicalSubject":
            return tuple(
                "/".join(part.replace("/", "|") for part in v.split("|"))
                if isinstance(v, str)
                else str(v)
                for v in values
            )
        return tuple(str(v) for v in values)
    return ()
