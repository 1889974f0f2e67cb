"""POST /api/assets/jobs through the real app (api role: queued jobs stay waiting to be seen)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from immich.context import AppContext
from tests.api.test_asset_media import photo
from tests.api.user_helpers import UNKNOWN_ID, api_key, user_and_login

QUEUES = ("metadataExtraction", "thumbnailGeneration", "videoConversion", "faceDetection")


@pytest.fixture
async def ctx(app: Any, client: httpx.AsyncClient) -> AppContext:
    """The app's context, its queues emptied."""
    context: AppContext = app.state.ctx
    for queue in QUEUES:
        await context.queues.empty(queue)
    return context


async def waiting(ctx: AppContext, queue: str) -> list[tuple[str, dict[str, Any]]]:
    jobs = [(j.name, dict(j.data)) for j in await ctx.queues.jobs(queue, ["waiting"])]
    return sorted(jobs, key=repr)


@pytest.mark.parametrize(
    ("name", "job", "queue"),
    [
        ("refresh-metadata", "AssetExtractMetadata", "metadataExtraction"),
        ("regenerate-thumbnail", "AssetGenerateThumbnails", "thumbnailGeneration"),
    ],
)
async def test_queues_one_job_per_asset(
    app: Any,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    ctx: AppContext,
    name: str,
    job: str,
    queue: str,
) -> None:
    a = await photo(app, client, admin_headers, "albums/nature/silver_fir.jpg")
    b = await photo(app, client, admin_headers, "albums/nature/tanners_ridge.jpg")
    r = await client.post(
        "/api/assets/jobs",
        json={"assetIds": [str(a), str(b), str(a).upper()], "name": name},
        headers=admin_headers,
    )
    assert r.status_code == 204 and r.content == b""
    expected = [(job, {"id": str(a)}), (job, {"id": str(b)})]
    assert await waiting(ctx, queue) == sorted(expected, key=repr)


async def test_someone_elses_asset_queues_nothing(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], ctx: AppContext
) -> None:
    mine = await photo(app, client, admin_headers, "albums/nature/silver_fir.jpg")
    _, other_headers = await user_and_login(client, admin_headers)
    for ids in ([str(mine)], [UNKNOWN_ID]):
        r = await client.post(
            "/api/assets/jobs",
            json={"assetIds": ids, "name": "refresh-metadata"},
            headers=other_headers,
        )
        assert r.status_code == 400
        assert r.json() == {"message": "Not found or no asset.update access"}
    theirs = await photo(app, client, other_headers, "albums/nature/polemonium_reptans.jpg")
    r = await client.post(
        "/api/assets/jobs",
        json={"assetIds": [str(theirs), str(mine)], "name": "refresh-metadata"},
        headers=other_headers,
    )
    assert r.status_code == 400  # all or nothing
    assert await waiting(ctx, "metadataExtraction") == []


async def test_jobs_without_a_plugin_and_empty_lists(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], ctx: AppContext
) -> None:
    asset_id = await photo(app, client, admin_headers, "albums/nature/silver_fir.jpg")
    assert "AssetDetectFaces" not in ctx.queues.registry  # no faces plugin yet
    r = await client.post(
        "/api/assets/jobs",
        json={"assetIds": [str(asset_id)], "name": "refresh-faces"},
        headers=admin_headers,
    )
    assert r.status_code == 204
    assert await waiting(ctx, "faceDetection") == []
    r = await client.post(
        "/api/assets/jobs", json={"assetIds": [], "name": "refresh-metadata"}, headers=admin_headers
    )
    assert r.status_code == 204
    assert await waiting(ctx, "metadataExtraction") == []


async def test_bad_input_and_permission(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], ctx: AppContext
) -> None:
    asset_id = str(uuid.uuid4())
    r = await client.post(
        "/api/assets/jobs",
        json={"assetIds": [asset_id], "name": "make-coffee"},
        headers=admin_headers,
    )
    assert r.status_code == 400
    assert r.json()["message"] == "Validation failed"
    assert r.json()["errors"][0]["path"] == ["name"]
    r = await client.post(
        "/api/assets/jobs",
        json={"assetIds": ["nope"], "name": "refresh-metadata"},
        headers=admin_headers,
    )
    assert r.status_code == 400
    assert r.json()["errors"] == [{"path": ["assetIds", 0], "message": "Invalid UUID"}]
    r = await client.post(
        "/api/assets/jobs", json={"name": "refresh-metadata"}, headers=admin_headers
    )
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["assetIds"]
    r = await client.post("/api/assets/jobs", json={"assetIds": [], "name": "refresh-metadata"})
    assert r.status_code == 401
    key = await api_key(client, admin_headers, "asset.update")
    r = await client.post(
        "/api/assets/jobs", json={"assetIds": [], "name": "refresh-metadata"}, headers=key
    )
    assert r.status_code == 403
    assert r.json() == {"message": "Missing required permission: job.create"}
