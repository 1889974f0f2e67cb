"""Live and motion photos: Apple's ContentIdentifier, and the video inside Samsung/Google photos.

Apple: the photo and its .mov share ``ContentIdentifier`` (``livePhotoCID``); linking the two assets
is the job handler's work. Samsung/Google: the MP4 is inside the image file. As Immich, in order:
``MotionPhotoVideo`` (Samsung HEIC, extracted by exiftool), ``EmbeddedVideoFile`` when
``EmbeddedVideoType`` is ``MotionPhoto_Data`` (Samsung JPEG trailer), else the bytes that the XMP
``Container:Directory`` (``MotionPhoto`` item length + padding) or ``MicroVideoOffset`` place at the
end of the file. The result must start with an MP4 ``ftyp`` box, or nothing is written.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from plugins.metadata.exiftool import ExifTool, ExifToolError, shared_exiftool

log = logging.getLogger(__name__)

MIN_VIDEO_BYTES = 1024


@attrs.frozen
class MotionInfo:
    """Where a motion photo keeps its video."""

    tag: str | None  # binary tag exiftool extracts ("MotionPhotoVideo", "EmbeddedVideoFile")
    length: int  # bytes at the end of the file (when no tag), else 0
    padding: int


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip() not in ("", "0", "False", "false")
    return bool(value)


def _int(value: object) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value.strip())
    return 0


def _has_binary(value: object) -> bool:
    return isinstance(value, str) and value.startswith("(Binary data")


def motion_info(tags: Mapping[str, Any]) -> MotionInfo | None:
    """The motion photo's video location from exiftool's tags, or None for a still photo."""
    flagged = _truthy(tags.get("MotionPhoto")) or _truthy(tags.get("MicroVideo"))
    samsung = tags.get("EmbeddedVideoType") == "MotionPhoto_Data"
    if not (flagged or samsung or _has_binary(tags.get("MotionPhotoVideo"))):
        return None
    length = padding = 0
    directory = tags.get("ContainerDirectory") or tags.get("Directory")
    if isinstance(directory, list):
        for entry in directory:
            item = entry.get("Item") if isinstance(entry, dict) else None
            if isinstance(item, dict) and item.get("Semantic") == "MotionPhoto":
                length, padding = _int(item.get("Length")), _int(item.get("Padding"))
                break
    if _truthy(tags.get("MicroVideo")) and _int(tags.get("MicroVideoOffset")):
        length = _int(tags.get("MicroVideoOffset"))
    if _has_binary(tags.get("MotionPhotoVideo")):
        return MotionInfo(tag="MotionPhotoVideo", length=length, padding=padding)
    if samsung and _has_binary(tags.get("EmbeddedVideoFile")):
        return MotionInfo(tag="EmbeddedVideoFile", length=length, padding=padding)
    if length > 0:
        return MotionInfo(tag=None, length=length, padding=padding)
    return None


def looks_like_mp4(path: Path) -> bool:
    """An ISO-BMFF file: a ``ftyp`` box first, and more than a token size."""
    try:
        with path.open("rb") as f:
            head = f.read(12)
        return head[4:8] == b"ftyp" and path.stat().st_size >= MIN_VIDEO_BYTES
    except OSError:
        return False


async def extract_motion_video(
    path: Path,
    out: Path,
    *,
    info: MotionInfo | None = None,
    exiftool: ExifTool | None = None,
) -> bool:
    """Write the embedded video of the motion photo ``path`` to ``out`` (atomically).

    Returns False, writing nothing, when the file holds no video or what it holds is not an MP4.
    ``info`` (from ``Exif.motion``) saves reading the tags again.
    """
    et = exiftool or shared_exiftool()
    if info is None:
        from plugins.metadata.extract import read_tags

        info = motion_info(await read_tags(path, exiftool=et))
        if info is None:
            return False
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    try:
        if info.tag is not None:
            target = str(tmp).replace("%", "%%")
            await et.execute(["-b", "-W!", target, f"-{info.tag}", str(path)])
        else:
            _copy_tail(path, tmp, info.length, info.padding)
        if not looks_like_mp4(tmp):
            log.warning("no MP4 found in motion photo %s (%s)", path, info)
            return False
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
        return True
    except (OSError, ExifToolError) as e:
        log.warning("cannot extract the motion video of %s: %s", path, e)
        return False
    finally:
        tmp.unlink(missing_ok=True)


def _copy_tail(path: Path, dest: Path, length: int, padding: int) -> None:
    size = path.stat().st_size
    start = size - length - padding
    if length <= 0 or start < 0:
        raise OSError(f"motion video offset outside the file ({length=} {padding=} {size=})")
    with path.open("rb") as src, dest.open("wb") as dst:
        src.seek(start)
        remaining = length
        while remaining > 0:
            chunk = src.read(min(remaining, 1 << 20))
            if not chunk:
                break
            dst.write(chunk)
            remaining -= len(chunk)
