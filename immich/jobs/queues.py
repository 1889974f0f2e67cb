"""Job queues: one saq queue per Immich queue name, on Redis or PostgreSQL.

Every role has ``ctx.queues``: the api role enqueues and answers the queue endpoints, the worker
role consumes (``immich.jobs.worker``). Job names are routed to their queue by the registry
that ``register_jobs`` builds. Pausing a queue is stored in the database, so every replica's
workers honour it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from saq.job import Job
from saq.queue import Queue

from immich.jobs import _state, lease
from immich.jobs._saq_logs import quiet_per_job_lines
from immich.jobs.backend import (
    JOB_STATES,
    FailedJob,
    QueueBackend,
    QueueCounts,
    QueuedJob,
    make_backend,
    set_paused,
)
from immich.jobs.registry import JobRegistry
from immich.jobs.types import QUEUE_NAMES, JobRequest
from immich.plugins import call_each

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)

JOB_LIST_LIMIT = 1000  # as Immich (BullMQ getJobs 0..1000)


class UnknownJob(KeyError):
    """No plugin registers a job of that name."""


class JobQueues:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.registry = JobRegistry([])
        self.backend: QueueBackend | None = None
        self._pause_generation = 0  # bumped on every local pause/resume (see refresh_paused)

    @property
    def kind(self) -> str:
        """``redis`` or ``postgres``."""
        return self._backend.kind

    @property
    def _backend(self) -> QueueBackend:
        if self.backend is None:
            raise RuntimeError("job queues are not started")
        return self.backend

    async def start(self) -> None:
        quiet_per_job_lines()
        self.registry = JobRegistry.from_plugins(self.ctx.pm)
        consumed = len(self.registry.by_queue()) if "worker" in self.ctx.settings.roles else 0
        backend = make_backend(self.ctx.settings.redis, self.ctx.db.url, self.ctx.db.pool)
        await backend.connect(QUEUE_NAMES, consumed)
        for queue in backend.queues.values():
            queue.on_lost = self._lost  # type: ignore[attr-defined]
        self.backend = backend
        await self.refresh_paused()
        log.info(
            "job queues on %s; %d job type(s) registered", backend.kind, len(self.registry.jobs)
        )

    def queue(self, name: str) -> Queue:
        """The saq queue of an Immich queue name."""
        return self._backend.queues[name]

    async def enqueue(self, request: JobRequest) -> str:
        """Enqueue a job by name (on the queue its definition names); return the job id."""
        if request.name not in self.registry:
            raise UnknownJob(f"no plugin registers a job named {request.name!r}")
        definition = self.registry.get(request.name)
        job = Job(
            function=request.name,
            kwargs={"data": dict(request.data)},
            timeout=definition.timeout_s,
            heartbeat=self.ctx.settings.job_lease_s,
            retries=lease.attempts_for(definition.retries),
            scheduled=int(time.time() + request.delay_s) if request.delay_s > 0 else 0,
        )
        await self.queue(definition.queue).enqueue(job)
        return job.key

    async def enqueue_all(self, requests: Iterable[JobRequest]) -> list[str]:
        return [await self.enqueue(request) for request in requests]

    async def counts(self, names: Sequence[str] = QUEUE_NAMES) -> dict[str, QueueCounts]:
        """Immich's statistics per queue; a paused queue's waiting jobs count as ``paused``."""
        counts = await self._backend.counts(names)
        paused = await self.paused()
        for name, numbers in counts.items():
            if name in paused:
                numbers.paused, numbers.waiting = numbers.waiting, 0
        return counts

    async def jobs(self, name: str, states: Iterable[str] = JOB_STATES) -> list[QueuedJob]:
        wanted = set(states)
        if name in await self.paused():
            wanted.discard("waiting")
        else:
            wanted.discard("paused")
        return await self._backend.jobs(name, wanted, JOB_LIST_LIMIT)

    async def empty(self, name: str) -> int:
        removed = await self._backend.empty(name)
        log.info("queue %s emptied: %d job(s) removed", name, removed)
        return removed

    async def failed(self, name: str, limit: int = JOB_LIST_LIMIT) -> list[FailedJob]:
        """The failed jobs of a queue with why they failed (kept until cleared)."""
        return await self._backend.failed(name, limit)

    async def running(self, name: str) -> int:
        """Jobs of a queue running now under a live lease."""
        return await self._backend.running(name)

    async def recover(self, name: str) -> list[str]:
        """Put the jobs of ``name`` whose worker died back to waiting now (or fail them)."""
        swept = await self._backend.recover(name)
        if swept:
            log.warning("queue %s: %d job(s) of a lost worker recovered", name, len(swept))
        return swept

    async def _lost(self, job: Job, reason: str) -> None:
        """A job failed for good because its workers kept dying: log it, tell the plugins."""
        log.error("job %s %s failed: %s", job.function, job.key, reason)
        data = (job.kwargs or {}).get("data") or {}
        try:
            await call_each(
                self.ctx.hook.on_job_failed,
                ctx=self.ctx,
                name=job.function,
                data=data,
                error=reason,
            )
        except Exception:
            log.exception("job %s %s: on_job_failed hooks failed", job.function, job.key)

    async def clear_failed(self, name: str) -> int:
        removed = await self._backend.clear_failed(name)
        log.info("queue %s: %d failed job(s) cleared", name, removed)
        return removed

    async def paused(self) -> set[str]:
        return await _state.paused_queues(self.ctx.db.pool)

    async def set_paused(self, name: str, paused: bool) -> None:
        """Pause or resume a queue for every replica (stored), and at once in this process."""
        await _state.set_queue_paused(self.ctx.db.pool, name, paused)
        self._pause_generation += 1
        set_paused(self.queue(name), paused)
        log.info("queue %s %s", name, "paused" if paused else "resumed")

    async def refresh_paused(self) -> None:
        """Apply the stored pause switches to this process's queues (workers poll this)."""
        generation = self._pause_generation
        paused = await self.paused()
        if generation != self._pause_generation:
            return  # a local set_paused ran meanwhile; it is newer than what we read
        for name, queue in self._backend.queues.items():
            set_paused(queue, name in paused)

    async def close(self) -> None:
        if self.backend is not None:
            await self.backend.close()
            self.backend = None
