"""Asset rules: access, reading, edits, trash and permanent deletion (Immich's AssetService).

Access as Immich answers it: every id must pass, else 400 ``Not found or no <permission>
access``. Read-like permissions (``asset.read``, ``asset.view``, ``asset.download``) pass for
the owner and for members of an album holding the asset; the others for the owner only.

Permanent deletion removes the rows (in the caller's transaction, with the owners' quota usage),
then, once that transaction has committed, enqueues ``FileDelete`` with every file the rows used;
the worker removes them. Files are never touched while a committed row still points at them.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from immich import events
from immich.db.repos import Conn, Row
from immich.db.repos import albums as albums_repo
from immich.db.repos import assets as repo
from immich.db.repos import stacks as stacks_repo
from immich.db.repos import users as users_repo
from immich.db.session import after_commit
from immich.errors import BadRequest, ValidationFailed
from immich.jobs.names import JobName
from immich.jobs.queues import JobQueues, UnknownJob
from immich.jobs.sidecar_writes import queue_sidecar_writes
from immich.jobs.types import JobRequest
from immich.services import access
from immich.storage.files import remove_files

log = logging.getLogger(__name__)

FILE_DELETE = JobName.FileDelete
ASSET_DELETE = JobName.AssetDelete
EXIF_FIELDS = ("description", "dateTimeOriginal", "latitude", "longitude", "rating")


async def get_for_response(db: Conn, asset_id: str) -> dict[str, Any]:
    """What ``to_asset_response`` needs: the row, its EXIF, owner, stack and preview flag."""
    pool = db
    row = await repo.get(pool, asset_id)
    if row is None:
        raise BadRequest("Asset not found")
    stack = await repo.stack_summary(pool, row["stackId"]) if row["stackId"] else None
    return {
        "row": row,
        "exif": await repo.get_exif(pool, asset_id),
        "owner": await users_repo.get(pool, row["ownerId"], with_deleted=True),
        "stack": stack,
        "resized": await repo.has_preview(pool, asset_id),
    }


def _exif_values(changes: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in EXIF_FIELDS:
        if name not in changes:
            continue
        value = changes[name]
        if name == "rating" and value == 0:
            raise ValidationFailed(
                [{"path": ["rating"], "message": "Rating must be -1, 1 to 5 or null"}]
            )
        if name == "dateTimeOriginal":
            value = _parse_date(value)
        values[name] = value
    return values


def _parse_date(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(
            [{"path": ["dateTimeOriginal"], "message": "Invalid ISO datetime"}]
        ) from None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if not dt.datetime(1, 1, 1, tzinfo=dt.UTC) <= parsed <= dt.datetime.max.replace(tzinfo=dt.UTC):
        raise ValidationFailed([{"path": ["dateTimeOriginal"], "message": "Invalid ISO datetime"}])
    return parsed


def _zone_of(value: dt.datetime) -> str | None:
    offset = value.utcoffset()
    if not offset:
        return None
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60}" + (f":{abs(minutes) % 60:02d}" if minutes % 60 else "")


async def _write_edits(conn: Conn, ids: list[uuid.UUID], exif: dict[str, Any]) -> None:
    if not exif:
        return
    when = exif.get("dateTimeOriginal")
    if isinstance(when, dt.datetime) and (zone := _zone_of(when)) is not None:
        exif["timeZone"] = zone
    await repo.update_exif_many(conn, ids, exif)
    if isinstance(when, dt.datetime):  # the local wall clock, stored as if UTC (Immich's rule)
        local = when.replace(tzinfo=None).replace(tzinfo=dt.UTC)
        await repo.update_many(conn, ids, {"localDateTime": local})


async def update(
    db: Conn,
    user_id: Any,
    asset_id: str,
    changes: Mapping[str, Any],
    *,
    elevated: bool = False,
    queues: JobQueues | None = None,
) -> None:
    """PUT /assets/{id}: favourite, visibility, live photo link and the owner's EXIF edits.

    ``changes`` holds only what the client sent (a ``None`` value clears: ``rating``,
    ``livePhotoVideoId``). EXIF edits queue ``SidecarWrite`` (on ``queues``) after commit."""
    ids = [uuid.UUID(asset_id)]
    await access.require_assets(db, user_id, "asset.update", ids, elevated=elevated)
    exif = _exif_values(changes)
    row = await repo.get(db, asset_id)
    if row is None:
        raise BadRequest("Asset not found")
    values: dict[str, Any] = {}
    if "isFavorite" in changes:
        values["isFavorite"] = changes["isFavorite"]
    if "visibility" in changes:
        values["visibility"] = str(changes["visibility"])
    if "livePhotoVideoId" in changes:
        video_id = changes["livePhotoVideoId"]
        values["livePhotoVideoId"] = await _relink(db, user_id, row, video_id)
    await _write_edits(db, ids, exif)
    await repo.update_many(db, ids, values)
    if values.get("visibility") == "locked":
        await albums_repo.remove_assets_everywhere(db, ids)
    if exif:
        await queue_sidecar_writes(db, queues, ids)


async def _relink(conn: Conn, user_id: Any, row: Row, video_id: str | None) -> Any:
    """Link a live photo's video (hidden) or unlink it (shown as the photo is)."""
    if video_id is None:
        if row["livePhotoVideoId"] is not None:
            await repo.update_many(
                conn, [row["livePhotoVideoId"]], {"visibility": row["visibility"]}
            )
        return None
    video = await repo.get(conn, video_id)
    if video is None:
        raise BadRequest("Live photo video not found")
    if video["type"] != "VIDEO":
        raise BadRequest("Live photo video must be a video")
    if video["ownerId"] != user_id:  # Immich's order and words (utils/asset.util.ts)
        raise BadRequest("Live photo video does not belong to the user")
    await repo.update_many(conn, [video["id"]], {"visibility": "hidden"})
    return video["id"]


async def update_all(
    db: Conn,
    user_id: Any,
    changes: Mapping[str, Any],
    *,
    elevated: bool = False,
    queues: JobQueues | None = None,
) -> None:
    """PUT /assets: the same edits on the assets ``changes["ids"]`` names, plus date shifts
    and duplicate groups (``changes`` holds only what the client sent). Every asset gets a
    ``SidecarWrite`` after commit, whatever changed, as Immich's ``updateAll`` queues it."""
    ids = [uuid.UUID(i) for i in changes["ids"]]
    await access.require_assets(db, user_id, "asset.update", ids, elevated=elevated)
    exif = _exif_values(changes)
    values: dict[str, Any] = {}
    if "isFavorite" in changes:
        values["isFavorite"] = changes["isFavorite"]
    if "visibility" in changes:
        values["visibility"] = str(changes["visibility"])
    if "duplicateId" in changes:
        duplicate_id = changes["duplicateId"]
        values["duplicateId"] = uuid.UUID(duplicate_id) if duplicate_id else None
    await _write_edits(db, ids, exif)
    relative = changes.get("dateTimeRelative") or 0
    zone = changes.get("timeZone")
    if relative or zone:
        await repo.shift_dates(db, ids, relative, zone)
    await repo.update_many(db, ids, values)
    if values.get("visibility") == "locked":
        await albums_repo.remove_assets_everywhere(db, ids)
    await queue_sidecar_writes(db, queues, ids)


async def delete(
    db: Conn,
    queues: JobQueues,
    config: Mapping[str, Any],
    user_id: Any,
    ids: list[str],
    force: bool,
    *,
    elevated: bool = False,
) -> None:
    """DELETE /assets: to the trash, or for good with ``force`` or when the trash is off."""
    await access.require_assets(db, user_id, "asset.delete", ids, elevated=elevated)
    trash_on = bool(config.get("trash", {}).get("enabled", True))
    if force or not trash_on:
        await delete_permanently(db, queues, ids)
    else:
        await repo.trash(db, ids)
        await events.emit_after_commit(queues.ctx, db, [user_id], "on_asset_trash", list(ids))


async def delete_permanently(
    db: Conn, queues: JobQueues, ids: Iterable[str | uuid.UUID]
) -> list[str]:
    """Remove the rows (and unused live-photo videos), give back quota, then (once ``db``'s
    transaction commits) have the files removed by a ``FileDelete`` job. Returns the files
    handed to it. Idempotent."""
    files: list[str] = []
    ids = list(ids)
    await stacks_repo.release_deleted(db, ids)  # a stack outlives its primary
    gone = await repo.delete_rows(db, ids)
    motion = [r["livePhotoVideoId"] for r in gone if r["livePhotoVideoId"] is not None]
    if motion:
        unused = await repo.unused_motion_parts(db, motion)
        await stacks_repo.release_deleted(db, unused)
        gone += await repo.delete_rows(db, unused)
    usage: dict[uuid.UUID, int] = collections.defaultdict(int)
    for row in gone:
        if row["libraryId"] is None:
            usage[row["ownerId"]] += int(row["size"])
        if row["libraryId"] is None or not row["isOffline"]:
            files.extend(row["files"])
    await repo.release_quota(db, usage)
    for row in gone:  # as Immich's AssetDelete: one event per asset, to its owner
        await events.emit_after_commit(
            queues.ctx, db, [row["ownerId"]], "on_asset_delete", str(row["id"])
        )
    if files:
        await remove_later(db, queues, files)
    return files


async def remove_later(db: Conn, queues: JobQueues, files: list[str]) -> None:
    """Once ``db``'s transaction commits, enqueue ``FileDelete``; without a plugin
    registering it, remove the files then."""

    async def enqueue() -> None:
        try:
            await queues.enqueue(JobRequest(FILE_DELETE, {"files": files}))
        except UnknownJob:
            log.warning("no %s job registered: removing %d file(s) now", FILE_DELETE, len(files))
            await asyncio.to_thread(remove_files, files)

    await after_commit(db, enqueue)


async def remove_unreferenced(db: Conn, files: list[str]) -> dict[str, list[str]]:
    """The ``FileDelete`` job: remove each file no asset row uses any more."""
    kept = await repo.referenced_paths(db, files) if files else set()
    doomed = [f for f in files if f not in kept]
    removed = await asyncio.to_thread(remove_files, doomed)
    if kept:
        log.warning("FileDelete kept %d file(s) still used by an asset", len(kept))
    return {"removed": removed, "kept": sorted(kept)}
