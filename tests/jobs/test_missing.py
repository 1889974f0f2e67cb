"""The nightly "missing" duty re-queues every asset whose chain stopped halfway: one without a
preview, one without its metadata, one whose thumbnail file is gone (its row still there); the
steps already done are left alone."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any

from immich.jobs.names import JobName
from immich.jobs.registry import cron_duties
from immich.jobs.types import JobRequest
from plugins.nightly.missing import DUTY, missing_requests, queue_missing
from tests.api.asset_helpers import uploaded
from tests.jobs.conftest import eventually
from tests.plugins_chain import shared_assets
from tests.plugins_chain.ingest import Ingest, ingesting

PHOTOS = (
    "albums/nature/silver_fir.jpg",
    "albums/nature/tanners_ridge.jpg",
    "albums/nature/wood_anemones.jpg",
)


def test_missing_requests_follow_the_switch_and_the_registry() -> None:
    everything = {n.value for n in JobName}
    assert missing_requests({}, everything) == [
        JobRequest(JobName.AssetExtractMetadataQueueAll, {"force": False}),
        JobRequest(JobName.AssetGenerateThumbnailsQueueAll, {"force": False}),
        JobRequest(JobName.AssetEncodeVideoQueueAll, {"force": False}),
    ]
    off = {"nightlyTasks": {"missingThumbnails": False}}
    assert [r.name for r in missing_requests(off, everything)] == [
        JobName.AssetExtractMetadataQueueAll,
        JobName.AssetEncodeVideoQueueAll,
    ]
    assert missing_requests({}, {JobName.AssetEncodeVideoQueueAll.value}) == [
        JobRequest(JobName.AssetEncodeVideoQueueAll, {"force": False})
    ]


async def _done(ingest: Ingest, asset_id: uuid.UUID) -> bool:
    row = await ingest.db.fetchrow(
        """
        SELECT s."metadataExtractedAt" IS NOT NULL AND s."thumbnailAt" IS NOT NULL
           AND EXISTS (SELECT 1 FROM "asset_exif" e WHERE e."assetId" = s."assetId")
           AND (SELECT count(*) FROM "asset_file" f WHERE f."assetId" = s."assetId"
                AND f."type" IN ('preview', 'thumbnail')) = 2 AS done
        FROM "asset_job_status" s WHERE s."assetId" = $1
        """,
        asset_id,
    )
    return bool(row and row["done"])


async def test_the_nightly_duty_finishes_half_processed_assets(
    app: Any, db_url: str, tmp_path: Path
) -> None:
    folder = shared_assets()
    async with ingesting(Ingest, db_url, tmp_path / "media") as ingest:
        assert DUTY in {d.name for d in cron_duties(ingest.ctx.pm)}
        ids = []
        for photo in PHOTOS:
            content = (folder / photo).read_bytes()
            ids.append(uuid.UUID(await uploaded(ingest.client, ingest.headers, content)))
        for asset_id in ids:
            await eventually(lambda a=asset_id: _done(ingest, a), within=60)
        no_preview, no_metadata, file_gone = ids
        preview = await ingest.db.fetchval(
            """DELETE FROM "asset_file" WHERE "assetId" = $1 AND "type" = 'preview'
               RETURNING "path" """,
            no_preview,
        )
        os.unlink(preview)
        await ingest.db.execute('DELETE FROM "asset_exif" WHERE "assetId" = $1', no_metadata)
        thumbnail = await ingest.db.fetchval(  # its row stays: only the file is gone
            """SELECT "path" FROM "asset_file" WHERE "assetId" = $1 AND "type" = 'thumbnail'""",
            file_gone,
        )
        os.unlink(thumbnail)
        await ingest.db.execute(
            'UPDATE "asset_job_status" SET "metadataExtractedAt" = NULL WHERE "assetId" = $1',
            no_metadata,
        )
        before = await ingest.db.fetchval(
            'SELECT "updateId" FROM "asset_file" WHERE "assetId" = $1 AND "type" = $2',
            no_metadata,
            "thumbnail",
        )
        await queue_missing(ingest.ctx)
        for asset_id in ids:
            await eventually(lambda a=asset_id: _done(ingest, a), within=60)
        assert await asyncio.to_thread(os.path.isfile, preview)
        await eventually(lambda: asyncio.to_thread(os.path.isfile, thumbnail), within=60)
        after = await ingest.db.fetchval(
            'SELECT "updateId" FROM "asset_file" WHERE "assetId" = $1 AND "type" = $2',
            no_metadata,
            "thumbnail",
        )
        assert after == before  # its thumbnails were not missing: not made again
