"""An api-only process asks workers for HLS segments: no worker, a failing worker."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from plugins.video._hls_remote import NO_WORKER, parse, payload
from plugins.video._hls_worker import HlsWorker
from plugins.video.hls import HlsService
from tests.plugins_video.clips import make_clip, upload_file
from tests.plugins_video.test_routes import enable_streaming, variant_urls


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("hls-remote") / "four.mp4", seconds=4.0)


@pytest.fixture
def service(app: Any) -> Iterator[HlsService]:
    """The test app's streaming service (api role only), waiting one second for a segment."""
    found: HlsService = app.state.ctx.state["video.streaming"]
    assert found.remote is not None  # no worker role: segments are asked of a worker
    wait = found.remote.wait_s
    found.remote.wait_s = 1.0
    yield found
    found.remote.wait_s = wait


async def _session(
    client: httpx.AsyncClient, headers: dict[str, str], clip: Path
) -> tuple[str, str]:
    """(asset id, the first variant's folder URL) of a new session."""
    await enable_streaming(client, headers)
    asset_id = await upload_file(client, headers, clip)
    base = f"/api/assets/{asset_id}/video/stream"
    r = await client.get(f"{base}/main.m3u8", headers=headers)
    assert r.status_code == 200, r.text
    uri = variant_urls(r.text)[0][1]
    return asset_id, f"{base}/{uri.rsplit('/', 1)[0]}"


async def test_without_a_worker_a_segment_fails_after_the_wait(
    app: Any,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    service: HlsService,
    short_clip: Path,
) -> None:
    _, folder = await _session(client, admin_headers, short_clip)
    started = time.monotonic()
    r = await client.get(f"{folder}/seg_1.m4s", headers=admin_headers)
    waited = time.monotonic() - started
    assert r.status_code == 503
    assert r.json() == {"message": NO_WORKER}
    assert 1.0 <= waited < 5.0
    session_id = uuid.UUID(folder.split("/")[-2])
    row = await app.state.ctx.db.pool.fetchrow(
        'SELECT "wantVariant", "wantIndex", "wantedAt", "producerId" '
        'FROM "video_stream_session" WHERE "id" = $1',
        session_id,
    )
    assert (row["wantVariant"], row["wantIndex"]) == (int(folder.split("/")[-1]), 1)
    assert row["wantedAt"] is not None and row["producerId"] is None
    assert not (service.root / str(session_id)).exists()  # nothing transcoded here


async def test_a_worker_failure_is_reported_to_the_player(
    app: Any,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    service: HlsService,
    short_clip: Path,
) -> None:
    asset_id, folder = await _session(client, admin_headers, short_clip)
    pool = app.state.ctx.db.pool
    original = await pool.fetchval(
        'SELECT "originalPath" FROM "asset" WHERE "id" = $1', uuid.UUID(asset_id)
    )
    # probed fine when the session started; now it cannot be read
    await asyncio.to_thread(Path(original).write_bytes, b"no longer a video")
    assert service.remote is not None
    service.remote.wait_s = 10.0  # the fixture puts it back
    worker = HlsWorker(app.state.ctx)
    await worker.start()
    try:
        r = await client.get(f"{folder}/seg_0.m4s", headers=admin_headers)
    finally:
        await worker.stop()
    assert r.status_code == 500
    assert r.json()["message"].startswith("Segment transcoding failed: ")
    producer = await pool.fetchval(
        'SELECT "producerId" FROM "video_stream_session" WHERE "id" = $1',
        uuid.UUID(folder.split("/")[-2]),
    )
    assert producer == worker.id


def test_notifications_round_trip() -> None:
    sid = uuid.uuid4()
    assert parse(payload("want", sid, 2, 7)) == ("want", sid, 2, 7)
    assert parse(payload("end", sid)) == ("end", sid, None, 0)
    assert parse("want nope 1 2") is None and parse("") is None
