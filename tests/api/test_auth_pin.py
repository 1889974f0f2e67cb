"""/api/auth/pin-code and /api/auth/session/{unlock,lock} through the real app and database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from tests.api.user_helpers import api_key, login
from tests.conftest import ADMIN

PIN = "123456"


async def _status(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    r = await client.get("/api/auth/status", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def _setup(client: httpx.AsyncClient, headers: dict[str, str], pin: str = PIN) -> None:
    r = await client.post("/api/auth/pin-code", headers=headers, json={"pinCode": pin})
    assert r.status_code == 204, r.text


async def test_setup_then_status_and_second_setup_refused(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    assert (await _status(client, admin_headers))["pinCode"] is False
    await _setup(client, admin_headers)
    status = await _status(client, admin_headers)
    assert status["pinCode"] is True and status["isElevated"] is False
    assert "pinExpiresAt" not in status
    pool = app.state.ctx.db.pool
    stored = await pool.fetchval('SELECT "pinCode" FROM "user"')
    assert stored.startswith("$2") and stored != PIN  # bcrypt, never the PIN itself
    r = await client.post("/api/auth/pin-code", headers=admin_headers, json={"pinCode": "654321"})
    assert r.status_code == 400
    assert r.json() == {"message": "User already has a PIN code"}


async def test_pin_format_is_validated(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    for bad in ("12345", "1234567", "12a456", " 123456"):
        r = await client.post("/api/auth/pin-code", headers=admin_headers, json={"pinCode": bad})
        assert r.status_code == 400, bad
        assert r.json() == {
            "message": "Validation failed",
            "errors": [
                {"path": ["pinCode"], "message": "Invalid string: must match pattern /^\\d{6}$/"}
            ],
        }
    r = await client.post("/api/auth/pin-code", headers=admin_headers, json={})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["pinCode"]
    r = await client.post("/api/auth/session/unlock", headers=admin_headers, json={"pinCode": "1"})
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"


async def test_unlock_and_lock(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.post("/api/auth/session/unlock", headers=admin_headers, json={"pinCode": PIN})
    assert r.status_code == 400
    assert r.json() == {"message": "User does not have a PIN code"}
    await _setup(client, admin_headers)
    r = await client.post(
        "/api/auth/session/unlock", headers=admin_headers, json={"pinCode": "000000"}
    )
    assert r.status_code == 400
    assert r.json() == {"message": "Wrong PIN code"}
    r = await client.post("/api/auth/session/unlock", headers=admin_headers, json={})
    assert r.status_code == 400
    assert r.json() == {"message": "Either password or pinCode is required"}
    assert (await _status(client, admin_headers))["isElevated"] is False

    before = dt.datetime.now(dt.UTC)
    r = await client.post("/api/auth/session/unlock", headers=admin_headers, json={"pinCode": PIN})
    assert r.status_code == 204, r.text
    status = await _status(client, admin_headers)
    assert status["isElevated"] is True
    until = dt.datetime.fromisoformat(status["pinExpiresAt"].replace("Z", "+00:00"))
    assert dt.timedelta(minutes=14) < until - before < dt.timedelta(minutes=16)

    other = await login(client, ADMIN["email"], ADMIN["password"])
    assert (await _status(client, other))["isElevated"] is False  # per session

    r = await client.post("/api/auth/session/lock", headers=admin_headers)
    assert r.status_code == 204, r.text
    status = await _status(client, admin_headers)
    assert status["isElevated"] is False and "pinExpiresAt" not in status


async def test_elevation_nearly_over_is_kept_alive(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """As Immich: a session used with under 5 minutes of elevation left gets 5 more."""
    pool = app.state.ctx.db.pool
    await pool.execute("""UPDATE "session" SET "pinExpiresAt" = now() + interval '1 minute'""")
    status = await _status(client, admin_headers)
    assert status["isElevated"] is True
    until = await pool.fetchval('SELECT "pinExpiresAt" FROM "session"')
    left = until - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=4) < left <= dt.timedelta(minutes=5)
    await pool.execute("""UPDATE "session" SET "pinExpiresAt" = now() - interval '1 second'""")
    assert (await _status(client, admin_headers))["isElevated"] is False


async def test_change_pin_with_pin_or_password(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.put(
        "/api/auth/pin-code", headers=admin_headers, json={"pinCode": PIN, "newPinCode": "111111"}
    )
    assert r.status_code == 400 and r.json() == {"message": "User does not have a PIN code"}
    await _setup(client, admin_headers)
    r = await client.put(
        "/api/auth/pin-code",
        headers=admin_headers,
        json={"pinCode": "999999", "newPinCode": "111111"},
    )
    assert r.status_code == 400 and r.json() == {"message": "Wrong PIN code"}
    r = await client.put(
        "/api/auth/pin-code",
        headers=admin_headers,
        json={"password": "wrong-password", "newPinCode": "111111"},
    )
    assert r.status_code == 400 and r.json() == {"message": "Wrong password"}
    r = await client.put("/api/auth/pin-code", headers=admin_headers, json={"pinCode": PIN})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["newPinCode"]
    r = await client.put(
        "/api/auth/pin-code", headers=admin_headers, json={"pinCode": PIN, "newPinCode": "111111"}
    )
    assert r.status_code == 204, r.text
    r = await client.put(
        "/api/auth/pin-code",
        headers=admin_headers,
        json={"password": ADMIN["password"], "newPinCode": "222222"},
    )
    assert r.status_code == 204, r.text
    for pin, status in (("111111", 400), (PIN, 400), ("222222", 204)):
        r = await client.post(
            "/api/auth/session/unlock", headers=admin_headers, json={"pinCode": pin}
        )
        assert r.status_code == status, pin


async def test_reset_clears_pin_and_locks_every_session(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await _setup(client, admin_headers)
    other = await login(client, ADMIN["email"], ADMIN["password"])
    for headers in (admin_headers, other):
        r = await client.post("/api/auth/session/unlock", headers=headers, json={"pinCode": PIN})
        assert r.status_code == 204
    r = await client.request(
        "DELETE", "/api/auth/pin-code", headers=admin_headers, json={"pinCode": "000000"}
    )
    assert r.status_code == 400 and r.json() == {"message": "Wrong PIN code"}
    r = await client.request(
        "DELETE", "/api/auth/pin-code", headers=admin_headers, json={"password": "nope"}
    )
    assert r.status_code == 400 and r.json() == {"message": "Wrong password"}
    assert (await _status(client, other))["isElevated"] is True
    r = await client.request(
        "DELETE", "/api/auth/pin-code", headers=admin_headers, json={"password": ADMIN["password"]}
    )
    assert r.status_code == 204, r.text
    for headers in (admin_headers, other):
        status = await _status(client, headers)
        assert status["pinCode"] is False and status["isElevated"] is False
    await _setup(client, admin_headers, "777777")  # a new PIN can be set again
    r = await client.request(
        "DELETE", "/api/auth/pin-code", headers=admin_headers, json={"pinCode": "777777"}
    )
    assert r.status_code == 204
    assert (await _status(client, admin_headers))["pinCode"] is False


async def test_api_key_can_never_be_elevated(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await _setup(client, admin_headers)
    key = await api_key(client, admin_headers)
    r = await client.post("/api/auth/session/unlock", headers=key, json={"pinCode": PIN})
    assert r.status_code == 400
    assert r.json() == {"message": "This endpoint can only be used with a session token"}
    r = await client.post("/api/auth/session/lock", headers=key)
    assert r.status_code == 400
    assert r.json() == {"message": "This endpoint can only be used with a session token"}
    # the key's user has elevated sessions: the key still is not elevated
    r = await client.post("/api/auth/session/unlock", headers=admin_headers, json={"pinCode": PIN})
    assert r.status_code == 204
    assert (await _status(client, key))["isElevated"] is False


async def test_pin_code_permissions_of_api_keys(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    key = await api_key(client, admin_headers, "asset.read")
    r = await client.post("/api/auth/pin-code", headers=key, json={"pinCode": PIN})
    assert r.status_code == 403
    assert r.json() == {"message": "Missing required permission: pinCode.create"}
    r = await client.put("/api/auth/pin-code", headers=key, json={"newPinCode": PIN})
    assert r.json() == {"message": "Missing required permission: pinCode.update"}
    r = await client.request("DELETE", "/api/auth/pin-code", headers=key, json={})
    assert r.json() == {"message": "Missing required permission: pinCode.delete"}
    key = await api_key(client, admin_headers, "pinCode.create")
    r = await client.post("/api/auth/pin-code", headers=key, json={"pinCode": PIN})
    assert r.status_code == 204
    assert (await _status(client, admin_headers))["pinCode"] is True
