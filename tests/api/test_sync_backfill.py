"""Backfill: an album the user joins, or a partner who starts sharing, after the user's last sync
brings older rows than the checkpoints; the stream sends them with the backfill types (acks
``"<Type>|<createId>|<updateId>"``), ends each album or partner with a ``complete`` ack, and
resumes a backfill the client acked only halfway."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.api.asset_factory import make_album, make_asset, make_stack, user_id
from tests.api.sync_steps import send_acks, stream, summary, sync_and_ack
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]
ALBUM_TYPES = ["AlbumsV2", "AlbumUsersV1", "AlbumAssetsV2", "AlbumToAssetsV1", "AlbumAssetExifsV1"]
PARTNER_TYPES = ["PartnersV1", "PartnerAssetsV2", "PartnerStacksV1", "PartnerAssetExifsV1"]


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


def ids(*rows: Any) -> list[str]:
    return [str(r["id"]) for r in rows]


async def test_an_album_joined_later_is_backfilled(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = str(await user_id(pool))
    bob, bob_headers = await user_and_login(client, admin_headers, "bob@example.com")
    old0 = await make_asset(pool, bob["id"], exif={"city": "Oslo"})
    old1 = await make_asset(pool, bob["id"])
    theirs = str(await make_album(pool, bob["id"], ids(old0, old1)))
    mine_photo = await make_asset(pool, me, exif={"city": "Paris"})
    mine = str(await make_album(pool, me, ids(mine_photo)))
    await sync_and_ack(client, admin_headers, types=ALBUM_TYPES)

    # bob shares his older album with me and adds a new asset to it
    r = await client.put(
        f"/api/albums/{theirs}/users",
        headers=bob_headers,
        json={"albumUsers": [{"userId": me, "role": "editor"}]},
    )
    assert r.status_code == 200, r.text
    new = await make_asset(pool, bob["id"])
    r = await client.put(
        f"/api/albums/{theirs}/assets", headers=bob_headers, json={"ids": ids(new)}
    )
    assert r.status_code == 200, r.text
    create_id = str(
        await pool.fetchval(
            'SELECT "createId" FROM "album_user" WHERE "albumId" = $1', uuid.UUID(theirs)
        )
    )
    b0, b1, n = ids(old0, old1, new)
    done = [f"{t}|{create_id}|complete" for t in ("AlbumAssetBackfillV2", "AlbumUserBackfillV1")]

    lines = await stream(client, admin_headers, types=ALBUM_TYPES)
    now = lines[-1]["ack"].split("|")[1]
    assert summary(lines) == [
        ("AlbumAssetBackfillV2", b0),
        ("AlbumAssetBackfillV2", b1),
        ("SyncAckV1", done[0]),
        ("SyncAckV1", f"AlbumAssetUpdateV2|{now}"),
        ("AlbumAssetCreateV2", n),
        ("AlbumV2", mine),  # adding an asset sets every album's missing thumbnail, as Immich
        ("AlbumV2", theirs),
        ("AlbumUserBackfillV1", theirs, bob["id"], "owner"),
        ("SyncAckV1", done[1]),
        ("AlbumUserV1", theirs, me, "editor"),
        ("AlbumToAssetBackfillV1", b0, theirs),
        ("AlbumToAssetBackfillV1", b1, theirs),
        ("SyncAckV1", f"AlbumToAssetBackfillV1|{create_id}|complete"),
        ("AlbumToAssetV1", n, theirs),
        ("AlbumAssetExifBackfillV1", b0),
        ("SyncAckV1", f"AlbumAssetExifBackfillV1|{create_id}|complete"),
        ("SyncCompleteV1",),
    ]
    first_backfill = lines[0]
    assert first_backfill["ack"].startswith(f"AlbumAssetBackfillV2|{create_id}|")
    assert first_backfill["data"]["isFavorite"] is False  # not the caller's asset
    assert lines[5]["data"]["thumbnailAssetId"] == str(mine_photo["id"])

    # the client kept only the first backfilled asset: the backfill resumes after it
    await send_acks(client, admin_headers, [first_backfill])
    again = await stream(client, admin_headers, types=["AlbumAssetsV2"])
    assert summary(again)[:3] == [
        ("AlbumAssetBackfillV2", b1),
        ("SyncAckV1", done[0]),
        ("SyncAckV1", f"AlbumAssetUpdateV2|{again[-1]['ack'].split('|')[1]}"),
    ]
    await send_acks(client, admin_headers, lines)
    assert summary(await stream(client, admin_headers, types=ALBUM_TYPES)) == [("SyncCompleteV1",)]

    # bob removes me: the album is gone for me
    r = await client.delete(f"/api/albums/{theirs}/user/{me}", headers=bob_headers)
    assert r.status_code == 204, r.text
    assert summary(await stream(client, admin_headers, types=ALBUM_TYPES)) == [
        ("AlbumDeleteV1", theirs),
        ("SyncCompleteV1",),
    ]


async def test_a_partner_sharing_later_is_backfilled(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = str(await user_id(pool))
    bob, bob_headers = await user_and_login(client, admin_headers, "bob@example.com")
    carol, carol_headers = await user_and_login(client, admin_headers, "carol@example.com")
    bob_photos = [
        await make_asset(pool, bob["id"], exif={"city": "Oslo"}),
        await make_asset(pool, bob["id"]),
    ]
    bob_stack = str(await make_stack(pool, bob["id"], ids(*bob_photos)))
    carol_photos = [
        await make_asset(pool, carol["id"], exif={"city": "Rome"}),
        await make_asset(pool, carol["id"]),
    ]
    await make_stack(pool, carol["id"], ids(*carol_photos))
    r = await client.post("/api/partners", headers=carol_headers, json={"sharedWithId": me})
    assert r.status_code == 201, r.text
    first = await sync_and_ack(client, admin_headers, types=PARTNER_TYPES)
    assert [x[0] for x in summary(first)].count("PartnerAssetV2") == 2

    r = await client.post("/api/partners", headers=bob_headers, json={"sharedWithId": me})
    assert r.status_code == 201, r.text
    create_id = str(
        await pool.fetchval(
            'SELECT "createId" FROM "partner" WHERE "sharedById" = $1', uuid.UUID(bob["id"])
        )
    )
    b0, b1 = ids(*bob_photos)
    lines = await sync_and_ack(client, admin_headers, types=PARTNER_TYPES)
    assert summary(lines) == [
        ("PartnerV1", bob["id"], me),
        ("PartnerAssetBackfillV2", b0),
        ("PartnerAssetBackfillV2", b1),
        ("SyncAckV1", f"PartnerAssetBackfillV2|{create_id}|complete"),
        ("PartnerStackBackfillV1", bob_stack),
        ("SyncAckV1", f"PartnerStackBackfillV1|{create_id}|complete"),
        ("PartnerAssetExifBackfillV1", b0),
        ("SyncAckV1", f"PartnerAssetExifBackfillV1|{create_id}|complete"),
        ("SyncCompleteV1",),
    ]
    updated = await pool.fetchval(
        'SELECT "updateId" FROM "asset" WHERE "id" = $1', bob_photos[0]["id"]
    )
    assert lines[1]["ack"] == f"PartnerAssetBackfillV2|{create_id}|{updated}"
    assert summary(await stream(client, admin_headers, types=PARTNER_TYPES)) == [
        ("SyncCompleteV1",)
    ]

    # later changes are plain partner changes; a deleted one and an ended partnership too
    new = str((await make_asset(pool, bob["id"]))["id"])
    await pool.execute('DELETE FROM "stack" WHERE "id" = $1', uuid.UUID(bob_stack))
    lines = await sync_and_ack(client, admin_headers, types=PARTNER_TYPES)
    # the new asset, then the two whose stackId the stack's delete cleared (one statement)
    assert summary(lines)[0] == ("PartnerAssetV2", new)
    assert sorted(summary(lines)[1:3]) == sorted([("PartnerAssetV2", b0), ("PartnerAssetV2", b1)])
    assert summary(lines)[3:] == [("PartnerStackDeleteV1", bob_stack), ("SyncCompleteV1",)]
    r = await client.delete(f"/api/partners/{me}", headers=bob_headers)
    assert r.status_code == 204, r.text
    assert summary(await stream(client, admin_headers, types=PARTNER_TYPES)) == [
        ("PartnerDeleteV1", bob["id"], me),
        ("SyncCompleteV1",),
    ]
