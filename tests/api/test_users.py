"""/api/users through the real app and database."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.api.license_helpers import SERVER_KEY, USER_KEY, sign, use_test_keys
from tests.api.user_helpers import UNKNOWN_ID, api_key, create_user, login, user_and_login
from tests.conftest import ADMIN

LICENSE = "IMCL" + "-AB12" * 8


async def test_get_me(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.get("/api/users/me", headers=admin_headers)
    assert r.status_code == 200
    body = r.json()
    assert body["email"] == ADMIN["email"] and body["isAdmin"] is True
    assert body["license"] is None and body["deletedAt"] is None and body["status"] == "active"
    assert body["createdAt"].endswith("Z") and body["avatarColor"] in {
        "primary", "pink", "red", "yellow", "blue", "green", "purple", "orange", "gray", "amber"
    }  # fmt: skip


async def test_avatar_color_derived_as_immich(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    # Immich: sum of the email's code points modulo the 10 colours.
    user = await create_user(client, admin_headers, "ab@x.io")
    colors = ["primary", "pink", "red", "yellow", "blue", "green", "purple", "orange", "gray", "amber"]  # fmt: skip
    assert user["avatarColor"] == colors[sum(map(ord, "ab@x.io")) % 10]


async def test_users_me_requires_auth(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/users/me")
    assert r.status_code == 401 and r.json() == {"message": "Authentication required"}
    r = await client.get("/api/users/me", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json() == {"message": "Invalid user token"}
    r = await client.get("/api/users/me", headers={"x-api-key": "nope"})
    assert r.status_code == 401 and r.json() == {"message": "Invalid API key"}


async def test_update_me(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.put(
        "/api/users/me",
        headers=admin_headers,
        json={"name": "New Name", "email": "NEW@example.com", "avatarColor": "amber"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["name"], body["email"], body["avatarColor"]) == (
        "New Name",
        "new@example.com",
        "amber",
    )
    # null clears the colour back to the derived one
    r = await client.put("/api/users/me", headers=admin_headers, json={"avatarColor": None})
    assert r.status_code == 200 and r.json()["name"] == "New Name"
    # password through the deprecated field still works and clears shouldChangePassword
    r = await client.put("/api/users/me", headers=admin_headers, json={"password": "other-pass"})
    assert r.status_code == 200 and r.json()["shouldChangePassword"] is False
    await login(client, "new@example.com", "other-pass")


async def test_update_me_bad_input(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await create_user(client, admin_headers, "taken@example.com")
    for taken in ("taken@example.com", "Taken@Example.com"):
        r = await client.put("/api/users/me", headers=admin_headers, json={"email": taken})
        # Immich 3.1 (user.service.ts updateMe): "Email is not available"
        assert r.status_code == 400 and r.json() == {"message": "Email is not available"}
    r = await client.put(
        "/api/users/me", headers=admin_headers, json={"email": "nope", "avatarColor": "teal"}
    )
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"
    assert {tuple(e["path"]) for e in r.json()["errors"]} == {("email",), ("avatarColor",)}
    r = await client.put("/api/users/me", headers=admin_headers, json={"name": 5})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["name"]


async def test_search_and_get_user(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    user, headers = await user_and_login(client, admin_headers)
    r = await client.get("/api/users", headers=headers)
    assert r.status_code == 200
    assert {u["email"] for u in r.json()} == {ADMIN["email"], "user@example.com"}
    assert set(r.json()[0]) == {
        "avatarColor", "email", "id", "name", "profileChangedAt", "profileImagePath"
    }  # fmt: skip
    r = await client.get(f"/api/users/{user['id']}", headers=admin_headers)
    assert r.status_code == 200 and r.json()["email"] == "user@example.com"
    r = await client.get(f"/api/users/{UNKNOWN_ID}", headers=headers)
    assert r.status_code == 400 and r.json() == {"message": "User not found"}
    r = await client.get("/api/users/not-a-uuid", headers=headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["id"]


async def test_search_without_public_users(
    client: httpx.AsyncClient, admin_headers: dict[str, str], app: Any
) -> None:
    _, headers = await user_and_login(client, admin_headers)
    await app.state.ctx.config.update({"server": {"publicUsers": False}})
    r = await client.get("/api/users", headers=headers)
    assert [u["email"] for u in r.json()] == ["user@example.com"]
    r = await client.get("/api/users", headers=admin_headers)
    assert len(r.json()) == 2


async def test_preferences_defaults_and_diff(
    client: httpx.AsyncClient, admin_headers: dict[str, str], app: Any
) -> None:
    r = await client.get("/api/users/me/preferences", headers=admin_headers)
    assert r.status_code == 200
    prefs = r.json()
    assert prefs["albums"] == {"defaultAssetOrder": "desc"}
    assert prefs["download"] == {"archiveSize": 4 * 1024**3, "includeEmbeddedVideos": False}
    assert prefs["people"] == {"enabled": True, "sidebarWeb": False, "minimumFaces": 3}
    assert prefs["purchase"]["hideBuyButtonUntil"] == "2022-02-12T00:00:00.000Z"
    assert set(prefs) == {
        "albums", "cast", "download", "emailNotifications", "folders", "memories", "people",
        "purchase", "ratings", "recentlyAdded", "sharedLinks", "tags",
    }  # fmt: skip
    r = await client.put(
        "/api/users/me/preferences",
        headers=admin_headers,
        json={
            "folders": {"enabled": True},
            "memories": {"duration": 5},
            "avatar": {"color": "red"},
        },
    )
    assert r.status_code == 200
    assert r.json()["folders"] == {"enabled": True, "sidebarWeb": False}
    r = await client.get("/api/users/me/preferences", headers=admin_headers)
    assert r.json()["folders"]["enabled"] is True
    r = await client.get("/api/users/me", headers=admin_headers)
    assert r.json()["avatarColor"] == "red"
    # only the difference from the defaults is stored
    stored = await app.state.ctx.db.pool.fetchval(
        "SELECT value FROM user_metadata WHERE key = 'preferences' AND \"userId\" = $1",
        uuid.UUID(r.json()["id"]),
    )
    assert stored == {"folders": {"enabled": True}}


async def test_preferences_bad_input(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.put(
        "/api/users/me/preferences",
        headers=admin_headers,
        json={"download": {"archiveSize": 0}, "albums": {"defaultAssetOrder": "up"}},
    )
    assert r.status_code == 400
    paths = {tuple(e["path"]) for e in r.json()["errors"]}
    assert paths == {("download", "archiveSize"), ("albums", "defaultAssetOrder")}


async def test_license(
    client: httpx.AsyncClient, admin_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = use_test_keys(monkeypatch)
    r = await client.get("/api/users/me/license", headers=admin_headers)
    assert r.status_code == 404
    r = await client.put(
        "/api/users/me/license",
        headers=admin_headers,
        json={"licenseKey": "bad", "activationKey": "x"},
    )
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["licenseKey"]
    # a well-formed key whose activation key is no signature of it, or not by a trusted key
    for activation in ("act", sign(keys.stranger, LICENSE), sign(keys.client, USER_KEY)):
        r = await client.put(
            "/api/users/me/license",
            headers=admin_headers,
            json={"licenseKey": LICENSE, "activationKey": activation},
        )
        assert r.status_code == 400 and r.json() == {"message": "Invalid license key"}
    assert (await client.get("/api/users/me/license", headers=admin_headers)).status_code == 404
    activation = sign(keys.client, LICENSE)
    r = await client.put(
        "/api/users/me/license",
        headers=admin_headers,
        json={"licenseKey": LICENSE, "activationKey": activation},
    )
    assert r.status_code == 200, r.text
    assert r.json()["licenseKey"] == LICENSE and r.json()["activatedAt"].endswith("Z")
    r = await client.get("/api/users/me/license", headers=admin_headers)
    assert r.status_code == 200 and r.json()["activationKey"] == activation
    r = await client.get("/api/users/me", headers=admin_headers)
    assert r.json()["license"]["licenseKey"] == LICENSE
    r = await client.delete("/api/users/me/license", headers=admin_headers)
    assert r.status_code == 204
    r = await client.get("/api/users/me/license", headers=admin_headers)
    assert r.status_code == 404
    # as Immich: a user may also activate a server key, signed by either licensing key
    for license_key, signer in ((SERVER_KEY, keys.server), (LICENSE, keys.server)):
        r = await client.put(
            "/api/users/me/license",
            headers=admin_headers,
            json={"licenseKey": license_key, "activationKey": sign(signer, license_key)},
        )
        assert r.status_code == 200 and r.json()["licenseKey"] == license_key


async def test_onboarding_and_login_flag(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.get("/api/users/me/onboarding", headers=admin_headers)
    assert r.status_code == 200 and r.json() == {"isOnboarded": False}
    r = await client.put("/api/users/me/onboarding", headers=admin_headers, json={})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["isOnboarded"]
    r = await client.put(
        "/api/users/me/onboarding", headers=admin_headers, json={"isOnboarded": True}
    )
    assert r.status_code == 200 and r.json() == {"isOnboarded": True}
    r = await client.post(
        "/api/auth/login", json={"email": ADMIN["email"], "password": ADMIN["password"]}
    )
    assert r.json()["isOnboarded"] is True
    client.cookies.clear()
    r = await client.delete("/api/users/me/onboarding", headers=admin_headers)
    assert r.status_code == 204
    r = await client.get("/api/users/me/onboarding", headers=admin_headers)
    assert r.json() == {"isOnboarded": False}


async def test_api_key_permissions_on_user_routes(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    headers = await api_key(client, admin_headers, "user.read")
    r = await client.get("/api/users/me", headers=headers)
    assert r.status_code == 200
    r = await client.put("/api/users/me", headers=headers, json={"name": "x"})
    assert r.status_code == 403 and r.json() == {
        "message": "Missing required permission: user.update"
    }
    r = await client.get("/api/users/me/preferences", headers=headers)
    assert r.status_code == 403
    assert r.json() == {"message": "Missing required permission: userPreference.read"}
