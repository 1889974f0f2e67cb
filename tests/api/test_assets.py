"""/api/assets: statistics, asset info, edits, trash and permanent deletion, original download."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import httpx

from immich.db.repos import api_keys, assets, users
from immich.services import auth as auth_service
from tests.api.asset_factory import make_asset
from tests.api.asset_helpers import (
    UNKNOWN_ID,
    exists,
    sha1,
    shared_album,
    upload,
    uploaded,
    user_id,
)
from tests.api.user_helpers import user_and_login


async def test_statistics_count_own_assets_with_filters(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    admin = await users.get_by_email(pool, "admin@example.com")
    other = await users.create(pool, {"email": "o@example.com", "name": "O"})
    assert admin is not None
    me = admin["id"]
    await make_asset(pool, me, type="IMAGE", isFavorite=True)
    await make_asset(pool, me, type="IMAGE", visibility="archive")
    await make_asset(pool, me, type="VIDEO")
    await make_asset(pool, me, type="OTHER")
    await make_asset(pool, me, type="IMAGE", visibility="hidden")  # not counted by default
    await make_asset(pool, me, type="VIDEO", deletedAt=dt.datetime.now(dt.UTC), status="trashed")
    await make_asset(pool, other["id"], type="IMAGE")  # someone else's

    async def stats(**params: str) -> Any:
        r = await client.get("/api/assets/statistics", params=params, headers=admin_headers)
        assert r.status_code == 200, r.text
        return r.json()

    assert await stats() == {"images": 2, "videos": 1, "total": 4}
    assert await stats(isFavorite="true") == {"images": 1, "videos": 0, "total": 1}
    assert await stats(visibility="archive") == {"images": 1, "videos": 0, "total": 1}
    assert await stats(visibility="hidden") == {"images": 1, "videos": 0, "total": 1}
    assert await stats(isTrashed="true") == {"images": 0, "videos": 1, "total": 1}


async def test_statistics_bad_input_and_auth(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.get("/api/assets/statistics")
    assert r.status_code == 401
    r = await client.get(
        "/api/assets/statistics", params={"visibility": "nope"}, headers=admin_headers
    )
    assert r.status_code == 400
    assert r.json()["message"] == "Validation failed"
    assert r.json()["errors"][0]["path"] == ["visibility"]
    pool = app.state.ctx.db.pool
    admin = await users.get_by_email(pool, "admin@example.com")
    assert admin is not None
    secret = auth_service.new_secret()
    await api_keys.create(pool, admin["id"], "k", auth_service.hash_secret(secret), ["user.read"])
    r = await client.get("/api/assets/statistics", headers={"x-api-key": secret})
    assert r.status_code == 403
    assert r.json() == {"message": "Missing required permission: asset.statistics"}


# --- GET/PUT/DELETE /api/assets, original download ------------------------------------------

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 64


async def test_get_asset_info_as_immich(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset_id = await uploaded(client, admin_headers, PHOTO, "IMG_1.jpg")
    pool = app.state.ctx.db.pool
    await pool.execute(
        'UPDATE "asset_exif" SET "make" = \'Canon\', "latitude" = 1.5 WHERE "assetId" = $1',
        uuid.UUID(asset_id),
    )
    await pool.execute(
        'UPDATE "asset" SET "thumbhash" = $2, "duration" = \'1500\' WHERE "id" = $1',
        uuid.UUID(asset_id),
        b"\x01\x02",
    )
    r = await client.get(f"/api/assets/{asset_id}", headers=admin_headers)
    assert r.status_code == 200, r.text
    body = r.json()
    owner = await user_id(app)
    assert body["id"] == asset_id and body["ownerId"] == str(owner)
    assert body["owner"]["email"] == "admin@example.com"
    assert body["checksum"] == base64.b64encode(sha1(PHOTO)).decode()
    assert (body["thumbhash"], body["duration"]) == ("AQI=", 1500)
    assert (body["type"], body["visibility"], body["originalMimeType"]) == (
        "IMAGE",
        "timeline",
        "image/jpeg",
    )
    assert body["isArchived"] is False and body["isTrashed"] is False
    assert body["exifInfo"]["make"] == "Canon" and body["exifInfo"]["latitude"] == 1.5
    assert body["exifInfo"]["fileSizeInByte"] == len(PHOTO)
    assert body["exifInfo"]["city"] is None  # every EXIF key, null when unknown
    assert (body["people"], body["tags"], body["stack"]) == ([], [], None)
    assert body["hasMetadata"] is True and body["livePhotoVideoId"] is None
    assert body["fileCreatedAt"] == "2024-05-01T10:20:30.000Z"


async def test_someone_elses_or_malformed_id(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset_id = await uploaded(client, admin_headers, PHOTO)
    _, other = await user_and_login(client, admin_headers)
    denied = {
        ("GET", f"/api/assets/{asset_id}"): "asset.read",
        ("GET", f"/api/assets/{asset_id}/original"): "asset.download",
        ("PUT", f"/api/assets/{asset_id}"): "asset.update",
        ("GET", f"/api/assets/{UNKNOWN_ID}"): "asset.read",
    }
    for (method, path), permission in denied.items():
        r = await client.request(method, path, headers=other, json={})
        assert (r.status_code, r.json()) == (
            400,
            {"message": f"Not found or no {permission} access"},
        ), path
    for method, path, body in (
        ("PUT", "/api/assets", {"ids": [asset_id], "isFavorite": True}),
        ("DELETE", "/api/assets", {"ids": [asset_id]}),
    ):
        r = await client.request(method, path, headers=other, json=body)
        assert r.status_code == 400 and r.json()["message"].startswith("Not found or no asset.")
    r = await client.get("/api/assets/not-a-uuid", headers=admin_headers)
    assert r.status_code == 400
    assert r.json()["errors"] == [{"path": ["id"], "message": "Invalid UUID"}]
    r = await client.request("DELETE", "/api/assets", headers=admin_headers, json={"ids": ["nope"]})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["ids", 0]
    r = await client.get(f"/api/assets/{asset_id}", headers=admin_headers)
    assert r.json()["isFavorite"] is False and r.json()["isTrashed"] is False


async def test_album_member_may_read_but_not_change(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset_id = await uploaded(client, admin_headers, PHOTO)
    member, member_headers = await user_and_login(client, admin_headers)
    await shared_album(client, admin_headers, [asset_id], member["id"])
    r = await client.get(f"/api/assets/{asset_id}", headers=member_headers)
    assert r.status_code == 200 and r.json()["isFavorite"] is False
    r = await client.get(f"/api/assets/{asset_id}/original", headers=member_headers)
    assert r.status_code == 200 and r.content == PHOTO
    r = await client.put(f"/api/assets/{asset_id}", headers=member_headers, json={})
    assert r.json() == {"message": "Not found or no asset.update access"}


async def test_update_asset_and_bulk_update(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    one = await uploaded(client, admin_headers, PHOTO, "one.jpg")
    two = await uploaded(client, admin_headers, PHOTO + b"2", "two.jpg")
    r = await client.put(
        f"/api/assets/{one}",
        headers=admin_headers,
        json={
            "isFavorite": True,
            "description": "Harbour",
            "rating": 4,
            "latitude": 59.9,
            "longitude": 10.7,
            "dateTimeOriginal": "2020-02-03T04:05:06+02:00",
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["isFavorite"] is True
    exif = body["exifInfo"]
    assert (exif["description"], exif["rating"], exif["latitude"], exif["longitude"]) == (
        "Harbour",
        4,
        59.9,
        10.7,
    )
    assert exif["dateTimeOriginal"] == "2020-02-03T02:05:06.000Z"
    assert exif["timeZone"] == "UTC+2"
    assert body["localDateTime"] == "2020-02-03T04:05:06.000Z"
    locked = await app.state.ctx.db.pool.fetchval(
        'SELECT "lockedProperties" FROM "asset_exif" WHERE "assetId" = $1', uuid.UUID(one)
    )
    assert set(locked) >= {"description", "rating", "latitude", "longitude", "dateTimeOriginal"}
    r = await client.put(f"/api/assets/{one}", headers=admin_headers, json={"rating": 0})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["rating"]
    r = await client.put(f"/api/assets/{one}", headers=admin_headers, json={"latitude": 91})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["latitude"]
    r = await client.put(
        "/api/assets",
        headers=admin_headers,
        json={"ids": [one, two], "visibility": "archive", "rating": -1, "dateTimeRelative": 60},
    )
    assert r.status_code == 204, r.text
    for asset_id in (one, two):
        info = (await client.get(f"/api/assets/{asset_id}", headers=admin_headers)).json()
        assert (info["visibility"], info["isArchived"], info["exifInfo"]["rating"]) == (
            "archive",
            True,
            -1,
        )
    info = (await client.get(f"/api/assets/{one}", headers=admin_headers)).json()
    assert info["exifInfo"]["dateTimeOriginal"] == "2020-02-03T03:05:06.000Z"
    assert info["localDateTime"] == "2020-02-03T05:05:06.000Z"


async def test_update_asset_null_clears_and_absent_keeps(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """The route hands the service only the fields sent: ``null`` clears, absent keeps."""
    video = await uploaded(client, admin_headers, PHOTO + b"v", "clip.mov")
    photo = await uploaded(client, admin_headers, PHOTO + b"p", "live.jpg")
    r = await client.put(
        f"/api/assets/{photo}",
        headers=admin_headers,
        json={"rating": 3, "livePhotoVideoId": video},
    )
    assert r.status_code == 200, r.text
    assert r.json()["livePhotoVideoId"] == video and r.json()["exifInfo"]["rating"] == 3
    r = await client.put(f"/api/assets/{photo}", headers=admin_headers, json={"isFavorite": True})
    body = r.json()
    assert body["livePhotoVideoId"] == video and body["exifInfo"]["rating"] == 3
    r = await client.put(
        f"/api/assets/{photo}",
        headers=admin_headers,
        json={"rating": None, "livePhotoVideoId": None},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["livePhotoVideoId"] is None and body["exifInfo"]["rating"] is None
    assert body["isFavorite"] is True
    shown = (await client.get(f"/api/assets/{video}", headers=admin_headers)).json()
    assert shown["visibility"] == "timeline"  # unlinked: the video shows again


async def test_trash_then_force_delete_removes_files_after_the_row(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    from plugins.assets import file_delete

    r = await upload(client, admin_headers, PHOTO, "a.jpg", sidecar=b"<xmp/>")
    asset_id = r.json()["id"]
    pool = app.state.ctx.db.pool
    row = await assets.get(pool, asset_id)
    assert row is not None
    original = Path(row["originalPath"])
    thumb = original.parent / f"{asset_id}_thumbnail.webp"
    thumb.write_bytes(b"thumb")
    await pool.execute(
        'INSERT INTO "asset_file" ("assetId", "type", "path") VALUES ($1, \'thumbnail\', $2)',
        row["id"],
        str(thumb),
    )
    r = await client.request(
        "DELETE", "/api/assets", headers=admin_headers, json={"ids": [asset_id]}
    )
    assert r.status_code == 204
    trashed = await assets.get(pool, asset_id)
    assert trashed is not None and trashed["status"] == "trashed" and trashed["deletedAt"]
    assert exists(original) == [True]
    info = (await client.get(f"/api/assets/{asset_id}", headers=admin_headers)).json()
    assert info["isTrashed"] is True

    sidecar = Path(f"{original}.xmp")
    ctx = app.state.ctx
    early = await file_delete(ctx, {"files": [str(original), str(sidecar)]})
    assert early["removed"] == [] and exists(original) == [True]  # the row still uses them

    r = await client.request(
        "DELETE", "/api/assets", headers=admin_headers, json={"ids": [asset_id], "force": True}
    )
    assert r.status_code == 204
    assert await assets.get(pool, asset_id) is None
    assert exists(original, sidecar, thumb) == [True] * 3  # the worker's job
    owner = await user_id(app)
    user = await users.get(pool, owner)
    assert user is not None and user["quotaUsageInBytes"] == 0
    jobs = await ctx.queues.jobs("backgroundTask")
    job = next(j for j in jobs if j.name == "FileDelete" and str(original) in j.data["files"])
    assert set(job.data["files"]) == {str(original), str(sidecar), str(thumb)}
    done = await file_delete(ctx, job.data)
    assert sorted(done["removed"]) == sorted(job.data["files"])
    assert exists(original, sidecar, thumb) == [False] * 3
    again = await file_delete(ctx, job.data)  # idempotent
    assert again == {"removed": [], "kept": []}


async def test_delete_is_permanent_when_the_trash_is_off(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset_id = await uploaded(client, admin_headers, PHOTO)
    r = await client.put(
        "/api/system-config",
        headers=admin_headers,
        json={**(await client.get("/api/system-config", headers=admin_headers)).json(),
              "trash": {"enabled": False, "days": 30}},
    )  # fmt: skip
    assert r.status_code == 200, r.text
    r = await client.request(
        "DELETE", "/api/assets", headers=admin_headers, json={"ids": [asset_id]}
    )
    assert r.status_code == 204
    assert await assets.get(app.state.ctx.db.pool, asset_id) is None


async def test_asset_delete_job_deletes_row_then_queues_files(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    from plugins.assets import asset_delete

    video = await uploaded(client, admin_headers, PHOTO + b"v", "clip.mov")
    r = await upload(client, admin_headers, PHOTO, "live.heic", livePhotoVideoId=video)
    photo = r.json()["id"]
    pool = app.state.ctx.db.pool
    paths = [(await assets.get(pool, i))["originalPath"] for i in (photo, video)]  # type: ignore[index]
    result = await asset_delete(app.state.ctx, {"id": photo})
    assert sorted(result["files"]) == sorted(paths)  # the unused motion part went with it
    assert await assets.get(pool, photo) is None and await assets.get(pool, video) is None
    assert await asset_delete(app.state.ctx, {"id": photo}) == {"files": []}


async def test_download_original_with_range(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    asset_id = await uploaded(client, admin_headers, PHOTO, "Ferien Ä.jpg")
    url = f"/api/assets/{asset_id}/original"
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 200 and r.content == PHOTO
    assert r.headers["content-type"] == "image/jpeg"
    assert r.headers["content-disposition"].startswith("attachment; filename*=utf-8''Ferien%20")
    assert r.headers["accept-ranges"] == "bytes" and r.headers["etag"]
    assert r.headers["cache-control"] == "private, max-age=86400, no-transform"
    r = await client.get(url, headers={**admin_headers, "Range": "bytes=10-19"})
    assert r.status_code == 206 and r.content == PHOTO[10:20]
    assert r.headers["content-range"] == f"bytes 10-19/{len(PHOTO)}"
    r = await client.get(url, headers={**admin_headers, "Range": f"bytes={len(PHOTO)}-"})
    assert r.status_code == 416
    etag = (await client.get(url, headers=admin_headers)).headers["etag"]
    r = await client.get(url, headers={**admin_headers, "If-None-Match": etag})
    assert r.status_code == 304
