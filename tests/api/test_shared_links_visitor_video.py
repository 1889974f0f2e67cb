"""A shared-link visitor streaming a video of the link's album (HLS), as Immich files it: the
session belongs to the link's owner (Immich's ``ownerId: auth.user.id``, the link's user), so
the visitor's later calls (variant playlist, end) find it, and nobody without access to the
asset reaches it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from plugins.video._hls_worker import HlsWorker
from tests.api.shared_link_helpers import by_key, make_link
from tests.api.user_helpers import user_and_login
from tests.plugins_video.clips import make_clip, upload_file
from tests.plugins_video.test_routes import enable_streaming, variant_urls


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield make_clip(tmp_path_factory.mktemp("visitor-clip") / "clip.mp4", seconds=1.0)


@pytest.fixture
async def hls_worker(app: Any) -> AsyncIterator[HlsWorker]:
    worker = HlsWorker(app.state.ctx)
    await worker.start()
    yield worker
    await worker.stop()


@pytest.mark.usefixtures("hls_worker")
async def test_visitor_session_is_the_link_owners(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], clip: Path
) -> None:
    pool = app.state.ctx.db.pool
    await enable_streaming(client, admin_headers)
    asset_id = await upload_file(client, admin_headers, clip)
    r = await client.post(
        "/api/albums", headers=admin_headers, json={"albumName": "v", "assetIds": [asset_id]}
    )
    album_id = r.json()["id"]
    owner_id = r.json()["albumUsers"][0]["user"]["id"]
    key = by_key(await make_link(client, admin_headers, albumId=album_id))
    base = f"/api/assets/{asset_id}/video/stream"

    r = await client.get(f"{base}/main.m3u8", headers=key)
    assert r.status_code == 200, r.text
    uri = variant_urls(r.text)[0][1]
    session_id = uri.split("/")[0]
    row = await pool.fetchrow(
        'SELECT "ownerId", "assetId" FROM "video_stream_session" WHERE "id" = $1::uuid',
        session_id,
    )
    assert (str(row["ownerId"]), str(row["assetId"])) == (owner_id, asset_id)
    r = await client.get(f"{base}/{uri}", headers=key)
    assert r.status_code == 200 and "seg_0.m4s" in r.text
    # a user without access to the asset: refused before the session is looked at
    _, stranger = await user_and_login(client, admin_headers)
    r = await client.get(f"{base}/{uri}", headers=stranger)
    assert r.status_code == 400 and r.json()["message"] == "Not found or no asset.view access"
    # a link to another album of the owner's: no access to this asset either
    other = await client.post("/api/albums", headers=admin_headers, json={"albumName": "o"})
    elsewhere = by_key(await make_link(client, admin_headers, albumId=other.json()["id"]))
    r = await client.get(f"{base}/{uri}", headers=elsewhere)
    assert r.status_code == 400
    # the visitor ends it
    r = await client.delete(f"{base}/{session_id}", headers=key)
    assert r.status_code == 204
    gone = await pool.fetchval(
        'SELECT count(*) FROM "video_stream_session" WHERE "id" = $1::uuid', session_id
    )
    assert gone == 0
