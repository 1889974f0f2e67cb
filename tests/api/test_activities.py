"""/api/activities: comments and likes under a shared album or one of its assets."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.asset_helpers import uploaded
from tests.api.user_helpers import user_and_login

JPEG = b"\xff\xd8\xff" + b"activity" * 100


async def _setup(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> tuple[str, str, dict[str, Any], dict[str, str]]:
    """The admin's album holding an asset, shared with a viewer: (album, asset, viewer,
    viewer's headers)."""
    asset = await uploaded(client, admin_headers, JPEG)
    viewer, headers = await user_and_login(client, admin_headers, "viewer@example.com")
    r = await client.post(
        "/api/albums",
        headers=admin_headers,
        json={
            "albumName": "Shared",
            "assetIds": [asset],
            "albumUsers": [{"userId": viewer["id"], "role": "viewer"}],
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["id"], asset, viewer, headers


async def test_comments_and_likes(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    album, asset, viewer, headers = await _setup(client, admin_headers)
    r = await client.post(
        "/api/activities",
        headers=headers,
        json={"albumId": album, "type": "comment", "comment": "Lovely"},
    )
    assert r.status_code == 201, r.text
    comment = r.json()
    assert comment["type"] == "comment" and comment["comment"] == "Lovely"
    assert comment["assetId"] is None and comment["user"]["id"] == viewer["id"]
    # a like of the asset; liking it again answers the same like with 200
    like = {"albumId": album, "assetId": asset, "type": "like"}
    r = await client.post("/api/activities", headers=admin_headers, json=like)
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["type"] == "like" and first["assetId"] == asset and first["comment"] is None
    r = await client.post("/api/activities", headers=admin_headers, json=like)
    assert r.status_code == 200 and r.json()["id"] == first["id"]
    # listing: oldest first, for every member; filters by level, type, user, asset
    r = await client.get("/api/activities", headers=headers, params={"albumId": album})
    assert [a["id"] for a in r.json()] == [comment["id"], first["id"]]
    r = await client.get(
        "/api/activities", headers=headers, params={"albumId": album, "level": "album"}
    )
    assert [a["id"] for a in r.json()] == [comment["id"]]
    r = await client.get(
        "/api/activities", headers=headers, params={"albumId": album, "type": "like"}
    )
    assert [a["id"] for a in r.json()] == [first["id"]]
    r = await client.get(
        "/api/activities", headers=headers, params={"albumId": album, "userId": viewer["id"]}
    )
    assert [a["id"] for a in r.json()] == [comment["id"]]
    r = await client.get(
        "/api/activities", headers=headers, params={"albumId": album, "assetId": asset}
    )
    assert [a["id"] for a in r.json()] == [first["id"]]
    r = await client.get("/api/activities/statistics", headers=headers, params={"albumId": album})
    assert r.status_code == 200 and r.json() == {"comments": 1, "likes": 1}
    r = await client.get(
        "/api/activities/statistics", headers=headers, params={"albumId": album, "assetId": asset}
    )
    assert r.json() == {"comments": 0, "likes": 1}
    # the change id is stamped by the database
    pool = app.state.ctx.db.pool
    update_id = await pool.fetchval(
        'SELECT "updateId" FROM "activity" WHERE "id" = $1', uuid.UUID(first["id"])
    )
    assert update_id.version == 7


async def test_comment_validation(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    album, _, _, headers = await _setup(client, admin_headers)
    r = await client.post(
        "/api/activities", headers=headers, json={"albumId": album, "type": "comment"}
    )
    assert r.status_code == 400
    assert r.json()["errors"] == [
        {"path": ["comment"], "message": "Comment is required when type is COMMENT"}
    ]
    r = await client.post(
        "/api/activities", headers=headers, json={"albumId": album, "type": "like", "comment": "x"}
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"] == (
        "Comment must not be provided when type is not COMMENT"
    )


async def test_delete_by_author_or_album_owner(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    album, _, _, headers = await _setup(client, admin_headers)

    async def comment(h: dict[str, str], text: str) -> str:
        r = await client.post(
            "/api/activities",
            headers=h,
            json={"albumId": album, "type": "comment", "comment": text},
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    mine, owners, viewers = (
        await comment(headers, "mine"),
        await comment(admin_headers, "owner's"),
        await comment(headers, "another"),
    )
    # the viewer may not delete the owner's comment, but their own
    r = await client.delete(f"/api/activities/{owners}", headers=headers)
    assert r.status_code == 400 and r.json()["message"] == "Not found or no activity.delete access"
    r = await client.delete(f"/api/activities/{mine}", headers=headers)
    assert r.status_code == 204
    # the album's owner deletes anyone's
    r = await client.delete(f"/api/activities/{viewers}", headers=admin_headers)
    assert r.status_code == 204
    r = await client.get("/api/activities", headers=headers, params={"albumId": album})
    assert [a["id"] for a in r.json()] == [owners]


async def test_only_where_activity_is_enabled_and_for_members(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    album, asset, _, headers = await _setup(client, admin_headers)
    _, stranger = await user_and_login(client, admin_headers, "stranger@example.com")
    body = {"albumId": album, "type": "like"}
    r = await client.post("/api/activities", headers=stranger, json=body)
    assert r.status_code == 400 and r.json()["message"] == "Not found or no activity.create access"
    r = await client.get("/api/activities", headers=stranger, params={"albumId": album})
    assert r.status_code == 400 and r.json()["message"] == "Not found or no album.read access"
    r = await client.patch(
        f"/api/albums/{album}", headers=admin_headers, json={"isActivityEnabled": False}
    )
    assert r.status_code == 200
    r = await client.post("/api/activities", headers=headers, json=body)
    assert r.status_code == 400 and r.json()["message"] == "Not found or no activity.create access"


async def test_activity_of_a_removed_asset_goes_with_it(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    album, asset, _, headers = await _setup(client, admin_headers)
    like = {"albumId": album, "assetId": asset, "type": "like"}
    assert (await client.post("/api/activities", headers=headers, json=like)).status_code == 201
    r = await client.request(
        "DELETE", f"/api/albums/{album}/assets", headers=admin_headers, json={"ids": [asset]}
    )
    assert r.json()[0]["success"] is True
    r = await client.get("/api/activities/statistics", headers=headers, params={"albumId": album})
    assert r.json() == {"comments": 0, "likes": 0}
    # an asset outside the album cannot be liked there
    other = await uploaded(client, admin_headers, JPEG + b"o", "o.jpg")
    r = await client.post("/api/activities", headers=headers, json={**like, "assetId": other})
    assert r.status_code == 400
    assert r.json()["message"] == "Not found or no activity.create access"
