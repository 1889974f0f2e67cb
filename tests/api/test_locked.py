"""The Locked Folder through the real app: locked assets are usable only from an elevated
session (PIN unlocked), on every asset route, and never through albums or API keys."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.asset_helpers import shared_album
from tests.api.test_asset_media import ctx_of, me, thumbnails
from tests.api.user_helpers import api_key, user_and_login
from tests.plugins_chain import add_asset, shared_assets
from tests.plugins_video.clips import make_clip

PIN = "246810"
PHOTO = "albums/nature/silver_fir.jpg"
OTHER = "albums/nature/cyclamen_persicum.jpg"
Headers = dict[str, str]


async def _asset(
    app: Any, client: httpx.AsyncClient, headers: Headers, source: Path, visibility: str
) -> str:
    ctx = ctx_of(app)
    owner = await me(client, headers)
    asset_id = await add_asset(
        ctx.db.pool, ctx.settings.media_location, owner, source, visibility=visibility
    )
    return str(asset_id)


async def _unlock(client: httpx.AsyncClient, headers: Headers) -> None:
    r = await client.post("/api/auth/pin-code", headers=headers, json={"pinCode": PIN})
    assert r.status_code in (204, 400), r.text  # 400: set up already
    r = await client.post("/api/auth/session/unlock", headers=headers, json={"pinCode": PIN})
    assert r.status_code == 204, r.text


async def _lock(client: httpx.AsyncClient, headers: Headers) -> None:
    r = await client.post("/api/auth/session/lock", headers=headers)
    assert r.status_code == 204, r.text


def _calls(locked: str, other: str) -> list[tuple[str, str, Any, str, int]]:
    """(method, url, JSON body, permission it needs, status once elevated) of each route."""
    return [
        ("GET", f"/api/assets/{locked}", None, "asset.read", 200),
        ("PUT", f"/api/assets/{locked}", {"isFavorite": True}, "asset.update", 200),
        ("PUT", "/api/assets", {"ids": [locked], "isFavorite": False}, "asset.update", 204),
        ("GET", f"/api/assets/{locked}/original", None, "asset.download", 200),
        ("GET", f"/api/assets/{locked}/thumbnail", None, "asset.view", 200),
        ("GET", f"/api/assets/{locked}/metadata", None, "asset.read", 200),
        (
            "PUT",
            f"/api/assets/{locked}/metadata",
            {"items": [{"key": "k", "value": {"a": 1}}]},
            "asset.update",
            200,
        ),
        (
            "PUT",
            "/api/assets/metadata",
            {"items": [{"assetId": locked, "key": "k", "value": {"a": 2}}]},
            "asset.update",
            200,
        ),
        ("GET", f"/api/assets/{locked}/metadata/k", None, "asset.read", 200),
        ("DELETE", f"/api/assets/{locked}/metadata/k", None, "asset.update", 204),
        (
            "DELETE",
            "/api/assets/metadata",
            {"items": [{"assetId": locked, "key": "k"}]},
            "asset.update",
            204,
        ),
        (
            "POST",
            "/api/assets/jobs",
            {"assetIds": [locked], "name": "refresh-metadata"},
            "asset.update",
            204,
        ),
        (
            "PUT",
            "/api/assets/copy",
            {"sourceId": other, "targetId": locked, "sidecar": False},
            "asset.copy",
            204,
        ),
        ("POST", "/api/stacks", {"assetIds": [locked, other]}, "asset.update", 201),
        ("DELETE", "/api/assets", {"ids": [locked]}, "asset.delete", 204),
        ("POST", "/api/trash/restore/assets", {"ids": [locked]}, "asset.delete", 200),
    ]


async def test_every_asset_route_needs_elevation_for_a_locked_asset(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    photo = shared_assets() / PHOTO
    locked = await _asset(app, client, admin_headers, photo, "locked")
    other = await _asset(app, client, admin_headers, shared_assets() / OTHER, "timeline")
    await thumbnails(app, uuid.UUID(locked))
    calls = _calls(locked, other)
    for method, url, body, permission, _ in calls:
        r = await client.request(method, url, headers=admin_headers, json=body)
        assert r.status_code == 400, (method, url, r.text)
        assert r.json() == {"message": f"Not found or no {permission} access"}, (method, url)

    await _unlock(client, admin_headers)
    for method, url, body, _, status in calls:
        r = await client.request(
            method, url, headers=admin_headers, json=body, follow_redirects=False
        )
        assert r.status_code == status, (method, url, r.text)
    r = await client.get(f"/api/assets/{locked}", headers=admin_headers)
    assert r.json()["visibility"] == "locked" and r.json()["isTrashed"] is False

    await _lock(client, admin_headers)
    r = await client.get(f"/api/assets/{locked}", headers=admin_headers)
    assert r.status_code == 400


async def test_locked_video_playback_needs_elevation(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, tmp_path: Path
) -> None:
    clip = make_clip(tmp_path / "clip.mp4", seconds=1.0)
    locked = await _asset(app, client, admin_headers, clip, "locked")
    await ctx_of(app).db.pool.execute(
        """UPDATE "asset" SET "type" = 'VIDEO' WHERE "id" = $1""", uuid.UUID(locked)
    )
    url = f"/api/assets/{locked}/video/playback"
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "Not found or no asset.view access"}
    r = await client.get(f"/api/assets/{locked}/video/stream/main.m3u8", headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "Not found or no asset.view access"}
    await _unlock(client, admin_headers)
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 200 and r.content == clip.read_bytes()  # noqa: ASYNC240


async def test_moving_into_the_locked_folder_is_free_and_out_of_it_needs_elevation(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    """As Immich: PUT /assets(/{id}) checks ``asset.update`` access only, so an asset in the
    timeline can be moved in without a PIN (it leaves every album), while a locked one is out of
    reach (400) until the session is unlocked."""
    photo = shared_assets() / PHOTO
    asset = await _asset(app, client, admin_headers, photo, "timeline")
    user, _ = await user_and_login(client, admin_headers)
    await shared_album(client, admin_headers, [asset], user["id"])
    r = await client.put(
        "/api/assets", headers=admin_headers, json={"ids": [asset], "visibility": "locked"}
    )
    assert r.status_code == 204, r.text
    pool = ctx_of(app).db.pool
    in_albums = await pool.fetchval(
        'SELECT count(*) FROM "album_asset" WHERE "assetId" = $1', uuid.UUID(asset)
    )
    assert in_albums == 0  # locked assets leave every album

    for method, url, body in (
        ("PUT", f"/api/assets/{asset}", {"visibility": "timeline"}),
        ("PUT", "/api/assets", {"ids": [asset], "visibility": "timeline"}),
        ("PUT", f"/api/assets/{asset}", {"isFavorite": True}),
    ):
        r = await client.request(method, url, headers=admin_headers, json=body)
        assert r.status_code == 400, r.text
        assert r.json() == {"message": "Not found or no asset.update access"}

    await _unlock(client, admin_headers)
    r = await client.put(
        f"/api/assets/{asset}", headers=admin_headers, json={"visibility": "timeline"}
    )
    assert r.status_code == 200 and r.json()["visibility"] == "timeline"


async def test_locked_timeline_and_statistics_need_elevation(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    photo = shared_assets() / PHOTO
    await _asset(app, client, admin_headers, photo, "locked")
    await _asset(app, client, admin_headers, shared_assets() / OTHER, "timeline")
    params = {"visibility": "locked"}
    for url in ("/api/timeline/buckets", "/api/assets/statistics"):
        r = await client.get(url, headers=admin_headers, params=params)
        assert r.status_code == 401, url
        assert r.json() == {"message": "Elevated permission is required"}
    await _unlock(client, admin_headers)
    r = await client.get("/api/timeline/buckets", headers=admin_headers, params=params)
    assert r.status_code == 200
    assert sum(b["count"] for b in r.json()) == 1
    r = await client.get("/api/assets/statistics", headers=admin_headers, params=params)
    assert r.status_code == 200 and r.json()["total"] == 1


async def test_albums_refuse_locked_assets_and_members_never_see_them(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    photo = shared_assets() / PHOTO
    locked = await _asset(app, client, admin_headers, photo, "locked")
    user, member = await user_and_login(client, admin_headers)
    album = await shared_album(client, admin_headers, [], user["id"])
    await _unlock(client, admin_headers)  # even elevated: a locked asset is not shareable
    r = await client.put(
        f"/api/albums/{album}/assets", headers=admin_headers, json={"ids": [locked]}
    )
    assert r.status_code == 200
    assert r.json() == [{"id": locked, "success": False, "error": "no_permission"}]
    r = await client.put(
        "/api/albums/assets",
        headers=admin_headers,
        json={"albumIds": [album], "assetIds": [locked]},
    )
    assert r.json() == {"success": False, "error": "no_permission"}
    r = await client.post(
        "/api/albums", headers=admin_headers, json={"albumName": "x", "assetIds": [locked]}
    )
    assert r.status_code == 201 and r.json()["assetCount"] == 0

    # a locked asset that somehow still sits in a shared album stays hidden from members
    await ctx_of(app).db.pool.execute(
        'INSERT INTO "album_asset" ("albumId", "assetId") VALUES ($1, $2)',
        uuid.UUID(album),
        uuid.UUID(locked),
    )
    for url in (f"/api/assets/{locked}", f"/api/assets/{locked}/thumbnail"):
        r = await client.get(url, headers=member)
        assert r.status_code == 400, url


@pytest.mark.parametrize("path", ["", "/original"])
async def test_api_keys_never_reach_locked_assets(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers, path: str
) -> None:
    locked = await _asset(app, client, admin_headers, shared_assets() / PHOTO, "locked")
    await _unlock(client, admin_headers)
    key = await api_key(client, admin_headers)
    r = await client.get(f"/api/assets/{locked}{path}", headers=key)
    assert r.status_code == 400
    assert r.json()["message"].startswith("Not found or no asset.")
    r = await client.get(f"/api/assets/{locked}{path}", headers=admin_headers)
    assert r.status_code == 200
