"""The worker role: a saq worker per queue that has handlers, running them with the app context.

Crash safety (``immich.jobs.lease``): the worker renews the lease of every job it runs, sweeps
its queues for jobs whose lease ran out, and enqueues a job's follow-ups before the job is
marked complete, so a worker killed at any moment loses no step of the chain (a follow-up may
be enqueued twice; handlers are idempotent).

Concurrency comes from the system config (``job.<queue>.concurrency``, Immich's defaults when
the section is missing) and follows config changes live. A handler that raises marks its job
failed (the reason is logged and kept with the job; ``on_job_failed`` is called) and the worker
goes on; a handler that returns calls ``on_job_finished`` and enqueues the follow-ups. Both
events go plugin by plugin (``immich.plugins.call_each``): one plugin that raises is logged
and the others' follow-ups are still enqueued. Plugins get the handler's own result (a
``JobResult`` record); the queue keeps its JSON form.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from saq.job import Status
from saq.types import Context
from saq.worker import Worker

from immich.jobs import lease
from immich.jobs.backend import error_line
from immich.jobs.types import MAX_JOB_CONCURRENCY, JobDefinition, JobResult
from immich.plugins import call_each, follow_ups
from immich.services._config_defaults import JOB_CONCURRENCY

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)

# Immich's ConcurrentQueueName defaults (the config's); the other queues run one job at a time.
DEFAULT_CONCURRENCY = JOB_CONCURRENCY
DEQUEUE_TIMEOUT_S = 1.0  # idle slots wake this often, so shrinking and stopping are prompt
PAUSE_POLL_S = 1.0  # how often a worker re-reads which queues are paused
SHUTDOWN_GRACE_S = 10  # running jobs get this long to finish at shutdown, then are requeued


def concurrency_for(config: Mapping[str, Any], queue: str) -> int:
    """Jobs of ``queue`` run at once: ``job.<queue>.concurrency`` (within 1..
    ``MAX_JOB_CONCURRENCY``, as the config's check keeps it), or Immich's default."""
    if queue not in DEFAULT_CONCURRENCY:
        return 1
    try:
        return min(MAX_JOB_CONCURRENCY, max(1, int(config["job"][queue]["concurrency"])))
    except (KeyError, TypeError, ValueError):
        return DEFAULT_CONCURRENCY[queue]


def failure_reason(error: BaseException | None, job_error: str | None, timeout: int) -> str:
    """One line saying why a job failed."""
    if isinstance(error, TimeoutError):
        return f"TimeoutError: ran longer than {timeout}s"
    if error is not None:
        return f"{type(error).__name__}: {error}"
    return error_line(job_error)


def _json_safe(value: Any) -> Any:
    if isinstance(value, JobResult):
        value = value.to_json()
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value


class ResizableWorker(Worker[Context]):
    """saq's worker whose number of job slots can change while it runs."""

    SIGNALS: list[Any] = []  # the server process owns SIGINT/SIGTERM

    _spawned = False

    def _running(self) -> int:
        return sum(1 for task in self.tasks if task.get_name() == "process")

    def _process(self, previous_task: asyncio.Task[Any] | None = None) -> None:
        self._spawned = True
        if previous_task is not None:
            self.tasks.discard(previous_task)
            if self._running() >= self.concurrency:
                return  # shrunk: let this slot go
        if not self.event.is_set():
            task = asyncio.create_task(self.process(), name="process")
            self.tasks.add(task)
            task.add_done_callback(self._process)

    async def stop(self) -> None:
        """Stop the upkeep loops and the idle slots at once; give running jobs the grace period.

        A job a Redis slot was receiving as it was cancelled is swept back later by saq; jobs
        this process took from PostgreSQL but never started go back to waiting now.
        """
        self.event.set()
        idle: set[asyncio.Task[Any]] = getattr(self.queue, "idle", set())
        for task in self.tasks:
            if task.get_name() != "process" or task in idle:
                task.cancel()
        await super().stop()
        requeue = getattr(self.queue, "requeue_unclaimed", None)
        if requeue is not None:
            await requeue()

    def resize(self, concurrency: int) -> None:
        """Grow at once; shrink as running jobs finish (idle slots within DEQUEUE_TIMEOUT_S)."""
        self.concurrency = concurrency
        if self._spawned and not self.event.is_set():
            for _ in range(concurrency - self._running()):
                self._process()


class WorkerRole:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.workers: dict[str, ResizableWorker] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._unsubscribe: Callable[[], Any] | None = None

    async def start(self) -> None:
        config = self.ctx.config.get()
        for queue, definitions in self.ctx.queues.registry.by_queue().items():
            worker = ResizableWorker(
                self.ctx.queues.queue(queue),
                functions=[(d.name, self._handler(d)) for d in definitions],
                concurrency=concurrency_for(config, queue),
                after_process=self._after_process,
                dequeue_timeout=DEQUEUE_TIMEOUT_S,
                shutdown_grace_period_s=SHUTDOWN_GRACE_S,
                timers={
                    "schedule": 1,
                    "sweep": lease.sweep_every(self.ctx.settings.job_lease_s),
                    "abort": 1,
                    "worker_info": 10,
                },
            )
            self.workers[queue] = worker
            self._tasks.append(asyncio.create_task(worker.start(), name=f"worker:{queue}"))
        if hasattr(self.ctx.config, "on_change"):
            self._unsubscribe = self.ctx.config.on_change(self.apply_config)
        self._tasks.append(asyncio.create_task(self._poll_paused(), name="worker:paused"))
        self._tasks.append(asyncio.create_task(self._heartbeat(), name="worker:heartbeat"))
        log.info(
            "worker: %s",
            ", ".join(f"{q} x{w.concurrency}" for q, w in self.workers.items()) or "no job types",
        )

    def apply_config(self, config: Mapping[str, Any]) -> None:
        """Resize every queue's worker to the concurrency the config asks for."""
        for queue, worker in self.workers.items():
            wanted = concurrency_for(config, queue)
            if wanted != worker.concurrency:
                log.info("worker: %s concurrency %d -> %d", queue, worker.concurrency, wanted)
                worker.resize(wanted)

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        await asyncio.gather(*(w.stop() for w in self.workers.values()), return_exceptions=True)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    async def _poll_paused(self) -> None:
        while True:
            await asyncio.sleep(PAUSE_POLL_S)
            try:
                await self.ctx.queues.refresh_paused()
            except Exception as err:  # database away for a moment: keep the last state
                log.warning("worker: cannot read paused queues: %s", err)

    async def _heartbeat(self) -> None:
        """Renew the lease of every job this process runs."""
        every = lease.heartbeat_every(self.ctx.settings.job_lease_s)
        while True:
            await asyncio.sleep(every)
            for worker in list(self.workers.values()):
                for job in list(worker.job_task_contexts):
                    try:
                        await worker.queue.touch(job)  # type: ignore[attr-defined]
                    except Exception as err:  # the store away for a moment: try next time
                        log.warning("worker: cannot renew the lease of %s: %s", job.key, err)

    def _handler(self, definition: JobDefinition) -> Any:
        ctx = self.ctx

        async def run(saq_ctx: Context, *, data: Mapping[str, Any] | None = None) -> Any:
            job = saq_ctx.get("job")
            data = data or {}
            try:
                result = await definition.handler(ctx, data)
            except Exception:
                if job is not None and job.attempts >= definition.retries:
                    job.retries = job.attempts  # the extra attempts are for lost workers only
                raise
            await self._finished(definition.name, data, result)  # before "complete" is stored
            return _json_safe(result)

        run.__qualname__ = definition.name
        return run

    async def _after_process(self, saq_ctx: Context) -> None:
        job = saq_ctx.get("job")
        if job is None:
            return
        data: Mapping[str, Any] = (job.kwargs or {}).get("data") or {}
        try:
            if job.status in (Status.FAILED, Status.QUEUED, Status.ABORTED):
                reason = failure_reason(saq_ctx.get("exception"), job.error, job.timeout)
                if job.status == Status.QUEUED:
                    log.warning("job %s %s failed, will retry: %s", job.function, job.key, reason)
                    return
                log.error("job %s %s failed: %s", job.function, job.key, reason)
                await call_each(
                    self.ctx.hook.on_job_failed,
                    ctx=self.ctx,
                    name=job.function,
                    data=data,
                    error=reason,
                )
        except Exception:
            log.exception("job %s %s: after-job hooks failed", job.function, job.key)

    async def _finished(self, name: str, data: Mapping[str, Any], result: Any) -> None:
        requests = await follow_ups(
            self.ctx.hook.on_job_finished, ctx=self.ctx, name=name, data=data, result=result
        )
        for request in requests:
            try:
                await self.ctx.queues.enqueue(request)
            except Exception as err:
                log.error("job %s: cannot enqueue follow-up %s: %s", name, request.name, err)
