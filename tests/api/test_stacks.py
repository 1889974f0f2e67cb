"""/api/stacks: create (merging as Immich), search, read, change primary, remove, delete."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.asset_factory import UNKNOWN_ID, make_asset, trash, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def create(client: httpx.AsyncClient, headers: Headers, *ids: Any) -> Any:
    r = await client.post("/api/stacks", json={"assetIds": [str(i) for i in ids]}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def stack_ids(pool: Any, *asset_ids: Any) -> list[Any]:
    rows = await pool.fetch(
        'SELECT "id", "stackId" FROM "asset" WHERE "id" = ANY($1::uuid[])', list(asset_ids)
    )
    by_id = {r["id"]: r["stackId"] for r in rows}
    return [by_id[i] for i in asset_ids]


async def test_create_answers_the_stack_with_its_assets(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me, "2024-05-02", exif={"make": "Canon"})
    b = await make_asset(pool, me, "2024-05-01")
    c = await make_asset(pool, me, "2024-05-03")
    stack = await create(client, admin_headers, b["id"], a["id"], c["id"])
    assert stack["primaryAssetId"] == str(b["id"])
    assert [x["id"] for x in stack["assets"]] == [str(b["id"]), str(a["id"]), str(c["id"])]
    assert stack["assets"][1]["exifInfo"]["make"] == "Canon"
    assert stack["assets"][0]["ownerId"] == str(me)
    assert {str(s) for s in await stack_ids(pool, a["id"], b["id"], c["id"])} == {stack["id"]}

    r = await client.get(f"/api/stacks/{stack['id']}", headers=admin_headers)
    assert r.status_code == 200
    assert r.json() == stack
    r = await client.get("/api/stacks", headers=admin_headers)
    assert [s["id"] for s in r.json()] == [stack["id"]]
    r = await client.get(
        "/api/stacks", params={"primaryAssetId": str(a["id"])}, headers=admin_headers
    )
    assert r.json() == []
    r = await client.get(
        "/api/stacks", params={"primaryAssetId": str(b["id"])}, headers=admin_headers
    )
    assert [s["id"] for s in r.json()] == [stack["id"]]
    # The asset answers show the stack too.
    r = await client.get(f"/api/assets/{a['id']}", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json()["stack"] == {"id": stack["id"], "primaryAssetId": str(b["id"]), "assetCount": 3}


async def test_creating_with_a_stack_primary_merges_that_stack(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a, b, c, d = [await make_asset(pool, me) for _ in range(4)]
    first = await create(client, admin_headers, a["id"], b["id"])
    merged = await create(client, admin_headers, c["id"], a["id"], d["id"])
    assert merged["primaryAssetId"] == str(c["id"])
    assert {x["id"] for x in merged["assets"]} == {
        str(i) for i in (a["id"], b["id"], c["id"], d["id"])
    }
    r = await client.get(f"/api/stacks/{first['id']}", headers=admin_headers)
    assert r.status_code == 400  # merged away
    assert len((await client.get("/api/stacks", headers=admin_headers)).json()) == 1


async def test_update_primary_and_remove_members(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a, b, c = [await make_asset(pool, me) for _ in range(3)]
    outsider = await make_asset(pool, me)
    stack = await create(client, admin_headers, a["id"], b["id"], c["id"])
    url = f"/api/stacks/{stack['id']}"

    r = await client.put(url, json={"primaryAssetId": str(c["id"])}, headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json()["primaryAssetId"] == str(c["id"])
    assert r.json()["assets"][0]["id"] == str(c["id"])
    r = await client.put(url, json={"primaryAssetId": str(outsider["id"])}, headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "Primary asset must be in the stack"}
    r = await client.put(url, json={}, headers=admin_headers)
    assert r.status_code == 200 and r.json()["primaryAssetId"] == str(c["id"])

    r = await client.delete(f"{url}/assets/{c['id']}", headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "Cannot remove stack's primary asset"}
    r = await client.delete(f"{url}/assets/{outsider['id']}", headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "Asset not in stack"}
    r = await client.delete(f"{url}/assets/{a['id']}", headers=admin_headers)
    assert r.status_code == 204
    assert await stack_ids(pool, a["id"]) == [None]
    # A trashed member is no longer shown.
    await trash(pool, [b["id"]])
    r = await client.get(url, headers=admin_headers)
    assert [x["id"] for x in r.json()["assets"]] == [str(c["id"])]


async def test_delete_one_and_many(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a, b, c, d, e, f = [await make_asset(pool, me) for _ in range(6)]
    one = await create(client, admin_headers, a["id"], b["id"])
    two = await create(client, admin_headers, c["id"], d["id"])
    three = await create(client, admin_headers, e["id"], f["id"])
    r = await client.delete(f"/api/stacks/{one['id']}", headers=admin_headers)
    assert r.status_code == 204
    assert await stack_ids(pool, a["id"], b["id"]) == [None, None]
    r = await client.request(
        "DELETE", "/api/stacks", json={"ids": [two["id"], three["id"]]}, headers=admin_headers
    )
    assert r.status_code == 204
    assert await stack_ids(pool, c["id"], d["id"], e["id"], f["id"]) == [None] * 4
    assert (await client.get("/api/stacks", headers=admin_headers)).json() == []
    assert await pool.fetchval('SELECT count(*) FROM "asset"') == 6  # assets stay
    r = await client.request("DELETE", "/api/stacks", json={"ids": []}, headers=admin_headers)
    assert r.status_code == 204


async def test_someone_elses_stacks_and_assets_are_refused(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a, b = await make_asset(pool, me), await make_asset(pool, me)
    stack = await create(client, admin_headers, a["id"], b["id"])
    other, other_headers = await user_and_login(client, admin_headers)
    theirs = await make_asset(pool, other["id"])
    url = f"/api/stacks/{stack['id']}"
    cases = [
        ("GET", url, None, "Not found or no stack.read access"),
        ("PUT", url, {"primaryAssetId": str(a["id"])}, "Not found or no stack.update access"),
        ("DELETE", url, None, "Not found or no stack.delete access"),
        ("DELETE", "/api/stacks", {"ids": [stack["id"]]}, "Not found or no stack.delete access"),
        ("DELETE", f"{url}/assets/{b['id']}", None, "Not found or no stack.update access"),
        ("POST", "/api/stacks", {"assetIds": [str(theirs["id"]), str(a["id"])]}, None),
    ]
    for method, path, body, message in cases:
        r = await client.request(method, path, json=body, headers=other_headers)
        assert r.status_code == 400, (method, path, r.text)
        assert r.json()["message"] == (message or "Not found or no asset.update access")
    assert (await client.get("/api/stacks", headers=other_headers)).json() == []
    assert {str(s) for s in await stack_ids(pool, a["id"], b["id"])} == {stack["id"]}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/stacks", {"assetIds": [UNKNOWN_ID]}),
        ("POST", "/api/stacks", {"assetIds": []}),
        ("POST", "/api/stacks", {"assetIds": ["nope", UNKNOWN_ID]}),
        ("POST", "/api/stacks", {}),
        ("GET", "/api/stacks/not-a-uuid", None),
        ("GET", "/api/stacks?primaryAssetId=nope", None),
        ("PUT", f"/api/stacks/{UNKNOWN_ID}", {"primaryAssetId": "nope"}),
        ("DELETE", "/api/stacks", {"ids": ["nope"]}),
        ("DELETE", f"/api/stacks/{UNKNOWN_ID}/assets/nope", None),
    ],
)
async def test_malformed_input_is_a_validation_error(
    client: httpx.AsyncClient, admin_headers: Headers, method: str, path: str, body: Any
) -> None:
    r = await client.request(method, path, json=body, headers=admin_headers)
    assert r.status_code == 400, r.text
    assert r.json()["message"] == "Validation failed"


async def test_unknown_ids_are_not_found(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    a = await make_asset(pool, await user_id(pool))
    r = await client.post(
        "/api/stacks", json={"assetIds": [str(a["id"]), UNKNOWN_ID]}, headers=admin_headers
    )
    assert r.status_code == 400
    assert r.json() == {"message": "Not found or no asset.update access"}
    r = await client.get(f"/api/stacks/{UNKNOWN_ID}", headers=admin_headers)
    assert r.json() == {"message": "Not found or no stack.read access"}


async def force_delete(client: httpx.AsyncClient, headers: Headers, *ids: Any) -> None:
    r = await client.request(
        "DELETE", "/api/assets", json={"ids": [str(i) for i in ids], "force": True}, headers=headers
    )
    assert r.status_code == 204, r.text


async def test_deleting_the_primary_promotes_the_next_member(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me, "2024-05-01")
    b = await make_asset(pool, me, "2024-05-03")
    c = await make_asset(pool, me, "2024-05-02")
    stack = await create(client, admin_headers, a["id"], b["id"], c["id"])
    await force_delete(client, admin_headers, a["id"])
    r = await client.get(f"/api/stacks/{stack['id']}", headers=admin_headers)
    assert r.status_code == 200, r.text
    # The earliest remaining member becomes primary; the stack keeps the others.
    assert r.json()["primaryAssetId"] == str(c["id"])
    assert [x["id"] for x in r.json()["assets"]] == [str(c["id"]), str(b["id"])]
    assert {str(s) for s in await stack_ids(pool, b["id"], c["id"])} == {stack["id"]}
    info = (await client.get(f"/api/assets/{b['id']}", headers=admin_headers)).json()
    assert info["stack"] == {"id": stack["id"], "primaryAssetId": str(c["id"]), "assetCount": 2}


async def test_a_stack_left_with_one_asset_is_dissolved(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a, b, c, d = [await make_asset(pool, me) for _ in range(4)]
    by_primary = await create(client, admin_headers, a["id"], b["id"])
    by_member = await create(client, admin_headers, c["id"], d["id"])
    await force_delete(client, admin_headers, a["id"], d["id"])
    for stack in (by_primary, by_member):
        r = await client.get(f"/api/stacks/{stack['id']}", headers=admin_headers)
        assert r.status_code == 400
    assert await stack_ids(pool, b["id"], c["id"]) == [None, None]
    assert (await client.get("/api/stacks", headers=admin_headers)).json() == []


async def test_deleting_primary_and_a_member_together_keeps_a_stack_of_two(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me, "2024-05-01")
    b = await make_asset(pool, me, "2024-05-02")
    c = await make_asset(pool, me, "2024-05-03")
    d = await make_asset(pool, me, "2024-05-04")
    stack = await create(client, admin_headers, a["id"], b["id"], c["id"], d["id"])
    await force_delete(client, admin_headers, a["id"], b["id"])  # b, next in line, goes too
    r = await client.get(f"/api/stacks/{stack['id']}", headers=admin_headers)
    assert r.json()["primaryAssetId"] == str(c["id"])
    assert [x["id"] for x in r.json()["assets"]] == [str(c["id"]), str(d["id"])]


async def test_trashing_the_primary_keeps_the_stack_and_purging_promotes(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    from immich.services import trash as trash_service

    me = await user_id(pool)
    a = await make_asset(pool, me, "2024-05-01")
    b = await make_asset(pool, me, "2024-05-02")
    c = await make_asset(pool, me, "2024-05-03")
    stack = await create(client, admin_headers, a["id"], b["id"], c["id"])
    url = f"/api/stacks/{stack['id']}"
    r = await client.request(
        "DELETE", "/api/assets", json={"ids": [str(a["id"])]}, headers=admin_headers
    )
    assert r.status_code == 204
    # In the trash the primary stays primary (restoring it gives the stack back as it was).
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 200 and r.json()["primaryAssetId"] == str(a["id"])
    assert {str(s) for s in await stack_ids(pool, a["id"], b["id"], c["id"])} == {stack["id"]}

    r = await client.post("/api/trash/empty", headers=admin_headers)
    assert r.status_code == 200, r.text
    result = await trash_service.purge_deleted(
        app.state.ctx.db.pool, app.state.ctx.queues
    )  # the AssetEmptyTrash job
    assert result["deleted"] == 1
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json()["primaryAssetId"] == str(b["id"])
    assert [x["id"] for x in r.json()["assets"]] == [str(b["id"]), str(c["id"])]
