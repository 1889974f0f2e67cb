"""The trash's background half, as Immich's jobs on the ``backgroundTask`` queue.

- ``AssetEmptyTrash {}``: ``POST /api/trash/empty`` marked assets ``deleted``; delete them for
  good (rows, then files through ``FileDelete``).
- ``AssetDeleteCheck {}``: delete for good what has been in the trash longer than the system
  config's ``trash.days`` (everything trashed, when ``trash.enabled`` is off).
- Cron duty ``trash-cleanup`` at ``nightlyTasks.startTime``: enqueues ``AssetDeleteCheck`` when
  ``nightlyTasks.databaseCleanup`` is on, as Immich's nightly jobs do.

Both jobs work in batches and are idempotent: an asset already gone is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from immich import hookimpl
from immich.context import AppContext
from immich.jobs.types import NIGHTLY, CronDuty, JobDefinition, JobRequest
from immich.services import trash as trash_service

QUEUE = "backgroundTask"


async def empty_trash(ctx: AppContext, data: Mapping[str, Any]) -> dict[str, Any]:
    return await trash_service.purge_deleted(ctx.db.pool, ctx.queues)


async def delete_check(ctx: AppContext, data: Mapping[str, Any]) -> dict[str, Any]:
    return await trash_service.purge_expired(ctx.db.pool, ctx.queues, ctx.config.get())


async def nightly_trash_cleanup(ctx: AppContext) -> None:
    if ctx.config.get().get("nightlyTasks", {}).get("databaseCleanup", True):
        await ctx.queues.enqueue(JobRequest(trash_service.ASSET_DELETE_CHECK))


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name=trash_service.ASSET_EMPTY_TRASH, queue=QUEUE, handler=empty_trash),
        JobDefinition(name=trash_service.ASSET_DELETE_CHECK, queue=QUEUE, handler=delete_check),
    ]


@hookimpl
def register_cron_jobs() -> Sequence[CronDuty]:
    return [CronDuty(name="trash-cleanup", cron=NIGHTLY, handler=nightly_trash_cleanup)]
