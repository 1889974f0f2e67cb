"""/api/assets/statistics: the caller's own assets, Immich's filters and defaults."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx

from immich.db.repos import api_keys, assets, users
from immich.services import auth as auth_service


async def _asset(pool: Any, owner: Any, kind: str, **extra: Any) -> None:
    now = dt.datetime.now(dt.UTC)
    await assets.create(
        pool,
        {
            "deviceAssetId": uuid.uuid4().hex,
            "ownerId": owner,
            "deviceId": "test",
            "type": kind,
            "originalPath": f"/upload/{uuid.uuid4()}",
            "originalFileName": "file",
            "fileCreatedAt": now,
            "localDateTime": now,
            "fileModifiedAt": now,
            "checksum": uuid.uuid4().bytes,
            **extra,
        },
    )


async def test_statistics_count_own_assets_with_filters(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    admin = await users.get_by_email(pool, "admin@example.com")
    other = await users.create(pool, {"email": "o@example.com", "name": "O"})
    assert admin is not None
    me = admin["id"]
    await _asset(pool, me, "IMAGE", isFavorite=True)
    await _asset(pool, me, "IMAGE", visibility="archive")
    await _asset(pool, me, "VIDEO")
    await _asset(pool, me, "OTHER")
    await _asset(pool, me, "IMAGE", visibility="hidden")  # not counted by default
    await _asset(pool, me, "VIDEO", deletedAt=dt.datetime.now(dt.UTC), status="trashed")
    await _asset(pool, other["id"], "IMAGE")  # someone else's

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
