"""/api/assets/{id}/metadata[/{key}] and /api/assets/metadata: key/value metadata of assets."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.api.asset_factory import UNKNOWN_ID, make_album, make_asset, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def test_upsert_read_and_delete_one_assets_metadata(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    asset = await make_asset(pool, await user_id(pool))
    url = f"/api/assets/{asset['id']}/metadata"
    body = {
        "items": [{"key": "mobile-app", "value": {"iCloudId": "abc"}}, {"key": "z", "value": {}}]
    }
    r = await client.put(url, json=body, headers=admin_headers)
    assert r.status_code == 200, r.text
    stored = r.json()
    assert [(i["key"], i["value"]) for i in stored] == [
        ("mobile-app", {"iCloudId": "abc"}),
        ("z", {}),
    ]
    assert all(i["updatedAt"].endswith("Z") for i in stored)

    r = await client.put(
        url, json={"items": [{"key": "z", "value": {"n": [1, 2]}}]}, headers=admin_headers
    )
    assert [(i["key"], i["value"]) for i in r.json()] == [("z", {"n": [1, 2]})]
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 200
    assert [(i["key"], i["value"]) for i in r.json()] == [
        ("mobile-app", {"iCloudId": "abc"}),
        ("z", {"n": [1, 2]}),
    ]
    r = await client.get(f"{url}/mobile-app", headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["value"] == {"iCloudId": "abc"}

    r = await client.delete(f"{url}/mobile-app", headers=admin_headers)
    assert r.status_code == 204
    r = await client.get(f"{url}/mobile-app", headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {
        "message": f'Metadata with key "mobile-app" not found for asset with id "{asset["id"]}"'
    }
    r = await client.delete(f"{url}/mobile-app", headers=admin_headers)  # gone already: fine
    assert r.status_code == 204
    r = await client.put(url, json={"items": []}, headers=admin_headers)
    assert r.json() == []


async def test_bulk_upsert_and_delete(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a, b = await make_asset(pool, me), await make_asset(pool, me)
    items = [
        {"assetId": str(a["id"]), "key": "k", "value": {"x": 1}},
        {"assetId": str(b["id"]), "key": "k", "value": {"x": 2}},
    ]
    r = await client.put("/api/assets/metadata", json={"items": items}, headers=admin_headers)
    assert r.status_code == 200, r.text
    assert [(i["assetId"], i["key"], i["value"]) for i in r.json()] == [
        (str(a["id"]), "k", {"x": 1}),
        (str(b["id"]), "k", {"x": 2}),
    ]
    r = await client.request(
        "DELETE",
        "/api/assets/metadata",
        json={"items": [{"assetId": str(a["id"]), "key": "k"}]},
        headers=admin_headers,
    )
    assert r.status_code == 204, r.text
    assert (await client.get(f"/api/assets/{a['id']}/metadata", headers=admin_headers)).json() == []
    left = (await client.get(f"/api/assets/{b['id']}/metadata", headers=admin_headers)).json()
    assert [i["value"] for i in left] == [{"x": 2}]


async def test_album_members_read_but_only_owners_write(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    other, other_headers = await user_and_login(client, admin_headers)
    shared = await make_asset(pool, me)
    private = await make_asset(pool, me)
    album = await make_album(pool, me, [shared["id"]])
    await pool.execute(
        'INSERT INTO "album_user" ("albumId", "userId", "role") VALUES ($1, $2, \'viewer\')',
        album,
        other["id"],
    )
    await client.put(
        f"/api/assets/{shared['id']}/metadata",
        json={"items": [{"key": "k", "value": {"a": 1}}]},
        headers=admin_headers,
    )
    r = await client.get(f"/api/assets/{shared['id']}/metadata", headers=other_headers)
    assert r.status_code == 200
    assert [i["key"] for i in r.json()] == ["k"]
    r = await client.get(f"/api/assets/{private['id']}/metadata/k", headers=other_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "Not found or no asset.read access"}
    writes = [
        ("PUT", f"/api/assets/{shared['id']}/metadata", {"items": [{"key": "k", "value": {}}]}),
        ("DELETE", f"/api/assets/{shared['id']}/metadata/k", None),
        (
            "PUT",
            "/api/assets/metadata",
            {"items": [{"assetId": str(shared["id"]), "key": "k", "value": {}}]},
        ),
        ("DELETE", "/api/assets/metadata", {"items": [{"assetId": str(shared["id"]), "key": "k"}]}),
    ]
    for method, url, body in writes:
        r = await client.request(method, url, json=body, headers=other_headers)
        assert r.status_code == 400, (method, url, r.text)
        assert r.json() == {"message": "Not found or no asset.update access"}
    r = await client.get(f"/api/assets/{shared['id']}/metadata/k", headers=admin_headers)
    assert r.json()["value"] == {"a": 1}  # untouched


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("GET", "/api/assets/not-a-uuid/metadata", None, "Validation failed"),
        ("PUT", "/api/assets/{id}/metadata", {"items": [{"key": "k"}]}, "Validation failed"),
        (
            "PUT",
            "/api/assets/{id}/metadata",
            {"items": [{"key": "k", "value": 3}]},
            "Validation failed",
        ),
        ("PUT", "/api/assets/{id}/metadata", {}, "Validation failed"),
        (
            "PUT",
            "/api/assets/{id}/metadata",
            {"items": [{"key": "k", "value": {}}, {"key": "k", "value": {}}]},
            'Duplicate items are not allowed: "k"',
        ),
        (
            "PUT",
            "/api/assets/metadata",
            {"items": [{"assetId": "{id}", "key": "k", "value": {}}] * 2},
            'Duplicate items are not allowed: "({id}, k)"',
        ),
        (
            "PUT",
            "/api/assets/metadata",
            {"items": [{"assetId": "x", "key": "k", "value": {}}]},
            "Validation failed",
        ),
        ("DELETE", "/api/assets/metadata", {"items": [{"key": "k"}]}, "Validation failed"),
        ("GET", f"/api/assets/{UNKNOWN_ID}/metadata", None, "Not found or no asset.read access"),
    ],
)
async def test_bad_input_gets_immich_errors(
    client: httpx.AsyncClient,
    admin_headers: Headers,
    pool: Any,
    method: str,
    path: str,
    body: Any,
    message: str,
) -> None:
    asset = await make_asset(pool, await user_id(pool))
    ident = str(asset["id"])
    if body is not None:
        body = json.loads(json.dumps(body).replace("{id}", ident))
    r = await client.request(method, path.replace("{id}", ident), json=body, headers=admin_headers)
    assert r.status_code == 400, r.text
    assert r.json()["message"] == message.replace("{id}", ident)
