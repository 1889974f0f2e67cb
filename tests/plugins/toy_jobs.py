"""Toy job types and a cron duty for the queue, worker and scheduler tests.

Loadable as a plugin module (``IMMICH_PLUGIN_MODULES=tests.plugins.toy_jobs``), so subprocess
servers can use it too. Jobs write what they did to ``system_metadata`` under ``toy-job:<tag>``
(with the pid of the process that ran them); in-process observations go to ``events``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from typing import Any

from immich import hookimpl
from immich.context import AppContext
from immich.db.repos import system_metadata
from immich.jobs.types import CronDuty, JobDefinition, JobRequest

RESULT_PREFIX = "toy-job:"
TOY_QUEUE = "notifications"
SLOW_QUEUE = "search"
events: list[tuple[Any, ...]] = []
running = {"now": 0, "max": 0, "duty_runs": 0}


def reset() -> None:
    events.clear()
    running.update(now=0, max=0, duty_runs=0)


async def record(ctx: AppContext, data: Mapping[str, Any]) -> Any:
    value = {"pid": os.getpid(), "data": dict(data)}
    await system_metadata.set(ctx.db.pool, RESULT_PREFIX + str(data.get("tag", "start")), value)
    return data.get("value")


async def fail(ctx: AppContext, data: Mapping[str, Any]) -> None:
    raise ValueError(f"toy failure {data.get('tag')}")


async def chain(ctx: AppContext, data: Mapping[str, Any]) -> dict[str, str]:
    return {"next": f"{data['tag']}-next"}


async def slow(ctx: AppContext, data: Mapping[str, Any]) -> None:
    running["now"] += 1
    running["max"] = max(running["max"], running["now"])
    try:
        await asyncio.sleep(float(data.get("seconds", 0.2)))
    finally:
        running["now"] -= 1
    events.append(("slow-done", data.get("tag")))


async def duty(ctx: AppContext) -> None:
    running["duty_runs"] += 1
    await asyncio.sleep(0.2)  # long enough for a second replica to try meanwhile


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name="ToyRecord", queue=TOY_QUEUE, handler=record),
        JobDefinition(name="ToyFail", queue=TOY_QUEUE, handler=fail),
        JobDefinition(name="ToyChain", queue=TOY_QUEUE, handler=chain),
        JobDefinition(name="ToySlow", queue=SLOW_QUEUE, handler=slow),
        # what "start" on the thumbnailGeneration queue enqueues, as in Immich
        JobDefinition(
            name="AssetGenerateThumbnailsQueueAll", queue="thumbnailGeneration", handler=record
        ),
    ]


@hookimpl
def register_cron_jobs() -> Sequence[CronDuty]:
    return [CronDuty(name="toy-duty", cron="0 3 * * *", handler=duty)]


@hookimpl
def on_job_finished(
    ctx: AppContext, name: str, data: Mapping[str, Any], result: Any
) -> Sequence[JobRequest] | None:
    events.append(("finished", name))
    if name == "ToyChain":
        return [JobRequest("ToyRecord", {"tag": result["next"], "value": "chained"})]
    return None


@hookimpl
def on_job_failed(ctx: AppContext, name: str, data: Mapping[str, Any], error: str) -> None:
    events.append(("failed", name, error))
