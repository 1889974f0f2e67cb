"""End to end on a worker: an uploaded video gets metadata, a poster, and (policy "all") a
transcode that plays with Range requests; the queue's "start" re-queues the conversion."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from immich.app import create_app
from immich.db.repos import asset_files, job_status
from tests.conftest import make_settings, sign_up_and_login
from tests.jobs.conftest import clear_queues, eventually

from .clips import read, upload_file


async def test_upload_to_playable_transcode(
    app: Any, db_url: str, media_dir: Path, clip: Callable[[str], Path]
) -> None:
    await clear_queues(db_url)
    worker_app = create_app(make_settings(db_url, media_dir, IMMICH_ROLES="api,worker"))
    async with worker_app.router.lifespan_context(worker_app):
        ctx = worker_app.state.ctx
        transport = httpx.ASGITransport(app=worker_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://w") as client:
            admin = await sign_up_and_login(client)
            config = (await client.get("/api/system-config", headers=admin)).json()
            config["ffmpeg"]["transcode"] = "all"
            r = await client.put("/api/system-config", headers=admin, json=config)
            assert r.status_code == 200, r.text
            asset_id = await upload_file(client, admin, clip("black_start"))

            async def encoded() -> Any:
                return await asset_files.get(ctx.db.pool, asset_id, "encoded_video")

            row = await eventually(encoded, within=60)
            files = {f["type"] for f in await asset_files.for_asset(ctx.db.pool, asset_id)}
            assert {"preview", "thumbnail", "encoded_video"} <= files
            status = await job_status.get(ctx.db.pool, asset_id)
            assert status is not None
            assert status["thumbnailAt"] is not None and status["videoConvertedAt"] is not None
            assert status["failures"] == {}

            data = read(row["path"])
            r = await client.get(
                f"/api/assets/{asset_id}/video/playback", headers={**admin, "Range": "bytes=0-1023"}
            )
            assert r.status_code == 206 and r.content == data[:1024]
            assert r.headers["content-range"] == f"bytes 0-1023/{len(data)}"
            r = await client.get(f"/api/assets/{asset_id}/thumbnail", headers=admin)
            assert r.status_code == 200 and r.headers["content-type"] == "image/webp"

            # "start" on the queue: nothing missing; "all" (force) converts it again
            r = await client.put(
                "/api/jobs/videoConversion", headers=admin, json={"command": "start", "force": True}
            )
            assert r.status_code == 200, r.text
            before = status["videoConvertedAt"]

            async def reconverted() -> bool:
                again = await job_status.get(ctx.db.pool, asset_id)
                return again is not None and again["videoConvertedAt"] > before

            assert await eventually(reconverted, within=60)
