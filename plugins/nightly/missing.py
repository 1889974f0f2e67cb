"""The nightly "missing" duty: re-queue every asset that lacks a derived file.

Immich enqueues ``AssetGenerateThumbnailsQueueAll {force: false}`` at night when
``nightlyTasks.missingThumbnails`` is on; we do that too, and also (ours beyond Immich) the
"missing" runs of metadata extraction and video conversion, so an asset whose chain stopped
halfway (a worker killed between two steps, a job failed for good because its workers kept
dying, a queue emptied by hand) is finished the next night. Each "queue all" job picks only
the assets still lacking its output and not recorded as failing on it (a bad file is not
retried every night), and handlers are idempotent, so an asset already on its way is merely
done twice. A job no plugin registers is left out. The thumbnails' and the video's "queue all"
runs also sweep ``thumbs/`` and ``encoded-video/`` of the temporary files (and two-pass stats
folders) that killed workers left, once older than the job lease (``immich.storage.temp``):
the sweep runs where the media folder is, in a worker, not in the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from immich.context import AppContext
from immich.jobs.names import JobName
from immich.jobs.types import JobRequest

log = logging.getLogger(__name__)

DUTY = "missing-derived-files"

# (the "queue all" job, the nightlyTasks switch that gates it, or None: always)
MISSING_JOBS: tuple[tuple[JobName, str | None], ...] = (
    (JobName.AssetExtractMetadataQueueAll, None),
    (JobName.AssetGenerateThumbnailsQueueAll, "missingThumbnails"),
    (JobName.AssetEncodeVideoQueueAll, None),
)


def missing_requests(config: Mapping[str, Any], registered: Any) -> list[JobRequest]:
    """The "missing" jobs to enqueue tonight: switched on, and registered by some plugin."""
    nightly = config.get("nightlyTasks") or {}
    return [
        JobRequest(name, {"force": False})
        for name, switch in MISSING_JOBS
        if name in registered and (switch is None or nightly.get(switch, True))
    ]


async def queue_missing(ctx: AppContext) -> None:
    requests = missing_requests(ctx.config.get(), ctx.queues.registry)
    await ctx.queues.enqueue_all(requests)
    log.info("nightly: queued %s", ", ".join(r.name for r in requests) or "nothing")
