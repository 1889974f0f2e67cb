"""/api/sync/stream through the app: a first sync of a library with uploads, exif, metadata, a
stack, an album, a partner and a memory gives exactly the expected lines (each valid against
Immich's schema of its type), and after the acks a second one gives exactly what changed:
uploads, edits, trash, deletes and album changes."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx
import pytest

from immich.api.dto import iso
from tests.api.asset_factory import make_album, make_asset, make_stack, user_id
from tests.api.sync_steps import stream, summary, sync_and_ack
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]
HASH = bytes(range(40))  # long enough for base64's line breaks, which Immich's form has not


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


async def test_a_first_sync_then_the_changes_since(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    bob, bob_headers = await user_and_login(client, admin_headers, "bob@example.com")
    photo = await make_asset(pool, me, exif={"city": "Paris"})
    other = await make_asset(pool, me, "2024-05-11T12:00:00")
    doomed = await make_asset(
        pool, me, "2024-05-12T12:00:00", type="VIDEO", duration="0:01:02.345600", thumbhash=HASH
    )
    bobs = await make_asset(pool, bob["id"], exif={"city": "Oslo"})
    stack = await make_stack(pool, me, [photo["id"], other["id"]])
    await pool.execute('UPDATE "asset" SET "isFavorite" = true WHERE "id" = $1', other["id"])
    album = await make_album(pool, me, [photo["id"]])
    await pool.execute(
        'INSERT INTO "asset_metadata" ("assetId", "key", "value") VALUES ($1, \'k\', \'{"a": 1}\')',
        photo["id"],
    )
    await ok(
        await client.post("/api/partners", headers=bob_headers, json={"sharedWithId": str(me)}), 201
    )
    memory = await ok(
        await client.post(
            "/api/memories",
            headers=admin_headers,
            json={
                "type": "on_this_day",
                "data": {"year": 2020},
                "memoryAt": "2020-06-15T00:00:00.000Z",
                "assetIds": [str(photo["id"])],
            },
        ),
        201,
    )
    prefs = {"memories": {"enabled": False}}
    await ok(await client.put("/api/users/me/preferences", headers=admin_headers, json=prefs))
    p, o, d, b = (str(x["id"]) for x in (photo, other, doomed, bobs))
    m, s, a, bid = str(me), str(stack), str(album), bob["id"]

    first = await sync_and_ack(client, admin_headers)
    lines = summary(first)
    now = first[-1]["ack"].split("|")[1]
    assert first[-1] == {"type": "SyncCompleteV1", "data": {}, "ack": f"SyncCompleteV1|{now}"}
    assert lines == [
        ("AuthUserV1", m),
        ("UserV1", m),
        ("UserV1", bid),
        ("PartnerV1", bid, m),
        ("AssetV2", d),
        ("AssetV2", p),
        ("AssetV2", o),
        ("StackV1", s),
        ("PartnerAssetV2", b),
        ("SyncAckV1", f"AlbumAssetUpdateV2|{now}"),
        ("AlbumAssetCreateV2", p),
        ("AlbumV2", a),
        ("AlbumUserV1", a, m, "owner"),
        ("AlbumToAssetV1", p, a),
        ("AssetExifV1", p),
        ("SyncAckV1", f"AlbumAssetExifUpdateV1|{now}"),
        ("AlbumAssetExifCreateV1", p),
        ("PartnerAssetExifV1", b),
        ("MemoryV1", memory["id"]),
        ("MemoryToAssetV1", p, memory["id"]),
        ("UserMetadataV1", m, "preferences"),
        ("AssetMetadataV1", p, "k"),
        ("SyncCompleteV1",),
    ]
    video = first[4]["data"]
    assert (video["type"], video["duration"]) == ("VIDEO", 62346)  # milliseconds
    assert video["thumbhash"] == base64.b64encode(HASH).decode()
    assert video["createdAt"] == iso(doomed["createdAt"])  # Immich's form: ms and Z
    assert video["localDateTime"] == "2024-05-12T12:00:00.000Z"
    by_type = {line["type"]: line for line in first}
    asset = by_type["AssetV2"]["data"]
    checksum = base64.b64encode(other["checksum"]).decode()  # Immich's form
    assert (asset["isFavorite"], asset["stackId"], asset["checksum"]) == (True, s, checksum)

    # the changes: an upload, an edit, a trash, deletes, album and partner changes
    fresh = await make_asset(pool, me, "2024-05-13T12:00:00")
    await ok(
        await client.put(f"/api/assets/{o}", headers=admin_headers, json={"isFavorite": False})
    )
    await ok(
        await client.request("DELETE", "/api/assets", headers=admin_headers, json={"ids": [p]}), 204
    )
    await pool.execute('DELETE FROM "asset" WHERE "id" = $1', doomed["id"])
    await pool.execute('DELETE FROM "asset" WHERE "id" = $1', bobs["id"])
    await pool.execute('DELETE FROM "asset_metadata" WHERE "assetId" = $1', photo["id"])
    await ok(await client.put(f"/api/albums/{a}/assets", headers=admin_headers, json={"ids": [o]}))
    await ok(
        await client.patch(f"/api/albums/{a}", headers=admin_headers, json={"albumName": "New"})
    )
    users = {"albumUsers": [{"userId": bid, "role": "viewer"}]}
    await ok(await client.put(f"/api/albums/{a}/users", headers=admin_headers, json=users))
    await ok(await client.delete(f"/api/memories/{memory['id']}", headers=admin_headers), 204)
    f = str(fresh["id"])

    second = await sync_and_ack(client, admin_headers)
    now = second[-1]["ack"].split("|")[1]
    assert summary(second) == [
        ("AssetDeleteV1", d),
        ("AssetV2", f),
        ("AssetV2", o),
        ("AssetV2", p),
        ("PartnerAssetDeleteV1", b),
        ("AlbumAssetUpdateV2", p),
        ("SyncAckV1", f"AlbumAssetUpdateV2|{now}"),
        ("AlbumAssetCreateV2", o),
        ("AlbumV2", a),
        ("AlbumUserV1", a, bid, "viewer"),
        ("AlbumToAssetV1", o, a),
        ("MemoryDeleteV1", memory["id"]),
        ("AssetMetadataDeleteV1", p, "k"),
        ("SyncCompleteV1",),
    ]
    by_type = {line["type"]: line for line in second}
    assert by_type["AssetV2"]["data"]["deletedAt"] is not None  # the trashed one, last
    assert by_type["AlbumV2"]["data"]["name"] == "New"
    # acked: nothing more
    assert summary(await stream(client, admin_headers)) == [("SyncCompleteV1",)]


async def test_every_kind_of_delete(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    bob, _ = await user_and_login(client, admin_headers, "bob@example.com")
    carol, _ = await user_and_login(client, admin_headers, "carol@example.com")
    photo, other = (await make_asset(pool, me), await make_asset(pool, me))
    stack = str(await make_stack(pool, me, [photo["id"], other["id"]]))
    p, o, bid = str(photo["id"]), str(other["id"]), bob["id"]
    a = str(await make_album(pool, me, [p, o]))
    # the album's cover is the photo removed below (both assets share a date: no tie to break)
    await pool.execute(
        'UPDATE "album" SET "albumThumbnailAssetId" = $1 WHERE "id" = $2',
        photo["id"],
        uuid.UUID(a),
    )
    users = {"albumUsers": [{"userId": bid, "role": "viewer"}]}
    await ok(await client.put(f"/api/albums/{a}/users", headers=admin_headers, json=users))
    body = {
        "type": "on_this_day",
        "data": {"year": 2020},
        "memoryAt": "2020-06-15T00:00:00.000Z",
        "assetIds": [p, o],
    }
    memory = (await ok(await client.post("/api/memories", headers=admin_headers, json=body), 201))[
        "id"
    ]
    await sync_and_ack(client, admin_headers)

    await ok(await client.delete(f"/api/stacks/{stack}", headers=admin_headers), 204)
    ids = {"ids": [p]}
    await ok(
        await client.request("DELETE", f"/api/albums/{a}/assets", headers=admin_headers, json=ids)
    )
    await ok(await client.delete(f"/api/albums/{a}/user/{bid}", headers=admin_headers), 204)
    await ok(
        await client.request(
            "DELETE", f"/api/memories/{memory}/assets", headers=admin_headers, json=ids
        )
    )
    await pool.execute('DELETE FROM "user" WHERE "id" = $1', uuid.UUID(carol["id"]))

    lines = summary(await stream(client, admin_headers))
    # the stack's delete cleared both assets' stackId (one statement: either order)
    assert sorted(lines[1:3]) == sorted([("AssetV2", p), ("AssetV2", o)])
    assert lines[:1] + lines[3:] == [
        ("UserDeleteV1", carol["id"]),
        ("StackDeleteV1", stack),
        ("AlbumAssetUpdateV2", o),  # still in the album: its change
        ("AlbumV2", a),
        ("AlbumUserDeleteV1", a, bid),
        ("AlbumToAssetDeleteV1", p, a),
        ("MemoryV1", memory),
        ("MemoryToAssetDeleteV1", p, memory),
        ("SyncCompleteV1",),
    ]
