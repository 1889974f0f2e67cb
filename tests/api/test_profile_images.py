"""/api/users/profile-image (upload, delete) and /api/users/{id}/profile-image (serve)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

import plugins.assets
from tests.api.asset_factory import UNKNOWN_ID, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\1" * 64


@pytest.fixture
async def ctx(app: Any, client: httpx.AsyncClient) -> Any:
    context = app.state.ctx
    await context.queues.empty("backgroundTask")
    return context


async def upload(
    client: httpx.AsyncClient, headers: Headers, content: bytes, name: str, field: str = "file"
) -> httpx.Response:
    files = {field: (name, content, "application/octet-stream")}
    return await client.post("/api/users/profile-image", files=files, headers=headers)


def profile_files(ctx: Any, owner: Any) -> list[str]:
    folder = Path(ctx.settings.media_location) / "profile" / str(owner)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def content_of(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


async def run_file_deletes(ctx: Any) -> None:
    for job in await ctx.queues.jobs("backgroundTask", ["waiting"]):
        assert job.name == "FileDelete"
        await plugins.assets.file_delete(ctx, dict(job.data))
    await ctx.queues.empty("backgroundTask")


async def test_upload_replace_serve_and_delete(
    client: httpx.AsyncClient, admin_headers: Headers, ctx: Any
) -> None:
    me = await user_id(ctx.db.pool)
    r = await upload(client, admin_headers, PNG, "me.png")
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["userId"] == str(me)
    path = Path(first["profileImagePath"])
    assert path.parent == Path(ctx.settings.media_location) / "profile" / str(me)
    assert path.suffix == ".png" and content_of(path) == PNG
    assert profile_files(ctx, me) == [path.name]  # no temporary file left
    r = await client.get("/api/users/me", headers=admin_headers)
    assert r.json()["profileImagePath"] == str(path)
    assert r.json()["profileChangedAt"] == first["profileChangedAt"]

    _, other_headers = await user_and_login(client, admin_headers)
    r = await client.get(f"/api/users/{me}/profile-image", headers=other_headers)
    assert r.status_code == 200
    assert r.content == PNG
    assert r.headers["content-type"] == "image/png"
    assert r.headers["cache-control"] == "private, no-cache, no-transform"
    etag = r.headers["etag"]
    assert "last-modified" in r.headers
    r = await client.get(
        f"/api/users/{me}/profile-image", headers={**other_headers, "If-None-Match": etag}
    )
    assert r.status_code == 304 and r.content == b""

    r = await upload(client, admin_headers, JPEG, "new.JPG")
    assert r.status_code == 201, r.text
    second = Path(r.json()["profileImagePath"])
    assert second.suffix == ".jpg" and second != path
    assert r.json()["profileChangedAt"] > first["profileChangedAt"]
    r = await client.get(
        f"/api/users/{me}/profile-image", headers={**other_headers, "If-None-Match": etag}
    )
    assert r.status_code == 200 and r.content == JPEG  # changed: the old ETag no longer matches
    assert r.headers["content-type"] == "image/jpeg"
    assert content_of(path) == PNG  # removed by the worker, after the row moved on
    await run_file_deletes(ctx)
    assert profile_files(ctx, me) == [second.name]

    r = await client.delete("/api/users/profile-image", headers=admin_headers)
    assert r.status_code == 204
    r = await client.get(f"/api/users/{me}/profile-image", headers=other_headers)
    assert r.status_code == 404
    assert r.json() == {"message": "User does not have a profile image"}
    await run_file_deletes(ctx)
    assert profile_files(ctx, me) == []
    r = await client.delete("/api/users/profile-image", headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "Can't delete a missing profile Image"}


@pytest.mark.parametrize(
    ("content", "name", "field", "message"),
    [
        (b"GIF89a", "anim.gif", "file", "Unsupported file type anim.gif"),
        (b"%PDF", "doc.pdf", "file", "Unsupported file type doc.pdf"),
        (PNG, "me.png", "assetData", "Unexpected field assetData"),
    ],
)
async def test_refused_uploads_leave_nothing(
    client: httpx.AsyncClient,
    admin_headers: Headers,
    ctx: Any,
    content: bytes,
    name: str,
    field: str,
    message: str,
) -> None:
    me = await user_id(ctx.db.pool)
    r = await upload(client, admin_headers, content, name, field)
    assert r.status_code == 400, r.text
    assert r.json() == {"message": message}
    assert profile_files(ctx, me) == []
    r = await client.get("/api/users/me", headers=admin_headers)
    assert r.json()["profileImagePath"] == ""


async def test_broken_bodies_and_unknown_users(
    client: httpx.AsyncClient, admin_headers: Headers, ctx: Any
) -> None:
    me = await user_id(ctx.db.pool)
    r = await client.post(
        "/api/users/profile-image", content=b"not multipart", headers=admin_headers
    )
    assert r.status_code == 400
    truncated = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n' + PNG
    )
    r = await client.post(
        "/api/users/profile-image",
        content=truncated,
        headers={**admin_headers, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert r.status_code == 400
    assert profile_files(ctx, me) == []
    r = await client.post(
        "/api/users/profile-image",
        content=b"--b--\r\n",
        headers={**admin_headers, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert r.status_code == 400
    r = await client.get(f"/api/users/{UNKNOWN_ID}/profile-image", headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "User not found"}
    r = await client.get("/api/users/not-a-uuid/profile-image", headers=admin_headers)
    assert r.status_code == 400
    assert r.json()["message"] == "Validation failed"
    r = await client.get(f"/api/users/{me}/profile-image", headers=admin_headers)
    assert r.status_code == 404
    r = await client.get(f"/api/users/{me}/profile-image")
    assert r.status_code == 401
