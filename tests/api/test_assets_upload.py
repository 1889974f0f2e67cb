"""POST /api/assets and /api/assets/bulk-upload-check: stored files, rows, duplicates, quota,
bad input, interrupted bodies, the upload hook."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich import hookimpl
from immich.app import create_app
from immich.db.repos import assets, users
from immich.jobs.types import JobDefinition, JobRequest
from tests._server import running_server
from tests.api.asset_helpers import (
    DATE,
    files_under,
    read,
    sha1,
    upload,
    upload_dir,
    uploaded,
    user_id,
)
from tests.conftest import make_settings

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40


async def test_upload_stores_file_row_and_usage(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await upload(client, admin_headers, PHOTO, "IMG_0001.JPG", isFavorite="true")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "created" and set(body) == {"id", "status"}
    pool = app.state.ctx.db.pool
    row = await assets.get(pool, body["id"])
    assert row is not None
    owner = await user_id(app)
    clean = body["id"].replace("-", "")
    expected = upload_dir(app, owner) / clean[:2] / clean[2:4] / f"{body['id']}.JPG"
    assert row["originalPath"] == str(expected)
    assert read(expected) == PHOTO
    assert bytes(row["checksum"]) == sha1(PHOTO)
    assert (row["type"], row["originalFileName"], row["isFavorite"]) == (
        "IMAGE",
        "IMG_0001.JPG",
        True,
    )
    assert row["fileCreatedAt"].isoformat().startswith("2024-05-01T10:20:30")
    exif = await assets.get_exif(pool, body["id"])
    assert exif is not None and exif["fileSizeInByte"] == len(PHOTO)
    user = await users.get(pool, owner)
    assert user is not None and user["quotaUsageInBytes"] == len(PHOTO)
    assert files_under(upload_dir(app, owner)) == [
        str(expected.relative_to(upload_dir(app, owner)))
    ]
    assert int(expected.stat().st_mtime) == 1714558830  # the client's fileModifiedAt


async def test_same_content_is_a_duplicate(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    first = await uploaded(client, admin_headers, PHOTO)
    r = await upload(client, admin_headers, PHOTO, "other-name.png")
    assert (r.status_code, r.json()) == (200, {"id": first, "status": "duplicate"})
    owner = await user_id(app)
    assert len(files_under(upload_dir(app, owner))) == 1  # the second copy was removed
    user = await users.get(app.state.ctx.db.pool, owner)
    assert user is not None and user["quotaUsageInBytes"] == len(PHOTO)


async def test_concurrent_duplicates_make_one_asset(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    answers = await asyncio.gather(*(upload(client, admin_headers, PHOTO) for _ in range(4)))
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200, 200, 200, 201]
    assert len({r.json()["id"] for r in answers}) == 1
    owner = await user_id(app)
    assert len(files_under(upload_dir(app, owner))) == 1
    count = await app.state.ctx.db.pool.fetchval('SELECT count(*) FROM "asset"')
    assert count == 1


async def test_checksum_header_answers_before_the_body(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    first = await uploaded(client, admin_headers, PHOTO)
    for checksum in (base64.b64encode(sha1(PHOTO)).decode(), sha1(PHOTO).hex()):
        headers = {
            **admin_headers,
            "x-immich-checksum": checksum,
            "content-type": "multipart/form-data; boundary=x",
        }
        r = await client.post("/api/assets", headers=headers, content=b"not even a form")
        assert (r.status_code, r.json()) == (200, {"id": first, "status": "duplicate"})
    r = await upload(client, {**admin_headers, "x-immich-checksum": "00" * 20}, PHOTO + b"!")
    assert r.status_code == 201  # an unknown checksum: the body is read as usual


async def test_sidecar_is_stored_beside_the_original(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    xmp = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
    r = await upload(client, admin_headers, PHOTO, "a.heic", sidecar=xmp, sidecar_name="a.xmp")
    assert r.status_code == 201, r.text
    pool = app.state.ctx.db.pool
    row = await assets.get(pool, r.json()["id"])
    assert row is not None
    sidecar = Path(row["originalPath"] + ".xmp")
    assert read(sidecar) == xmp
    path = await pool.fetchval(
        'SELECT "path" FROM "asset_file" WHERE "assetId" = $1 AND "type" = \'sidecar\'',
        row["id"],
    )
    assert path == str(sidecar)


async def test_video_live_photo_and_metadata(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    video = await uploaded(client, admin_headers, b"\x00\x00\x00\x18ftypqt  " * 50, "clip.MOV")
    metadata = json.dumps([{"key": "mobile-app", "value": {"iCloudId": "abc"}}])
    r = await upload(
        client, admin_headers, PHOTO, "live.heic", livePhotoVideoId=video, metadata=metadata
    )
    assert r.status_code == 201, r.text
    pool = app.state.ctx.db.pool
    photo = await assets.get(pool, r.json()["id"])
    motion = await assets.get(pool, video)
    assert photo is not None and motion is not None
    assert (motion["type"], motion["visibility"]) == ("VIDEO", "hidden")
    assert str(photo["livePhotoVideoId"]) == video
    stored = await pool.fetchval(
        'SELECT "value" FROM "asset_metadata" WHERE "assetId" = $1', photo["id"]
    )
    assert stored == {"iCloudId": "abc"}  # one JSON value, not a JSON string
    r = await upload(client, admin_headers, PHOTO + b"2", "b.jpg", livePhotoVideoId=r.json()["id"])
    assert (r.status_code, r.json()["message"]) == (400, "Live photo video must be a video")


async def test_bad_input_is_refused_and_leaves_nothing(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    cases = [
        (("notes.txt", PHOTO, {}), "Unsupported file type notes.txt"),
        (("a.jpg", PHOTO, {"filename": "a.exe"}), "Unsupported file type a.exe"),
        (("empty.jpg", b"", {}), "Empty file: empty.jpg"),
    ]
    for (name, content, fields), message in cases:
        r = await upload(client, admin_headers, content, name, **fields)
        assert (r.status_code, r.json()) == (400, {"message": message}), name
    r = await upload(client, admin_headers, PHOTO, sidecar=b"x", sidecar_name="a.txt")
    assert (r.status_code, r.json()["message"]) == (400, "Unsupported file type a.txt")
    r = await client.post(
        "/api/assets", headers=admin_headers, data={"fileCreatedAt": DATE}, files={}
    )
    assert r.status_code == 400
    r = await client.post(
        "/api/assets",
        headers=admin_headers,
        data={"fileCreatedAt": "yesterday"},
        files={"assetData": ("a.jpg", PHOTO)},
    )
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"
    paths = {tuple(e["path"]) for e in r.json()["errors"]}
    assert paths == {("fileCreatedAt",), ("fileModifiedAt",)}
    r = await client.post("/api/assets", headers=admin_headers, json={"assetData": "x"})
    assert (r.status_code, r.json()) == (400, {"message": "Expected a multipart/form-data body"})
    r = await upload(client, {}, PHOTO)
    assert r.status_code == 401
    owner = await user_id(app)
    assert files_under(upload_dir(app, owner)) == []
    assert await app.state.ctx.db.pool.fetchval('SELECT count(*) FROM "asset"') == 0


async def test_quota_is_enforced(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    owner = await user_id(app)
    await users.update(pool, owner, {"quotaSizeInBytes": len(PHOTO) + 100})
    await uploaded(client, admin_headers, PHOTO)
    quota = {"message": "Quota has been exceeded!"}
    r = await upload(client, admin_headers, PHOTO + b"more")  # refused on its fileSize
    assert (r.status_code, r.json()) == (400, quota)
    r = await upload(client, admin_headers, PHOTO + b"more", fileSize="1")  # on its real size
    assert (r.status_code, r.json()) == (400, quota)
    user = await users.get(pool, owner)
    assert user is not None and user["quotaUsageInBytes"] == len(PHOTO)
    assert len(files_under(upload_dir(app, owner))) == 1
    await uploaded(client, admin_headers, b"small.jpg-content")  # still room for 100 bytes


async def _asgi_post(app: Any, headers: dict[str, str], chunks: list[bytes], end: str) -> int:
    """Drive the app at the ASGI level: send ``chunks`` then end the body (``end`` =
    ``"complete"``) or disconnect (``"disconnect"``); return the status sent (0: none)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/assets",
        "raw_path": b"/api/assets",
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": c, "more_body": True} for c in chunks
    ]
    messages.append(
        {"type": "http.request", "body": b"", "more_body": False}
        if end == "complete"
        else {"type": "http.disconnect"}
    )
    status = 0

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def _multipart(content: bytes, boundary: str = "b0undary") -> tuple[dict[str, str], bytes]:
    body = b"".join(
        [
            f"--{boundary}\r\nContent-Disposition: form-data; name=fileCreatedAt\r\n\r\n{DATE}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=fileModifiedAt\r\n\r\n"
            f"{DATE}\r\n--{boundary}\r\nContent-Disposition: form-data; name=assetData; "
            f'filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n'.encode(),
            content,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return {"content-type": f"multipart/form-data; boundary={boundary}"}, body


async def test_interrupted_upload_leaves_no_row_and_no_file(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    owner = await user_id(app)
    headers, body = _multipart(b"v" * (3 << 20))
    headers = {**headers, **admin_headers}
    half = body[: len(body) // 2]
    pieces = [half[i : i + 65536] for i in range(0, len(half), 65536)]
    assert await _asgi_post(app, headers, pieces, "disconnect") in (0, 400)
    assert files_under(upload_dir(app, owner)) == []
    assert await _asgi_post(app, headers, pieces, "complete") == 400  # no closing boundary
    assert files_under(upload_dir(app, owner)) == []
    assert await app.state.ctx.db.pool.fetchval('SELECT count(*) FROM "asset"') == 0
    assert await _asgi_post(app, headers, [body[:100], body[100:]], "complete") == 201
    assert len(files_under(upload_dir(app, owner))) == 1


def _poll(probe: Any, within: float = 15.0) -> Any:
    deadline = time.monotonic() + within
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


async def test_client_that_disconnects_mid_upload_leaves_nothing(
    app: Any, db_url: str, media_dir: Path, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """A real server and a real socket: half the body is sent, then the client hangs up."""
    folder = upload_dir(app, await user_id(app))
    headers, body = _multipart(b"v" * (8 << 20))
    env = {"DB_URL": db_url, "IMMICH_MEDIA_LOCATION": str(media_dir), "IMMICH_ROLES": "api"}

    def scenario() -> tuple[list[str], list[str]]:
        with running_server(env) as url:
            host, port = url.removeprefix("http://").split(":")
            head = "".join(
                f"{k}: {v}\r\n"
                for k, v in {**headers, **admin_headers, "Content-Length": len(body)}.items()
            )
            with socket.create_connection((host, int(port))) as sock:
                sock.sendall(f"POST /api/assets HTTP/1.1\r\nHost: {host}\r\n{head}\r\n".encode())
                sock.sendall(body[: len(body) // 2])
                during = _poll(lambda: files_under(folder))
            after = _poll(lambda: files_under(folder) == [] and ["gone"])
            return during, after

    during, after = await asyncio.to_thread(scenario)
    assert len(during) == 1 and during[0].endswith(".partial"), during  # it was being written
    assert after == ["gone"], files_under(folder)
    assert await app.state.ctx.db.pool.fetchval('SELECT count(*) FROM "asset"') == 0


class _UploadWatcher:
    """A toy plugin: records uploads and asks for a job of its own."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    @hookimpl
    def register_jobs(self) -> list[JobDefinition]:
        async def noop(ctx: Any, data: Any) -> None:
            return None

        return [JobDefinition(name="ToyAfterUpload", queue="backgroundTask", handler=noop)]

    @hookimpl
    def on_asset_uploaded(self, ctx: Any, asset: Any) -> list[JobRequest]:
        self.seen.append(asset)
        return [JobRequest("ToyAfterUpload", {"id": str(asset["id"])})]


async def test_upload_calls_the_hook_and_enqueues_its_jobs(
    db_url: str, media_dir: Path, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    watcher = _UploadWatcher()
    other = create_app(make_settings(db_url, media_dir), extra_plugins=[("watcher", watcher)])
    async with other.router.lifespan_context(other):
        transport = httpx.ASGITransport(app=other)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            r = await upload(c, admin_headers, PHOTO)
            assert r.status_code == 201, r.text
            await upload(c, admin_headers, PHOTO)  # a duplicate: no second event
        asset_id = r.json()["id"]
        assert [str(a["id"]) for a in watcher.seen] == [asset_id]
        assert watcher.seen[0]["originalFileName"] == "photo.jpg"
        jobs = await other.state.ctx.queues.jobs("backgroundTask")
        assert any(j.name == "ToyAfterUpload" and j.data == {"id": asset_id} for j in jobs), jobs


async def test_bulk_upload_check(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    first = await uploaded(client, admin_headers, PHOTO)
    trashed = await uploaded(client, admin_headers, PHOTO + b"t")
    r = await client.request(
        "DELETE", "/api/assets", headers=admin_headers, json={"ids": [trashed]}
    )
    assert r.status_code == 204
    body = {
        "assets": [
            {"id": "a.jpg", "checksum": sha1(PHOTO).hex()},
            {"id": "b.jpg", "checksum": base64.b64encode(sha1(PHOTO + b"t")).decode()},
            {"id": "new.jpg", "checksum": sha1(b"new").hex()},
            {"id": "junk", "checksum": "not a checksum"},
        ]
    }
    r = await client.post("/api/assets/bulk-upload-check", headers=admin_headers, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["results"] == [
        {"id": "a.jpg", "action": "reject", "reason": "duplicate", "assetId": first,
         "isTrashed": False},
        {"id": "b.jpg", "action": "reject", "reason": "duplicate", "assetId": trashed,
         "isTrashed": True},
        {"id": "new.jpg", "action": "accept"},
        {"id": "junk", "action": "accept"},
    ]  # fmt: skip
    r = await client.post(
        "/api/assets/bulk-upload-check", headers=admin_headers, json={"assets": [{"id": 1}]}
    )
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"


async def test_files_are_renamed_under_a_pending_marker(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], monkeypatch: Any
) -> None:
    """A crash between the renames and the commit leaves a ``.pending`` marker naming the
    files (for the sweep); a finished upload, kept or refused, leaves none."""
    from immich.services import upload as upload_service

    seen: list[list[str]] = []
    real_place = upload_service._place

    def spy(source: Path, final: Path, modified: Any) -> None:
        seen.append(sorted(os.listdir(final.parent)))
        real_place(source, final, modified)

    monkeypatch.setattr(upload_service, "_place", spy)
    r = await upload(client, admin_headers, PHOTO, "a.jpg", sidecar=b"<xmp/>")
    assert r.status_code == 201, r.text
    asset_id = r.json()["id"]
    assert f".{asset_id}.pending" in seen[0] and f".{asset_id}.pending" in seen[1]
    owner = await user_id(app)
    names = [Path(p).name for p in files_under(upload_dir(app, owner))]
    assert sorted(names) == [f"{asset_id}.jpg", f"{asset_id}.jpg.xmp"]  # marker gone

    def failing(source: Path, final: Path, modified: Any) -> None:
        real_place(source, final, modified)
        raise OSError("disk full")  # after the rename, before the commit

    monkeypatch.setattr(upload_service, "_place", failing)
    with pytest.raises(OSError, match="disk full"):  # the test client re-raises the 500's cause
        await upload(client, admin_headers, PHOTO + b"2", "b.jpg")
    assert await app.state.ctx.db.pool.fetchval('SELECT count(*) FROM "asset"') == 1
    assert sorted(Path(p).name for p in files_under(upload_dir(app, owner))) == sorted(names)
