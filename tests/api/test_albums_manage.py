"""/api/albums beyond create/read/add: update, delete, asset removal, statistics, map markers;
each through the real app, with the change ids and audit rows the sync stream reads."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.asset_factory import make_asset, trash, user_id
from tests.api.asset_helpers import UNKNOWN_ID, uploaded
from tests.api.user_helpers import user_and_login

JPEG = b"\xff\xd8\xff" + b"manage" * 100


async def _album(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> Any:
    r = await client.post("/api/albums", headers=headers, json={"albumName": "A", **body})
    assert r.status_code == 201, r.text
    return r.json()


async def _shared(
    client: httpx.AsyncClient, admin_headers: dict[str, str], role: str, asset_ids: list[str]
) -> tuple[Any, dict[str, Any], dict[str, str]]:
    """The admin's album holding ``asset_ids``, shared with a new user as ``role``."""
    user, headers = await user_and_login(client, admin_headers, f"{role}@example.com")
    album = await _album(
        client, admin_headers, assetIds=asset_ids, albumUsers=[{"userId": user["id"], "role": role}]
    )
    return album, user, headers


async def test_update_album_info(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    first = await uploaded(client, admin_headers, JPEG, "a.jpg")
    second = await uploaded(client, admin_headers, JPEG + b"2", "b.jpg")
    outside = await uploaded(client, admin_headers, JPEG + b"3", "c.jpg")
    album = await _album(client, admin_headers, assetIds=[first, second])
    before = await pool.fetchval(
        'SELECT "updateId" FROM "album" WHERE "id" = $1', uuid.UUID(album["id"])
    )
    r = await client.patch(
        f"/api/albums/{album['id']}",
        headers=admin_headers,
        json={
            "albumName": "Renamed",
            "description": "Words",
            "albumThumbnailAssetId": second,
            "order": "asc",
            "isActivityEnabled": False,
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["albumName"], body["description"], body["albumThumbnailAssetId"]) == (
        "Renamed",
        "Words",
        second,
    )
    assert (body["order"], body["isActivityEnabled"], body["assetCount"]) == ("asc", False, 2)
    after = await pool.fetchval(
        'SELECT "updateId" FROM "album" WHERE "id" = $1', uuid.UUID(album["id"])
    )
    assert after.bytes > before.bytes  # a later change id
    # an asset outside the album cannot be its thumbnail; nothing changes
    r = await client.patch(
        f"/api/albums/{album['id']}",
        headers=admin_headers,
        json={"albumThumbnailAssetId": outside, "albumName": "No"},
    )
    assert r.status_code == 400 and r.json()["message"] == "Invalid album thumbnail"
    r = await client.get(f"/api/albums/{album['id']}", headers=admin_headers)
    assert r.json()["albumName"] == "Renamed"
    r = await client.patch(f"/api/albums/{album['id']}", headers=admin_headers, json={"order": "x"})
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"


async def test_editor_updates_viewer_may_not(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    editor_album, _, editor = await _shared(client, admin_headers, "editor", [])
    r = await client.patch(
        f"/api/albums/{editor_album['id']}", headers=editor, json={"albumName": "By editor"}
    )
    assert r.status_code == 200 and r.json()["albumName"] == "By editor"
    r = await client.delete(f"/api/albums/{editor_album['id']}", headers=editor)
    assert r.status_code == 400
    assert r.json()["message"] == "Not found or no album.delete access"
    viewer_album, _, viewer = await _shared(client, admin_headers, "viewer", [])
    r = await client.patch(
        f"/api/albums/{viewer_album['id']}", headers=viewer, json={"albumName": "By viewer"}
    )
    assert r.status_code == 400
    assert r.json()["message"] == "Not found or no album.update access"


async def test_statistics_route_is_not_an_id(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await _album(client, admin_headers)
    await _album(client, admin_headers)
    _, user, headers = await _shared(client, admin_headers, "viewer", [])
    r = await client.get("/api/albums/statistics", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"owned": 3, "shared": 1, "notShared": 2}
    r = await client.get("/api/albums/statistics", headers=headers)
    assert r.json() == {"owned": 0, "shared": 1, "notShared": 0}


async def test_delete_album_records_audit_for_everyone(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    asset = await uploaded(client, admin_headers, JPEG)
    album, user, headers = await _shared(client, admin_headers, "editor", [asset])
    r = await client.delete(f"/api/albums/{album['id']}", headers=headers)
    assert r.status_code == 400
    r = await client.delete(f"/api/albums/{album['id']}", headers=admin_headers)
    assert r.status_code == 204, r.text
    r = await client.get(f"/api/albums/{album['id']}", headers=admin_headers)
    assert r.status_code == 400
    audited = await pool.fetch(
        'SELECT "userId" FROM "album_audit" WHERE "albumId" = $1', uuid.UUID(album["id"])
    )
    assert {str(r["userId"]) for r in audited} == {user["id"], str(await user_id(pool))}
    # the asset stays; only its place in the album went
    r = await client.get(f"/api/assets/{asset}", headers=admin_headers)
    assert r.status_code == 200
    r = await client.delete(f"/api/albums/{album['id']}", headers=admin_headers)
    assert r.status_code == 400


async def test_remove_assets_per_id_and_thumbnail(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    old = await uploaded(client, admin_headers, JPEG, "old.jpg")
    new = await uploaded(client, admin_headers, JPEG + b"n", "new.jpg")
    await pool.execute(
        'UPDATE "asset" SET "fileCreatedAt" = "fileCreatedAt" + interval \'1 day\' WHERE "id" = $1',
        uuid.UUID(new),
    )
    album, _, editor = await _shared(client, admin_headers, "editor", [old, new])
    assert album["albumThumbnailAssetId"] == old
    # an editor may not remove the owner's assets (asset.share), only their own
    r = await client.request(
        "DELETE", f"/api/albums/{album['id']}/assets", headers=editor, json={"ids": [old]}
    )
    assert r.json() == [{"id": old, "success": False, "error": "no_permission"}]
    mine = await uploaded(client, editor, JPEG + b"e", "e.jpg")
    r = await client.put(f"/api/albums/{album['id']}/assets", headers=editor, json={"ids": [mine]})
    assert r.json()[0]["success"] is True
    r = await client.request(
        "DELETE", f"/api/albums/{album['id']}/assets", headers=editor, json={"ids": [mine]}
    )
    assert r.json() == [{"id": mine, "success": True}]
    # the owner removes any; unknown ids and repeats are not found
    r = await client.request(
        "DELETE",
        f"/api/albums/{album['id']}/assets",
        headers=admin_headers,
        json={"ids": [old, old, UNKNOWN_ID]},
    )
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"id": old, "success": True},
        {"id": old, "success": False, "error": "not_found"},
        {"id": UNKNOWN_ID, "success": False, "error": "not_found"},
    ]
    got = (await client.get(f"/api/albums/{album['id']}", headers=admin_headers)).json()
    assert got["albumThumbnailAssetId"] == new and got["assetCount"] == 1
    audited = await pool.fetch(
        'SELECT "assetId" FROM "album_asset_audit" WHERE "albumId" = $1', uuid.UUID(album["id"])
    )
    assert {str(r["assetId"]) for r in audited} == {old, mine}
    r = await client.request(
        "DELETE", f"/api/albums/{album['id']}/assets", headers=admin_headers, json={"ids": [new]}
    )
    got = (await client.get(f"/api/albums/{album['id']}", headers=admin_headers)).json()
    assert got["albumThumbnailAssetId"] is None and got["assetCount"] == 0


async def test_trashed_thumbnail_is_replaced_on_read(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    first = await uploaded(client, admin_headers, JPEG, "a.jpg")
    second = await uploaded(client, admin_headers, JPEG + b"2", "b.jpg")
    album = await _album(client, admin_headers, assetIds=[first, second])
    await trash(pool, [uuid.UUID(first)])
    got = (await client.get(f"/api/albums/{album['id']}", headers=admin_headers)).json()
    assert got["albumThumbnailAssetId"] == second


async def test_viewer_reads_and_downloads_but_does_not_edit(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset = await uploaded(client, admin_headers, JPEG)
    album, _, viewer = await _shared(client, admin_headers, "viewer", [asset])
    r = await client.get(f"/api/assets/{asset}", headers=viewer)
    assert r.status_code == 200
    r = await client.get(f"/api/assets/{asset}/original", headers=viewer)
    assert r.status_code == 200 and r.content == JPEG
    r = await client.post("/api/download/info", headers=viewer, json={"albumId": album["id"]})
    assert r.status_code == 201, r.text
    assert [a for part in r.json()["archives"] for a in part["assetIds"]] == [asset]
    own = await uploaded(client, viewer, JPEG + b"v", "v.jpg")
    r = await client.put(f"/api/albums/{album['id']}/assets", headers=viewer, json={"ids": [own]})
    assert r.status_code == 400
    assert r.json()["message"] == "Not found or no albumAsset.create access"
    r = await client.request(
        "DELETE", f"/api/albums/{album['id']}/assets", headers=viewer, json={"ids": [asset]}
    )
    assert r.status_code == 400
    assert r.json()["message"] == "Not found or no albumAsset.delete access"


async def test_album_map_markers(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    owner = await user_id(pool)
    located = await make_asset(pool, owner, exif={"latitude": 48.85, "longitude": 2.35})
    nowhere = await make_asset(pool, owner)
    album = await _album(client, admin_headers, assetIds=[str(located["id"]), str(nowhere["id"])])
    r = await client.get(f"/api/albums/{album['id']}/map-markers", headers=admin_headers)
    assert r.status_code == 200, r.text
    [marker] = r.json()
    assert marker["id"] == str(located["id"]) and (marker["lat"], marker["lon"]) == (48.85, 2.35)
    _, stranger = await user_and_login(client, admin_headers, "stranger@example.com")
    r = await client.get(f"/api/albums/{album['id']}/map-markers", headers=stranger)
    assert r.status_code == 400
