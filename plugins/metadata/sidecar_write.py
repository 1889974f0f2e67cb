"""Writing the owner's edits into an XMP sidecar, as Immich's ``SidecarWrite`` job does.

What is written (``xmp_values``): only the ``asset_exif`` columns the owner edited, i.e. the
ones named in ``lockedProperties``, mapped as Immich maps them: ``description`` to
``Description`` and ``ImageDescription``, ``dateTimeOriginal`` (in the asset's ``timeZone``) to
``DateTimeOriginal``, ``latitude``/``longitude`` to ``GPSLatitude``/``GPSLongitude``,
``rating`` to ``Rating`` (0 for none) and ``tags`` to digiKam's ``TagsList`` (hierarchical
values ``a/b/c``), which metadata extraction reads first. A sidecar holds only XMP, so
exiftool puts each into its XMP group.

How (``write_sidecar``): values go to exiftool as a JSON file (``-json=``), so descriptions
with line breaks, lists and numbers travel unchanged; an empty text is written empty (Immich's
``Tag^=``), None and an empty list remove the tag. The sidecar is never edited in place: its
content (re-encoded to UTF-8 when it is UTF-16, which exiftool 12.57 cannot read; a bare XMP
packet when there is none yet) goes to a temporary file of this writer's own beside it,
exiftool edits that, and a rename puts it in place: a reader sees the old sidecar or the new
one, and a failed write leaves the old one as it was.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from immich.storage.files import TEMP_SUFFIX, remove_quietly
from immich.storage.temp import scratch_for
from plugins.metadata.exiftool import ExifTool, ExifToolError
from plugins.metadata.sidecar import _UTF16_BOMS, MAX_SIDECAR_BYTES

LOCKABLE = ("description", "dateTimeOriginal", "latitude", "longitude", "rating", "tags")
"""The ``asset_exif`` columns a sidecar write carries (Immich's, ``timeZone`` goes with the
date)."""

EMPTY_PACKET = (
    "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>\n"
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'>\n"
    "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
    "</rdf:RDF>\n"
    "</x:xmpmeta>\n"
    "<?xpacket end='w'?>\n"
)
_UTC_OFFSET = re.compile(r"^UTC(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$")


class SidecarWriteError(RuntimeError):
    """exiftool could not write the sidecar (the reason is its error line)."""


def zone_of(name: str | None) -> dt.tzinfo:
    """``asset_exif.timeZone`` (an IANA name or ``UTC+2``/``UTC-5:30``) as a tzinfo; UTC when
    absent or unknown (as Luxon's ``setZone`` falls back to the server's zone)."""
    if not name:
        return dt.UTC
    match = _UTC_OFFSET.match(name)
    if match:
        sign, hours, minutes = match.groups()
        if sign is None:
            return dt.UTC
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        return dt.timezone(-delta if sign == "-" else delta)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def exif_date(value: dt.datetime, zone: str | None) -> str:
    """A capture date as exiftool writes it, in the asset's zone, with milliseconds and offset
    (Immich's ``mergeTimeZone(...).toISO()``)."""
    local = value.astimezone(zone_of(zone))
    offset = local.strftime("%z")  # +0200
    millis = f"{local.microsecond // 1000:03d}"
    return f"{local:%Y:%m:%d %H:%M:%S}.{millis}{offset[:3]}:{offset[3:]}"


def xmp_values(exif: Mapping[str, Any], locked: set[str]) -> dict[str, Any]:
    """The XMP tags to write for the ``locked`` (edited) columns of an ``asset_exif`` row."""
    tags: dict[str, Any] = {}
    if "description" in locked:
        text = exif.get("description") or ""
        tags["Description"] = tags["ImageDescription"] = text
    if "dateTimeOriginal" in locked and exif.get("dateTimeOriginal") is not None:
        tags["DateTimeOriginal"] = exif_date(exif["dateTimeOriginal"], exif.get("timeZone"))
    if "latitude" in locked:
        tags["GPSLatitude"] = exif.get("latitude")
    if "longitude" in locked:
        tags["GPSLongitude"] = exif.get("longitude")
    if "rating" in locked:
        tags["Rating"] = exif.get("rating") or 0
    if "tags" in locked:
        tags["TagsList"] = list(exif.get("tags") or [])
    return tags


def _own_temp(path: Path) -> Path:
    """A temporary name beside ``path`` that no other writer uses (pid and a random part)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")


def _start_copy(path: Path, tmp: Path) -> None:
    """The sidecar's current content (UTF-8), or an empty packet, into ``tmp``."""
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_SIDECAR_BYTES else None
    except FileNotFoundError:
        data = EMPTY_PACKET.encode()
    if data is None:
        raise SidecarWriteError(f"{path}: sidecar larger than {MAX_SIDECAR_BYTES} bytes")
    if data.startswith(_UTF16_BOMS):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    with tmp.open("xb") as out:
        out.write(data)


def _error_line(err: bytes, out: bytes) -> str:
    text = (err + b"\n" + out).decode(errors="replace")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(("Error", "Warning"))] or lines
    return errors[0] if errors else "nothing written"


async def write_sidecar(et: ExifTool, path: Path, tags: Mapping[str, Any]) -> None:
    """Set ``tags`` in the XMP sidecar at ``path`` (made when missing), atomically."""
    values = {k: v for k, v in tags.items() if v is not None}
    removed = [f"-{k}=" for k, v in tags.items() if v is None]
    tmp = _own_temp(path)
    json_name = scratch_for(path, ".json")  # beside tmp: swept with it after a crash
    try:
        with json_name.open("x", encoding="utf-8") as f:
            json.dump([{"SourceFile": "*", **values}], f, ensure_ascii=False, default=str)
        await asyncio.to_thread(_start_copy, path, tmp)
        args = ["-overwrite_original", "-charset", "utf8", f"-json={json_name}", *removed]
        try:
            out, err = await et.run([*args, str(tmp)])
        except ExifToolError as e:
            raise SidecarWriteError(f"{path}: {e}") from e
        said = out + err  # with -json= the summary comes on stderr
        if b"1 image files updated" not in said and b"1 image files unchanged" not in said:
            raise SidecarWriteError(f"{path}: {_error_line(err, out)}")
        await asyncio.to_thread(tmp.replace, path)
    finally:
        remove_quietly(tmp)
        remove_quietly(json_name)
