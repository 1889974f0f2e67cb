"""The ``SidecarWrite {id}`` job (queue ``sidecar``): the owner's edits into the XMP sidecar.

Queued by the core after ``PUT /assets/{id}``, ``PUT /assets`` and tag changes, as Immich's
asset and tag services queue it. The asset's ``lockedProperties`` name what the owner edited;
those values are written (``sidecar_write.xmp_values``) into its sidecar: the recorded one, else
``<original>.xmp``, made and then recorded as the asset's ``sidecar`` file. Once written they
are unlocked, so the metadata refresh that follows (``AssetExtractMetadata {source:
"sidecar-write"}``, from the plugin's ``on_job_finished``) reads them back from the sidecar;
that refresh is what raises ``on_asset_update`` for the owner's clients.

Nothing locked: "skipped" (the refresh still follows, as Immich's job service queues it after
a skipped write too). A write that fails (a read-only folder, exiftool refusing the file)
fails the job with exiftool's reason, also kept in ``asset_job_status.failures["sidecar"]``
(a later write that succeeds clears it); the values stay locked, so a later refresh still
keeps them. An empty tag list cannot be kept in XMP (exiftool writes no empty list):
``TagsList`` is removed and ``tags`` stays locked, so the file's own keywords do not come back.

Two writes of one asset (two edits, two workers) take turns (a transaction advisory lock per
asset), each starting from the sidecar the other left; no row is locked while exiftool runs,
so an edit arriving meanwhile goes through, keeps its lock (the unlock compares values) and
queues its own write.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from immich.context import AppContext
from immich.db.repos import Row, asset_files, job_status
from immich.jobs.asset_jobs import asset_id_of, gone, lock_asset, vanished
from immich.jobs.names import JobName
from immich.jobs.types import JobResult, JobStatus
from plugins.metadata import _sidecar_repo as repo
from plugins.metadata._jobs import SIDECAR_QUEUE, exiftool, fail
from plugins.metadata.sidecar_write import LOCKABLE, write_sidecar, xmp_values

log = logging.getLogger(__name__)

SIDECAR_WRITE = JobName.SidecarWrite


@attrs.frozen(kw_only=True)
class SidecarWriteResult(JobResult):
    """``SidecarWrite``'s result: the sidecar written and the columns it now carries."""

    path: str | None = None
    written: tuple[str, ...] = ()


def sidecar_target(asset: Row) -> tuple[Path, bool]:
    """(the sidecar to write, whether it is already recorded as the asset's)."""
    for recorded in (asset["sidecarFile"], asset["sidecarPath"]):
        if recorded:
            return Path(recorded), asset["sidecarFile"] is not None
    original = Path(asset["originalPath"])
    return original.with_name(original.name + ".xmp"), False


async def sidecar_write(ctx: AppContext, data: Mapping[str, Any]) -> SidecarWriteResult:
    asset_id = asset_id_of(data)
    pool = ctx.db.pool
    failure: Exception | None = None
    # one transaction around read, write and unlock (see the module's docstring)
    async with ctx.db.transaction() as db:
        await repo.take_turn(db, asset_id)
        asset = await job_status.asset_for_job(db, asset_id)
        exif = await repo.edited_exif(db, asset_id)
        if asset is None:
            return vanished(SIDECAR_WRITE, asset_id, SidecarWriteResult)
        kind = asset["type"]
        values = repo.locked_values(exif, LOCKABLE) if exif is not None else {}
        tags = xmp_values(values, set(values))
        if not tags:
            return SidecarWriteResult(
                status=JobStatus.skipped, asset_id=str(asset_id), asset_type=kind
            )
        columns = tuple(name for name in LOCKABLE if name in values)
        path, recorded = sidecar_target(asset)
        try:
            await write_sidecar(exiftool(ctx), path, tags)
        except Exception as err:
            failure = err
        else:
            await lock_asset(db, asset_id)  # then its exif and files: a racing delete waits
            if not recorded:
                await asset_files.upsert(db, asset_id, "sidecar", str(path))
            if values.get("tags") == []:
                del values["tags"]  # no empty list in XMP: the lock keeps the asset untagged
            unlocked = await repo.unlock(db, asset_id, values)
    if failure is not None:
        if await gone(pool, asset_id):
            return vanished(SIDECAR_WRITE, asset_id, SidecarWriteResult)
        reason = str(failure) or type(failure).__name__
        raise await fail(pool, asset_id, SIDECAR_QUEUE, reason) from failure
    log.debug("%s: wrote %s to %s, unlocked %s", SIDECAR_WRITE, sorted(tags), path, unlocked)
    return SidecarWriteResult(
        asset_id=str(asset_id), asset_type=kind, path=str(path), written=columns
    )
