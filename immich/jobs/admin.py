"""What the admin queue/job endpoints do, with Immich's rules and messages (no HTTP here).

"Start" on a queue and the manual jobs of ``POST /api/jobs`` enqueue the job Immich would
(``AssetGenerateThumbnailsQueueAll``, ``UserDeleteCheck``, ...): a plugin takes part simply
by registering a job of that name. A queue whose start job no plugin handles starts nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from immich.errors import BadRequest
from immich.jobs.backend import QueueCounts
from immich.jobs.names import JobName
from immich.jobs.types import QUEUE_NAMES, JobRequest

if TYPE_CHECKING:
    from immich.context import AppContext

log = logging.getLogger(__name__)

# Queue -> (job that "start" enqueues, whether it gets {"force": ...}), as Immich's
# QueueService.start; the other queues answer "Invalid job name: <queue>".
START_JOBS: Mapping[str, tuple[str, bool]] = {
    "videoConversion": (JobName.AssetEncodeVideoQueueAll, True),
    "storageTemplateMigration": (JobName.StorageTemplateMigration, False),
    "migration": (JobName.FileMigrationQueueAll, False),
    "smartSearch": (JobName.SmartSearchQueueAll, True),
    "duplicateDetection": (JobName.AssetDetectDuplicatesQueueAll, True),
    "metadataExtraction": (JobName.AssetExtractMetadataQueueAll, True),
    "sidecar": (JobName.SidecarQueueAll, True),
    "thumbnailGeneration": (JobName.AssetGenerateThumbnailsQueueAll, True),
    "faceDetection": (JobName.AssetDetectFacesQueueAll, True),
    "facialRecognition": (JobName.FacialRecognitionQueueAll, True),
    "library": (JobName.LibraryScanQueueAll, True),
    "backupDatabase": (JobName.DatabaseBackup, True),
    "ocr": (JobName.OcrQueueAll, True),
}

# ManualJobName -> the job Immich's JobService.create enqueues.
MANUAL_JOBS: Mapping[str, JobRequest] = {
    "tag-cleanup": JobRequest(JobName.TagCleanup),
    "person-cleanup": JobRequest(JobName.PersonCleanup),
    "user-cleanup": JobRequest(JobName.UserDeleteCheck),
    "memory-cleanup": JobRequest(JobName.MemoryCleanup),
    "memory-create": JobRequest(JobName.MemoryGenerate),
    "backup-database": JobRequest(JobName.DatabaseBackup),
    "integrity-missing-files": JobRequest(JobName.IntegrityMissingFilesQueueAll),
    "integrity-untracked-files": JobRequest(JobName.IntegrityUntrackedFilesQueueAll),
    "integrity-checksum-mismatch": JobRequest(JobName.IntegrityChecksumFiles),
    "integrity-missing-files-refresh": JobRequest(
        JobName.IntegrityMissingFilesQueueAll, {"refreshOnly": True}
    ),
    "integrity-untracked-files-refresh": JobRequest(
        JobName.IntegrityUntrackedFilesQueueAll, {"refreshOnly": True}
    ),
    "integrity-checksum-mismatch-refresh": JobRequest(
        JobName.IntegrityChecksumFiles, {"refreshOnly": True}
    ),
    "integrity-missing-files-delete-all": JobRequest(
        JobName.IntegrityDeleteReportType, {"type": "missing_file"}
    ),
    "integrity-untracked-files-delete-all": JobRequest(
        JobName.IntegrityDeleteReportType, {"type": "untracked_file"}
    ),
    "integrity-checksum-mismatch-delete-all": JobRequest(
        JobName.IntegrityDeleteReportType, {"type": "checksum_mismatch"}
    ),
}


async def status(
    ctx: AppContext, names: tuple[str, ...] = QUEUE_NAMES
) -> dict[str, tuple[bool, QueueCounts]]:
    """Queue name -> (isPaused, counts), for the names asked."""
    counts = await ctx.queues.counts(names)
    paused = await ctx.queues.paused()
    return {name: (name in paused, counts.get(name) or QueueCounts()) for name in names}


async def start(ctx: AppContext, name: str, force: bool | None) -> None:
    """Immich refuses to start a queue that has a job running; a job whose worker died (its
    lease ran out) is not running: it is put back to waiting first and does not block."""
    await ctx.queues.recover(name)
    if await ctx.queues.running(name):
        raise BadRequest("Job is already running")
    if name not in START_JOBS:
        raise BadRequest(f"Invalid job name: {name}")
    job, takes_force = START_JOBS[name]
    if job not in ctx.queues.registry:
        log.info("queue %s: no plugin handles %s, nothing to start", name, job)
        return
    data = {"force": force} if takes_force and force is not None else {}
    await ctx.queues.enqueue(JobRequest(job, data))


async def set_paused(ctx: AppContext, name: str, paused: bool) -> None:
    """PUT /queues/{name}: as Immich, the background task queue cannot be paused."""
    if paused and name == "backgroundTask":
        raise BadRequest("The BackgroundTask queue cannot be paused")
    await ctx.queues.set_paused(name, paused)


async def run_command(ctx: AppContext, name: str, command: str, force: bool | None) -> None:
    """The legacy PUT /jobs/{name} commands."""
    if command == "start":
        await start(ctx, name, force)
    elif command in ("pause", "resume"):
        await ctx.queues.set_paused(name, command == "pause")
    elif command == "empty":
        await ctx.queues.empty(name)
    elif command == "clear-failed":
        await ctx.queues.clear_failed(name)


async def empty(ctx: AppContext, name: str, failed: bool) -> None:
    await ctx.queues.empty(name)
    if failed:
        await ctx.queues.clear_failed(name)


async def create_manual_job(ctx: AppContext, name: str) -> str:
    request = MANUAL_JOBS.get(name)
    if request is None or request.name not in ctx.queues.registry:
        raise BadRequest("Invalid job name")
    return await ctx.queues.enqueue(request)
