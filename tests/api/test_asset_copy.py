"""PUT /api/assets/copy: albums, stack, favourite and sidecar move to the target asset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.asset_factory import UNKNOWN_ID, make_album, make_asset, make_stack, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]


@pytest.fixture
async def ctx(app: Any, client: httpx.AsyncClient) -> Any:
    context = app.state.ctx
    await context.queues.empty("metadataExtraction")
    return context


async def copy(client: httpx.AsyncClient, headers: Headers, **body: Any) -> httpx.Response:
    return await client.put("/api/assets/copy", json=body, headers=headers)


async def albums_of(pool: Any, asset_id: Any) -> set[Any]:
    rows = await pool.fetch('SELECT "albumId" FROM "album_asset" WHERE "assetId" = $1', asset_id)
    return {r["albumId"] for r in rows}


async def column(pool: Any, asset_id: Any, name: str) -> Any:
    return await pool.fetchval(f'SELECT "{name}" FROM "asset" WHERE "id" = $1', asset_id)


async def test_copy_moves_albums_stack_favourite_and_sidecar(
    client: httpx.AsyncClient, admin_headers: Headers, ctx: Any, tmp_path: Path
) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    xmp = tmp_path / "source.jpg.xmp"
    xmp.write_bytes(b"<x:xmpmeta>rating 5</x:xmpmeta>")
    source = await make_asset(
        pool, me, isFavorite=True, originalPath=str(tmp_path / "source.jpg"), sidecarPath=str(xmp)
    )
    target = await make_asset(pool, me, originalPath=str(tmp_path / "sub" / "target.heic"))
    sibling = await make_asset(pool, me)
    one, two = (
        await make_album(pool, me, [source["id"]]),
        await make_album(pool, me, [source["id"]]),
    )
    stack = await make_stack(pool, me, [sibling["id"], source["id"]])

    r = await copy(client, admin_headers, sourceId=str(source["id"]), targetId=str(target["id"]))
    assert r.status_code == 204, r.text
    assert await albums_of(pool, target["id"]) == {one, two}
    assert await albums_of(pool, source["id"]) == {one, two}  # copied, not moved
    assert await column(pool, target["id"], "stackId") == stack
    assert await column(pool, target["id"], "isFavorite") is True
    copied = tmp_path / "sub" / "target.heic.xmp"
    assert copied.read_bytes() == xmp.read_bytes()
    assert [p.name for p in copied.parent.iterdir()] == ["target.heic.xmp"]  # no temp file left
    rows = await pool.fetch(
        'SELECT "type", "path" FROM "asset_file" WHERE "assetId" = $1', target["id"]
    )
    assert [(r["type"], r["path"]) for r in rows] == [("sidecar", str(copied))]
    jobs = await ctx.queues.jobs("metadataExtraction", ["waiting"])
    assert [(j.name, dict(j.data)) for j in jobs] == [
        ("AssetExtractMetadata", {"id": str(target["id"])})
    ]

    again = await copy(
        client, admin_headers, sourceId=str(source["id"]), targetId=str(target["id"])
    )
    assert again.status_code == 204  # the same result twice
    assert await albums_of(pool, target["id"]) == {one, two}


async def test_parts_can_be_left_out_and_stacks_merge(
    client: httpx.AsyncClient, admin_headers: Headers, ctx: Any
) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    source, target = await make_asset(pool, me, isFavorite=True), await make_asset(pool, me)
    a, b = await make_asset(pool, me), await make_asset(pool, me)
    await make_album(pool, me, [source["id"]])
    source_stack = await make_stack(pool, me, [a["id"], source["id"]])
    target_stack = await make_stack(pool, me, [b["id"], target["id"]])

    r = await copy(
        client,
        admin_headers,
        sourceId=str(source["id"]),
        targetId=str(target["id"]),
        albums=False,
        favorite=False,
        sidecar=False,
    )
    assert r.status_code == 204, r.text
    assert await albums_of(pool, target["id"]) == set()
    assert await column(pool, target["id"], "isFavorite") is False
    for asset in (a, b, source, target):  # the source's stack merged into the target's
        assert await column(pool, asset["id"], "stackId") == target_stack
    assert await pool.fetchval('SELECT count(*) FROM "stack" WHERE "id" = $1', source_stack) == 0


async def test_refusals(client: httpx.AsyncClient, admin_headers: Headers, ctx: Any) -> None:
    pool = ctx.db.pool
    me = await user_id(pool)
    mine = await make_asset(pool, me)
    other, _ = await user_and_login(client, admin_headers)
    theirs = await make_asset(pool, other["id"])
    cases = [
        (
            {"sourceId": str(mine["id"]), "targetId": str(mine["id"])},
            "Source and target id must be distinct",
        ),
        (
            {"sourceId": str(theirs["id"]), "targetId": str(mine["id"])},
            "Not found or no asset.copy access",
        ),
        (
            {"sourceId": str(mine["id"]), "targetId": UNKNOWN_ID},
            "Not found or no asset.copy access",
        ),
        ({"sourceId": str(mine["id"])}, "Validation failed"),
        ({"sourceId": "nope", "targetId": str(mine["id"])}, "Validation failed"),
        (
            {"sourceId": str(mine["id"]), "targetId": UNKNOWN_ID, "albums": "yes"},
            "Validation failed",
        ),
    ]
    for body, message in cases:
        r = await client.put("/api/assets/copy", json=body, headers=admin_headers)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["message"] == message
    r = await client.put("/api/assets/copy", json={})
    assert r.status_code == 401
