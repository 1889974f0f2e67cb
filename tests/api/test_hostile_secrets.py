"""Secrets at rest: passwords, PINs, session tokens and API keys are stored hashed.

Reads every column of the tables that hold them (as text) and looks for the plain values.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import ADMIN

PIN = "481516"


async def dump_tables(pool: Any) -> str:
    rows = []
    for table in ("user", "session", "api_key"):
        rows += [str(dict(r)) for r in await pool.fetch(f'SELECT t::text AS row FROM "{table}" t')]
    return "\n".join(rows)


async def test_secrets_are_stored_hashed(
    client: httpx.AsyncClient, admin_headers: dict[str, str], app: Any
) -> None:
    r = await client.post("/api/auth/pin-code", headers=admin_headers, json={"pinCode": PIN})
    assert r.status_code == 204, r.text
    r = await client.post(
        "/api/api-keys", headers=admin_headers, json={"name": "k", "permissions": ["all"]}
    )
    assert r.status_code == 201, r.text
    api_secret = r.json()["secret"]
    session_token = admin_headers["Authorization"].removeprefix("Bearer ")
    assert (await client.get("/api/users/me", headers={"x-api-key": api_secret})).is_success

    pool = app.state.ctx.db.pool
    stored = await dump_tables(pool)
    for plain in (ADMIN["password"], PIN, api_secret, session_token):
        assert plain not in stored
    user = await pool.fetchrow('SELECT "password", "pinCode" FROM "user"')
    assert user["password"].startswith("$2") and user["pinCode"].startswith("$2")  # bcrypt
    tokens = [r["token"] for r in await pool.fetch('SELECT "token" FROM "session"')]
    keys = [r["key"] for r in await pool.fetch('SELECT "key" FROM "api_key"')]
    assert tokens and keys
    for value in [*tokens, *keys]:  # sha256 digests, as Immich stores them
        assert len(bytes(value) if not isinstance(value, str) else value) in (32, 43, 44, 64)
