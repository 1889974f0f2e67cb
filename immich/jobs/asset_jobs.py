"""Helpers of the jobs that work on one asset (metadata, thumbnails, video, ...).

An asset can vanish while its job waits or runs: the user deletes it for good, or its owner
is hard-deleted and the rows cascade. That is no error: the job ends as ``skipped``, quietly
(one debug line), instead of failing with whatever the missing row caused (a foreign-key
violation on ``asset_file``, a file gone from disk). ``gone`` tells that case apart from a
real failure after the fact, so handlers need no lock against deletion.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Mapping
from typing import Any, TypeVar

from immich.db.repos import Conn, asset_files
from immich.db.repos.asset_files import FileType
from immich.jobs.types import JobResult, JobStatus

log = logging.getLogger(__name__)

VANISHED = "asset not found"
R = TypeVar("R", bound=JobResult)


def asset_id_of(data: Mapping[str, Any]) -> uuid.UUID:
    """The job data's ``id``; ValueError (the job fails) when it is missing or no UUID."""
    try:
        return uuid.UUID(str(data["id"]))
    except (KeyError, ValueError):
        raise ValueError(f"job data needs an asset id, got {dict(data)!r}") from None


async def gone(db: Conn, asset_id: uuid.UUID) -> bool:
    """True when the asset's row no longer exists."""
    return await db.fetchval('SELECT 1 FROM "asset" WHERE "id" = $1', asset_id) is None


async def lock_asset(db: Conn, asset_id: uuid.UUID) -> None:
    """Lock the asset's row for this transaction before writing what hangs off it (exif, files):
    a delete takes the asset row first and its dependants by cascade, so taking the same order
    makes a racing delete wait instead of deadlocking. A vanished asset locks nothing (the write
    that follows fails and ``gone`` tells why)."""
    await db.execute('SELECT 1 FROM "asset" WHERE "id" = $1 FOR NO KEY UPDATE', asset_id)


def vanished(job: str, asset_id: object, record: type[R] = JobResult) -> R:  # type: ignore[assignment]
    """The result (a ``record``) of a job whose asset is gone: skipped, logged at debug level."""
    log.debug("%s: asset %s no longer exists, skipped", job, asset_id)
    return record(status=JobStatus.skipped, asset_id=str(asset_id), reason=VANISHED)


async def files_gone(db: Conn, types: tuple[FileType, ...]) -> AsyncIterator[list[uuid.UUID]]:
    """Pages of ids of assets with a file of these types recorded but no longer on disk: the
    "missing" runs re-queue them (rows alone do not prove the file is there)."""
    after: uuid.UUID | None = None
    while rows := await asset_files.paths_page(db, types, after):
        after = rows[-1]["assetId"]
        lost = await asyncio.to_thread(
            lambda: [r["assetId"] for r in rows if not all(map(os.path.isfile, r["paths"]))]
        )
        if lost:
            yield lost
