"""``.immich`` marker files: a missing mount fails loudly instead of filling an empty folder.

At start-up every media folder (``upload``, ``thumbs``, ``encoded-video``, ``profile``,
``library``, ``backups``) gets a ``.immich`` file, as Immich's storage service writes them.
When the database already holds uploaded assets, a folder whose marker is missing is not the
folder the assets were written to (an unmounted volume, a wrong path): start-up stops with a
message naming the file, before anything is written into the wrong place. Each start also
rewrites every marker, which proves the folder is readable and writable.

``IMMICH_IGNORE_MOUNT_CHECK_ERRORS=true`` (as Immich's): a failed check is logged as an error
and start-up goes on; no marker is written for the folders that failed, so the next start
checks again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from immich.db.repos import Conn
from immich.db.repos import assets as assets_repo
from immich.storage.files import write_atomic
from immich.storage.layout import FOLDERS, MARKER

log = logging.getLogger(__name__)

DOCS = (
    "Please see https://immich.app/docs/administration/system-integrity#folder-checks "
    "for more information."
)


class MediaFolderError(RuntimeError):
    """A media folder is missing its marker, or cannot be read or written."""


def marker_path(media: Path, folder: str) -> Path:
    return media / folder / MARKER


def check_folders(media: Path, *, has_assets: bool) -> list[Path]:
    """Check (and write) every folder's marker; return the markers created now.

    Raises MediaFolderError when a marker is missing while ``has_assets``, or when a folder
    cannot be read or written.
    """
    missing = [marker_path(media, f) for f in FOLDERS if not marker_path(media, f).is_file()]
    if missing and has_assets:
        names = ", ".join(f'"{p}"' for p in missing)
        raise MediaFolderError(
            f"Failed to read {names}: the database has assets but this media folder has no "
            f"marker file, so it is not the folder they were stored in (is the volume mounted "
            f"at {media}?). Refusing to start. {DOCS}"
        )
    for folder in FOLDERS:
        marker = marker_path(media, folder)
        try:
            write_atomic(marker, str(int(time.time() * 1000)).encode())
        except OSError as err:
            raise MediaFolderError(f'Failed to write "{marker}": {err}. {DOCS}') from err
        try:
            marker.read_bytes()
        except OSError as err:
            raise MediaFolderError(f'Failed to read "{marker}": {err}. {DOCS}') from err
    return missing


async def verify_media_folders(media: Path, db: Conn, *, ignore_errors: bool = False) -> list[Path]:
    """Start-up check: markers against the database (see the module docstring). With
    ``ignore_errors`` a failure is logged and answers no created markers instead of raising."""
    has_assets = await assets_repo.has_uploads(db)
    try:
        return await asyncio.to_thread(check_folders, media, has_assets=has_assets)
    except MediaFolderError as err:
        if not ignore_errors:
            raise
        log.error("%s", err)
        log.warning("Ignoring mount folder errors (IMMICH_IGNORE_MOUNT_CHECK_ERRORS=true)")
        return []
