"""saq's Redis queue (REDIS_* configured), with Immich's failed/completed bookkeeping.

saq keeps no index of finished jobs in Redis, so each queue adds two sorted sets scored by
finish time: ``saq:<queue>:failed`` (kept until cleared) and ``saq:<queue>:completed``
(trimmed to ``COMPLETED_TTL_S``, like the job keys themselves). Leases
(``immich.jobs.lease``): ``touch`` renews one with an optimistic transaction (WATCH); ``sweep``
runs under a short lock key, so replicas sweeping together never settle a job twice. A job
taken from the queue but never started (its worker died between the two steps) is put back
when a second sweep still finds it so.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import warnings
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import unquote, urlparse

from redis import asyncio as aioredis
from redis.exceptions import WatchError
from saq.job import Job, Status
from saq.queue.redis import RedisQueue
from saq.utils import now

from immich.jobs import lease
from immich.jobs.backend import (
    COMPLETED_TTL_S,
    FailedJob,
    QueueBackend,
    QueueCounts,
    QueuedJob,
    result_ttl,
    to_failed_job,
    to_queued_job,
)
from immich.settings import RedisSettings

log = logging.getLogger(__name__)
SWEEPER_HOLD_MS = 30_000  # a sweeper that died holds its lock no longer than this


class ImmichRedisQueue(RedisQueue):
    """saq's queue, plus: a pause switch, indexes of failed and completed jobs, and the worker
    slots waiting for a job known (``idle``) so a stopping worker can cancel them at once."""

    paused = False
    on_lost: lease.OnLost | None = None

    def __init__(self, redis: aioredis.Redis, name: str) -> None:
        super().__init__(redis, name=name)
        self.idle: set[asyncio.Task[Any]] = set()
        self.failed_key = self.namespace("failed")
        self.completed_key = self.namespace("completed")
        self.sweep_key = self.namespace("lease-sweep")
        self._unstarted: set[bytes] = set()  # ids seen active but never started, last sweep

    async def dequeue(
        self,
        timeout: float = 0.0,  # noqa: ASYNC109 - saq's signature
        poll_interval: float = 0.0,
    ) -> Job | None:
        if self.paused:
            await asyncio.sleep(timeout or 1.0)
            return None
        task = asyncio.current_task()
        if task is not None:
            self.idle.add(task)
        try:
            job = await super().dequeue(timeout, poll_interval)
        finally:
            if task is not None:
                self.idle.discard(task)
        if job is not None and self.paused:  # paused while this slot was waiting: put it back
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.lrem(self._active, 1, job.id)
                pipe.lpush(self._queued, job.id)
                await pipe.execute()
            return None
        return job

    async def _finish(
        self, job: Job, status: Status, *, result: Any = None, error: str | None = None
    ) -> None:
        job.ttl = result_ttl(status)
        await super()._finish(job, status, result=result, error=error)
        now = time.time()
        if status == Status.FAILED:
            await self.redis.zadd(self.failed_key, {job.id: now})
        elif status == Status.COMPLETE:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.zadd(self.completed_key, {job.id: now})
                pipe.zremrangebyscore(self.completed_key, 0, now - COMPLETED_TTL_S)
                await pipe.execute()

    async def touch(self, job: Job) -> bool:
        """Renew the lease of ``job`` while the stored job is still this run of it."""
        redis: Any = self.redis
        async with redis.pipeline(transaction=True) as pipe:
            try:
                await pipe.watch(job.id)
                stored = self.deserialize(await pipe.get(job.id))
                if stored is None or not lease.holds(stored, job):
                    return False
                stored.touched = now()
                pipe.multi()
                pipe.set(job.id, self.serialize(stored))
                await pipe.execute()
            except WatchError:
                return False  # changed meanwhile (finished, or swept): not ours to renew
        return True

    async def sweep(self, lock: int = 60, abort: float = 5.0) -> list[str]:
        """Put back (or fail) active jobs whose lease ran out, and forget vanished ones."""
        redis: Any = self.redis
        if not await redis.set(self.sweep_key, 1, nx=True, px=SWEEPER_HOLD_MS):
            return []  # another process is sweeping this queue
        swept: list[bytes] = []
        try:
            ids: list[bytes] = await redis.lrange(self._active, 0, -1)
            payloads = await redis.mget(ids) if ids else []
            unstarted: set[bytes] = set()
            for job_id, raw in zip(ids, payloads, strict=True):
                job = self.deserialize(raw)
                if job is None:
                    async with redis.pipeline(transaction=True) as pipe:
                        await (
                            pipe.lrem(self._active, 0, job_id)
                            .zrem(self._incomplete, job_id)
                            .execute()
                        )
                    swept.append(job_id)
                    continue
                if job.status not in (Status.ACTIVE, Status.ABORTING):
                    if job_id not in self._unstarted:
                        unstarted.add(job_id)  # maybe a live worker about to start it
                        continue
                elif not lease.lost(job):
                    continue
                swept.append(job_id)
                await self._settle(job)
            self._unstarted = unstarted
        finally:
            await redis.delete(self.sweep_key)
        return [job_id.decode() for job_id in swept]

    async def _settle(self, job: Job) -> None:
        reason = lease.lost_reason(job)
        if job.retryable:
            log.warning("job %s %s: %s; retrying", job.function, job.key, reason)
            await self.retry(job, reason)
            return
        await self.finish(job, Status.FAILED, error=reason)
        if self.on_lost is not None:
            await self.on_lost(job, reason)


def make_client(settings: RedisSettings) -> aioredis.Redis:
    """A client for the URL, or for the master that the sentinels name."""
    if not settings.sentinels:
        return aioredis.from_url(settings.url)
    from redis.asyncio.sentinel import Sentinel

    parsed = urlparse(settings.url)
    db = int(parsed.path.strip("/") or 0)
    username = unquote(parsed.username) if parsed.username else None
    password = unquote(parsed.password) if parsed.password else None
    sentinel = Sentinel(  # type: ignore[no-untyped-call]
        list(settings.sentinels), username=username, password=password
    )
    client: aioredis.Redis = sentinel.master_for(
        settings.sentinel_name or "", db=db, username=username, password=password
    )
    return client


def ignore_saq_setex_deprecation() -> None:
    """saq (0.26) calls redis-py's ``setex``, which redis-py (8.1) marks deprecated on every
    call: that warning, and only it, only from saq's Redis queue, is not ours to fix."""
    warnings.filterwarnings(
        "ignore",
        message=r"Call to deprecated setex\.",
        category=DeprecationWarning,
        module=r"saq\.queue\.redis",
    )


class RedisBackend(QueueBackend):
    kind = "redis"

    def __init__(self, settings: RedisSettings) -> None:
        super().__init__()
        ignore_saq_setex_deprecation()
        self.redis: Any = make_client(settings)  # redis-py's reply types are too loose to use
        self.redis_queues: dict[str, ImmichRedisQueue] = {}

    async def connect(self, names: Sequence[str], listeners: int) -> None:
        await self.redis.ping()
        for name in names:
            queue = ImmichRedisQueue(self.redis, name)
            await queue.connect()
            self.queues[name] = self.redis_queues[name] = queue

    async def counts(self, names: Sequence[str]) -> dict[str, QueueCounts]:
        now = time.time()
        async with self.redis.pipeline(transaction=False) as pipe:
            for name in names:
                q = self.redis_queues[name]
                pipe.llen(q.namespace("active"))
                pipe.zcount(q.completed_key, now - COMPLETED_TTL_S, "+inf")
                pipe.zcard(q.failed_key)
                pipe.zcount(q.namespace("incomplete"), 1, "+inf")
                pipe.llen(q.namespace("queued"))
            values = await pipe.execute()
        out = {}
        for i, name in enumerate(names):
            active, completed, failed, delayed, waiting = values[i * 5 : i * 5 + 5]
            out[name] = QueueCounts(
                active=active, completed=completed, failed=failed, delayed=delayed, waiting=waiting
            )
        return out

    async def jobs(self, name: str, states: Iterable[str], limit: int) -> list[QueuedJob]:
        q = self.redis_queues[name]
        wanted = set(states)
        ids: list[Any] = []
        if "active" in wanted:
            ids += await self.redis.lrange(q.namespace("active"), 0, limit - 1)
        if wanted & {"waiting", "paused"}:
            ids += await self.redis.lrange(q.namespace("queued"), 0, limit - 1)
        if "delayed" in wanted:
            ids += await self.redis.zrangebyscore(q.namespace("incomplete"), 1, "+inf", 0, limit)
        if "failed" in wanted:
            ids += await self.redis.zrange(q.failed_key, 0, limit - 1)
        if "completed" in wanted:
            ids += await self.redis.zrange(q.completed_key, 0, limit - 1)
        ids = list(dict.fromkeys(ids))[:limit]
        payloads = await self.redis.mget(ids) if ids else []
        prefix = len(q.job_id(""))
        return [
            to_queued_job(json.loads(raw), job_id.decode()[prefix:])
            for job_id, raw in zip(ids, payloads, strict=True)
            if raw is not None
        ]

    async def empty(self, name: str) -> int:
        q = self.redis_queues[name]
        ids = await self.redis.lrange(q.namespace("queued"), 0, -1)
        ids += await self.redis.zrangebyscore(q.namespace("incomplete"), 1, "+inf")
        if not ids:
            return 0
        async with self.redis.pipeline(transaction=True) as pipe:
            for job_id in ids:
                pipe.lrem(q.namespace("queued"), 0, job_id)
            pipe.zrem(q.namespace("incomplete"), *ids)
            pipe.delete(*ids)
            await pipe.execute()
        return len(set(ids))

    async def running(self, name: str) -> int:
        q = self.redis_queues[name]
        ids = await self.redis.lrange(q.namespace("active"), 0, -1)
        jobs = [q.deserialize(raw) for raw in (await self.redis.mget(ids) if ids else [])]
        return sum(
            1
            for job in jobs
            if job is not None and job.status == Status.ACTIVE and not lease.lost(job)
        )

    async def failed(self, name: str, limit: int) -> list[FailedJob]:
        q = self.redis_queues[name]
        ids = await self.redis.zrange(q.failed_key, 0, limit - 1)
        payloads = await self.redis.mget(ids) if ids else []
        prefix = len(q.job_id(""))
        return [
            to_failed_job(json.loads(raw), job_id.decode()[prefix:])
            for job_id, raw in zip(ids, payloads, strict=True)
            if raw is not None
        ]

    async def clear_failed(self, name: str) -> int:
        q = self.redis_queues[name]
        ids = await self.redis.zrange(q.failed_key, 0, -1)
        if ids:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.zrem(q.failed_key, *ids)
                pipe.delete(*ids)
                await pipe.execute()
        return len(ids)

    async def close(self) -> None:
        for queue in self.redis_queues.values():
            await queue._pubsub.close()
        await self.redis.aclose()
