"""XMP sidecars: where they are, and a UTF-8 copy for exiftool when they are UTF-16.

Immich looks for ``photo.jpg.xmp`` first, then ``photo.xmp``. Lightroom and others may write UTF-16
XMP (with a byte-order mark), which Debian's exiftool 12.57 cannot parse ("XMP character encoding
error"); such a file is re-encoded to UTF-8 in a temporary file before exiftool reads it. The
copy is written beside the sidecar under a name the media folder's sweeps know
(``immich.storage.temp.scratch_for``), so one a killed worker leaves is removed; only where that
folder is read-only (an external library) does it go to the system's temporary folder.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from immich.storage.temp import scratch_for

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
MAX_SIDECAR_BYTES = 32 * 1024 * 1024


def sidecar_candidates(path: Path) -> list[Path]:
    """``photo.jpg.xmp`` then ``photo.xmp``, as Immich checks them."""
    return [path.with_name(path.name + ".xmp"), path.with_suffix(".xmp")]


def find_sidecar(path: Path) -> Path | None:
    """The first readable sidecar beside ``path``, or None."""
    for candidate in sidecar_candidates(path):
        if candidate != path and candidate.is_file() and os.access(candidate, os.R_OK):
            return candidate
    return None


@contextmanager
def readable_sidecar(path: Path) -> Iterator[Path]:
    """``path`` itself, or a UTF-8 copy of it when it is UTF-16 (removed afterwards)."""
    with path.open("rb") as f:
        head = f.read(4)
    if not head.startswith(_UTF16_BOMS) or path.stat().st_size > MAX_SIDECAR_BYTES:
        yield path
        return
    data = path.read_bytes().decode("utf-16", errors="replace").encode("utf-8")
    copy = scratch_for(path, ".xmp")
    try:
        with copy.open("xb") as out:
            out.write(data)
    except OSError:  # a read-only folder: the system's temporary folder instead
        fd, name = tempfile.mkstemp(suffix=".xmp", prefix="sidecar-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        copy = Path(name)
    try:
        yield copy
    finally:
        copy.unlink(missing_ok=True)
