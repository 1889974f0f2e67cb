"""/api/api-keys through the real app and database."""

from __future__ import annotations

import httpx

from tests.api.user_helpers import UNKNOWN_ID, api_key, user_and_login


async def test_create_list_get(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.post(
        "/api/api-keys",
        headers=admin_headers,
        json={"name": "cli", "permissions": ["asset.read", "user.read"]},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == {"apiKey", "secret"} and len(body["secret"]) >= 40
    key = body["apiKey"]
    assert key["name"] == "cli" and key["permissions"] == ["asset.read", "user.read"]
    assert set(key) == {"createdAt", "id", "name", "permissions", "updatedAt"}
    r = await client.get("/api/api-keys", headers=admin_headers)
    assert r.status_code == 200 and r.json() == [key]  # the secret is never shown again
    r = await client.get(f"/api/api-keys/{key['id']}", headers=admin_headers)
    assert r.status_code == 200 and r.json() == key
    # the key authenticates, by header and by query parameter
    r = await client.get("/api/users/me", headers={"x-api-key": body["secret"]})
    assert r.status_code == 200
    r = await client.get(f"/api/users/me?apiKey={body['secret']}")
    assert r.status_code == 200


async def test_default_name(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.post("/api/api-keys", headers=admin_headers, json={"permissions": ["all"]})
    assert r.status_code == 201 and r.json()["apiKey"]["name"] == "API Key"


async def test_create_invalid(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    for body, path in [
        ({}, ["permissions"]),
        ({"permissions": []}, ["permissions"]),
        ({"permissions": ["asset.read", "nope"]}, ["permissions", 1]),
        ({"permissions": "all"}, ["permissions"]),
        ({"permissions": ["all"], "name": 7}, ["name"]),
    ]:
        r = await client.post("/api/api-keys", headers=admin_headers, json=body)
        assert r.status_code == 400, body
        assert r.json()["message"] == "Validation failed"
        assert r.json()["errors"][0]["path"] == path, body
    r = await client.post("/api/api-keys", json={"permissions": ["all"]})
    assert r.status_code == 401


async def test_me(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.get("/api/api-keys/me", headers=admin_headers)
    assert r.status_code == 403 and r.json() == {"message": "Not authenticated with an API Key"}
    headers = await api_key(client, admin_headers, "asset.read")
    r = await client.get("/api/api-keys/me", headers=headers)  # needs no permission
    assert r.status_code == 200 and r.json()["permissions"] == ["asset.read"]


async def test_permissions_enforced(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    headers = await api_key(client, admin_headers, "apiKey.read", "apiKey.create")
    assert (await client.get("/api/api-keys", headers=headers)).status_code == 200
    r = await client.get("/api/sessions", headers=headers)
    assert r.status_code == 403 and r.json() == {
        "message": "Missing required permission: session.read"
    }
    r = await client.get("/api/users/me", headers=headers)
    assert r.status_code == 403 and r.json() == {
        "message": "Missing required permission: user.read"
    }
    # a key may hand out only what it holds
    r = await client.post(
        "/api/api-keys", headers=headers, json={"permissions": ["apiKey.read", "asset.read"]}
    )
    assert r.status_code == 400 and r.json() == {
        "message": "Cannot grant permissions you do not have"
    }
    r = await client.post("/api/api-keys", headers=headers, json={"permissions": ["all"]})
    assert r.status_code == 400
    r = await client.post("/api/api-keys", headers=headers, json={"permissions": ["apiKey.read"]})
    assert r.status_code == 201
    # an "all" key may grant anything
    full = await api_key(client, admin_headers, "all")
    r = await client.post("/api/api-keys", headers=full, json={"permissions": ["all"]})
    assert r.status_code == 201


async def test_update(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.post(
        "/api/api-keys", headers=admin_headers, json={"name": "a", "permissions": ["all"]}
    )
    key_id = r.json()["apiKey"]["id"]
    r = await client.put(f"/api/api-keys/{key_id}", headers=admin_headers, json={"name": "b"})
    assert r.status_code == 200 and r.json()["name"] == "b" and r.json()["permissions"] == ["all"]
    r = await client.put(
        f"/api/api-keys/{key_id}", headers=admin_headers, json={"permissions": ["tag.read"]}
    )
    assert r.json()["name"] == "b" and r.json()["permissions"] == ["tag.read"]
    r = await client.put(f"/api/api-keys/{key_id}", headers=admin_headers, json={"permissions": []})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["permissions"]
    r = await client.put(f"/api/api-keys/{UNKNOWN_ID}", headers=admin_headers, json={"name": "x"})
    assert r.status_code == 400 and r.json() == {"message": "API Key not found"}
    limited = await api_key(client, admin_headers, "apiKey.update")
    r = await client.put(
        f"/api/api-keys/{key_id}", headers=limited, json={"permissions": ["asset.read"]}
    )
    assert r.status_code == 400 and r.json() == {
        "message": "Cannot grant permissions you do not have"
    }


async def test_delete_and_isolation(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.post("/api/api-keys", headers=admin_headers, json={"permissions": ["all"]})
    key_id, secret = r.json()["apiKey"]["id"], r.json()["secret"]
    _, other = await user_and_login(client, admin_headers)
    # another user neither sees nor deletes it
    assert (await client.get("/api/api-keys", headers=other)).json() == []
    r = await client.get(f"/api/api-keys/{key_id}", headers=other)
    assert r.status_code == 400 and r.json() == {"message": "API Key not found"}
    r = await client.delete(f"/api/api-keys/{key_id}", headers=other)
    assert r.status_code == 400
    r = await client.delete(f"/api/api-keys/{key_id}", headers=admin_headers)
    assert r.status_code == 204 and r.content == b""
    r = await client.get("/api/users/me", headers={"x-api-key": secret})
    assert r.status_code == 401 and r.json() == {"message": "Invalid API key"}
    r = await client.delete(f"/api/api-keys/{key_id}", headers=admin_headers)
    assert r.status_code == 400 and r.json() == {"message": "API Key not found"}
    r = await client.get("/api/api-keys/not-a-uuid", headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["id"]
