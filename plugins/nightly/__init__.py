"""Nightly duties: remove stale sessions, and users whose delete delay has passed.

As in Immich, the scheduler only enqueues the cleanup jobs (``SessionCleanup``,
``UserDeleteCheck`` on the ``backgroundTask`` queue) at ``nightlyTasks.startTime`` when
``nightlyTasks.databaseCleanup`` is on; a worker runs them. ``POST /api/jobs`` with
``user-cleanup`` enqueues ``UserDeleteCheck`` the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from immich import hookimpl
from immich.context import AppContext
from immich.db.repos import sessions, users
from immich.jobs.types import NIGHTLY, CronDuty, JobDefinition, JobRequest

log = logging.getLogger(__name__)

SESSION_CLEANUP = "SessionCleanup"
USER_DELETE_CHECK = "UserDeleteCheck"


async def session_cleanup(ctx: AppContext, data: Mapping[str, Any]) -> int:
    removed = await sessions.delete_stale(ctx.db.pool)
    log.info("session cleanup: removed %d stale session(s)", removed)
    return removed


async def user_cleanup(ctx: AppContext, data: Mapping[str, Any]) -> int:
    """Hard-delete users soft-deleted more than ``user.deleteDelay`` days ago."""
    delay = int(ctx.config.get()["user"]["deleteDelay"])
    removed = 0
    for row in await users.deleted_before(ctx.db.pool, delay):
        await users.delete_hard(ctx.db.pool, row["id"])
        removed += 1
    if removed:
        log.info("user cleanup: removed %d deleted user(s)", removed)
    return removed


def _nightly(job: str) -> Any:
    async def enqueue(ctx: AppContext) -> None:
        if ctx.config.get().get("nightlyTasks", {}).get("databaseCleanup", True):
            await ctx.queues.enqueue(JobRequest(job))

    return enqueue


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name=SESSION_CLEANUP, queue="backgroundTask", handler=session_cleanup),
        JobDefinition(name=USER_DELETE_CHECK, queue="backgroundTask", handler=user_cleanup),
    ]


@hookimpl
def register_cron_jobs() -> Sequence[CronDuty]:
    return [
        CronDuty(name="session-cleanup", cron=NIGHTLY, handler=_nightly(SESSION_CLEANUP)),
        CronDuty(name="user-cleanup", cron=NIGHTLY, handler=_nightly(USER_DELETE_CHECK)),
    ]
