"""POST /api/assets/jobs: run a job on some of the caller's assets (Immich's ``runAssetJobs``).

Every id must be an asset the caller owns (Immich's ``asset.update`` access; locked ones only
from an elevated session), else 400 "Not
found or no asset.update access" and nothing is queued. Each name enqueues Immich's per-asset
job: refresh-metadata -> ``AssetExtractMetadata``, regenerate-thumbnail ->
``AssetGenerateThumbnails``, transcode-video -> ``AssetEncodeVideo``, refresh-faces ->
``AssetDetectFaces``. A job no installed plugin handles is skipped (logged), as a queue
without handlers starts nothing.
"""

from __future__ import annotations

import enum
import logging

import attrs

from immich.api.dto import field
from immich.api.routing import Call, Router
from immich.jobs.names import JobName
from immich.jobs.types import JobRequest
from immich.services import access

router = Router()
TAG = "Assets"
log = logging.getLogger(__name__)


class AssetJobName(enum.StrEnum):
    """Job name"""

    refresh_faces = "refresh-faces"
    refresh_metadata = "refresh-metadata"
    regenerate_thumbnail = "regenerate-thumbnail"
    transcode_video = "transcode-video"


JOBS: dict[AssetJobName, str] = {
    AssetJobName.refresh_faces: JobName.AssetDetectFaces,
    AssetJobName.refresh_metadata: JobName.AssetExtractMetadata,
    AssetJobName.regenerate_thumbnail: JobName.AssetGenerateThumbnails,
    AssetJobName.transcode_video: JobName.AssetEncodeVideo,
}


@attrs.frozen
class AssetJobsDto:
    assetIds: list[str] = field(description="Asset IDs", format="uuid")
    name: AssetJobName = field(description="Job name")


@router.route(
    "POST",
    "/assets/jobs",
    operation_id="runAssetJobs",
    tag=TAG,
    status=204,
    permission="job.create",
)
async def run_asset_jobs(call: Call[AssetJobsDto]) -> None:
    """Run an asset job

    Run a specific job on a set of assets.
    """
    body = call.body
    ids = list(dict.fromkeys(i.lower() for i in body.assetIds))
    if not ids:
        return
    await access.require_assets(
        call.db,
        call.user["id"],
        "asset.update",
        ids,
        elevated=access.is_elevated(call.auth),
    )
    name = JOBS[body.name]
    if name not in call.ctx.queues.registry:
        log.info("asset jobs: no plugin handles %s; %d asset(s) not queued", name, len(ids))
        return
    for asset_id in ids:
        await call.ctx.queues.enqueue(JobRequest(name, {"id": asset_id}))
