"""Upload rules (Immich's AssetMediaService.uploadAsset and bulkUploadCheck).

The body streams into temporary files in the asset's destination folder
(``upload/<userId>/<aa>/<bb>/``) while their SHA-1 is computed; the asset row, its EXIF row
(file size), its sidecar row and the quota usage are written in one short transaction, and the
temporary files are renamed to their final names inside it. ``POST /assets`` is a streaming
endpoint (``transaction=False``): no request transaction is open while the body arrives, and
this module opens that one short transaction itself (``ctx.db.transaction()``). Any failure
(bad input, quota, duplicate, a client that goes away) removes the files: no row without file,
no stray file.
After the commit the ``on_asset_uploaded`` hook runs and the jobs plugins return are enqueued.

A crash can still leave files: a ``.partial`` body mid-stream, or final files renamed in a
transaction that never committed. For those the renames happen under a ``.pending`` marker
(``immich.storage.upload_sweep``), and ``sweep`` (the nightly ``UploadCleanup`` job, also run
at start-up) removes old partial files and, per old marker without its asset row, the files
it names.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import logging
import os
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

import asyncpg
import attrs

from immich.context import AppContext
from immich.db.repos import Conn, asset_metadata
from immich.db.repos import assets as repo
from immich.errors import BadRequest
from immich.plugins import follow_ups
from immich.storage import layout, mime, multipart, upload_sweep
from immich.storage.files import remove_quietly, temp_path

log = logging.getLogger(__name__)

ASSET_FIELD = "assetData"
SIDECAR_FIELD = "sidecarData"
QUOTA_EXCEEDED = "Quota has been exceeded!"
NO_FILE = "Field(s) assetData should not be empty"
STALE_AFTER_S = 24 * 3600  # leftovers of crashed uploads older than this are swept
SWEPT_FOLDERS = ("upload", "profile")  # media folders that uploaded bodies stream into


@attrs.frozen
class UploadResult:
    id: str
    duplicate: bool


@attrs.frozen
class UploadFields:
    """The form fields of an upload, checked: what the asset row takes from them."""

    file_created_at: dt.datetime
    file_modified_at: dt.datetime
    filename: str | None = None  # the client's name for the file, over the part's own
    is_favorite: bool = False
    duration: int | None = None  # milliseconds
    visibility: str = "timeline"
    live_photo_video_id: str | None = None
    metadata: tuple[tuple[str, Any], ...] = ()  # (key, value) items of asset_metadata


# Checks the form's text fields (name -> value) and whether a sidecar part came; raises
# ValidationFailed. The api layer supplies it: the fields' rules are the DTO's.
FieldParser = Callable[[Mapping[str, str], bool], UploadFields]


def from_checksum(value: str) -> bytes:
    """Immich's ``fromChecksum``: 28 characters are base64, anything else hex (bad -> b'')."""
    try:
        if len(value) == 28:
            return base64.b64decode(value, validate=True)
        return bytes.fromhex(value)
    except (ValueError, binascii.Error):
        return b""


def _unsupported(filename: str) -> BadRequest:
    return BadRequest(f"Unsupported file type {filename}")


def _check_quota(user: Mapping[str, Any], size: int) -> None:
    quota = user["quotaSizeInBytes"]
    if quota is not None and quota < user["quotaUsageInBytes"] + size:
        raise BadRequest(QUOTA_EXCEEDED)


async def upload(
    ctx: AppContext,
    user: Mapping[str, Any],
    chunks: AsyncIterator[bytes],
    content_type: str | None,
    checksum: str | None = None,
    *,
    parse_fields: FieldParser,
) -> UploadResult:
    """Store one uploaded asset (see the module docstring); duplicates answer the existing id.
    ``parse_fields`` checks the form's text fields once the body is in."""
    pool = ctx.db.pool
    user_id = str(user["id"])
    if checksum:  # Immich's fast path: a known checksum answers before the body is read
        existing = await repo.upload_id_by_checksum(pool, user_id, from_checksum(checksum))
        if existing is not None:
            return UploadResult(str(existing), True)
    asset_id = str(uuid.uuid4())
    folder = layout.upload_path(ctx.settings.media_location, user_id, asset_id, "").parent

    async def target(name: str, filename: str, fields: Mapping[str, str]) -> Path:
        if name == ASSET_FIELD:
            shown = fields.get("filename") or filename
            if mime.asset_type(shown) is None:
                raise _unsupported(shown)
            size = fields.get("fileSize", "")
            if size.isdigit():  # the client's announced size: refuse before receiving it
                _check_quota(user, int(size))
            return temp_path(folder / asset_id)
        if name == SIDECAR_FIELD:
            if not mime.is_sidecar(filename):
                raise _unsupported(filename)
            return temp_path(folder / f"{asset_id}.xmp")
        raise BadRequest(f"Unexpected field {name}")

    try:
        form = await multipart.receive(chunks, content_type, target)
    except multipart.MultipartError as err:
        raise BadRequest(str(err)) from None
    try:
        return await _store(ctx, user, asset_id, form, parse_fields)
    finally:
        await asyncio.to_thread(form.discard)  # temporary files not renamed into place


async def _store(
    ctx: AppContext,
    user: Mapping[str, Any],
    asset_id: str,
    form: multipart.ReceivedForm,
    parse_fields: FieldParser,
) -> UploadResult:
    received = form.files.get(ASSET_FIELD)
    if received is None:
        raise BadRequest(NO_FILE)
    parsed = parse_fields(form.fields, SIDECAR_FIELD in form.files)
    filename = parsed.filename or received.filename
    kind = mime.asset_type(filename)
    if kind is None:
        raise _unsupported(filename)
    if received.size == 0:
        raise BadRequest(f"Empty file: {filename}")
    _check_quota(user, received.size)
    media = ctx.settings.media_location
    original = layout.upload_path(media, str(user["id"]), asset_id, Path(filename).suffix)
    sidecar = form.files.get(SIDECAR_FIELD)
    sidecar_path = Path(f"{original}.xmp") if sidecar is not None else None
    values = {
        "id": uuid.UUID(asset_id),
        "ownerId": user["id"],
        "deviceAssetId": form.fields.get("deviceAssetId") or f"{filename}-{received.size}",
        "deviceId": form.fields.get("deviceId") or "",
        "type": kind,
        "originalPath": str(original),
        "originalFileName": filename,
        "fileCreatedAt": parsed.file_created_at,
        "fileModifiedAt": parsed.file_modified_at,
        "localDateTime": parsed.file_created_at,
        "isFavorite": parsed.is_favorite,
        "duration": str(parsed.duration) if parsed.duration else None,
        "visibility": parsed.visibility,
        "livePhotoVideoId": (
            uuid.UUID(parsed.live_photo_video_id) if parsed.live_photo_video_id else None
        ),
        "checksum": received.sha1,
    }
    placed: list[Path] = []
    marker = upload_sweep.pending_marker(original.parent, asset_id)
    try:
        async with ctx.db.transaction() as conn:
            if parsed.live_photo_video_id:
                await _hide_motion_part(conn, user["id"], parsed.live_photo_video_id)
            if not await repo.reserve_quota(conn, user["id"], received.size):
                raise BadRequest(QUOTA_EXCEEDED)
            row = await repo.create(conn, values)
            await repo.upsert_exif(conn, {"assetId": row["id"], "fileSizeInByte": received.size})
            if sidecar_path is not None:
                await repo.add_file(conn, row["id"], "sidecar", str(sidecar_path))
            if parsed.metadata:
                await asset_metadata.upsert(conn, [(row["id"], k, v) for k, v in parsed.metadata])
            moves = [(received.path, original)]
            if sidecar is not None and sidecar_path is not None:
                moves.append((sidecar.path, sidecar_path))
            _place_all(marker, moves, parsed.file_modified_at, placed)
    except asyncpg.UniqueViolationError as err:
        _unplace([*placed, marker])
        if not repo.is_checksum_conflict(err):
            raise
        existing = await repo.upload_id_by_checksum(ctx.db.pool, user["id"], received.sha1)
        if existing is None:
            raise
        return UploadResult(str(existing), True)
    except BaseException:
        _unplace([*placed, marker])
        raise
    remove_quietly(marker)  # committed: the files are the row's
    await _after_upload(ctx, row)
    return UploadResult(asset_id, False)


def _place_all(
    marker: Path, moves: list[tuple[Path, Path]], modified: dt.datetime, placed: list[Path]
) -> None:
    """Write the pending marker, then move each file to its final name, noting it in
    ``placed`` first (so a failure half-way still takes it away). Run on the event loop on
    purpose: a few metadata operations, and a cancelled request cannot leave a worker thread
    renaming a file after the clean-up has run."""
    upload_sweep.write_pending(marker)
    for source, final in moves:
        placed.append(final)
        _place(source, final, modified)


def _place(source: Path, final: Path, modified: dt.datetime) -> None:
    """Give the file the client's modification time and move it to its final name."""
    os.utime(source, (dt.datetime.now(dt.UTC).timestamp(), modified.timestamp()))
    os.replace(source, final)


def _unplace(paths: list[Path]) -> None:
    for path in paths:
        remove_quietly(path)


async def sweep(ctx: AppContext, max_age_s: float = STALE_AFTER_S) -> dict[str, Any]:
    """Remove what crashed uploads left under ``upload/`` and ``profile/`` (see the module
    docstring; a profile image streams into ``.<uuid>.<ext>.partial`` the same way): partial
    files and pending markers older than ``max_age_s``, with the files of each marker whose
    asset row does not exist. Idempotent; returns the paths removed."""
    media = ctx.settings.media_location
    found = [
        await asyncio.to_thread(upload_sweep.find_stale, media / folder, max_age_s)
        for folder in SWEPT_FOLDERS
    ]
    stale = upload_sweep.Stale(
        tuple(p for s in found for p in s.partials), tuple(m for s in found for m in s.pending)
    )
    known = {
        asset_id
        for asset_id, _ in stale.pending
        if await repo.get(ctx.db.pool, asset_id) is not None
    }
    removed = await asyncio.to_thread(upload_sweep.remove_stale, stale, known)
    if removed:
        log.warning("upload sweep: removed %d leftover file(s) of crashed uploads", len(removed))
    return {"removed": removed}


async def _hide_motion_part(conn: Any, owner_id: Any, video_id: str) -> None:
    """Immich's onBeforeLink: the live photo's video must be the owner's video; it is hidden."""
    video = await repo.get(conn, video_id)
    if video is None:
        raise BadRequest("Live photo video not found")
    if video["type"] != "VIDEO":
        raise BadRequest("Live photo video must be a video")
    if video["ownerId"] != owner_id:  # Immich's order and words (utils/asset.util.ts)
        raise BadRequest("Live photo video does not belong to the user")
    if video["visibility"] != "hidden":
        await repo.update_many(conn, [video_id], {"visibility": "hidden"})


async def _after_upload(ctx: AppContext, row: Any) -> None:
    """The row is committed: ask plugins for follow-up jobs and enqueue them (never fails)."""
    try:
        requests = await follow_ups(ctx.hook.on_asset_uploaded, ctx=ctx, asset=dict(row))
        for request in requests:
            await ctx.queues.enqueue(request)
    except Exception:
        log.exception("follow-up jobs of uploaded asset %s not enqueued", row["id"])


async def bulk_upload_check(
    db: Conn, user_id: Any, items: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Per (client id, checksum): accept, or reject as a duplicate of an existing upload."""
    checksums = [from_checksum(checksum) for _, checksum in items]
    found = await repo.by_checksums(db, user_id, checksums)
    existing = {bytes(r["checksum"]): r for r in found}
    results: list[dict[str, Any]] = []
    for (client_id, _), checksum in zip(items, checksums, strict=True):
        match = existing.get(checksum)
        if match is None:
            results.append({"id": client_id, "action": "accept"})
        else:
            results.append(
                {
                    "id": client_id,
                    "action": "reject",
                    "reason": "duplicate",
                    "assetId": str(match["id"]),
                    "isTrashed": match["deletedAt"] is not None,
                }
            )
    return results
