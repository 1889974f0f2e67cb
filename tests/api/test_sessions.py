"""/api/sessions through the real app and database."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.user_helpers import UNKNOWN_ID, api_key, login, user_and_login
from tests.conftest import ADMIN


async def _second_login(client: httpx.AsyncClient) -> dict[str, str]:
    return await login(client, ADMIN["email"], ADMIN["password"])


async def test_list_with_current(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    other = await _second_login(client)
    r = await client.get("/api/sessions", headers=admin_headers)
    assert r.status_code == 200
    sessions = r.json()
    assert len(sessions) == 2 and [s["current"] for s in sessions].count(True) == 1
    assert set(sessions[0]) == {
        "appVersion", "createdAt", "current", "deviceOS", "deviceType", "id",
        "isPendingSyncReset", "updatedAt",
    }  # fmt: skip
    r2 = await client.get("/api/sessions", headers=other)
    current = {s["id"] for s in sessions if s["current"]}
    assert current != {s["id"] for s in r2.json() if s["current"]}
    assert (await client.get("/api/sessions")).status_code == 401


async def test_create_child(
    client: httpx.AsyncClient, admin_headers: dict[str, str], app: Any
) -> None:
    r = await client.post(
        "/api/sessions",
        headers=admin_headers,
        json={"deviceType": "TV", "deviceOS": "tvOS", "duration": 3600},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["deviceType"] == "TV" and body["deviceOS"] == "tvOS" and body["token"]
    assert body["current"] is False and body["expiresAt"].endswith("Z")
    child = {"Authorization": f"Bearer {body['token']}"}
    assert (await client.get("/api/users/me", headers=child)).status_code == 200
    # the child session goes with its parent
    await client.post("/api/auth/logout", headers=admin_headers)
    assert (await client.get("/api/users/me", headers=child)).status_code == 401


async def test_create_child_bad_input(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.post("/api/sessions", headers=admin_headers, json={"duration": 0})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["duration"]
    r = await client.post("/api/sessions", headers=admin_headers, json={"deviceType": 1})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["deviceType"]
    key = await api_key(client, admin_headers)
    r = await client.post("/api/sessions", headers=key, json={})
    assert r.status_code == 400
    assert r.json() == {"message": "This endpoint can only be used with a session token"}


async def test_delete_one(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    other = await _second_login(client)
    sessions = (await client.get("/api/sessions", headers=admin_headers)).json()
    other_id = next(s["id"] for s in sessions if not s["current"])
    r = await client.delete(f"/api/sessions/{other_id}", headers=admin_headers)
    assert r.status_code == 204
    assert (await client.get("/api/users/me", headers=other)).status_code == 401
    r = await client.delete(f"/api/sessions/{other_id}", headers=admin_headers)
    assert r.status_code == 400 and r.json() == {
        "message": "Not found or no authDevice.delete access"
    }
    r = await client.delete("/api/sessions/zzz", headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["id"]


async def test_cannot_touch_others_sessions(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    _, user = await user_and_login(client, admin_headers)
    user_session = (await client.get("/api/sessions", headers=user)).json()[0]["id"]
    r = await client.delete(f"/api/sessions/{user_session}", headers=admin_headers)
    assert r.status_code == 400
    r = await client.post(f"/api/sessions/{user_session}/lock", headers=admin_headers)
    assert r.status_code == 400 and r.json() == {"message": "Not found or no session.lock access"}
    r = await client.put(
        f"/api/sessions/{user_session}", headers=admin_headers, json={"isPendingSyncReset": True}
    )
    assert r.status_code == 400 and r.json() == {"message": "Not found or no session.update access"}
    assert (await client.get("/api/users/me", headers=user)).status_code == 200


async def test_delete_all_but_current(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    others = [await _second_login(client), await _second_login(client)]
    r = await client.delete("/api/sessions", headers=admin_headers)
    assert r.status_code == 204
    for headers in others:
        assert (await client.get("/api/users/me", headers=headers)).status_code == 401
    sessions = (await client.get("/api/sessions", headers=admin_headers)).json()
    assert len(sessions) == 1 and sessions[0]["current"] is True


async def test_update_and_lock(
    client: httpx.AsyncClient, admin_headers: dict[str, str], app: Any
) -> None:
    current = (await client.get("/api/sessions", headers=admin_headers)).json()[0]["id"]
    r = await client.put(
        f"/api/sessions/{current}", headers=admin_headers, json={"isPendingSyncReset": True}
    )
    assert r.status_code == 200 and r.json()["isPendingSyncReset"] is True
    assert r.json()["current"] is True
    r = await client.put(f"/api/sessions/{current}", headers=admin_headers, json={})
    assert r.status_code == 400 and r.json() == {"message": "No fields to update"}
    r = await client.put(
        f"/api/sessions/{current}", headers=admin_headers, json={"isPendingSyncReset": "y"}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["isPendingSyncReset"]
    await app.state.ctx.db.pool.execute(
        "UPDATE session SET \"pinExpiresAt\" = now() + interval '1 hour'"
    )
    r = await client.get("/api/auth/status", headers=admin_headers)
    assert r.json()["isElevated"] is True
    r = await client.post(f"/api/sessions/{current}/lock", headers=admin_headers)
    assert r.status_code == 204
    r = await client.get("/api/auth/status", headers=admin_headers)
    assert r.json()["isElevated"] is False
    r = await client.post(f"/api/sessions/{UNKNOWN_ID}/lock", headers=admin_headers)
    assert r.status_code == 400


async def test_session_permissions_for_keys(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    key = await api_key(client, admin_headers, "session.read")
    r = await client.get("/api/sessions", headers=key)
    assert r.status_code == 200 and all(s["current"] is False for s in r.json())
    r = await client.delete("/api/sessions", headers=key)
    assert r.status_code == 403
    assert r.json() == {"message": "Missing required permission: session.delete"}


async def _login_as(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    """Log the admin in with these request headers; the new session as GET /api/sessions lists it."""
    body = {"email": ADMIN["email"], "password": ADMIN["password"]}
    r = await client.post("/api/auth/login", json=body, headers=headers)
    assert r.status_code == 201, r.text
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {r.json()['accessToken']}"}
    listed = (await client.get("/api/sessions", headers=bearer)).json()
    return next(s for s in listed if s["current"])  # type: ignore[no-any-return]


async def test_login_records_device_as_immich(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    # Immich's phone app: its own agent plus deviceModel/deviceType headers
    phone = await _login_as(
        client,
        {"User-Agent": "immich-android/3.1.0", "deviceModel": "Pixel 8", "deviceType": "android"},
    )
    assert (phone["deviceType"], phone["deviceOS"], phone["appVersion"]) == (
        "Pixel 8",
        "android",
        "3.1.0",
    )
    legacy = await _login_as(
        client, {"User-Agent": "Immich_iOS_1.135.3", "deviceModel": "iPhone", "deviceType": "ios"}
    )
    assert (legacy["deviceType"], legacy["deviceOS"], legacy["appVersion"]) == (
        "iPhone",
        "ios",
        "1.135.3",
    )
    # a script (the Immich CLI runs on node): nothing known, nothing made up
    script = await _login_as(client, {"User-Agent": "node"})
    assert (script["deviceType"], script["deviceOS"], script["appVersion"]) == ("", "", None)
    # a browser: its name and OS in ua-parser-js's words
    mac = (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
    )
    web = await _login_as(client, {"User-Agent": mac, "deviceModel": "ignored"})
    assert (web["deviceType"], web["deviceOS"], web["appVersion"]) == ("Chrome", "macOS", None)
    pixel = (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
    )
    mobile = await _login_as(client, {"User-Agent": pixel})
    assert (mobile["deviceType"], mobile["deviceOS"]) == ("Mobile Chrome", "Android")
