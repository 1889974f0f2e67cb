"""/api/system-metadata through the real app: admin onboarding, reverse geocoding and version
check state (Immich's defaults under what is stored), admin only, body validation."""

from __future__ import annotations

from typing import Any

import httpx

from immich.db.repos import system_metadata as repo
from immich.services import system_metadata as service
from tests.api.user_helpers import api_key, user_and_login

ONBOARDING = "/api/system-metadata/admin-onboarding"
GEOCODING = "/api/system-metadata/reverse-geocoding-state"
VERSION_CHECK = "/api/system-metadata/version-check-state"


def pool_of(client: httpx.AsyncClient) -> Any:
    return client._transport.app.state.ctx.db.pool  # type: ignore[attr-defined]


async def test_admin_onboarding(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.get(ONBOARDING, headers=admin_headers)
    assert (r.status_code, r.json()) == (200, {"isOnboarded": False})
    assert (await client.get("/api/server/config")).json()["isOnboarded"] is False
    r = await client.post(ONBOARDING, json={"isOnboarded": True}, headers=admin_headers)
    assert (r.status_code, r.content) == (204, b"")
    r = await client.get(ONBOARDING, headers=admin_headers)
    assert r.json() == {"isOnboarded": True}
    # the login page's view of it (getServerConfig) reads the same row
    assert (await client.get("/api/server/config")).json()["isOnboarded"] is True
    assert await repo.get(pool_of(client), service.ADMIN_ONBOARDING) == {"isOnboarded": True}
    r = await client.post(ONBOARDING, json={"isOnboarded": False}, headers=admin_headers)
    assert r.status_code == 204
    assert (await client.get(ONBOARDING, headers=admin_headers)).json() == {"isOnboarded": False}


async def test_states_default_to_null_and_show_what_is_stored(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.get(GEOCODING, headers=admin_headers)
    assert (r.status_code, r.json()) == (200, {"lastImportFileName": None, "lastUpdate": None})
    r = await client.get(VERSION_CHECK, headers=admin_headers)
    assert (r.status_code, r.json()) == (200, {"checkedAt": None, "releaseVersion": None})
    pool = pool_of(client)
    await repo.set(
        pool,
        service.REVERSE_GEOCODING_STATE,
        {"lastUpdate": "2026-11-30T00:00:00.000Z", "lastImportFileName": "cities500.txt"},
    )
    # a partial stored value: Immich's defaults fill the rest
    await repo.set(pool, service.VERSION_CHECK_STATE, {"checkedAt": "2026-12-01T10:00:00.000Z"})
    r = await client.get(GEOCODING, headers=admin_headers)
    assert r.json() == {
        "lastUpdate": "2026-11-30T00:00:00.000Z",
        "lastImportFileName": "cities500.txt",
    }
    r = await client.get(VERSION_CHECK, headers=admin_headers)
    assert r.json() == {"checkedAt": "2026-12-01T10:00:00.000Z", "releaseVersion": None}


async def test_admin_only_and_permissions(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    _, user_headers = await user_and_login(client, admin_headers)
    calls = [("GET", ONBOARDING), ("POST", ONBOARDING), ("GET", GEOCODING), ("GET", VERSION_CHECK)]
    for method, url in calls:
        body = {"isOnboarded": True} if method == "POST" else None
        r = await client.request(method, url, json=body)
        assert r.status_code == 401, url
        assert r.json() == {"message": "Authentication required"}
        r = await client.request(method, url, json=body, headers=user_headers)
        assert r.status_code == 403, url
        assert set(r.json()) == {"message"}
    assert (await client.get(ONBOARDING, headers=admin_headers)).json() == {"isOnboarded": False}
    reader = await api_key(client, admin_headers, "systemMetadata.read")
    assert (await client.get(VERSION_CHECK, headers=reader)).status_code == 200
    r = await client.post(ONBOARDING, json={"isOnboarded": True}, headers=reader)
    assert r.status_code == 403
    assert r.json() == {"message": "Missing required permission: systemMetadata.update"}
    writer = await api_key(client, admin_headers, "systemMetadata.update")
    r = await client.post(ONBOARDING, json={"isOnboarded": True}, headers=writer)
    assert r.status_code == 204


async def test_bad_body(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    for body in ({}, {"isOnboarded": "yes"}, {"isOnboarded": None}, {"isOnboarded": 1}):
        r = await client.post(ONBOARDING, json=body, headers=admin_headers)
        assert r.status_code == 400, body
        assert r.json()["message"] == "Validation failed"
        assert [e["path"] for e in r.json()["errors"]] == [["isOnboarded"]], body
    r = await client.post(
        ONBOARDING,
        content=b"{not json",
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 400
    assert (await client.get(ONBOARDING, headers=admin_headers)).json() == {"isOnboarded": False}
