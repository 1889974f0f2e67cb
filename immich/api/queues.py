"""/api/queues: Immich's queue admin endpoints (list, pause/resume, list jobs, empty)."""

from __future__ import annotations

from immich.api.dto import UNSET, parse
from immich.api.errors import ValidationFailed
from immich.api.queue_dtos import (
    QueueDeleteDto,
    QueueJobResponseDto,
    QueueJobSearchDto,
    QueueResponseDto,
    QueueUpdateDto,
    job_response,
    queue_response,
)
from immich.api.routing import Call, Router
from immich.jobs import admin
from immich.jobs.backend import JOB_STATES
from immich.jobs.types import QUEUE_NAMES

router = Router()
TAG = "Queues"


def queue_name(call: Call) -> str:
    """The ``{name}`` path parameter, checked against Immich's QueueName values."""
    name = call.path["name"]
    if name not in QUEUE_NAMES:
        options = "|".join(f'"{n}"' for n in QUEUE_NAMES)
        raise ValidationFailed(
            [{"path": ["name"], "message": f"Invalid option: expected one of {options}"}]
        )
    return name


async def get_one(call: Call, name: str) -> QueueResponseDto:
    paused, counts = (await admin.status(call.ctx, (name,)))[name]
    return queue_response(name, paused, counts)


@router.route(
    "GET",
    "/queues",
    operation_id="getQueues",
    tag=TAG,
    response=list[QueueResponseDto],
    admin=True,
    permission="queue.read",
)
async def get_queues(call: Call) -> list[QueueResponseDto]:
    """List all queues

    Retrieves a list of queues.
    """
    found = await admin.status(call.ctx)
    return [queue_response(name, paused, counts) for name, (paused, counts) in found.items()]


@router.route(
    "GET",
    "/queues/{name}",
    operation_id="getQueue",
    tag=TAG,
    response=QueueResponseDto,
    admin=True,
    permission="queue.read",
)
async def get_queue(call: Call) -> QueueResponseDto:
    """Retrieve a queue

    Retrieves a specific queue by its name.
    """
    return await get_one(call, queue_name(call))


@router.route(
    "PUT",
    "/queues/{name}",
    operation_id="updateQueue",
    tag=TAG,
    response=QueueResponseDto,
    admin=True,
    permission="queue.update",
)
async def update_queue(call: Call[QueueUpdateDto]) -> QueueResponseDto:
    """Update a queue

    Change the paused status of a specific queue.
    """
    name = queue_name(call)
    dto = call.body
    if dto.isPaused is not UNSET:
        await admin.set_paused(call.ctx, name, dto.isPaused)
    return await get_one(call, name)


@router.route(
    "GET",
    "/queues/{name}/jobs",
    operation_id="getQueueJobs",
    tag=TAG,
    response=list[QueueJobResponseDto],
    admin=True,
    permission="queueJob.read",
)
async def get_queue_jobs(call: Call[None, QueueJobSearchDto]) -> list[QueueJobResponseDto]:
    """Retrieve queue jobs

    Retrieves a list of queue jobs from the specified queue.
    """
    name = queue_name(call)
    # ?status=a&status=b and ?status=a,b both work (the router keeps only the last value)
    raw = [v for item in call.request.query_params.getlist("status") for v in item.split(",")]
    states = JOB_STATES
    if raw:
        search = parse(QueueJobSearchDto, {"status": raw}, coerce=True)
        states = tuple(s.value for s in search.status)
    return [job_response(job) for job in await call.ctx.queues.jobs(name, states)]


@router.route(
    "DELETE",
    "/queues/{name}/jobs",
    operation_id="emptyQueue",
    tag=TAG,
    status=204,
    admin=True,
    permission="queueJob.delete",
)
async def empty_queue(call: Call[QueueDeleteDto]) -> None:
    """Empty a queue

    Removes all jobs from the specified queue.
    """
    name = queue_name(call)
    dto = call.body
    await admin.empty(call.ctx, name, dto.failed is True)
