"""Trash rules (Immich's TrashService, and the purge half of its AssetService).

Restoring needs ``asset.delete`` access to each asset (400 as Immich otherwise) and answers how
many were asked for, as Immich does. Emptying marks the owner's trashed assets ``deleted`` and
enqueues ``AssetEmptyTrash``; that job, and the nightly ``AssetDeleteCheck`` for assets trashed
more than ``trash.days`` ago (at once when the trash is off), delete them for good through
``immich.services.assets.delete_permanently``: rows first, then their files by ``FileDelete``.
Both jobs work in batches and may run twice: what is gone stays gone.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from immich.db.repos import Conn
from immich.db.repos import trash as repo
from immich.db.session import after_commit, transaction
from immich.jobs.names import JobName
from immich.jobs.queues import JobQueues, UnknownJob
from immich.jobs.types import JobRequest
from immich.services import access
from immich.services import assets as asset_service

log = logging.getLogger(__name__)

ASSET_EMPTY_TRASH = JobName.AssetEmptyTrash
ASSET_DELETE_CHECK = JobName.AssetDeleteCheck
BATCH = 500


async def restore(db: Conn, user_id: uuid.UUID) -> int:
    count = await repo.restore_for_owner(db, user_id)
    if count:
        log.info("restored %d asset(s) from the trash", count)
    return count


async def restore_assets(
    db: Conn, user_id: uuid.UUID, ids: Iterable[str], *, elevated: bool = False
) -> int:
    wanted = await access.require_assets(db, user_id, "asset.delete", ids, elevated=elevated)
    if not wanted:
        return 0
    await repo.restore_ids(db, wanted)
    return len(wanted)


async def empty(db: Conn, queues: JobQueues, user_id: uuid.UUID) -> int:
    """Mark the owner's trashed assets ``deleted``; once committed, ``AssetEmptyTrash`` (or,
    without a plugin registering it, the purge itself) deletes them for good."""
    count = await repo.empty_for_owner(db, user_id)

    async def enqueue() -> None:
        try:
            await queues.enqueue(JobRequest(ASSET_EMPTY_TRASH))
        except UnknownJob:
            log.warning("no %s job registered: emptying the trash now", ASSET_EMPTY_TRASH)
            await purge_deleted(db_pool(db), queues)

    if count:
        await after_commit(db, enqueue)
    return count


def db_pool(db: Any) -> Any:
    """The pool behind a handle: a purge runs its batches in transactions of its own."""
    return getattr(db, "pool", None) or db


async def _purge(
    pool: Any, queues: JobQueues, next_ids: Callable[[], Awaitable[list[uuid.UUID]]]
) -> dict[str, Any]:
    """Delete batches for good. A job's loop, so each batch is a transaction of its own (the
    job boundary, as ``ctx.db.transaction()``): what one batch deleted stays deleted, and its
    files go once it has committed."""
    deleted, files = 0, 0
    while ids := await next_ids():
        before = len(ids)
        async with transaction(pool) as db:
            removed = await asset_service.delete_permanently(db, queues, ids)
        files += len(removed)
        left = await repo.count_existing(pool, ids)
        deleted += before - left
        if left == before:  # nothing could be removed: stop rather than spin
            break
    return {"deleted": deleted, "files": files}


async def purge_deleted(pool: Any, queues: JobQueues) -> dict[str, Any]:
    """``AssetEmptyTrash``: delete for good every asset an emptied trash marked ``deleted``."""
    result = await _purge(pool, queues, lambda: repo.deleted_ids(pool, BATCH))
    log.info("empty trash: %d asset(s) deleted", result["deleted"])
    return result


def trashed_before(config: dict[str, Any], now: dt.datetime | None = None) -> dt.datetime:
    """Immich's cut-off: ``trash.days`` ago, or now when the trash is off."""
    trash = config.get("trash", {})
    days = int(trash.get("days", 30)) if trash.get("enabled", True) else 0
    return (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)


async def purge_expired(pool: Any, queues: JobQueues, config: dict[str, Any]) -> dict[str, Any]:
    """``AssetDeleteCheck``: delete for good what has been in the trash for ``trash.days``."""
    before = trashed_before(config)
    result = await _purge(pool, queues, lambda: repo.trashed_before(pool, before, BATCH))
    log.info("trash purge: %d asset(s) trashed before %s deleted", result["deleted"], before)
    return result
