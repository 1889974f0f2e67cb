"""/api/admin/users through the real app and database."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from tests.api.user_helpers import UNKNOWN_ID, api_key, create_user, login, user_and_login
from tests.conftest import ADMIN


async def test_create_user(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.post(
        "/api/admin/users",
        headers=admin_headers,
        json={
            "email": "New@Example.com",
            "password": "secret-pass",
            "name": "New",
            "storageLabel": "new.label/x",
            "quotaSizeInBytes": 1000,
            "shouldChangePassword": False,
            "avatarColor": "green",
            "pinCode": "123456",
            "notify": True,
        },
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["email"] == "new@example.com" and body["isAdmin"] is False
    assert body["storageLabel"] == "newlabelx"  # dots and path characters removed, as Immich
    assert body["quotaSizeInBytes"] == 1000 and body["quotaUsageInBytes"] == 0
    assert body["avatarColor"] == "green" and body["shouldChangePassword"] is False
    assert body["status"] == "active" and body["license"] is None
    r = await client.post(
        "/api/auth/login", json={"email": "new@example.com", "password": "secret-pass"}
    )
    assert r.status_code == 201 and r.json()["isAdmin"] is False


async def test_create_defaults_and_admin(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    user = await create_user(client, admin_headers, "plain@example.com")
    assert user["shouldChangePassword"] is True and user["storageLabel"] is None
    other = await create_user(client, admin_headers, "boss@example.com", isAdmin=True)
    assert other["isAdmin"] is True


async def test_create_duplicates(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    await create_user(client, admin_headers, "dup@example.com", storageLabel="lbl")
    body = {"email": "DUP@example.com", "password": "x", "name": "d"}
    r = await client.post("/api/admin/users", headers=admin_headers, json=body)
    assert r.status_code == 400 and r.json() == {"message": "User exists"}
    body = {"email": "other@example.com", "password": "x", "name": "d", "storageLabel": "lbl"}
    r = await client.post("/api/admin/users", headers=admin_headers, json=body)
    assert r.status_code == 400
    assert r.json() == {"message": "Storage label already in use by another account"}


async def test_create_invalid(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.post("/api/admin/users", headers=admin_headers, json={"email": "bad"})
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"
    paths = {tuple(e["path"]) for e in r.json()["errors"]}
    assert paths == {("email",), ("name",), ("password",)}
    r = await client.post(
        "/api/admin/users",
        headers=admin_headers,
        json={
            "email": "a@b.co",
            "name": "a",
            "password": "p",
            "quotaSizeInBytes": -1,
            "pinCode": "12ab",
            "isAdmin": "yes",
        },
    )
    assert r.status_code == 400
    paths = {tuple(e["path"]) for e in r.json()["errors"]}
    assert paths == {("quotaSizeInBytes",), ("pinCode",), ("isAdmin",)}
    r = await client.post(
        "/api/admin/users",
        headers=admin_headers,
        json={"email": "a@b.co", "name": "a", "password": ""},
    )
    assert r.status_code == 400 and r.json() == {"message": "password is required"}


async def test_non_admin_and_anonymous(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    user, headers = await user_and_login(client, admin_headers)
    for method, path in [
        ("GET", "/api/admin/users"),
        ("POST", "/api/admin/users"),
        ("GET", f"/api/admin/users/{user['id']}"),
        ("PUT", f"/api/admin/users/{user['id']}"),
        ("DELETE", f"/api/admin/users/{user['id']}"),
        ("POST", f"/api/admin/users/{user['id']}/restore"),
        ("GET", f"/api/admin/users/{user['id']}/preferences"),
        ("PUT", f"/api/admin/users/{user['id']}/preferences"),
        ("GET", f"/api/admin/users/{user['id']}/sessions"),
        ("GET", f"/api/admin/users/{user['id']}/statistics"),
    ]:
        r = await client.request(method, path, headers=headers, json={})
        assert r.status_code == 403 and r.json() == {"message": "Forbidden"}, path
        r = await client.request(method, path, json={})
        assert r.status_code == 401 and r.json() == {"message": "Authentication required"}


async def test_search(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    user = await create_user(client, admin_headers, "u1@example.com")
    r = await client.get("/api/admin/users", headers=admin_headers)
    assert r.status_code == 200
    assert [u["email"] for u in r.json()] == ["u1@example.com", ADMIN["email"]]  # newest first
    r = await client.get(f"/api/admin/users?id={user['id']}", headers=admin_headers)
    assert [u["id"] for u in r.json()] == [user["id"]]
    r = await client.delete(f"/api/admin/users/{user['id']}", headers=admin_headers)
    assert r.status_code == 200
    r = await client.get("/api/admin/users", headers=admin_headers)
    assert [u["email"] for u in r.json()] == [ADMIN["email"]]
    r = await client.get("/api/admin/users?withDeleted=true", headers=admin_headers)
    assert len(r.json()) == 2
    r = await client.get("/api/admin/users?withDeleted=maybe&id=x", headers=admin_headers)
    assert r.status_code == 400
    assert {tuple(e["path"]) for e in r.json()["errors"]} == {("withDeleted",), ("id",)}


async def test_get_and_update(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    user = await create_user(client, admin_headers, "u@example.com")
    r = await client.get(f"/api/admin/users/{user['id']}", headers=admin_headers)
    assert r.status_code == 200 and r.json()["email"] == "u@example.com"
    r = await client.put(
        f"/api/admin/users/{user['id']}",
        headers=admin_headers,
        json={
            "name": "Renamed",
            "isAdmin": True,
            "quotaSizeInBytes": None,
            "storageLabel": "",
            "password": "changed-pass",
            "shouldChangePassword": False,
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "Renamed" and body["isAdmin"] is True
    assert body["storageLabel"] is None and body["shouldChangePassword"] is False
    await login(client, "u@example.com", "changed-pass")
    for bad in (f"/api/admin/users/{UNKNOWN_ID}", "/api/admin/users/123"):
        r = await client.get(bad, headers=admin_headers)
        assert r.status_code == 400
    r = await client.get(f"/api/admin/users/{UNKNOWN_ID}", headers=admin_headers)
    assert r.json() == {"message": "User not found"}
    r = await client.put(f"/api/admin/users/{UNKNOWN_ID}", headers=admin_headers, json={})
    assert r.status_code == 400 and r.json() == {"message": "User not found"}


async def test_update_rules(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    me = (await client.get("/api/users/me", headers=admin_headers)).json()
    r = await client.put(
        f"/api/admin/users/{me['id']}", headers=admin_headers, json={"isAdmin": False}
    )
    assert r.status_code == 400
    assert r.json() == {"message": "Admin status can only be changed by another admin"}
    user = await create_user(client, admin_headers, "u@example.com", storageLabel="taken")
    r = await client.put(
        f"/api/admin/users/{me['id']}", headers=admin_headers, json={"email": "u@example.com"}
    )
    # Immich 3.1 (user-admin.service.ts update): "Email is not available"
    assert r.status_code == 400 and r.json() == {"message": "Email is not available"}
    # the user's own address is no conflict
    r = await client.put(
        f"/api/admin/users/{user['id']}", headers=admin_headers, json={"email": "u@example.com"}
    )
    assert r.status_code == 200 and r.json()["email"] == "u@example.com"
    r = await client.put(
        f"/api/admin/users/{me['id']}", headers=admin_headers, json={"storageLabel": "taken"}
    )
    assert r.status_code == 400
    r = await client.put(
        f"/api/admin/users/{user['id']}", headers=admin_headers, json={"pinCode": "1234567"}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["pinCode"]


async def test_soft_delete_and_restore(
    client: httpx.AsyncClient, admin_headers: dict[str, str], app: Any
) -> None:
    user, headers = await user_and_login(client, admin_headers)
    key = await api_key(client, headers)
    assert (await client.get("/api/users/me", headers=key)).status_code == 200
    r = await client.delete(f"/api/admin/users/{user['id']}", headers=admin_headers)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "deleted" and body["deletedAt"] is not None
    # the deleted user's token and key stop working; they cannot log in
    r = await client.get("/api/users/me", headers=headers)
    assert r.status_code == 401 and r.json() == {"message": "Invalid user token"}
    assert (await client.get("/api/users/me", headers=key)).status_code == 401
    r = await client.post(
        "/api/auth/login", json={"email": "user@example.com", "password": "user-password"}
    )
    assert r.status_code == 401
    # gone from /users, still visible to admins, deleting again is "not found"
    assert (await client.get(f"/api/users/{user['id']}", headers=admin_headers)).status_code == 400
    r = await client.get(f"/api/admin/users/{user['id']}", headers=admin_headers)
    assert r.status_code == 200 and r.json()["status"] == "deleted"
    r = await client.delete(f"/api/admin/users/{user['id']}", headers=admin_headers)
    assert r.status_code == 400 and r.json() == {"message": "User not found"}
    r = await client.post(f"/api/admin/users/{user['id']}/restore", headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["status"] == "active" and r.json()["deletedAt"] is None
    assert (await client.get("/api/users/me", headers=headers)).status_code == 200
    r = await client.post(f"/api/admin/users/{UNKNOWN_ID}/restore", headers=admin_headers)
    assert r.status_code == 400 and r.json() == {"message": "User not found"}


async def test_delete_rules_and_nightly_fit(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    app: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from immich.db.repos import users

    me = (await client.get("/api/users/me", headers=admin_headers)).json()
    r = await client.delete(f"/api/admin/users/{me['id']}", headers=admin_headers)
    assert r.status_code == 403 and r.json() == {"message": "Cannot delete your own account"}
    soft = await create_user(client, admin_headers, "soft@example.com")
    forced = await create_user(client, admin_headers, "forced@example.com")
    r = await client.request(
        "DELETE", f"/api/admin/users/{soft['id']}", headers=admin_headers, json={}
    )
    assert r.json()["status"] == "deleted"
    enqueued: list[Any] = []

    async def enqueue(request: Any) -> str:
        enqueued.append(request)
        return "job-id"

    monkeypatch.setattr(app.state.ctx.queues, "enqueue", enqueue)
    r = await client.request(
        "DELETE", f"/api/admin/users/{forced['id']}", headers=admin_headers, json={"force": True}
    )
    assert r.status_code == 200 and r.json()["status"] == "removing"
    assert [job.name for job in enqueued] == ["UserDeleteCheck"]  # a worker removes it now
    r = await client.request(
        "DELETE", f"/api/admin/users/{me['id']}", headers=admin_headers, json={"force": "x"}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["force"]
    # the nightly cleanup takes the forced one now, the other after user.deleteDelay days
    pool = app.state.ctx.db.pool
    due = {str(row["id"]) for row in await users.deleted_before(pool, 7)}
    assert due == {forced["id"]}
    await pool.execute(
        'UPDATE "user" SET "deletedAt" = $1 WHERE "id" = $2',
        dt.datetime.now(dt.UTC) - dt.timedelta(days=8),
        uuid.UUID(soft["id"]),
    )
    due = {str(row["id"]) for row in await users.deleted_before(pool, 7)}
    assert due == {forced["id"], soft["id"]}


async def test_admin_preferences(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    user, headers = await user_and_login(client, admin_headers)
    url = f"/api/admin/users/{user['id']}/preferences"
    r = await client.put(url, headers=admin_headers, json={"tags": {"enabled": True}})
    assert r.status_code == 200 and r.json()["tags"] == {"enabled": True, "sidebarWeb": False}
    r = await client.get("/api/users/me/preferences", headers=headers)
    assert r.json()["tags"]["enabled"] is True
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 200 and r.json()["tags"]["enabled"] is True
    r = await client.put(url, headers=admin_headers, json={"memories": {"duration": "long"}})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["memories", "duration"]
    r = await client.get(f"/api/admin/users/{UNKNOWN_ID}/preferences", headers=admin_headers)
    assert r.status_code == 400 and r.json() == {"message": "User not found"}


async def test_admin_sessions(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    user, _ = await user_and_login(client, admin_headers)
    await login(client, "user@example.com", "user-password")
    r = await client.get(f"/api/admin/users/{user['id']}/sessions", headers=admin_headers)
    assert r.status_code == 200 and len(r.json()) == 2
    assert all(s["current"] is False for s in r.json())
    r = await client.get(f"/api/admin/users/{UNKNOWN_ID}/sessions", headers=admin_headers)
    assert r.status_code == 200 and r.json() == []


async def test_statistics(
    client: httpx.AsyncClient, admin_headers: dict[str, str], app: Any
) -> None:
    user = await create_user(client, admin_headers, "u@example.com")
    url = f"/api/admin/users/{user['id']}/statistics"
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 200 and r.json() == {"images": 0, "videos": 0, "total": 0}
    r = await client.get(url + "?visibility=nope&isFavorite=x", headers=admin_headers)
    assert r.status_code == 400
    assert {tuple(e["path"]) for e in r.json()["errors"]} == {("visibility",), ("isFavorite",)}
    pool = app.state.ctx.db.pool
    if await pool.fetchval("SELECT to_regclass('public.asset')") is None:
        return  # no asset table yet: zeros are the whole answer
    now = dt.datetime.now(dt.UTC)
    for i, (kind, favorite, visibility) in enumerate(
        [("IMAGE", True, "timeline"), ("IMAGE", False, "archive"), ("VIDEO", False, "timeline"),
         ("IMAGE", False, "hidden")]
    ):  # fmt: skip
        await pool.execute(
            'INSERT INTO "asset" ("deviceAssetId", "ownerId", "deviceId", "type", '
            '"originalPath", "originalFileName", "fileCreatedAt", "localDateTime", '
            '"fileModifiedAt", "checksum", "isFavorite", "visibility") '
            "VALUES ($1, $2, 'd', $3, $4, $4, $5, $5, $5, $6, $7, $8)",
            f"a{i}",
            uuid.UUID(user["id"]),
            kind,
            f"/p/{i}.jpg",
            now,
            bytes([i]) * 20,
            favorite,
            visibility,
        )
    r = await client.get(url, headers=admin_headers)
    assert r.json() == {"images": 2, "videos": 1, "total": 3}
    r = await client.get(url + "?isFavorite=true", headers=admin_headers)
    assert r.json() == {"images": 1, "videos": 0, "total": 1}
    r = await client.get(url + "?visibility=hidden", headers=admin_headers)
    assert r.json() == {"images": 1, "videos": 0, "total": 1}
    r = await client.get(url + "?isTrashed=true", headers=admin_headers)
    assert r.json() == {"images": 0, "videos": 0, "total": 0}


async def test_admin_key_permissions(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    key = await api_key(client, admin_headers, "adminUser.read")
    assert (await client.get("/api/admin/users", headers=key)).status_code == 200
    r = await client.post(
        "/api/admin/users", headers=key, json={"email": "a@b.co", "name": "a", "password": "p"}
    )
    assert r.status_code == 403
    assert r.json() == {"message": "Missing required permission: adminUser.create"}
