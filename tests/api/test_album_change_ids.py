"""Every change-producing sharing operation, through the real app, leaves what the sync stream
reads: a later UUIDv7 ``updateId`` on the rows it writes, and an ``*_audit`` row (also a later
v7 id) for what it deletes. Shared links carry neither, as in Immich (sync does not carry them);
nor does a deleted activity (Immich keeps no ``activity_audit``)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.asset_helpers import uploaded
from tests.api.user_helpers import user_and_login

JPEG = b"\xff\xd8\xff" + b"change-ids" * 40


class Clock:
    """The database's v7 clock: ``mark()`` before an operation, ``later(ids)`` after it."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.bound = uuid.UUID(int=0)

    async def mark(self) -> None:
        self.bound = await self.pool.fetchval("SELECT immich_uuid_v7()")

    def later(self, *ids: uuid.UUID) -> bool:
        return bool(ids) and all(i.version == 7 and i.bytes > self.bound.bytes for i in ids)

    async def ids(self, sql: str, *args: Any) -> list[uuid.UUID]:
        return [r[0] for r in await self.pool.fetch(sql, *args)]


ALBUM_ID = 'SELECT "updateId" FROM "album" WHERE "id" = $1::uuid'


async def test_sharing_operations_write_change_ids_and_audit_rows(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    clock = Clock(pool)
    editor, editor_headers = await user_and_login(client, admin_headers, "editor@example.com")
    viewer, _ = await user_and_login(client, admin_headers, "viewer@example.com")
    first = await uploaded(client, admin_headers, JPEG + b"1", "a.jpg")
    second = await uploaded(client, admin_headers, JPEG + b"2", "b.jpg")

    await clock.mark()  # createAlbum: the album, its asset and its member
    r = await client.post(
        "/api/albums",
        headers=admin_headers,
        json={
            "albumName": "A",
            "assetIds": [first],
            "albumUsers": [{"userId": editor["id"], "role": "editor"}],
        },
    )
    album, owner = r.json()["id"], r.json()["albumUsers"][0]["user"]["id"]
    assert clock.later(*await clock.ids(ALBUM_ID, album))
    assert clock.later(
        *await clock.ids('SELECT "updateId" FROM "album_asset" WHERE "albumId" = $1::uuid', album)
    )
    assert clock.later(
        *await clock.ids('SELECT "updateId" FROM "album_user" WHERE "albumId" = $1::uuid', album),
        *await clock.ids('SELECT "createId" FROM "album_user" WHERE "albumId" = $1::uuid', album),
    )

    await clock.mark()  # updateAlbumInfo
    r = await client.patch(f"/api/albums/{album}", json={"albumName": "B"}, headers=admin_headers)
    assert r.status_code == 200 and clock.later(*await clock.ids(ALBUM_ID, album))

    await clock.mark()  # addAssetsToAlbum
    r = await client.put(
        f"/api/albums/{album}/assets", json={"ids": [second]}, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    await clock.mark()  # addAssetsToAlbums: the editor, with the owner's asset: refused
    r = await client.put(
        "/api/albums/assets",
        json={"albumIds": [album], "assetIds": [second]},
        headers=editor_headers,
    )
    assert r.json() == {"success": False, "error": "no_permission"}
    new_row = await clock.ids(
        'SELECT "updateId" FROM "album_asset" WHERE "albumId" = $1::uuid AND "assetId" = $2::uuid',
        album,
        second,
    )
    assert len(new_row) == 1 and not clock.later(*new_row)  # the refused call wrote nothing
    mine = await uploaded(client, editor_headers, JPEG + b"3", "c.jpg")
    await clock.mark()
    r = await client.put(
        "/api/albums/assets", json={"albumIds": [album], "assetIds": [mine]}, headers=editor_headers
    )
    assert r.json() == {"success": True}
    assert clock.later(
        *await clock.ids('SELECT "updateId" FROM "album_asset" WHERE "assetId" = $1::uuid', mine),
        *await clock.ids(ALBUM_ID, album),
    )

    await clock.mark()  # removeAssetFromAlbum
    r = await client.request(
        "DELETE", f"/api/albums/{album}/assets", json={"ids": [second]}, headers=admin_headers
    )
    assert r.json()[0]["success"] is True
    assert clock.later(
        *await clock.ids(
            'SELECT "id" FROM "album_asset_audit" WHERE "albumId" = $1::uuid AND "assetId" = $2::uuid',
            album,
            second,
        )
    )

    await clock.mark()  # addUsersToAlbum
    r = await client.put(
        f"/api/albums/{album}/users",
        json={"albumUsers": [{"userId": viewer["id"], "role": "viewer"}]},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    member_row = (
        'SELECT "updateId" FROM "album_user" WHERE "albumId" = $1::uuid AND "userId" = $2::uuid'
    )
    assert clock.later(*await clock.ids(member_row, album, viewer["id"]))
    assert clock.later(*await clock.ids(ALBUM_ID, album))  # a new member receives the album

    await clock.mark()  # updateAlbumUser
    r = await client.put(
        f"/api/albums/{album}/user/{viewer['id']}", json={"role": "editor"}, headers=admin_headers
    )
    assert r.status_code == 204 and clock.later(*await clock.ids(member_row, album, viewer["id"]))

    await clock.mark()  # removeUserFromAlbum: the member's album is gone for them
    r = await client.delete(f"/api/albums/{album}/user/{viewer['id']}", headers=admin_headers)
    assert r.status_code == 204
    for table in ("album_user_audit", "album_audit"):
        assert clock.later(
            *await clock.ids(
                f'SELECT "id" FROM "{table}" WHERE "albumId" = $1::uuid AND "userId" = $2::uuid',
                album,
                viewer["id"],
            )
        ), table

    await clock.mark()  # createActivity
    r = await client.post(
        "/api/activities",
        json={"albumId": album, "type": "comment", "comment": "hi"},
        headers=editor_headers,
    )
    assert r.status_code == 201, r.text
    assert clock.later(
        *await clock.ids('SELECT "updateId" FROM "activity" WHERE "id" = $1::uuid', r.json()["id"])
    )

    # shared links: no change ids, as Immich (nothing to sync); the album row is untouched
    before = await clock.ids(ALBUM_ID, album)
    r = await client.post(
        "/api/shared-links", json={"type": "ALBUM", "albumId": album}, headers=admin_headers
    )
    assert r.status_code == 201 and await clock.ids(ALBUM_ID, album) == before

    await clock.mark()  # deleteAlbum: recorded for the owner and every member left
    r = await client.delete(f"/api/albums/{album}", headers=admin_headers)
    assert r.status_code == 204
    users = {
        str(row["userId"])
        for row in await pool.fetch(
            'SELECT "userId" FROM "album_audit" WHERE "albumId" = $1::uuid AND "id" > $2',
            album,
            clock.bound,
        )
    }
    assert users == {owner, editor["id"]}
