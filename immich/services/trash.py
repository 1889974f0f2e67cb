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

from immich.context import AppContext
from immich.db.repos import trash as repo
from immich.jobs.names import JobName
from immich.jobs.queues import UnknownJob
from immich.jobs.types import JobRequest
from immich.services import access
from immich.services import assets as asset_service

log = logging.getLogger(__name__)

ASSET_EMPTY_TRASH = JobName.AssetEmptyTrash
ASSET_DELETE_CHECK = JobName.AssetDeleteCheck
BATCH = 500


async def restore(ctx: AppContext, user_id: uuid.UUID) -> int:
    count = await repo.restore_for_owner(ctx.db.pool, user_id)
    if count:
        log.info("restored %d asset(s) from the trash", count)
    return count


async def restore_assets(
    ctx: AppContext, user_id: uuid.UUID, ids: Iterable[str], *, elevated: bool = False
) -> int:
    wanted = await access.require_assets(
        ctx.db.pool, user_id, "asset.delete", ids, elevated=elevated
    )
    if not wanted:
        return 0
    await repo.restore_ids(ctx.db.pool, wanted)
    return len(wanted)


async def empty(ctx: AppContext, user_id: uuid.UUID) -> int:
    count = await repo.empty_for_owner(ctx.db.pool, user_id)
    if count:
        try:
            await ctx.queues.enqueue(JobRequest(ASSET_EMPTY_TRASH))
        except UnknownJob:
            log.warning("no %s job registered: emptying the trash now", ASSET_EMPTY_TRASH)
            await purge_deleted(ctx)
    return count


async def _purge(
    ctx: AppContext, next_ids: Callable[[], Awaitable[list[uuid.UUID]]]
) -> dict[str, Any]:
    deleted, files = 0, 0
    while ids := await next_ids():
        before = len(ids)
        removed = await asset_service.delete_permanently(ctx, ids)
        files += len(removed)
        left = await repo.count_existing(ctx.db.pool, ids)
        deleted += before - left
        if left == before:  # nothing could be removed: stop rather than spin
            break
    return {"deleted": deleted, "files": files}


async def purge_deleted(ctx: AppContext) -> dict[str, Any]:
    """``AssetEmptyTrash``: delete for good every asset an emptied trash marked ``deleted``."""
    result = await _purge(ctx, lambda: repo.deleted_ids(ctx.db.pool, BATCH))
    log.info("empty trash: %d asset(s) deleted", result["deleted"])
    return result


def trashed_before(config: dict[str, Any], now: dt.datetime | None = None) -> dt.datetime:
    """Immich's cut-off: ``trash.days`` ago, or now when the trash is off."""
    trash = config.get("trash", {})
    days = int(trash.get("days", 30)) if trash.get("enabled", True) else 0
    return (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)


async def purge_expired(ctx: AppContext) -> dict[str, Any]:
    """``AssetDeleteCheck``: delete for good what has been in the trash for ``trash.days``."""
    before = trashed_before(ctx.config.get())
    result = await _purge(ctx, lambda: repo.trashed_before(ctx.db.pool, before, BATCH))
    log.info("trash purge: %d asset(s) trashed before %s deleted", result["deleted"], before)
    return result
