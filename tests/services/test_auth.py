"""services/auth: plain values in (token strings, credentials), records out; no request."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from immich.db.repos import api_keys, users
from immich.errors import BadRequest, Forbidden, Unauthorized
from immich.services import auth
from tests.conftest import ADMIN


async def test_sign_up_login_authorize_logout(client: httpx.AsyncClient, app: Any) -> None:
    pool = app.state.ctx.db.pool
    config = app.state.ctx.config.get()

    # two sign-ups racing, each in its own transaction as a request runs it (the advisory lock
    # lasts until that transaction ends): one admin, the other gets Immich's message
    async def sign_up(email: str, name: str, password: str) -> Any:
        async with pool.acquire() as conn, conn.transaction():
            return await auth.sign_up_admin(conn, email, name, password)

    results = await asyncio.gather(
        sign_up(ADMIN["email"], ADMIN["name"], ADMIN["password"]),
        sign_up("b@example.com", "B", "password-b"),
        return_exceptions=True,
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 1 and isinstance(errors[0], BadRequest)
    assert errors[0].message == "The server already has an admin"
    assert [u["email"] for u in await users.list_users(pool)] in (
        [ADMIN["email"]],
        ["b@example.com"],
    )
    [admin] = [r for r in results if not isinstance(r, BaseException)]

    with pytest.raises(Unauthorized, match="Incorrect email or password"):
        await auth.login(pool, config, "b@example.com", "wrong", auth.Device())
    email = admin["email"]
    password = ADMIN["password"] if email == ADMIN["email"] else "password-b"
    device = auth.Device(type="Firefox", os="Linux", app_version="3.1.0")
    result = await auth.login(pool, config, email, password, device)
    assert result.user["id"] == admin["id"] and result.is_onboarded is False
    session = await pool.fetchrow('SELECT * FROM "session" WHERE "userId" = $1', admin["id"])
    assert (session["deviceType"], session["deviceOS"], session["appVersion"]) == (
        "Firefox",
        "Linux",
        "3.1.0",
    )
    disabled = {**config, "passwordLogin": {"enabled": False}}
    with pytest.raises(Unauthorized, match="Password login has been disabled"):
        await auth.login(pool, disabled, email, password, device)

    caller = await auth.authorize(
        pool, api_key=None, session_token=result.token, admin=True, permission="user.read"
    )
    assert caller.user_id == admin["id"] and caller.session_id == session["id"]
    assert await auth.authenticate(pool) is None
    with pytest.raises(Unauthorized, match="Authentication required"):
        await auth.authorize(pool, api_key=None, session_token=None)
    with pytest.raises(Unauthorized, match="Invalid API key"):
        await auth.authorize(pool, api_key="junk", session_token=result.token)

    await auth.logout(pool, caller)
    with pytest.raises(Unauthorized, match="Invalid user token"):
        await auth.authorize(pool, api_key=None, session_token=result.token)


async def test_permissions_of_an_api_key(client: httpx.AsyncClient, app: Any) -> None:
    pool = app.state.ctx.db.pool
    user = await users.create(
        pool, {"email": "u@example.com", "name": "U", "password": "", "isAdmin": False}
    )
    secret = auth.new_secret()
    await api_keys.create(pool, user["id"], "k", auth.hash_secret(secret), ["asset.read"])
    caller = await auth.authorize(pool, api_key=secret, session_token=None, permission="asset.read")
    assert caller.api_key_id is not None and caller.session_id is None
    with pytest.raises(Forbidden, match="Missing required permission: asset.upload"):
        await auth.authorize(pool, api_key=secret, session_token=None, permission="asset.upload")
    with pytest.raises(Forbidden, match="^Forbidden$"):
        await auth.authorize(pool, api_key=secret, session_token=None, admin=True)
