"""A shared link's visitor through the real app: every route Immich opens to links, walked
with a link's key, answers the link's assets and nothing else; ``showMetadata``,
``allowDownload`` and ``allowUpload`` as Immich applies them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from immich.api import collect_operations
from tests.api.asset_factory import make_album, make_asset, trash, user_id
from tests.api.asset_helpers import upload
from tests.api.shared_link_helpers import Headers, by_key, make_link
from tests.api.user_helpers import user_and_login

# Every operation a share key opens (Immich's ``sharedLink: true``), each walked below.
WALKED = {
    "getAssetInfo",
    "viewAsset",
    "downloadAsset",
    "playAssetVideo",
    "getMainPlaylist",
    "getMediaPlaylist",
    "getSegment",
    "endSession",
    "getAlbumInfo",
    "getAlbumMapMarkers",
    "getTimeBuckets",
    "getTimeBucket",
    "searchAssets",
    "getDownloadInfo",
    "downloadArchive",
    "uploadAsset",
    "getMySharedLink",
    "sharedLinkLogin",
}


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


def test_the_walk_covers_every_shared_link_route(app: Any) -> None:
    flagged = {op.operation_id for op in collect_operations(app.state.ctx.pm) if op.shared_link}
    assert flagged == WALKED


class World:
    """The owner's album (two assets, one trashed, one locked), another album of theirs, an
    asset outside both, another user's asset; an album link and an individual link."""

    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)


@pytest.fixture
async def world(client: httpx.AsyncClient, admin_headers: Headers, pool: Any) -> World:
    me = await user_id(pool)
    here = {"latitude": 48.1, "longitude": 11.5}
    a1 = await make_asset(pool, me, "2024-01-10", exif={"make": "Canon", **here})
    a2 = await make_asset(pool, me, "2024-03-10")
    gone = await make_asset(pool, me, "2024-03-11", exif=here)
    locked = await make_asset(pool, me, "2024-03-12", visibility="locked", exif=here)
    outside = await make_asset(pool, me, "2024-03-13", exif=here)
    other, _ = await user_and_login(client, admin_headers)
    theirs = await make_asset(pool, other["id"], "2024-03-14")
    album = await make_album(pool, me, [a1["id"], a2["id"], gone["id"], locked["id"]])
    other_album = await make_album(pool, me, [outside["id"]])
    await trash(pool, [gone["id"]])
    album_link = await make_link(client, admin_headers, albumId=str(album))
    single = await make_link(client, admin_headers, assetIds=[str(a1["id"])])
    return World(
        me=str(me),
        a1=str(a1["id"]),
        a2=str(a2["id"]),
        gone=str(gone["id"]),
        locked=str(locked["id"]),
        outside=str(outside["id"]),
        theirs=str(theirs["id"]),
        album=str(album),
        other_album=str(other_album),
        album_link=album_link,
        single=single,
    )


async def _asset_routes(
    client: httpx.AsyncClient, headers: Headers, allowed: set[str], denied: set[str]
) -> None:
    """Per-asset routes: an allowed asset passes the access check (its files do not exist,
    so media answers 404; an image is no video), a denied one is Immich's 400."""
    routes = [
        ("GET", "/api/assets/{}", "asset.read"),
        ("GET", "/api/assets/{}/thumbnail", "asset.view"),
        ("GET", "/api/assets/{}/original", "asset.download"),
        ("GET", "/api/assets/{}/video/playback", "asset.view"),
        ("GET", "/api/assets/{}/video/stream/main.m3u8", "asset.view"),
    ]
    for method, path, permission in routes:
        for asset_id in allowed:
            r = await client.request(method, path.format(asset_id), headers=headers)
            assert "Not found or no" not in r.text, (path, r.text)
            assert r.status_code not in (401, 403), (path, r.text)
        for asset_id in denied:
            r = await client.request(method, path.format(asset_id), headers=headers)
            assert r.status_code == 400, (path, asset_id, r.text)
            assert r.json()["message"] == f"Not found or no {permission} access"
    for asset_id in denied:
        r = await client.post("/api/download/info", json={"assetIds": [asset_id]}, headers=headers)
        assert r.status_code == 400, asset_id
        r = await client.post(
            "/api/download/archive", json={"assetIds": [asset_id]}, headers=headers
        )
        assert r.status_code == 400, asset_id


async def _timeline_ids(client: httpx.AsyncClient, headers: Headers, album: str) -> set[str]:
    r = await client.get("/api/timeline/buckets", params={"albumId": album}, headers=headers)
    assert r.status_code == 200, r.text
    found: set[str] = set()
    for bucket in r.json():
        r = await client.get(
            "/api/timeline/bucket",
            params={"albumId": album, "timeBucket": bucket["timeBucket"]},
            headers=headers,
        )
        assert r.status_code == 200, r.text
        found |= set(r.json()["id"])
    return found


async def test_album_link_reaches_its_album_only(client: httpx.AsyncClient, world: World) -> None:
    w = world
    key = by_key(w.album_link)
    await _asset_routes(
        client,
        key,
        allowed={w.a1, w.a2},
        denied={w.gone, w.locked, w.outside, w.theirs},
    )
    # the album, and no other
    r = await client.get(f"/api/albums/{w.album}", headers=key)
    assert r.status_code == 200 and r.json()["id"] == w.album
    r = await client.get(f"/api/albums/{w.other_album}", headers=key)
    assert r.status_code == 400 and r.json()["message"] == "Not found or no album.read access"
    # map markers: the album's located assets (never trashed or locked ones), no other album's
    r = await client.get(f"/api/albums/{w.album}/map-markers", headers=key)
    assert r.status_code == 200, r.text
    assert [(m["id"], m["lat"], m["lon"]) for m in r.json()] == [(w.a1, 48.1, 11.5)]
    r = await client.get(f"/api/albums/{w.other_album}/map-markers", headers=key)
    assert r.status_code == 400 and r.json()["message"] == "Not found or no album.read access"
    # timeline: the album's, never the owner's own
    assert await _timeline_ids(client, key, w.album) == {w.a1, w.a2}
    r = await client.get("/api/timeline/buckets", headers=key)
    assert r.status_code == 400 and r.json()["message"] == "Not found or no timeline.read access"
    r = await client.get("/api/timeline/buckets", params={"userId": w.me}, headers=key)
    assert r.status_code == 400
    for params in ({"albumId": w.other_album}, {"albumId": w.album, "isTrashed": "true"}):
        r = await client.get("/api/timeline/buckets", params=params, headers=key)
        assert r.status_code == 400, params
    # search: with the album as filter only
    r = await client.post("/api/search/metadata", json={}, headers=key)
    assert r.status_code == 400
    assert r.json()["message"] == (
        "Shared link access is only allowed in combination with an albumIds filter"
    )
    r = await client.post("/api/search/metadata", json={"albumIds": [w.album]}, headers=key)
    assert r.status_code == 200, r.text
    assert {a["id"] for a in r.json()["assets"]["items"]} == {w.a1, w.a2}
    for body in ({"albumIds": [w.other_album]}, {"albumIds": [w.album, w.other_album]}):
        r = await client.post("/api/search/metadata", json=body, headers=key)
        assert r.status_code == 400, body
    # downloads: the album, its assets; never the owner's library
    r = await client.post("/api/download/info", json={"albumId": w.album}, headers=key)
    assert r.status_code == 201, r.text
    assert {i for a in r.json()["archives"] for i in a["assetIds"]} == {w.a1, w.a2}
    r = await client.post("/api/download/info", json={"albumId": w.other_album}, headers=key)
    assert r.status_code == 400
    r = await client.post("/api/download/info", json={"userId": w.me}, headers=key)
    assert r.status_code == 400
    # the visitor's view of an asset: no owner, no people
    r = await client.get(f"/api/assets/{w.a1}", headers=key)
    assert r.status_code == 200 and "owner" not in r.json() and r.json()["people"] == []
    assert r.json()["exifInfo"]["make"] == "Canon"


async def test_individual_link_reaches_its_assets_only(
    client: httpx.AsyncClient, pool: Any, world: World
) -> None:
    w = world
    key = by_key(w.single)
    await _asset_routes(
        client,
        key,
        allowed={w.a1},
        denied={w.a2, w.gone, w.locked, w.outside, w.theirs},
    )
    for album in (w.album, w.other_album):
        r = await client.get(f"/api/albums/{album}", headers=key)
        assert r.status_code == 400
        r = await client.get(f"/api/albums/{album}/map-markers", headers=key)
        assert r.status_code == 400
        r = await client.get("/api/timeline/buckets", params={"albumId": album}, headers=key)
        assert r.status_code == 400
        r = await client.post("/api/search/metadata", json={"albumIds": [album]}, headers=key)
        assert r.status_code == 400
        r = await client.post("/api/download/info", json={"albumId": album}, headers=key)
        assert r.status_code == 400
    r = await client.post("/api/download/info", json={"assetIds": [w.a1]}, headers=key)
    assert r.status_code == 201, r.text
    r = await client.get("/api/shared-links/me", headers=key)
    assert [a["id"] for a in r.json()["assets"]] == [w.a1]
    # an asset moved to the trash leaves the link's reach
    await trash(pool, [w.a1])
    r = await client.get(f"/api/assets/{w.a1}", headers=key)
    assert r.status_code == 400
    r = await client.get("/api/shared-links/me", headers=key)
    assert r.json()["assets"] == []


async def test_hidden_metadata_and_downloads(
    client: httpx.AsyncClient, admin_headers: Headers, world: World
) -> None:
    w = world
    link = await make_link(client, admin_headers, albumId=w.album, showMetadata=False)
    key = by_key(link)
    r = await client.get(f"/api/assets/{w.a1}", headers=key)
    assert r.status_code == 200, r.text
    shown = r.json()
    assert shown["id"] == w.a1 and shown["hasMetadata"] is False
    for hidden in ("originalFileName", "originalPath", "exifInfo", "ownerId", "owner"):
        assert hidden not in shown, hidden
    # downloads are off with the metadata
    r = await client.get(f"/api/assets/{w.a1}/original", headers=key)
    assert r.status_code == 400 and r.json()["message"] == "Not found or no asset.download access"
    r = await client.post("/api/download/info", json={"albumId": w.album}, headers=key)
    assert r.status_code == 400
    # no coordinates in the timeline (a link showing metadata has them)
    params = {"albumId": w.album, "timeBucket": "2024-01-01", "withCoordinates": "true"}
    r = await client.get("/api/timeline/bucket", params=params, headers=by_key(w.album_link))
    assert r.status_code == 200 and r.json()["latitude"] == [48.1]
    r = await client.get("/api/timeline/bucket", params=params, headers=key)
    assert r.status_code == 200, r.text
    assert "latitude" not in r.json()
    # nor map markers (Immich answers none)
    r = await client.get(f"/api/albums/{w.album}/map-markers", headers=key)
    assert r.status_code == 200 and r.json() == []
    # individual link: /me lists its assets sanitized
    single = await make_link(client, admin_headers, assetIds=[w.a1], showMetadata=False)
    r = await client.get("/api/shared-links/me", headers=by_key(single))
    assert r.status_code == 200
    assert "originalFileName" not in r.json()["assets"][0]
    # allowDownload off alone
    r = await client.patch(
        f"/api/shared-links/{w.single['id']}", json={"allowDownload": False}, headers=admin_headers
    )
    assert r.status_code == 200
    r = await client.get(f"/api/assets/{w.a1}/original", headers=by_key(w.single))
    assert r.status_code == 400


async def test_visitor_uploads(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, world: World
) -> None:
    w = world
    r = await upload(client, by_key(w.album_link), b"\xff\xd8\xff-visitor-photo", "v.jpg")
    assert r.status_code == 201, r.text
    new = r.json()["id"]
    row = await pool.fetchrow('SELECT "ownerId" FROM "asset" WHERE "id" = $1::uuid', new)
    assert str(row["ownerId"]) == w.me  # the link owner's, as Immich
    in_album = await pool.fetchval(
        'SELECT count(*) FROM "album_asset" WHERE "albumId" = $1::uuid AND "assetId" = $2::uuid',
        w.album,
        new,
    )
    assert in_album == 1
    # the visitor sees it now
    r = await client.get(f"/api/assets/{new}", headers=by_key(w.album_link))
    assert r.status_code == 200
    # an individual link: the upload joins the link
    r = await upload(client, by_key(w.single), b"\xff\xd8\xff-another-photo", "w.jpg")
    assert r.status_code == 201, r.text
    added = r.json()["id"]
    r = await client.get("/api/shared-links/me", headers=by_key(w.single))
    assert {a["id"] for a in r.json()["assets"]} == {w.a1, added}
    # uploads switched off
    r = await client.patch(
        f"/api/shared-links/{w.album_link['id']}",
        json={"allowUpload": False},
        headers=admin_headers,
    )
    r = await upload(client, by_key(w.album_link), b"\xff\xd8\xff-refused", "x.jpg")
    assert r.status_code == 401


async def test_file_names_hidden_with_the_metadata(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    r = await upload(client, admin_headers, b"\xff\xd8\xff-named-photo", "Holiday Secret.jpg")
    assert r.status_code == 201, r.text
    asset_id = r.json()["id"]
    path = await pool.fetchval('SELECT "originalPath" FROM "asset" WHERE "id" = $1::uuid', asset_id)
    await pool.execute(
        'INSERT INTO "asset_file" ("assetId", "type", "path") VALUES ($1::uuid, $2, $3)',
        asset_id,
        "thumbnail",
        path,
    )
    shown = await make_link(client, admin_headers, assetIds=[asset_id])
    r = await client.get(f"/api/assets/{asset_id}/thumbnail", headers=by_key(shown))
    assert r.status_code == 200, r.text
    assert "Holiday%20Secret_thumbnail" in r.headers["content-disposition"]
    r = await client.get(f"/api/assets/{asset_id}/original", headers=by_key(shown))
    assert r.status_code == 200 and "Holiday" in r.headers["content-disposition"]
    hidden = await make_link(client, admin_headers, assetIds=[asset_id], showMetadata=False)
    r = await client.get(f"/api/assets/{asset_id}/thumbnail", headers=by_key(hidden))
    assert r.status_code == 200, r.text
    disposition = r.headers["content-disposition"]
    assert "Holiday" not in disposition and f"{asset_id}_thumbnail" in disposition
    # with downloads on again, the original keeps its name hidden too
    r = await client.patch(
        f"/api/shared-links/{hidden['id']}", json={"allowDownload": True}, headers=admin_headers
    )
    assert r.status_code == 200
    r = await client.get(f"/api/assets/{asset_id}/original", headers=by_key(hidden))
    assert r.status_code == 200, r.text
    assert "Holiday" not in r.headers["content-disposition"]
    assert f"{asset_id}.jpg" in r.headers["content-disposition"]
