"""Job leases: how the jobs of a worker that died come back.

Every job is enqueued with a lease (saq's ``heartbeat``, ``IMMICH_JOB_LEASE_SECONDS``, 60 by
default). While a worker runs a job it renews the lease every quarter of it (``touch``: only
while the stored job is still this worker's run). Every worker sweeps its queues every half
lease, and "start" on a queue sweeps that queue at once: a job whose lease ran out (its worker
was killed, lost its database or froze) goes back to waiting, up to ``CRASH_ATTEMPTS`` runs in
all, then is failed with the reason kept in the queue store (``immich-admin jobs failed``) and
logged. So a dead worker's job is retried within 1.5 leases, and never blocks its queue.

A job whose handler raises is retried only as its definition's ``retries`` says (a bad file
fails the same way every time); the extra attempts are for lost workers only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from saq.job import Job, Status

CRASH_ATTEMPTS = 3
"""Runs a job gets in all when its workers keep dying under it."""

OnLost = Callable[[Job, str], Awaitable[None]]
"""Called with a job failed for good because its workers died, and the reason."""


def heartbeat_every(lease_s: int) -> float:
    """Seconds between a worker's lease renewals."""
    return max(0.25, lease_s / 4)


def sweep_every(lease_s: int) -> int:
    """Seconds between a worker's sweeps for jobs whose lease ran out."""
    return max(1, lease_s // 2)


def attempts_for(retries: int) -> int:
    """saq's ``retries`` (runs in all) for a job whose definition allows ``retries`` runs."""
    return max(retries, CRASH_ATTEMPTS)


def lost(job: Job) -> bool:
    """A running job whose lease ran out (or, for a job enqueued without one, whose timeout
    passed)."""
    return job.stuck


def lost_reason(job: Job) -> str:
    if job.status not in (Status.ACTIVE, Status.ABORTING):
        return f"worker lost: taken from the queue but never started (attempt {job.attempts})"
    return (
        f"worker lost: no heartbeat for {job.heartbeat}s (attempt {job.attempts} of {job.retries})"
    )


def holds(stored: Job | None, running: Job) -> bool:
    """Whether the stored job is still the run ``running`` (same worker, same attempt)."""
    return (
        stored is not None
        and stored.status == Status.ACTIVE
        and stored.worker_id == running.worker_id
        and stored.attempts == running.attempts
    )


def requeue_fields(job: Job, reason: str) -> None:
    """Set ``job`` back to waiting (as saq's ``Queue.retry``), keeping why."""
    job.status = Status.QUEUED
    job.error = reason
    job.completed = 0
    job.started = 0
    job.progress = 0
