"""Downloads (Immich's DownloadService): which assets a download holds, split into archives of
about ``archiveSize`` bytes, and the zip archive of chosen assets, streamed.

Access, as Immich checks it: ``asset.download`` on every asked asset (owner; album members;
locked assets only for an elevated owner), ``album.download`` on an album (its owner and
members), ``timeline.download`` on a user (the caller themselves; partners do not exist yet).

The archive is a zip built by ``zipstream-ng`` in store mode (Immich's archiver stores too:
photos and videos do not deflate), sized before the first byte (so the answer has a
Content-Length) and read from the files chunk by chunk as the client takes it: memory stays
flat whatever the archive's size. The database is read before streaming starts; nothing is
held open while the bytes flow.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from immich.db.repos import Conn, Row
from immich.db.repos import albums as albums_repo
from immich.db.repos import download as repo
from immich.errors import BadRequest
from immich.services import access, preferences

if TYPE_CHECKING:
    from zipstream import ZipStream

    from immich.services.auth import AuthContext

log = logging.getLogger(__name__)

GIB = 1024**3
DEFAULT_ARCHIVE_SIZE = 4 * GIB
"""Immich's default target when ``archiveSize`` is not given."""

ALBUM_READ_ROLES = ("editor", "viewer")


@attrs.frozen
class Archive:
    size: int
    asset_ids: list[uuid.UUID]


@attrs.frozen
class DownloadInfo:
    total_size: int
    archives: list[Archive]


class _Packer:
    """Immich's ``addToArchive``: append, and close the archive once it is over the target."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.archives: list[Archive] = []
        self.current = Archive(0, [])

    def add(self, asset_id: uuid.UUID, size: int | None) -> None:
        self.current.asset_ids.append(asset_id)
        self.current = attrs.evolve(self.current, size=self.current.size + int(size or 0))
        if self.current.size > self.target:
            self.archives.append(self.current)
            self.current = Archive(0, [])

    def done(self) -> DownloadInfo:
        if self.current.asset_ids:
            self.archives.append(self.current)
        return DownloadInfo(sum(a.size for a in self.archives), self.archives)


async def _chosen(
    db: Conn,
    auth: AuthContext,
    asset_ids: Sequence[str] | None,
    album_id: str | None,
    user_id: str | None,
) -> list[Row]:
    me = auth.user_id
    if asset_ids is not None:
        ids = await access.require_assets(
            db, auth, "asset.download", asset_ids, elevated=auth.elevated
        )
        return await repo.sized_by_ids(db, ids)
    if album_id is not None:
        await access.check_shared_link_albums(db, auth, "album.download", [album_id])
        if not await albums_repo.ids_with_role(db, me, [album_id], ALBUM_READ_ROLES):
            raise access.no_access("album.download")
        return await repo.sized_in_album(db, album_id)
    if user_id is not None:
        if uuid.UUID(user_id) != me or auth.shared_link is not None:
            raise access.no_access("timeline.download")
        return await repo.sized_of_owner(db, me, locked=auth.elevated)
    raise BadRequest("assetIds, albumId, or userId is required")


def is_android_motion_path(original_path: str, media: Path) -> bool:
    """Immich's ``StorageCore.isAndroidMotionPath``: a video we cut out of a motion photo."""
    return original_path.startswith(str(media / "encoded-video"))


async def get_download_info(
    db: Conn,
    auth: AuthContext,
    *,
    media: Path,
    asset_ids: Sequence[str] | None = None,
    album_id: str | None = None,
    user_id: str | None = None,
    archive_size: int | None = None,
) -> DownloadInfo:
    """The chosen assets (first of ``asset_ids``, ``album_id``, ``user_id`` given), then the
    videos of their live photos (Samsung/Google embedded ones only when the caller's
    ``download.includeEmbeddedVideos`` preference says so), packed into archives."""
    rows = await _chosen(db, auth, asset_ids, album_id, user_id)
    packer = _Packer(archive_size or DEFAULT_ARCHIVE_SIZE)
    motion: dict[uuid.UUID, None] = {}
    for row in rows:
        if row["livePhotoVideoId"] is not None:
            motion[row["livePhotoVideoId"]] = None
        packer.add(row["id"], row["size"])
    if motion:
        prefs = await preferences.get(db, auth.user_id)
        embedded = bool(prefs["download"]["includeEmbeddedVideos"])
        for row in await repo.sized_by_ids(db, list(motion)):
            if not embedded and is_android_motion_path(row["originalPath"], media):
                continue
            packer.add(row["id"], row["size"])
    return packer.done()


class _Names:
    """Immich's naming: the sanitised file name, then ``name+1.ext``, ``name+2.ext``... for the
    second and later files of one name. Immich can still repeat a name (``a.jpg`` twice, then
    an original ``a+1.jpg``); here a name already taken is numbered on until it is free."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.used: set[str] = set()

    def __call__(self, original_file_name: str) -> str:
        base = sanitize_filename(original_file_name) or "unnamed"
        count = self.counts.get(base, 0)
        name = _numbered(base, count)
        while name in self.used:
            count += 1
            name = _numbered(base, count)
        self.counts[base] = count + 1
        self.used.add(name)
        return name


def _numbered(name: str, count: int) -> str:
    if not count:
        return name
    stem, ext = os.path.splitext(name)  # as node's path.parse: ".jpg" is a stem
    return f"{stem}+{count}{ext}"


_ILLEGAL = set('/?<>\\:*|"') | {chr(c) for c in range(32)} | {chr(c) for c in range(0x80, 0xA0)}
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}


def sanitize_filename(name: str) -> str:
    """npm ``sanitize-filename`` as Immich calls it: illegal, control and reserved characters
    removed, ``.``/``..`` and Windows device names dropped, trailing dots/spaces cut, at most
    255 UTF-8 bytes."""
    cleaned = "".join(ch for ch in name if ch not in _ILLEGAL)
    if cleaned in (".", "..") or cleaned.split(".")[0].lower() in _WINDOWS_RESERVED:
        cleaned = ""
    cleaned = cleaned.rstrip(". ")
    encoded = cleaned.encode()
    if len(encoded) > 255:
        cleaned = encoded[:255].decode(errors="ignore")
    return cleaned


async def build_archive(
    db: Conn, auth: AuthContext, asset_ids: Sequence[str], *, edited: bool = False
) -> ZipStream:
    """The zip of these assets, in the asked order, not yet generated: files are opened and
    read only as the stream is iterated. A file missing on disk is left out with a warning
    (Immich's archive would break off at that point)."""
    from zipstream import ZIP_STORED, ZipStream

    wanted = await access.require_assets(
        db, auth, "asset.download", asset_ids, elevated=auth.elevated
    )
    found = {row["id"]: row for row in await repo.originals(db, wanted, edited=edited)}
    entries: list[tuple[uuid.UUID, str, str]] = []
    names = _Names()
    for asset_id in wanted:
        row = found.get(asset_id)
        if row is None:
            continue
        path = (row["editedPath"] if edited else None) or row["originalPath"]
        entries.append((asset_id, path, names(row["originalFileName"])))
    archive = ZipStream(compress_type=ZIP_STORED, sized=True)
    # add_path stats each file: file-system work, off the event loop.
    await asyncio.to_thread(_add_files, archive, entries)
    return archive


def _add_files(archive: ZipStream, entries: list[tuple[uuid.UUID, str, str]]) -> None:
    for asset_id, path, name in entries:
        try:
            archive.add_path(os.path.realpath(path), name, recurse=False)
        except OSError as error:
            log.warning("download: left %s (%s) out of the archive: %s", asset_id, path, error)


def chunks(archive: ZipStream, at_least: int = 1 << 20) -> Iterator[bytes]:
    """The archive's bytes in pieces of about ``at_least`` bytes (zipstream-ng yields 64 KiB
    reads and small headers; fewer, larger pieces mean fewer thread hops and sends)."""
    pending: list[bytes] = []
    size = 0
    for piece in archive:
        pending.append(piece)
        size += len(piece)
        if size >= at_least:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)
