"""Which requests queue ``SidecarWrite`` and for which assets (Immich's asset and tag services):
an EXIF edit (not a favourite alone), every asset of a bulk update, each asset whose tags
changed; large bulk edits in the background, never lost; nothing for a refused request. The
session's app runs no worker, so the queued jobs wait in the ``sidecar`` queue to be counted."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from immich.jobs import sidecar_writes
from tests.api.asset_factory import make_asset, user_id
from tests.api.user_helpers import user_and_login
from tests.jobs.conftest import eventually

Headers = dict[str, str]


@pytest.fixture
async def queued(app: Any) -> AsyncIterator[Any]:
    """A function listing the asset ids of the waiting ``SidecarWrite`` jobs (sorted)."""
    queues = app.state.ctx.queues
    await queues.empty("sidecar")

    async def ids() -> list[str]:
        jobs = await queues.jobs("sidecar", ["waiting"])
        return sorted(j.data["id"] for j in jobs if j.name == "SidecarWrite")

    yield ids
    await queues.empty("sidecar")


async def _assets(app: Any, n: int) -> list[str]:
    pool = app.state.ctx.db.pool
    me = await user_id(pool)
    return sorted([str((await make_asset(pool, me))["id"]) for _ in range(n)])


async def test_an_exif_edit_queues_one_write_a_favourite_none(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, queued: Any
) -> None:
    (asset,) = await _assets(app, 1)
    r = await client.put(f"/api/assets/{asset}", json={"isFavorite": True}, headers=admin_headers)
    assert r.status_code == 200, r.text
    assert await queued() == []
    r = await client.put(f"/api/assets/{asset}", json={"rating": 2}, headers=admin_headers)
    assert r.status_code == 200, r.text
    assert await queued() == [asset]  # queued before the answer


async def test_a_bulk_update_queues_every_asset(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, queued: Any
) -> None:
    ids = await _assets(app, 3)
    r = await client.put(
        "/api/assets", json={"ids": ids, "isFavorite": True}, headers=admin_headers
    )
    assert r.status_code == 204, r.text
    assert await queued() == ids


async def test_a_large_bulk_update_queues_in_the_background(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, queued: Any
) -> None:
    ids = await _assets(app, sidecar_writes.INLINE + 40)
    started = time.perf_counter()
    r = await client.put("/api/assets", json={"ids": ids, "rating": 1}, headers=admin_headers)
    answered = time.perf_counter() - started
    assert r.status_code == 204, r.text

    async def all_queued() -> bool:
        return await queued() == ids

    await eventually(all_queued, within=30)
    assert answered < 5  # not held for every enqueue (about 5 ms each)


async def test_tag_changes_queue_the_assets_that_changed(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, queued: Any
) -> None:
    a, b, c = await _assets(app, 3)
    r = await client.put("/api/tags", json={"tags": ["One", "Two"]}, headers=admin_headers)
    one, two = (t["id"] for t in r.json())
    r = await client.put(f"/api/tags/{one}/assets", json={"ids": [a]}, headers=admin_headers)
    assert r.json() == [{"id": a, "success": True}]
    assert await queued() == [a]
    await app.state.ctx.queues.empty("sidecar")
    r = await client.put(
        "/api/tags/assets", json={"tagIds": [one], "assetIds": [a, b]}, headers=admin_headers
    )
    assert r.json() == {"count": 1}
    assert await queued() == [b]  # a already had it
    await app.state.ctx.queues.empty("sidecar")
    r = await client.request(
        "DELETE", f"/api/tags/{one}/assets", json={"ids": [a, c]}, headers=admin_headers
    )
    assert [x["success"] for x in r.json()] == [True, False]
    r = await client.request(
        "DELETE", f"/api/tags/{two}/assets", json={"ids": [a]}, headers=admin_headers
    )
    assert await queued() == [a]  # only the untag that happened


async def test_a_refused_edit_queues_nothing(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, queued: Any
) -> None:
    (asset,) = await _assets(app, 1)
    _, other = await user_and_login(client, admin_headers)
    r = await client.put(f"/api/assets/{asset}", json={"rating": 2}, headers=other)
    assert r.status_code == 400
    r = await client.put("/api/assets", json={"ids": [asset], "rating": 2}, headers=other)
    assert r.status_code == 400
    assert await queued() == []


async def test_without_the_job_nothing_is_queued(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, queued: Any
) -> None:
    (asset,) = await _assets(app, 1)
    registry = app.state.ctx.queues.registry
    definition = registry.jobs.pop("SidecarWrite")
    try:
        r = await client.put(f"/api/assets/{asset}", json={"rating": 2}, headers=admin_headers)
        assert r.status_code == 200, r.text  # the edit stands
    finally:
        registry.jobs["SidecarWrite"] = definition
    assert await queued() == []
