"""/api/jobs: Immich's legacy queue endpoints and manual jobs."""

from __future__ import annotations

from immich.api.queue_dtos import (
    JobCreateDto,
    QueueCommandDto,
    QueueResponseLegacyDto,
    QueuesResponseLegacyDto,
    legacy_all,
    legacy_response,
    queue_response,
)
from immich.api.queues import get_one, queue_name
from immich.api.routing import Call, Router
from immich.jobs import admin

router = Router()
TAG = "Jobs"


@router.route(
    "GET",
    "/jobs",
    operation_id="getQueuesLegacy",
    tag=TAG,
    response=QueuesResponseLegacyDto,
    admin=True,
    permission="job.read",
)
async def get_queues_legacy(call: Call) -> QueuesResponseLegacyDto:
    """Retrieve queue counts and status

    Retrieve the counts of the current queue, as well as the current status.
    """
    found = await admin.status(call.ctx)
    return legacy_all({n: queue_response(n, paused, c) for n, (paused, c) in found.items()})


@router.route(
    "PUT",
    "/jobs/{name}",
    operation_id="runQueueCommandLegacy",
    tag=TAG,
    response=QueueResponseLegacyDto,
    admin=True,
    permission="job.create",
)
async def run_queue_command_legacy(call: Call[QueueCommandDto]) -> QueueResponseLegacyDto:
    """Run jobs

    Queue all assets for a specific job type. Defaults to only queueing assets that have not yet
    been processed, but the force command can be used to re-process all assets.
    """
    name = queue_name(call)
    dto = call.body
    force = dto.force if isinstance(dto.force, bool) else None
    await admin.run_command(call.ctx, name, dto.command.value, force)
    return legacy_response(await get_one(call, name))


@router.route(
    "POST",
    "/jobs",
    operation_id="createJob",
    tag=TAG,
    status=204,
    admin=True,
    permission="job.create",
)
async def create_job(call: Call[JobCreateDto]) -> None:
    """Create a manual job

    Run a specific job. Most jobs are queued automatically, but this endpoint allows for manual
    creation of a handful of jobs, including various cleanup tasks, as well as creating a new
    database backup.
    """
    dto = call.body
    await admin.create_manual_job(call.ctx, dto.name.value)
