"""/api/shared-links: the owner's nine operations and the visitor's side (``/me``,
``/login``), through the real app: album and individual links, another user's link out of
reach, slugs, the key's forms (header, query, hex), expiry, passwords and their cookie."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from tests.api.asset_factory import UNKNOWN_ID, make_album, make_asset, user_id
from tests.api.shared_link_helpers import Headers, by_key, make_link
from tests.api.user_helpers import api_key, user_and_login


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def test_individual_link_lifecycle(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me, "2024-01-01", exif={"make": "Canon"})
    b = await make_asset(pool, me, "2024-02-01")
    link = await make_link(
        client, admin_headers, assetIds=[str(a["id"])], description="trip", slug="trip"
    )
    assert link["type"] == "INDIVIDUAL" and link["userId"] == str(me)
    assert [x["id"] for x in link["assets"]] == [str(a["id"])]
    assert link["assets"][0]["exifInfo"]["make"] == "Canon"
    assert link["allowUpload"] and link["allowDownload"] and link["showMetadata"]
    assert link["slug"] == "trip" and link["password"] is None and link["expiresAt"] is None
    assert len(link["key"]) == 67 and "=" not in link["key"]  # 50 bytes, base64url
    assert "album" not in link

    r = await client.get(f"/api/shared-links/{link['id']}", headers=admin_headers)
    assert r.status_code == 200 and r.json() == link
    r = await client.get("/api/shared-links", headers=admin_headers)
    assert [x["id"] for x in r.json()] == [link["id"]]
    r = await client.get("/api/shared-links", params={"id": UNKNOWN_ID}, headers=admin_headers)
    assert r.json() == []

    # add: one new, one duplicate, one unknown; remove: one there, one not
    r = await client.put(
        f"/api/shared-links/{link['id']}/assets",
        json={"assetIds": [str(b["id"]), str(a["id"]), UNKNOWN_ID]},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"assetId": str(b["id"]), "success": True},
        {"assetId": str(a["id"]), "success": False, "error": "duplicate"},
        {"assetId": UNKNOWN_ID, "success": False, "error": "no_permission"},
    ]
    r = await client.get(f"/api/shared-links/{link['id']}", headers=admin_headers)
    assert [x["id"] for x in r.json()["assets"]] == [str(a["id"]), str(b["id"])]
    r = await client.request(
        "DELETE",
        f"/api/shared-links/{link['id']}/assets",
        json={"assetIds": [str(a["id"]), UNKNOWN_ID]},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"assetId": str(a["id"]), "success": True},
        {"assetId": UNKNOWN_ID, "success": False, "error": "not_found"},
    ]

    # update: the given fields; the slug is cleared when not given (as Immich)
    when = "2030-01-01T00:00:00.000Z"
    r = await client.patch(
        f"/api/shared-links/{link['id']}",
        json={"description": "new", "expiresAt": when, "allowDownload": False},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["description"] == "new" and changed["allowDownload"] is False
    assert changed["expiresAt"].startswith("2030-01-01T00:00:00") and changed["slug"] is None
    assert changed["showMetadata"] is True and changed["key"] == link["key"]

    r = await client.delete(f"/api/shared-links/{link['id']}", headers=admin_headers)
    assert r.status_code == 204
    r = await client.get(f"/api/shared-links/{link['id']}", headers=admin_headers)
    assert r.status_code == 400 and r.json()["message"] == "Shared link not found"
    assert await pool.fetchval('SELECT count(*) FROM "shared_link_asset"') == 0


async def test_album_link(client: httpx.AsyncClient, admin_headers: Headers, pool: Any) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me)
    album = await make_album(pool, me, [a["id"]])
    link = await make_link(client, admin_headers, albumId=str(album), showMetadata=False)
    assert link["type"] == "ALBUM" and link["assets"] == []
    assert link["album"]["id"] == str(album)
    assert link["album"]["hasSharedLink"] is True and link["album"]["shared"] is True
    # showMetadata off forces downloads off (Immich)
    assert link["showMetadata"] is False and link["allowDownload"] is False
    r = await client.get("/api/shared-links", params={"albumId": str(album)}, headers=admin_headers)
    assert [x["id"] for x in r.json()] == [link["id"]]
    # assets are added to individual links only
    r = await client.put(
        f"/api/shared-links/{link['id']}/assets",
        json={"assetIds": [str(a["id"])]},
        headers=admin_headers,
    )
    assert r.status_code == 400 and r.json()["message"] == "Invalid shared link type"
    # an album in the trash takes its links out of sight
    await pool.execute('UPDATE "album" SET "deletedAt" = now() WHERE "id" = $1', album)
    r = await client.get(f"/api/shared-links/{link['id']}", headers=admin_headers)
    assert r.status_code == 400
    r = await client.get("/api/shared-links/me", headers=by_key(link))
    assert r.status_code == 401 and r.json()["message"] == "Invalid share key"


async def test_create_rules(client: httpx.AsyncClient, admin_headers: Headers, pool: Any) -> None:
    me = await user_id(pool)
    mine = await make_asset(pool, me)
    other, other_headers = await user_and_login(client, admin_headers)
    theirs = await make_asset(pool, other["id"])
    their_album = await make_album(pool, other["id"], [theirs["id"]])
    cases = [
        ({"type": "ALBUM"}, "Invalid albumId"),
        ({"type": "INDIVIDUAL"}, "Invalid assetIds"),
        ({"type": "INDIVIDUAL", "assetIds": []}, "Invalid assetIds"),
        ({"type": "ALBUM", "albumId": str(their_album)}, "Not found or no album.share access"),
        (
            {"type": "INDIVIDUAL", "assetIds": [str(mine["id"]), str(theirs["id"])]},
            "Not found or no asset.share access",
        ),
    ]
    for body, message in cases:
        r = await client.post("/api/shared-links", json=body, headers=admin_headers)
        assert r.status_code == 400, body
        assert r.json()["message"] == message, body
    r = await client.post("/api/shared-links", json={"type": "OTHER"}, headers=admin_headers)
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"
    # a slug is unique
    await make_link(client, admin_headers, assetIds=[str(mine["id"])], slug="same")
    r = await client.post(
        "/api/shared-links",
        json={"type": "INDIVIDUAL", "assetIds": [str(mine["id"])], "slug": "same"},
        headers=admin_headers,
    )
    assert r.status_code == 400 and r.json()["message"] == "Failed to save shared link"
    # another user's links are not theirs to see or change
    link = await make_link(client, other_headers, assetIds=[str(theirs["id"])])
    for method in ("GET", "PATCH", "DELETE"):
        r = await client.request(
            method, f"/api/shared-links/{link['id']}", json={}, headers=admin_headers
        )
        assert r.status_code == 400 and r.json()["message"] == "Shared link not found", method
    r = await client.get("/api/shared-links", headers=admin_headers)
    assert link["id"] not in [x["id"] for x in r.json()]
    # API keys need the sharedLink permissions
    key = await api_key(client, admin_headers, "sharedLink.read")
    assert (await client.get("/api/shared-links", headers=key)).status_code == 200
    r = await client.post(
        "/api/shared-links", json={"type": "INDIVIDUAL", "assetIds": []}, headers=key
    )
    assert r.status_code == 403
    assert r.json()["message"] == "Missing required permission: sharedLink.create"


async def test_visitor_by_key_header_query_hex_and_slug(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me)
    link = await make_link(client, admin_headers, assetIds=[str(a["id"])], slug="hello")
    raw = await pool.fetchval(
        'SELECT "key" FROM "shared_link" WHERE "id" = $1', uuid.UUID(link["id"])
    )
    ways: list[dict[str, Any]] = [
        {"headers": by_key(link)},
        {"params": {"key": link["key"]}},
        {"params": {"key": bytes(raw).hex()}},
        {"params": {"slug": "hello"}},
        {"headers": {"x-immich-share-slug": "hello"}},
    ]
    for way in ways:
        r = await client.get("/api/shared-links/me", **way)
        assert r.status_code == 200, (way, r.text)
        assert r.json()["id"] == link["id"]
    for params, message in (
        ({"key": "nope"}, "Invalid share key"),
        ({"slug": "nope"}, "Invalid share slug"),
    ):
        r = await client.get("/api/shared-links/me", params=params)
        assert r.status_code == 401 and r.json()["message"] == message
    # anonymous: Immich's 401; a signed-in user without a link: 403 on the visitor's routes
    r = await client.get("/api/shared-links/me")
    assert r.status_code == 401 and r.json()["message"] == "Authentication required"
    r = await client.get("/api/shared-links/me", headers=admin_headers)
    assert r.status_code == 403
    # a link opens only Immich's shared-link routes
    for path in ("/api/users/me", "/api/albums", "/api/shared-links", "/api/assets/statistics"):
        r = await client.get(path, headers=by_key(link))
        assert r.status_code == 403 and r.json()["message"] == "Forbidden", path


async def test_expired_link(client: httpx.AsyncClient, admin_headers: Headers, pool: Any) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me)
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    link = await make_link(client, admin_headers, assetIds=[str(a["id"])], expiresAt=past)
    for path in (
        "/api/shared-links/me",
        f"/api/assets/{a['id']}",
        f"/api/assets/{a['id']}/thumbnail",
    ):
        r = await client.get(path, headers=by_key(link))
        assert r.status_code == 401 and r.json()["message"] == "Invalid share key", path
    # the owner still sees and can extend it
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    r = await client.patch(
        f"/api/shared-links/{link['id']}", json={"expiresAt": future}, headers=admin_headers
    )
    assert r.status_code == 200
    r = await client.get("/api/shared-links/me", headers=by_key(link))
    assert r.status_code == 200


async def test_password(client: httpx.AsyncClient, admin_headers: Headers, pool: Any) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me)
    link = await make_link(client, admin_headers, assetIds=[str(a["id"])], password="secret")
    assert link["password"] == "secret"  # the owner reads it back, as in Immich
    visitor = by_key(link)
    r = await client.get("/api/shared-links/me", headers=visitor)
    assert r.status_code == 401 and r.json()["message"] == "Password required"
    r = await client.get(f"/api/assets/{a['id']}", headers=visitor)
    assert r.status_code == 401 and r.json()["message"] == "Password required"
    r = await client.post("/api/shared-links/login", json={"password": "wrong"}, headers=visitor)
    assert r.status_code == 401 and r.json()["message"] == "Invalid password"
    assert "immich_shared_link_token" not in client.cookies
    r = await client.post("/api/shared-links/login", json={"password": "secret"}, headers=visitor)
    assert r.status_code == 201, r.text
    assert r.json()["id"] == link["id"]
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("immich_shared_link_token=") and "HttpOnly" in cookie
    # the browser sends the cookie back: the link opens
    r = await client.get("/api/shared-links/me", headers=visitor)
    assert r.status_code == 200, r.text
    r = await client.get(f"/api/assets/{a['id']}", headers=visitor)
    assert r.status_code == 200, r.text
    # a changed password needs a new login
    r = await client.patch(
        f"/api/shared-links/{link['id']}", json={"password": "other"}, headers=admin_headers
    )
    r = await client.get(f"/api/assets/{a['id']}", headers=visitor)
    assert r.status_code == 401
    client.cookies.clear()
    # a link without a password has nothing to log in to
    open_link = await make_link(client, admin_headers, assetIds=[str(a["id"])])
    r = await client.post(
        "/api/shared-links/login", json={"password": "x"}, headers=by_key(open_link)
    )
    assert r.status_code == 400
    assert r.json()["message"] == "Shared link is not password protected"
    # logging in needs a link
    r = await client.post("/api/shared-links/login", json={"password": "x"}, headers=admin_headers)
    assert r.status_code == 403
