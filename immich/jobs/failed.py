"""``immich-admin jobs failed <queue>``: the failed jobs of a queue and why they failed.

Immich's jobs page shows only how many jobs failed (its ``QueueJobResponseDto`` has no field for
the reason); the queue store keeps each failed job with its error until the queue's failed jobs
are cleared, and this command prints them as JSON, oldest first: the job's id, name, data,
attempts, the reason (the error's last line: the exception, or "worker lost: ..." for a job
whose workers kept dying) and when it failed. ``--traceback`` adds the whole stored error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from immich.jobs.backend import FailedJob, make_backend
from immich.jobs.types import QUEUE_NAMES

if TYPE_CHECKING:
    from immich.db.engine import Database
    from immich.settings import Settings

LIMIT = 10_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``jobs`` command's own subcommands."""
    sub = parser.add_subparsers(dest="jobs_command", required=True, metavar="JOBS_COMMAND")
    failed = sub.add_parser(
        "failed", help="List a queue's failed jobs and why, as JSON", description=__doc__
    )
    failed.add_argument("queue", choices=QUEUE_NAMES, metavar="QUEUE", help="an Immich queue name")
    failed.add_argument("--traceback", action="store_true", help="include the whole error")


def as_json(job: FailedJob, traceback: bool) -> dict[str, Any]:
    finished = dt.datetime.fromtimestamp(job.finished / 1000, dt.UTC) if job.finished else None
    out: dict[str, Any] = {
        "id": job.id,
        "name": job.name,
        "data": dict(job.data),
        "attempts": job.attempts,
        "reason": job.reason,
        "failedAt": finished.isoformat().replace("+00:00", "Z") if finished else None,
    }
    if traceback:
        out["error"] = job.error
    return out


async def run(db: Database, settings: Settings, args: argparse.Namespace) -> None:
    """Print the failed jobs of ``args.queue`` from the store the server uses."""
    backend = make_backend(settings.redis, db.url, db.pool)
    await backend.connect((args.queue,), 0)
    try:
        jobs = await backend.failed(args.queue, LIMIT)
    finally:
        await backend.close()
    print(json.dumps([as_json(job, args.traceback) for job in jobs], indent=2))
