"""/api/view (folders of original paths) and the calendar heat maps
(``/users/me/calendar-heatmap``, ``/admin/users/{id}/calendar-heatmap``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from tests.api.asset_factory import UNKNOWN_ID, make_asset, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def in_folder(pool: Any, owner: Any, path: str, **columns: Any) -> Any:
    return await make_asset(pool, owner, originalPath=path, **columns)


async def test_unique_paths_and_folder_contents(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    b = await in_folder(pool, me, "/photos/2024/trip/b.jpg", exif={"make": "Canon"})
    a = await in_folder(pool, me, "/photos/2024/trip/a.jpg")
    await in_folder(pool, me, "/photos/2024/trip/day2/c.jpg")
    await in_folder(pool, me, "/photos/2024/d.jpg")
    await in_folder(pool, me, "/photos/2024_x/trap.jpg")  # "_" is no wildcard
    await in_folder(pool, me, "/secret/locked.jpg", visibility="locked")
    await in_folder(pool, me, "/archive/old.jpg", visibility="archive")
    await in_folder(pool, me, "/hidden/v.mov", visibility="hidden")
    await in_folder(pool, me, "/trash/t.jpg", deletedAt=a["fileCreatedAt"], status="trashed")
    user, headers = await user_and_login(client, admin_headers)
    await in_folder(pool, user["id"], "/theirs/x.jpg")
    await in_folder(pool, user["id"], "/photos/2024/trip/theirs.jpg")

    r = await client.get("/api/view/folder/unique-paths", headers=admin_headers)
    assert r.status_code == 200
    assert r.json() == [
        "/photos/2024",
        "/photos/2024/trip",
        "/photos/2024/trip/day2",
        "/photos/2024_x",
    ]
    r = await client.get(
        "/api/view/folder", params={"path": "/photos/2024/trip/"}, headers=admin_headers
    )
    assert r.status_code == 200
    assert [x["id"] for x in r.json()] == [str(a["id"]), str(b["id"])]
    assert r.json()[1]["exifInfo"]["make"] == "Canon"
    assert r.json()[0]["originalPath"] == "/photos/2024/trip/a.jpg"
    r = await client.get("/api/view/folder", params={"path": "2024"}, headers=admin_headers)
    assert [x["originalFileName"] for x in r.json()] == [
        (await pool.fetchval('SELECT "originalFileName" FROM "asset" WHERE "originalPath" = $1',
                             "/photos/2024/d.jpg"))
    ]  # fmt: skip
    for hidden in ("/secret", "/archive", "/hidden", "/trash", "/theirs"):
        r = await client.get("/api/view/folder", params={"path": hidden}, headers=admin_headers)
        assert r.json() == [], hidden
    r = await client.get("/api/view/folder/unique-paths", headers=headers)
    assert r.json() == ["/photos/2024/trip", "/theirs"]


async def test_folder_bad_input(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    r = await client.get("/api/view/folder", headers=admin_headers)
    assert r.status_code == 400
    assert r.json()["message"] == "Validation failed"
    r = await client.get("/api/view/folder", params={"path": "/x"})
    assert r.status_code == 401


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


async def uploaded(
    pool: Any, owner: Any, created: str, taken: str = "2024-01-01", **kw: Any
) -> Any:
    """An asset uploaded (``createdAt``, set by the database) at ``created``."""
    row = await make_asset(pool, owner, taken, **kw)
    await pool.execute(
        'UPDATE "asset" SET "createdAt" = $1 WHERE "id" = $2', at(created), row["id"]
    )
    return row


async def test_my_calendar_heatmap_by_upload_and_taken(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    await uploaded(pool, me, "2024-03-02T23:30", "2024-01-01T10:00")
    await uploaded(pool, me, "2024-03-02T01:00", "2024-01-01T11:00")
    await uploaded(pool, me, "2024-03-04T01:00", "2024-01-03T11:00")
    await uploaded(pool, me, "2024-03-04T02:00", "2024-01-03T12:00", visibility="locked")
    await uploaded(pool, me, "2024-03-04T02:00", "2024-01-03T12:00",
                   deletedAt=at("2024-05-01"), status="trashed")  # fmt: skip
    user, headers = await user_and_login(client, admin_headers)
    await uploaded(pool, user["id"], "2024-03-02T10:00", "2024-01-01T10:00")

    params = {"from": "2024-03-01", "to": "2024-03-04"}
    r = await client.get("/api/users/me/calendar-heatmap", params=params, headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "from": "2024-03-01",
        "to": "2024-03-04",
        "series": [
            {"date": "2024-03-01", "count": 0},
            {"date": "2024-03-02", "count": 2},
            {"date": "2024-03-03", "count": 0},
            {"date": "2024-03-04", "count": 1},
        ],
        "totalCount": 3,
    }
    params = {"from": "2024-01-01", "to": "2024-01-03", "type": "Taken"}
    r = await client.get("/api/users/me/calendar-heatmap", params=params, headers=admin_headers)
    assert [s["count"] for s in r.json()["series"]] == [2, 0, 1]
    # Default: the 52 weeks ending today.
    r = await client.get("/api/users/me/calendar-heatmap", headers=admin_headers)
    body = r.json()
    today = dt.datetime.now(dt.UTC).date()
    assert body["to"] == today.isoformat()
    assert body["from"] == (today - dt.timedelta(weeks=52, days=-1)).isoformat()
    assert len(body["series"]) == 364


async def test_calendar_heatmap_bad_input(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    url = "/api/users/me/calendar-heatmap"
    r = await client.get(
        url, params={"from": "2024-03-05", "to": "2024-03-01"}, headers=admin_headers
    )
    assert r.status_code == 400
    assert r.json()["errors"] == [{"path": ["from"], "message": "from must be before to"}]
    for params in ({"from": "2024-02-30"}, {"to": "yesterday"}, {"type": "Deleted"}):
        r = await client.get(url, params=params, headers=admin_headers)
        assert r.status_code == 400, params
        assert r.json()["message"] == "Validation failed"


async def test_admin_calendar_heatmap_of_a_user(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    user, headers = await user_and_login(client, admin_headers)
    await uploaded(pool, user["id"], "2024-03-02T10:00")
    url = f"/api/admin/users/{user['id']}/calendar-heatmap"
    params = {"from": "2024-03-02", "to": "2024-03-02"}
    r = await client.get(url, params=params, headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json()["series"] == [{"date": "2024-03-02", "count": 1}]
    r = await client.get(url, params=params, headers=headers)
    assert r.status_code == 403
    r = await client.get(
        f"/api/admin/users/{UNKNOWN_ID}/calendar-heatmap", params=params, headers=admin_headers
    )
    assert r.status_code == 400
    assert r.json()["message"] == "User not found"
    r = await client.get("/api/admin/users/nope/calendar-heatmap", headers=admin_headers)
    assert r.status_code == 400
