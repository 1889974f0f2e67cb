"""What plugins hand the core: job definitions, follow-up job requests, cron duties, and the
typed records job handlers return (``JobResult`` and its kinds)."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from immich.context import AppContext

# The most jobs of one queue a worker runs at once (``job.<queue>.concurrency``), tighter than
# Immich's 2^53-1: each slot is an asyncio task that holds one of the DB_POOL_SIZE connections
# and, for media work, one of the default executor's threads (at most 32) while it runs, so
# slots beyond this only queue for those; a bound also keeps a typo from spawning millions.
MAX_JOB_CONCURRENCY = 64

JobHandler = Callable[["AppContext", Mapping[str, Any]], Awaitable[Any]]
CronHandler = Callable[["AppContext"], Awaitable[Any]]

# Immich 3.1's QueueName enum, in its order (GET /api/queues lists them so).
QUEUE_NAMES: tuple[str, ...] = (
    "thumbnailGeneration",
    "metadataExtraction",
    "videoConversion",
    "faceDetection",
    "facialRecognition",
    "smartSearch",
    "duplicateDetection",
    "backgroundTask",
    "storageTemplateMigration",
    "migration",
    "search",
    "sidecar",
    "library",
    "notifications",
    "backupDatabase",
    "ocr",
    "workflow",
    "integrityCheck",
    "editor",
)

NIGHTLY = "@nightly"
"""A ``CronDuty.cron`` value: run at the system config's ``nightlyTasks.startTime`` (HH:MM)."""


@attrs.frozen
class JobDefinition:
    """A job type: its name (unique), the Immich queue it runs on, and its async handler.

    ``timeout_s`` bounds one run (0 = none); ``retries`` is the number of attempts in all
    (saq's meaning: 1 = run once, never retried).
    """

    name: str
    queue: str
    handler: JobHandler
    timeout_s: int = 3600
    retries: int = 1


@attrs.frozen
class JobRequest:
    """A job to enqueue: the job name and its JSON-able data; ``delay_s``: run no sooner than
    that many seconds from now (Immich's delayed jobs, shown as ``delayed``)."""

    name: str
    data: Mapping[str, Any] = attrs.field(factory=dict)
    delay_s: float = 0


@attrs.frozen
class CronDuty:
    """A scheduled duty: a crontab expression (or ``NIGHTLY``) and an async handler ``(ctx)``.

    Each run takes a PostgreSQL advisory lock and records its minute, so with several
    scheduler replicas exactly one of them runs the duty at each scheduled time.
    """

    name: str
    cron: str
    handler: CronHandler


class JobStatus(enum.StrEnum):
    """How a job ended. ``skipped``: nothing to do (a hidden asset, an asset that vanished
    meanwhile, a step not wanted); ``failed``: the step could not be done and nothing was
    raised (a handler that raises fails its job as well)."""

    success = "success"
    skipped = "skipped"
    failed = "failed"


@attrs.frozen(kw_only=True)
class JobResult:
    """What a job handler returns: its status, the asset it worked on and why it did not
    succeed. Plugins subclass it with their own typed fields; ``on_job_finished`` and the
    events plugins fire receive these records, never dicts keyed by strings.

    ``asset_type`` is Immich's asset type (``IMAGE``, ``VIDEO``, ...) when the job is about
    one asset.
    """

    status: JobStatus = JobStatus.success
    asset_id: str | None = None
    asset_type: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is JobStatus.success

    def to_json(self) -> dict[str, Any]:
        """The record as JSON-able values (what the queue keeps as the job's result)."""
        return {
            key: _plain(value) for key, value in attrs.asdict(self).items() if value is not None
        }


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path | bytes):
        return str(value) if isinstance(value, Path) else value.hex()
    return value


@attrs.frozen(kw_only=True)
class QueuedResult(JobResult):
    """A "queue all" job's result: how many jobs it enqueued."""

    queued: int = 0


@attrs.frozen(kw_only=True)
class RenditionsResult(JobResult):
    """An ``AssetGenerateThumbnails`` job's result: the preview and thumbnail written (and a
    fullsize copy), the asset's displayed size, and for a video the poster frame's time.

    The thumbnails plugin returns it for images, and a ``make_video_poster`` provider for
    videos, so the thumbnail job's result has one type whoever made the files.
    """

    width: int | None = None
    height: int | None = None
    preview_path: str | None = None
    thumbnail_path: str | None = None
    fullsize_path: str | None = None
    poster_time: float | None = None


def skipped(asset_id: object, reason: str, asset_type: str | None = None) -> JobResult:
    """A ``skipped`` result for one asset."""
    return JobResult(
        status=JobStatus.skipped, asset_id=str(asset_id), asset_type=asset_type, reason=reason
    )
