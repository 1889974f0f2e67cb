"""Nightly duties: remove stale sessions, and users whose delete delay has passed."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from immich import hookimpl
from immich.context import AppContext
from immich.db.repos import sessions, users
from immich.jobs.types import CronDuty

log = logging.getLogger(__name__)

NIGHTLY_CRON = "0 0 * * *"  # Immich's nightlyTasks.startTime default 00:00


async def session_cleanup(ctx: AppContext) -> int:
    removed = await sessions.delete_stale(ctx.db.pool)
    log.info("session cleanup: removed %d stale session(s)", removed)
    return removed


async def user_cleanup(ctx: AppContext) -> int:
    """Hard-delete users soft-deleted more than ``user.deleteDelay`` days ago."""
    delay = int(ctx.config.get()["user"]["deleteDelay"])
    removed = 0
    for row in await users.deleted_before(ctx.db.pool, delay):
        await users.delete_hard(ctx.db.pool, row["id"])
        removed += 1
    if removed:
        log.info("user cleanup: removed %d deleted user(s)", removed)
    return removed


@hookimpl
def register_cron_jobs() -> Sequence[CronDuty]:
    return [
        CronDuty(name="session-cleanup", cron=NIGHTLY_CRON, handler=session_cleanup),
        CronDuty(name="user-cleanup", cron=NIGHTLY_CRON, handler=user_cleanup),
    ]
