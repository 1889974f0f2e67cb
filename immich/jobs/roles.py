"""Start and stop the worker and scheduler roles this process was asked for (IMMICH_ROLES)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from immich.jobs.scheduler import SchedulerRole
from immich.jobs.worker import WorkerRole

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)


def worker_role(ctx: AppContext) -> WorkerRole | None:
    role = ctx.state.get("worker")
    return role if isinstance(role, WorkerRole) else None


def scheduler_role(ctx: AppContext) -> SchedulerRole | None:
    role = ctx.state.get("scheduler")
    return role if isinstance(role, SchedulerRole) else None


async def start_roles(ctx: AppContext) -> None:
    """Called by the app's lifespan once the database, config and queues are up."""
    if "worker" in ctx.settings.roles:
        worker = WorkerRole(ctx)
        ctx.state["worker"] = worker
        await worker.start()
    if "scheduler" in ctx.settings.roles:
        scheduler = SchedulerRole(ctx)
        ctx.state["scheduler"] = scheduler
        await scheduler.start()


async def stop_roles(ctx: AppContext) -> None:
    """Stop taking work; running jobs get a grace period, then are requeued."""
    for name in ("scheduler", "worker"):
        role = ctx.state.pop(name, None)
        if role is not None:
            try:
                await role.stop()
            except Exception:
                log.exception("%s role did not stop cleanly", name)
