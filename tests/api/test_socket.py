"""/api/socket.io: a real socket.io client against the app served over HTTP (hypercorn):
authentication as on REST, the connect handshake, the events REST calls raise, revocation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import socketio

from tests.api.asset_factory import make_asset, user_id
from tests.api.socket_helpers import connected, served
from tests.api.user_helpers import api_key, login, user_and_login
from tests.conftest import ADMIN

Headers = dict[str, str]
VERSION = ({"major": 3, "minor": 1, "patch": 0, "prerelease": None},)


@pytest.fixture(scope="session")
async def live_url(app: Any) -> AsyncIterator[str]:
    async with served(app) as url:
        yield url


def _token(headers: Headers) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


@pytest.mark.parametrize("kind", ["bearer", "cookie", "api-key", "user-token"])
async def test_connect_with_each_credential_gets_the_version(
    client: httpx.AsyncClient, admin_headers: Headers, live_url: str, kind: str
) -> None:
    token = _token(admin_headers)
    headers = {
        "bearer": admin_headers,
        "cookie": {"Cookie": f"immich_access_token={token}"},
        "user-token": {"x-immich-user-token": token},
    }.get(kind) or await api_key(client, admin_headers)
    async with connected(live_url, headers) as live:
        assert await live.next("on_server_version") == VERSION


async def test_polling_transport(
    client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    async with connected(live_url, admin_headers, transports=["polling"]) as live:
        assert await live.next("on_server_version") == VERSION


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}, {"x-api-key": "nope"}],
    ids=["none", "bad-token", "bad-key"],
)
async def test_refused_without_valid_credentials(
    client: httpx.AsyncClient, live_url: str, headers: Headers
) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        async with connected(live_url, headers):
            pass


async def test_the_polling_handshake_answers(client: httpx.AsyncClient, live_url: str) -> None:
    """What Immich's web app asks first; a 404 here made it say "Server Offline"."""
    async with httpx.AsyncClient() as http:
        r = await http.get(f"{live_url}/api/socket.io/?EIO=4&transport=polling")
    assert r.status_code == 200
    assert r.text.startswith("0{") and '"sid"' in r.text


async def test_trash_and_delete_reach_the_owner_only(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    pool = app.state.ctx.db.pool
    me = await user_id(pool)
    a, b = [str((await make_asset(pool, me))["id"]) for _ in range(2)]
    _, other = await user_and_login(client, admin_headers)
    async with connected(live_url, admin_headers) as mine, connected(live_url, other) as theirs:
        r = await client.request("DELETE", "/api/assets", headers=admin_headers, json={"ids": [a]})
        assert r.status_code == 204, r.text
        assert await mine.next("on_asset_trash") == ([a],)
        r = await client.request(
            "DELETE", "/api/assets", headers=admin_headers, json={"ids": [a, b], "force": True}
        )
        assert r.status_code == 204, r.text
        deleted = {(await mine.next("on_asset_delete"))[0] for _ in range(2)}
        assert deleted == {a, b}
        await theirs.next("on_server_version")
        assert theirs.received("on_asset_trash") == theirs.received("on_asset_delete") == []


async def test_a_failed_request_raises_no_event(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    _, other = await user_and_login(client, admin_headers)
    pool = app.state.ctx.db.pool
    mine = str((await make_asset(pool, await user_id(pool)))["id"])
    async with connected(live_url, admin_headers) as live:
        r = await client.request("DELETE", "/api/assets", headers=other, json={"ids": [mine]})
        assert r.status_code == 400
        r = await client.request("DELETE", "/api/assets", headers=admin_headers, json={"ids": []})
        await live.next("on_asset_trash")  # the empty delete's event comes; the refused one's not
        assert live.received("on_asset_trash") == []


async def test_logout_disconnects_the_session(
    client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    key = await api_key(client, admin_headers)
    async with connected(live_url, admin_headers) as live, connected(live_url, key) as by_key:
        await live.next("on_server_version")
        r = await client.post("/api/auth/logout", headers=admin_headers)
        assert r.status_code == 200, r.text
        session_deleted = await live.next("on_session_delete")
        await live.gone()
        assert not by_key.disconnected.is_set()  # the API key's socket stays
    assert session_deleted[0]


async def test_deleting_a_session_disconnects_that_device(
    client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    phone = await login(client, ADMIN["email"], ADMIN["password"])
    sessions = (await client.get("/api/sessions", headers=admin_headers)).json()
    phone_id = next(s["id"] for s in sessions if not s["current"])
    async with connected(live_url, phone) as on_phone, connected(live_url, admin_headers) as here:
        r = await client.delete(f"/api/sessions/{phone_id}", headers=admin_headers)
        assert r.status_code == 204, r.text
        assert await on_phone.next("on_session_delete") == (phone_id,)
        await on_phone.gone()
        assert not here.disconnected.is_set()
    with pytest.raises(socketio.exceptions.ConnectionError):
        async with connected(live_url, phone):
            pass


async def test_deleting_a_user_disconnects_their_devices(
    client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    user, phone = await user_and_login(client, admin_headers)
    laptop = await login(client, "user@example.com", "user-password")
    async with (
        connected(live_url, phone) as on_phone,
        connected(live_url, laptop) as on_laptop,
        connected(live_url, admin_headers) as admin,
    ):
        r = await client.request(
            "DELETE", f"/api/admin/users/{user['id']}", headers=admin_headers, json={}
        )
        assert r.status_code == 200, r.text
        await on_phone.gone()
        await on_laptop.gone()
        assert not admin.disconnected.is_set()
    with pytest.raises(socketio.exceptions.ConnectionError):  # nor may they come back
        async with connected(live_url, phone):
            pass
