"""Memories' jobs, as Immich's on the ``backgroundTask`` queue.

- ``MemoryGenerate {}``: under the ``MEMORY_CREATION`` advisory lock (one run at a time, on
  any replica), for each day from 3 days ago to 3 days ahead not done yet, each user with
  ``memories.enabled`` gets an ``on_this_day`` memory per earlier year with assets on that
  month and day (``immich.services.memories``). The last day done is recorded in
  ``system_metadata`` (``memories-state``), so a second run makes nothing twice; a day that
  fails is recorded too (Immich's rule: better a missed day than duplicates) and logged. With
  no state yet the first day of the window counts as done, as in Immich.
- ``MemoryCleanup {}``: archived, hidden and locked assets leave every memory; unsaved
  memories made more than 30 days ago are deleted.
- Cron duty ``memories`` at ``nightlyTasks.startTime``: enqueues ``MemoryCleanup`` when
  ``nightlyTasks.databaseCleanup`` is on and ``MemoryGenerate`` when
  ``nightlyTasks.generateMemories`` is on, as Immich's nightly jobs do.
  ``POST /api/jobs`` (``memory-cleanup``, ``memory-create``) enqueues them by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from immich import hookimpl
from immich.context import AppContext
from immich.db import locks
from immich.jobs.names import JobName
from immich.jobs.types import NIGHTLY, CronDuty, JobDefinition, JobRequest, JobResult
from immich.services import memories as service

log = logging.getLogger(__name__)
QUEUE = "backgroundTask"


@attrs.frozen(kw_only=True)
class GenerateResult(JobResult):
    """Days done in this run and memories made."""

    days: int = 0
    created: int = 0


@attrs.frozen(kw_only=True)
class CleanupResult(JobResult):
    """Asset links and memories removed."""

    unlinked: int = 0
    removed: int = 0


async def generate(ctx: AppContext, today: dt.date | None = None) -> GenerateResult:
    """Make the memories of the days around ``today`` (UTC) that are not done yet."""
    today = today or dt.datetime.now(dt.UTC).date()
    days = created = 0
    async with ctx.db.pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock($1)", locks.MEMORY_CREATION)
        try:
            targets = service.target_days(today)
            last = await service.last_generated(ctx.db.pool) or targets[0]
            owners = await service.users_with_memories(ctx.db.pool)
            for target in targets:
                if last >= target:
                    continue
                log.info("creating memories for %s", target.isoformat())
                try:
                    async with ctx.db.transaction() as db:
                        for owner in owners:
                            created += await service.create_on_this_day(db, owner, target)
                except Exception:
                    log.exception("failed to create memories for %s", target.isoformat())
                async with ctx.db.transaction() as db:
                    await service.record_generated(db, target)
                days += 1
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", locks.MEMORY_CREATION)
    return GenerateResult(days=days, created=created)


async def memory_generate(ctx: AppContext, data: Mapping[str, Any]) -> GenerateResult:
    return await generate(ctx)


async def memory_cleanup(ctx: AppContext, data: Mapping[str, Any]) -> CleanupResult:
    async with ctx.db.transaction() as db:
        unlinked, removed = await service.cleanup(db)
    return CleanupResult(unlinked=unlinked, removed=removed)


async def nightly_memories(ctx: AppContext) -> None:
    tasks = ctx.config.get().get("nightlyTasks", {})
    if tasks.get("databaseCleanup", True):
        await ctx.queues.enqueue(JobRequest(JobName.MemoryCleanup))
    if tasks.get("generateMemories", True):
        await ctx.queues.enqueue(JobRequest(JobName.MemoryGenerate))


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name=JobName.MemoryGenerate, queue=QUEUE, handler=memory_generate),
        JobDefinition(name=JobName.MemoryCleanup, queue=QUEUE, handler=memory_cleanup),
    ]


@hookimpl
def register_cron_jobs() -> Sequence[CronDuty]:
    return [CronDuty(name="memories", cron=NIGHTLY, handler=nightly_memories)]
