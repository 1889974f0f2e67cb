"""Queue backends: saq on Redis or on PostgreSQL, plus what Immich's queue endpoints need.

saq runs the jobs; the backend adds the bookkeeping Immich shows on its jobs page: counts per
state, job listings, emptying a queue and clearing failed jobs. Failed jobs are kept until
cleared (Immich keeps them too); completed ones for ``COMPLETED_TTL_S``.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from saq.job import Status

if TYPE_CHECKING:
    import asyncpg
    from saq.queue import Queue

    from immich.settings import RedisSettings

COMPLETED_TTL_S = 3600
"""Seconds a completed job stays listed (and counted as ``completed``)."""

# Immich's QueueJobStatus values
JOB_STATES: tuple[str, ...] = ("active", "failed", "completed", "delayed", "waiting", "paused")


@attrs.define
class QueueCounts:
    """Immich's QueueStatisticsDto numbers for one queue."""

    active: int = 0
    completed: int = 0
    failed: int = 0
    delayed: int = 0
    waiting: int = 0
    paused: int = 0


@attrs.frozen
class QueuedJob:
    """One job as Immich's QueueJobResponseDto shows it."""

    id: str
    name: str
    data: Mapping[str, Any]
    timestamp: int  # milliseconds since the epoch, when it was enqueued


@attrs.frozen
class FailedJob:
    """A failed job as the queue store keeps it: what ran, how often, and why it failed."""

    id: str
    name: str
    data: Mapping[str, Any]
    attempts: int
    reason: str  # the last line of the error (the exception, or why the worker was lost)
    error: str  # all of it (a traceback for a handler's exception)
    finished: int  # milliseconds since the epoch


def error_line(error: str | None) -> str:
    """The line of a stored error that says why (a traceback's last line)."""
    lines = (error or "unknown error").strip().splitlines()
    return lines[-1] if lines else "unknown error"


def to_failed_job(job: Mapping[str, Any], key: str) -> FailedJob:
    kwargs = job.get("kwargs") or {}
    error = str(job.get("error") or "")
    return FailedJob(
        id=key,
        name=str(job.get("function", "")),
        data=kwargs.get("data") or {},
        attempts=int(job.get("attempts") or 0),
        reason=error_line(error),
        error=error,
        finished=int(job.get("completed") or 0),
    )


def result_ttl(status: Status) -> int:
    """saq ``ttl`` for a finished job: failed ones are kept (0 = for ever) until cleared."""
    return 0 if status == Status.FAILED else COMPLETED_TTL_S


def to_queued_job(job: Mapping[str, Any], key: str) -> QueuedJob:
    kwargs = job.get("kwargs") or {}
    return QueuedJob(
        id=key,
        name=str(job.get("function", "")),
        data=kwargs.get("data") or {},
        timestamp=int(job.get("queued") or 0),
    )


class QueueBackend(abc.ABC):
    """One saq queue per Immich queue name, on one shared connection (pool)."""

    kind: str

    def __init__(self) -> None:
        self.queues: dict[str, Queue] = {}

    @abc.abstractmethod
    async def connect(self, names: Sequence[str], listeners: int) -> None:
        """Make and connect the saq queues; ``listeners``: queues this process will consume."""

    @abc.abstractmethod
    async def counts(self, names: Sequence[str]) -> dict[str, QueueCounts]:
        """Counts per queue; jobs waiting are all in ``waiting`` (pausing is the caller's)."""

    @abc.abstractmethod
    async def jobs(self, name: str, states: Iterable[str], limit: int) -> list[QueuedJob]:
        """Jobs of a queue in the given states (``waiting`` covers paused ones), oldest first."""

    @abc.abstractmethod
    async def empty(self, name: str) -> int:
        """Remove the jobs waiting or delayed (not the running ones); return how many."""

    @abc.abstractmethod
    async def failed(self, name: str, limit: int) -> list[FailedJob]:
        """The failed jobs of a queue with their reasons, oldest first."""

    @abc.abstractmethod
    async def running(self, name: str) -> int:
        """Jobs of a queue running now under a live lease (a dead worker's jobs do not count)."""

    async def recover(self, name: str) -> list[str]:
        """Sweep ``name`` now: jobs whose lease ran out go back to waiting (or fail)."""
        swept: list[str] = await self.queues[name].sweep()
        return swept

    @abc.abstractmethod
    async def clear_failed(self, name: str) -> int:
        """Forget the failed jobs of a queue; return how many."""

    @abc.abstractmethod
    async def close(self) -> None: ...


def set_paused(queue: Queue, paused: bool) -> None:
    """Stop (or restart) this process's workers taking jobs from ``queue``."""
    queue.paused = paused  # type: ignore[attr-defined]


def make_backend(redis: RedisSettings | None, db_url: str, pool: asyncpg.Pool) -> QueueBackend:
    """Redis when configured (REDIS_*), else PostgreSQL on the server's own database."""
    if redis is not None:
        from immich.jobs._redis import RedisBackend

        return RedisBackend(redis)
    from immich.jobs._postgres import PostgresBackend

    return PostgresBackend(db_url, pool)
