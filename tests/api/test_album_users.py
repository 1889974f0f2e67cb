"""Album members: share (roles editor / viewer), change a role, remove or leave; the invitation's
in-app notification and the live events raised after commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from immich.services import album_events
from tests.api.asset_helpers import UNKNOWN_ID, uploaded
from tests.api.user_helpers import user_and_login

JPEG = b"\xff\xd8\xff" + b"members" * 100


@pytest.fixture
def events() -> Iterator[list[album_events.AlbumEvent]]:
    seen: list[album_events.AlbumEvent] = []

    async def listen(event: album_events.AlbumEvent) -> None:
        seen.append(event)

    stop = album_events.subscribe(listen)
    yield seen
    stop()


async def _album(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> Any:
    r = await client.post("/api/albums", headers=headers, json={"albumName": "Family", **body})
    assert r.status_code == 201, r.text
    return r.json()


async def test_share_invites_and_notifies(
    app: Any,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    events: list[album_events.AlbumEvent],
) -> None:
    pool = app.state.ctx.db.pool
    album = await _album(client, admin_headers)
    grandma, grandma_headers = await user_and_login(client, admin_headers, "grandma@example.com")
    r = await client.put(
        f"/api/albums/{album['id']}/users",
        headers=admin_headers,
        json={"albumUsers": [{"userId": grandma["id"], "role": "viewer"}]},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["shared"] is True
    assert [(u["role"], u["user"]["id"]) for u in body["albumUsers"]][1] == (
        "viewer",
        grandma["id"],
    )
    # the invitation: an in-app notification, and a live event once committed
    r = await client.get("/api/notifications", headers=grandma_headers)
    [note] = r.json()
    assert note["type"] == "AlbumInvite" and note["data"] == {"albumId": album["id"]}
    assert note["description"] == "Admin shared an album (Family) with you"
    assert events == [album_events.AlbumInvite(album["id"], grandma["id"], "Admin")]
    # sharing again adds nobody and notifies nobody
    r = await client.put(
        f"/api/albums/{album['id']}/users",
        headers=admin_headers,
        json={"albumUsers": [{"userId": grandma["id"]}]},
    )
    assert r.status_code == 200 and len(r.json()["albumUsers"]) == 2
    assert len(events) == 1
    assert (
        await pool.fetchval(
            'SELECT count(*) FROM "album_user" WHERE "albumId" = $1', uuid.UUID(album["id"])
        )
        == 1
    )
    # the member now sees it among shared albums
    r = await client.get("/api/albums", headers=grandma_headers, params={"isShared": "true"})
    assert [a["id"] for a in r.json()] == [album["id"]]


async def test_share_refusals(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    album = await _album(client, admin_headers)
    user, headers = await user_and_login(client, admin_headers)
    url = f"/api/albums/{album['id']}/users"
    r = await client.put(
        url, headers=admin_headers, json={"albumUsers": [{"userId": user["id"], "role": "owner"}]}
    )
    assert r.status_code == 400 and r.json()["message"] == "Cannot add another owner"
    r = await client.put(url, headers=admin_headers, json={"albumUsers": [{"userId": UNKNOWN_ID}]})
    assert r.status_code == 400 and r.json()["message"] == "Invalid user"
    r = await client.put(url, headers=admin_headers, json={"albumUsers": []})
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"
    # a stranger may not share someone else's album
    r = await client.put(url, headers=headers, json={"albumUsers": [{"userId": user["id"]}]})
    assert r.status_code == 400 and r.json()["message"] == "Not found or no album.share access"


async def test_role_change_opens_adding_assets(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    events: list[album_events.AlbumEvent],
) -> None:
    user, headers = await user_and_login(client, admin_headers)
    album = await _album(
        client, admin_headers, albumUsers=[{"userId": user["id"], "role": "viewer"}]
    )
    events.clear()
    mine = await uploaded(client, headers, JPEG)
    add = f"/api/albums/{album['id']}/assets"
    r = await client.put(add, headers=headers, json={"ids": [mine]})
    assert r.status_code == 400
    # a viewer may not promote themselves
    r = await client.put(
        f"/api/albums/{album['id']}/user/{user['id']}", headers=headers, json={"role": "editor"}
    )
    assert r.status_code == 400 and r.json()["message"] == "Not found or no album.share access"
    r = await client.put(
        f"/api/albums/{album['id']}/user/{user['id']}",
        headers=admin_headers,
        json={"role": "editor"},
    )
    assert r.status_code == 204, r.text
    r = await client.put(add, headers=headers, json={"ids": [mine]})
    assert r.status_code == 200 and r.json() == [{"id": mine, "success": True}]
    # the owner hears of the addition (recipients: everyone but who added)
    [event] = events
    assert isinstance(event, album_events.AlbumUpdate)
    assert set(event.user_ids) == {user["id"], album["albumUsers"][0]["user"]["id"]}
    assert event.recipient_ids == (album["albumUsers"][0]["user"]["id"],)
    owner_id = album["albumUsers"][0]["user"]["id"]
    r = await client.put(
        f"/api/albums/{album['id']}/user/{owner_id}", headers=admin_headers, json={"role": "viewer"}
    )
    assert r.status_code == 400 and r.json()["message"] == "User is owner"


async def test_remove_and_leave(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    asset = await uploaded(client, admin_headers, JPEG)
    a, a_headers = await user_and_login(client, admin_headers, "a@example.com")
    b, b_headers = await user_and_login(client, admin_headers, "b@example.com")
    album = await _album(
        client,
        admin_headers,
        assetIds=[asset],
        albumUsers=[{"userId": a["id"], "role": "editor"}, {"userId": b["id"], "role": "viewer"}],
    )
    base = f"/api/albums/{album['id']}/user"
    # a viewer may not remove someone else; an editor may (album.share)
    r = await client.delete(f"{base}/{a['id']}", headers=b_headers)
    assert r.status_code == 400 and r.json()["message"] == "Not found or no album.share access"
    # b leaves on their own, and no longer sees the album nor its asset
    r = await client.delete(f"{base}/me", headers=b_headers)
    assert r.status_code == 204, r.text
    r = await client.get(f"/api/albums/{album['id']}", headers=b_headers)
    assert r.status_code == 400
    r = await client.get(f"/api/assets/{asset}", headers=b_headers)
    assert r.status_code == 400
    r = await client.delete(f"{base}/me", headers=b_headers)
    assert r.status_code == 400 and r.json()["message"] == "Album not shared with user"
    r = await client.delete(f"{base}/me", headers=admin_headers)
    assert r.status_code == 400 and r.json()["message"] == "Cannot remove the last album owner"
    r = await client.delete(f"{base}/{a['id']}", headers=admin_headers)
    assert r.status_code == 204
    r = await client.delete(f"{base}/not-a-uuid", headers=admin_headers)
    assert r.status_code == 400
    assert r.json()["errors"] == [{"path": ["userId"], "message": 'Must be a UUID v4 or "me"'}]
    # each removal is recorded for sync: the album gone for them, the membership for the rest
    gone = await pool.fetch(
        'SELECT "userId" FROM "album_audit" WHERE "albumId" = $1', uuid.UUID(album["id"])
    )
    assert {str(r["userId"]) for r in gone} == {a["id"], b["id"]}
    left = await pool.fetch(
        'SELECT "userId" FROM "album_user_audit" WHERE "albumId" = $1', uuid.UUID(album["id"])
    )
    assert {str(r["userId"]) for r in left} == {a["id"], b["id"]}
    got = (await client.get(f"/api/albums/{album['id']}", headers=admin_headers)).json()
    assert got["shared"] is False and len(got["albumUsers"]) == 1


async def test_create_with_members_invites_them(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    events: list[album_events.AlbumEvent],
) -> None:
    user, headers = await user_and_login(client, admin_headers)
    album = await _album(
        client, admin_headers, albumUsers=[{"userId": user["id"], "role": "editor"}]
    )
    assert events == [album_events.AlbumInvite(album["id"], user["id"], "Admin")]
    [note] = (await client.get("/api/notifications", headers=headers)).json()
    assert note["title"] == "Shared Album Invitation"


async def test_no_event_when_the_request_fails(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    events: list[album_events.AlbumEvent],
) -> None:
    """The invitation is rolled back with the request: nobody hears of it."""
    user, headers = await user_and_login(client, admin_headers)
    album = await _album(client, admin_headers)
    r = await client.put(
        f"/api/albums/{album['id']}/users",
        headers=admin_headers,
        json={"albumUsers": [{"userId": user["id"]}, {"userId": UNKNOWN_ID}]},
    )
    assert r.status_code == 400 and r.json()["message"] == "Invalid user"
    assert events == []
    assert (await client.get("/api/notifications", headers=headers)).json() == []
    got = (await client.get(f"/api/albums/{album['id']}", headers=admin_headers)).json()
    assert len(got["albumUsers"]) == 1
