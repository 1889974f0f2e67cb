"""saq's PostgreSQL queue on the server's own database (the default: no Redis needed).

saq talks to PostgreSQL through psycopg (one small pool shared by all queues); the counts and
listings below read saq's ``saq_jobs`` table through the server's asyncpg pool. Leases
(``immich.jobs.lease``): ``touch`` renews one under a row lock; ``sweep`` takes the rows of
running jobs with ``FOR UPDATE SKIP LOCKED`` (so replicas sweeping together never settle a job
twice) and puts back or fails those whose lease ran out.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

import asyncpg
from psycopg import AsyncConnection
from psycopg.sql import SQL
from psycopg_pool import AsyncConnectionPool
from saq.job import Job, Status
from saq.queue.postgres import PostgresQueue
from saq.utils import now, now_seconds

from immich.db import locks
from immich.jobs import lease
from immich.jobs.backend import (
    FailedJob,
    QueueBackend,
    QueueCounts,
    QueuedJob,
    result_ttl,
    to_failed_job,
    to_queued_job,
)

log = logging.getLogger(__name__)

_SAQ_SCHEMA_LOCK = locks.SAQ_SCHEMA  # held while saq creates or upgrades its tables


class ImmichPostgresQueue(PostgresQueue):
    """saq's queue, plus: a pause switch, failed jobs kept until cleared, and the worker slots
    waiting for a job known (``idle``) so a stopping worker can cancel them at once."""

    paused = False
    on_lost: lease.OnLost | None = None

    def __init__(self, pool: AsyncConnectionPool, name: str) -> None:
        super().__init__(pool=pool, name=name)
        self.idle: set[asyncio.Task[Any]] = set()

    async def dequeue(
        self,
        timeout: float = 0.0,  # noqa: ASYNC109 - saq's signature
        poll_interval: float = 0.0,
    ) -> Job | None:
        task = asyncio.current_task()
        if task is not None:
            self.idle.add(task)
        try:
            return await super().dequeue(timeout, poll_interval)  # swallows cancellation
        finally:
            if task is not None:
                self.idle.discard(task)

    async def requeue_unclaimed(self) -> None:
        """Jobs this process took from the table but no slot picked up go back to waiting."""
        while not self._job_queue.empty():
            job = self._job_queue.get_nowait()
            await self.retry(job, "worker stopped before running it")

    async def _dequeue(self) -> None:
        if self.paused:
            return
        await super()._dequeue()

    async def _finish(
        self,
        job: Job,
        status: Status,
        *,
        result: Any = None,
        error: str | None = None,
        connection: AsyncConnection | None = None,
    ) -> None:
        job.ttl = result_ttl(status)
        await super()._finish(job, status, result=result, error=error, connection=connection)

    async def touch(self, job: Job) -> bool:
        """Renew the lease of ``job`` while the stored job is still this run of it."""
        async with self.pool.connection() as conn, conn.transaction():
            cursor = await conn.execute(
                SQL("SELECT job, status FROM {} WHERE key = %s FOR UPDATE").format(self.jobs_table),
                (job.key,),
            )
            row = await cursor.fetchone()
            stored = self.deserialize(row[0], row[1]) if row else None
            if stored is None or not lease.holds(stored, job):
                return False
            stored.touched = now()
            await conn.execute(
                SQL("UPDATE {} SET job = %s WHERE key = %s").format(self.jobs_table),
                (self.serialize(stored), job.key),
            )
        return True

    async def sweep(self, lock: int = 60, abort: float = 5.0) -> list[str]:
        """Forget expired finished jobs; put back (or fail) running jobs whose lease ran out."""
        swept: list[str] = []
        failed: list[tuple[Job, str]] = []
        async with self.pool.connection() as conn:
            await conn.execute(
                SQL(
                    "DELETE FROM {} WHERE queue = %s AND status IN ('aborted', 'complete', "
                    "'failed') AND %s >= expire_at"
                ).format(self.jobs_table),
                (self.name, now_seconds()),
            )
            await conn.execute(
                SQL("DELETE FROM {} WHERE %s >= expire_at").format(self.stats_table),
                (now_seconds(),),
            )
            async with conn.transaction():
                cursor = await conn.execute(
                    SQL(
                        "SELECT key, job, status FROM {} WHERE queue = %s "
                        "AND status IN ('active', 'aborting') FOR UPDATE SKIP LOCKED"
                    ).format(self.jobs_table),
                    (self.name,),
                )
                for key, payload, status in await cursor.fetchall():
                    job = self.deserialize(payload, status)
                    if job is None or not lease.lost(job):
                        continue
                    swept.append(key)
                    reason = lease.lost_reason(job)
                    if job.retryable:
                        log.warning("job %s %s: %s; retrying", job.function, key, reason)
                        lease.requeue_fields(job, reason)
                        await self.update(
                            job,
                            status=Status.QUEUED,
                            scheduled=int(now_seconds()),
                            expire_at=None,
                            connection=conn,
                        )
                    else:
                        await self.finish(job, Status.FAILED, error=reason, connection=conn)
                        failed.append((job, reason))
        for job, reason in failed:
            if self.on_lost is not None:
                await self.on_lost(job, reason)
        return swept


_COUNTS = """
SELECT queue,
       count(*) FILTER (WHERE status = 'active') AS active,
       count(*) FILTER (WHERE status = 'complete') AS completed,
       count(*) FILTER (WHERE status = 'failed') AS failed,
       count(*) FILTER (WHERE status = 'queued' AND scheduled > $2) AS delayed,
       count(*) FILTER (WHERE status = 'queued' AND scheduled <= $2) AS waiting
FROM saq_jobs
WHERE queue = ANY($1::text[]) AND status IN ('active', 'complete', 'failed', 'queued')
  AND (expire_at IS NULL OR expire_at > $2)
GROUP BY queue
"""

_JOBS = """
SELECT key, job FROM saq_jobs
WHERE queue = $1 AND (
    status = ANY($2::text[])
    OR ($3 AND status = 'queued' AND scheduled <= $5)
    OR ($4 AND status = 'queued' AND scheduled > $5)
)
ORDER BY lock_key
LIMIT $6
"""

_SAQ_STATUS = {"active": "active", "failed": "failed", "completed": "complete"}


class PostgresBackend(QueueBackend):
    kind = "postgres"

    def __init__(self, url: str, pool: asyncpg.Pool) -> None:
        super().__init__()
        self.url = url
        self.db = pool
        self.pool: AsyncConnectionPool | None = None
        self.pg_queues: dict[str, ImmichPostgresQueue] = {}

    async def connect(self, names: Sequence[str], listeners: int) -> None:
        # Each consumed queue holds one LISTEN connection; the rest serve enqueue/finish.
        self.pool = AsyncConnectionPool(
            self.url,
            min_size=1,
            max_size=4 + 2 * listeners,
            open=False,
            kwargs={"autocommit": True},
            check=AsyncConnectionPool.check_connection,
        )
        await self.pool.open(wait=True)
        for name in names:
            self.queues[name] = self.pg_queues[name] = ImmichPostgresQueue(
                pool=self.pool, name=name
            )
        async with self.db.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", _SAQ_SCHEMA_LOCK)
            try:
                for queue in self.queues.values():
                    await queue.connect()
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", _SAQ_SCHEMA_LOCK)

    async def counts(self, names: Sequence[str]) -> dict[str, QueueCounts]:
        rows = await self.db.fetch(_COUNTS, list(names), int(time.time()))
        found = {
            row["queue"]: QueueCounts(
                active=row["active"],
                completed=row["completed"],
                failed=row["failed"],
                delayed=row["delayed"],
                waiting=row["waiting"],
            )
            for row in rows
        }
        return {name: found.get(name) or QueueCounts() for name in names}

    async def jobs(self, name: str, states: Iterable[str], limit: int) -> list[QueuedJob]:
        wanted = set(states)
        rows = await self.db.fetch(
            _JOBS,
            name,
            [_SAQ_STATUS[s] for s in wanted if s in _SAQ_STATUS],
            bool(wanted & {"waiting", "paused"}),
            "delayed" in wanted,
            int(time.time()),
            limit,
        )
        return [to_queued_job(json.loads(row["job"]), row["key"]) for row in rows]

    async def empty(self, name: str) -> int:
        rows = await self.db.fetch(
            "DELETE FROM saq_jobs WHERE queue = $1 AND status = 'queued' RETURNING 1", name
        )
        return len(rows)

    async def running(self, name: str) -> int:
        rows = await self.db.fetch(
            "SELECT job, status FROM saq_jobs WHERE queue = $1 AND status = 'active'", name
        )
        queue = self.pg_queues[name]
        jobs = (queue.deserialize(bytes(row["job"]), row["status"]) for row in rows)
        return sum(1 for job in jobs if job is not None and not lease.lost(job))

    async def failed(self, name: str, limit: int) -> list[FailedJob]:
        rows = await self.db.fetch(
            "SELECT key, job FROM saq_jobs WHERE queue = $1 AND status = 'failed' "
            "ORDER BY lock_key LIMIT $2",
            name,
            limit,
        )
        return [to_failed_job(json.loads(row["job"]), row["key"]) for row in rows]

    async def clear_failed(self, name: str) -> int:
        rows = await self.db.fetch(
            "DELETE FROM saq_jobs WHERE queue = $1 AND status = 'failed' RETURNING 1", name
        )
        return len(rows)

    async def close(self) -> None:
        for queue in self.pg_queues.values():
            await queue._listener.close()  # its LISTEN connection, if a worker left one open
            await queue.disconnect()
        if self.pool is not None:
            await self.pool.close()
