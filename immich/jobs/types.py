"""What plugins hand the core: job definitions, follow-up job requests, cron duties."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from immich.context import AppContext

JobHandler = Callable[["AppContext", Mapping[str, Any]], Awaitable[Any]]
CronHandler = Callable[["AppContext"], Awaitable[Any]]

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
    "editor",
)


@attrs.frozen
class JobDefinition:
    """A job type: its name (unique), the Immich queue it runs on, and its async handler."""

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
    """A scheduled duty: crontab expression, run by one replica at a time (advisory lock)."""

    name: str
    cron: str
    handler: CronHandler
