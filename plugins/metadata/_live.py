"""Live photos as Immich's metadata job handles them.

Apple: a photo and a video of the same owner (and library) sharing a ContentIdentifier are
linked: the photo's ``livePhotoVideoId`` points at the video, which is hidden and taken out of
albums. Samsung/Google motion photos: the embedded MP4 becomes its own hidden VIDEO asset
(stored as ``encoded-video/<owner>/<aa>/<bb>/<id>-MP.mp4`` as Immich does, SHA-1 checksum,
counted against the quota), linked the same way; an identical video the owner already has is
reused (and hidden) instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import uuid
from pathlib import Path

import asyncpg
import attrs

from immich.context import AppContext
from immich.db.engine import Database
from immich.db.repos import Row
from immich.db.repos import assets as assets_repo
from immich.db.repos import exif as exif_repo
from immich.jobs.asset_jobs import lock_asset
from immich.storage import layout
from plugins.metadata.exiftool import ExifTool
from plugins.metadata.extract import Exif
from plugins.metadata.motion import extract_motion_video

log = logging.getLogger(__name__)


@attrs.frozen
class MotionAsset:
    id: uuid.UUID
    created: bool  # a new hidden video asset (its own metadata job should follow)
    replaced: uuid.UUID | None  # the photo's previous, different motion video


def sha1_and_size(path: Path) -> tuple[bytes, int]:
    digest = hashlib.sha1()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.digest(), size


async def link_live_photo(database: Database, asset: Row, live_photo_cid: str) -> uuid.UUID | None:
    """Link the asset with its other half, if the owner has it; return the other's id."""
    other_type = "VIDEO" if asset["type"] == "IMAGE" else "IMAGE"
    match = await exif_repo.find_live_photo_match(
        database.pool,
        asset_id=asset["id"],
        owner_id=asset["ownerId"],
        library_id=asset["libraryId"],
        live_photo_cid=live_photo_cid,
        other_type=other_type,
    )
    if match is None:
        return None
    photo, video = (
        (asset["id"], match["id"]) if other_type == "VIDEO" else (match["id"], asset["id"])
    )
    async with database.transaction() as conn:
        await exif_repo.link_live_photo(conn, photo, video)
    log.debug("linked live photo %s with video %s", photo, video)
    return match["id"]  # type: ignore[no-any-return]


async def apply_motion_photo(
    ctx: AppContext, asset: Row, exif: Exif, et: ExifTool
) -> MotionAsset | None:
    """Extract the photo's embedded video into a hidden asset (or find the owner's identical
    one) and link it. None when the file holds no usable video."""
    new_id = uuid.uuid4()
    media, owner = ctx.settings.media_location, str(asset["ownerId"])
    out = layout.motion_video_path(media, owner, str(new_id))
    source = Path(asset["originalPath"])
    if not await extract_motion_video(source, out, info=exif.motion, exiftool=et):
        return None
    keep = False
    found: MotionAsset | None = None
    try:
        checksum, size = await asyncio.to_thread(sha1_and_size, out)
        for attempt in (1, 2):
            try:
                found, keep = await _store(ctx, asset, exif, new_id, out, checksum, size)
                break
            except asyncpg.UniqueViolationError:
                if attempt == 2:
                    raise
                log.debug("motion video of %s stored meanwhile by another job", asset["id"])
    finally:
        if not keep:
            out.unlink(missing_ok=True)
    return found


async def _store(
    ctx: AppContext,
    asset: Row,
    exif: Exif,
    new_id: uuid.UUID,
    out: Path,
    checksum: bytes,
    size: int,
) -> tuple[MotionAsset, bool]:
    """(the motion asset, whether ``out`` is now its file)."""
    keep = False
    async with ctx.db.transaction() as conn:
        # the photo's row first, as a delete of it locks it before its owner's usage (which
        # a new motion part grows here): the same order, so a racing delete waits
        await lock_asset(conn, asset["id"])
        existing = await exif_repo.by_checksum(conn, asset["ownerId"], asset["libraryId"], checksum)
        if existing is not None:
            motion_id, created = existing["id"], False
            if existing["visibility"] == "timeline":
                await exif_repo.link_live_photo(conn, asset["id"], motion_id)
            await asyncio.to_thread(_restore_missing, out, Path(existing["originalPath"]))
        else:
            motion_id, created, keep = new_id, True, True
            await assets_repo.create(
                conn,
                {
                    "id": new_id,
                    "ownerId": asset["ownerId"],
                    "libraryId": asset["libraryId"],
                    "type": "VIDEO",
                    "originalPath": str(out),
                    "originalFileName": f"{Path(asset['originalFileName']).stem}.mp4",
                    "fileCreatedAt": exif.dateTimeOriginal or asset["fileCreatedAt"],
                    "localDateTime": exif.localDateTime or asset["localDateTime"],
                    "fileModifiedAt": exif.modifyDate or asset["fileModifiedAt"],
                    "checksum": checksum,
                    "visibility": "hidden",
                    "deviceAssetId": "NONE",
                    "deviceId": "NONE",
                },
            )
            if not asset["isExternal"]:
                await exif_repo.add_usage(conn, asset["ownerId"], size)
        previous = asset["livePhotoVideoId"]
        replaced = previous if previous is not None and previous != motion_id else None
        await exif_repo.set_live_photo_video(conn, asset["id"], motion_id)
    return MotionAsset(id=motion_id, created=created, replaced=replaced), keep


def _restore_missing(video: Path, dest: Path) -> None:
    """When the known motion asset's row outlived its file, put the extracted video there."""
    if not dest.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(video, dest)
