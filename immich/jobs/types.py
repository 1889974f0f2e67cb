"""What plugins hand the core: job definitions, follow-up job requests, cron duties."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from immich.context import AppContext

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
    """A job to enqueue: the job name and its JSON-able data."""

    name: str
    data: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class CronDuty:
    """A scheduled duty: a crontab expression (or ``NIGHTLY``) and an async handler ``(ctx)``.

    Each run takes a PostgreSQL advisory lock and records its minute, so with several
    scheduler replicas exactly one of them runs the duty at each scheduled time.
    """

    name: str
    cron: str
    handler: CronHandler
