"""Queueing ``SidecarWrite {id}`` after the owner's edits (Immich's asset and tag services).

The job itself is the metadata plugin's (it owns exiftool); the core queues it, once the edit's
transaction has committed, for every asset an EXIF edit (``PUT /assets/{id}``), a bulk update
(``PUT /assets``, whatever it changed, as Immich's ``updateAll``) or a tag change touched.
Without a plugin registering the job nothing is queued: the edits stay in the database.

Enqueueing costs about 5 ms a job on the PostgreSQL queue (one INSERT and NOTIFY each; saq has
no batch insert), so a bulk edit of thousands of assets would hold its HTTP answer for seconds:
up to ``INLINE`` jobs are enqueued before the answer, more in a background task, ``BATCH`` at
once. A process stopped while that task runs loses the rest; those edits stay locked in the
database (a refresh keeps them) and reach the sidecar with the asset's next edit.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable

from immich.db.repos import Conn
from immich.db.session import after_commit
from immich.jobs.names import JobName
from immich.jobs.queues import JobQueues
from immich.jobs.types import JobRequest

log = logging.getLogger(__name__)

SIDECAR_WRITE = JobName.SidecarWrite
INLINE = 50  # jobs enqueued before the HTTP answer; more go to a background task
BATCH = 50  # jobs enqueued at once
_BACKGROUND: set[asyncio.Task[None]] = set()  # running background enqueues (kept referenced)


async def _enqueue(queues: JobQueues, ids: list[str]) -> None:
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        await asyncio.gather(*(queues.enqueue(JobRequest(SIDECAR_WRITE, {"id": i})) for i in batch))


async def _in_background(queues: JobQueues, ids: list[str]) -> None:
    try:
        await _enqueue(queues, ids)
    except Exception:
        log.exception("%s: %d job(s) not queued", SIDECAR_WRITE, len(ids))


async def queue_sidecar_writes(
    db: Conn, queues: JobQueues | None, ids: Iterable[uuid.UUID | str]
) -> None:
    """Once ``db``'s transaction commits, ``SidecarWrite {id}`` for each asset (once each)."""
    wanted = [str(i) for i in dict.fromkeys(ids)]
    if queues is None or not wanted:
        return

    async def enqueue() -> None:
        if SIDECAR_WRITE not in queues.registry:
            log.debug("no %s job registered: %d sidecar(s) not written", SIDECAR_WRITE, len(wanted))
            return
        if len(wanted) <= INLINE:
            await _enqueue(queues, wanted)
            return
        task = asyncio.create_task(_in_background(queues, wanted))
        _BACKGROUND.add(task)
        task.add_done_callback(_BACKGROUND.discard)

    await after_commit(db, enqueue)
