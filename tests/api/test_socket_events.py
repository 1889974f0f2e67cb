"""Which REST calls raise which live events, with Immich's names and payloads, to whom; and
the credentials whose revocation closes sockets (API key, password change)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import socketio

from immich import events
from immich.api import socket_payloads as payloads
from immich.db.repos import system_metadata
from immich.services import notifications as notification_service
from tests.api.asset_factory import make_asset, trash, user_id
from tests.api.socket_helpers import connected, served
from tests.api.user_helpers import api_key, login, user_and_login
from tests.conftest import ADMIN

Headers = dict[str, str]


@pytest.fixture(scope="session")
async def live_url(app: Any) -> AsyncIterator[str]:
    async with served(app) as url:
        yield url


async def _assets(app: Any, count: int) -> list[str]:
    pool = app.state.ctx.db.pool
    me = await user_id(pool)
    return [str((await make_asset(pool, me))["id"]) for _ in range(count)]


async def test_restore_assets(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    ids = await _assets(app, 2)
    await trash(app.state.ctx.db.pool, ids)
    async with connected(live_url, admin_headers) as live:
        r = await client.post("/api/trash/restore/assets", headers=admin_headers, json={"ids": ids})
        assert r.status_code == 200, r.text
        assert await live.next("on_asset_restore") == (ids,)


async def test_album_changes_reach_every_member(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    ids = await _assets(app, 2)
    r = await client.post(
        "/api/albums", headers=admin_headers, json={"albumName": "live", "assetIds": ids[:1]}
    )
    assert r.status_code == 201, r.text
    album = r.json()["id"]
    async with connected(live_url, admin_headers) as live:
        r = await client.put(
            f"/api/albums/{album}/assets", headers=admin_headers, json={"ids": ids[1:]}
        )
        assert r.status_code == 200, r.text
        assert await live.next("on_album_update") == (album,)
        r = await client.request(
            "DELETE", f"/api/albums/{album}/assets", headers=admin_headers, json={"ids": ids[:1]}
        )
        assert r.status_code == 200, r.text
        assert await live.next("on_album_update") == (album,)


async def test_stack_changes(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    ids = await _assets(app, 3)
    async with connected(live_url, admin_headers) as live:
        r = await client.post("/api/stacks", headers=admin_headers, json={"assetIds": ids})
        assert r.status_code == 201, r.text
        assert await live.next("on_asset_stack_update") == ()  # Immich sends no argument
        r = await client.delete(f"/api/stacks/{r.json()['id']}", headers=admin_headers)
        assert r.status_code == 204, r.text
        assert await live.next("on_asset_stack_update") == ()


async def test_config_update_reaches_everyone(
    client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    _, user = await user_and_login(client, admin_headers)
    config = (await client.get("/api/system-config", headers=admin_headers)).json()
    config["trash"]["days"] = 12
    async with connected(live_url, user) as live:
        r = await client.put("/api/system-config", headers=admin_headers, json=config)
        assert r.status_code == 200, r.text
        assert await live.next("on_config_update") == ()


async def test_notification_is_pushed_to_its_user(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    ctx = app.state.ctx
    other, user = await user_and_login(client, admin_headers)
    async with connected(live_url, user) as theirs, connected(live_url, admin_headers) as mine:
        async with ctx.db.transaction() as db:
            row = await notification_service.notify_job_failed(db, "BackupDatabase", "disk full")
            assert row is not None and mine.received("on_notification") == []
        # without ctx nothing is pushed (what callers that do not want it do)
        await notification_service.notify_album_invite(
            ctx.db.pool, other["id"], row["id"], "Trip", "Admin", ctx=ctx
        )
        (pushed,) = await theirs.next("on_notification")
        assert pushed["title"] == "Shared Album Invitation"
        assert pushed["type"] == "AlbumInvite" and pushed["level"] == "success"
        assert set(pushed) == {"id", "createdAt", "level", "type", "title", "description", "data"}
        assert mine.received("on_notification") == []


async def test_new_release_on_connect(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    state = {"checkedAt": "2026-11-30T10:00:00.000Z", "releaseVersion": "v3.2.1"}
    await system_metadata.set(app.state.ctx.db.pool, "version-check-state", state)
    async with connected(live_url, admin_headers) as live:
        (release,) = await live.next("on_new_release")
    assert release == {
        "isAvailable": True,
        "checkedAt": "2026-11-30T10:00:00.000Z",
        "serverVersion": {"major": 3, "minor": 1, "patch": 0, "prerelease": None},
        "releaseVersion": {"major": 3, "minor": 2, "patch": 1, "prerelease": None},
        "type": "minor",
    }


async def test_deleting_an_api_key_closes_its_sockets(
    client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    key = await api_key(client, admin_headers)
    key_id = (await client.get("/api/api-keys", headers=admin_headers)).json()[0]["id"]
    async with connected(live_url, key) as by_key, connected(live_url, admin_headers) as here:
        r = await client.delete(f"/api/api-keys/{key_id}", headers=admin_headers)
        assert r.status_code == 204, r.text
        await by_key.gone()
        assert not here.disconnected.is_set()
    with pytest.raises(socketio.exceptions.ConnectionError):
        async with connected(live_url, key):
            pass


async def test_password_change_closes_the_other_sessions(
    client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    phone = await login(client, ADMIN["email"], ADMIN["password"])
    async with connected(live_url, phone) as on_phone, connected(live_url, admin_headers) as here:
        r = await client.post(
            "/api/auth/change-password",
            headers=admin_headers,
            json={
                "password": ADMIN["password"],
                "newPassword": "another-password",
                "invalidateSessions": True,
            },
        )
        assert r.status_code == 200, r.text
        await on_phone.next("on_session_delete")
        await on_phone.gone()
        assert not here.disconnected.is_set()


async def test_a_long_id_list_is_split_to_fit_a_notify(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, live_url: str
) -> None:
    ctx = app.state.ctx
    ids = [str(uuid.uuid4()) for _ in range(500)]  # ~20 kB: over NOTIFY's 8000 bytes
    me = await user_id(ctx.db.pool)
    async with connected(live_url, admin_headers) as live:
        await events.emit(ctx, [me], "on_asset_trash", ids)
        got: list[str] = []
        while len(got) < len(ids):
            (part,) = await live.next("on_asset_trash")
            assert 0 < len(part) <= events.ID_CHUNK
            got += part
    assert got == ids


def test_a_message_that_cannot_be_split_is_refused() -> None:
    with pytest.raises(ValueError, match="too large"):
        events._encode({"event": "on_notification", "rooms": ["a"], "args": ["x" * 9000]})


@pytest.mark.parametrize(
    ("release", "channel", "available", "kind"),
    [
        ("v3.1.0", "stable", False, None),
        ("v4.0.0", "stable", True, "major"),
        ("3.1.2", "stable", True, "patch"),
        ("v3.0.9", "stable", False, "minor"),
        ("v3.2.0-rc.1", "stable", False, "preminor"),
        ("v3.2.0-rc.1", "releaseCandidate", True, "preminor"),
        ("not a version", "stable", None, None),
    ],
)
def test_release_event_as_immich_reports_it(
    release: str, channel: str, available: bool | None, kind: str | None
) -> None:
    event = payloads.release_event("3.1.0", {"releaseVersion": release}, channel)
    if available is None:
        assert event is None
        return
    assert event is not None
    assert (event["isAvailable"], event["type"]) == (available, kind)
