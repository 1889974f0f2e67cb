"""/api/sync/ack and the stream's rules around it: checkpoints per session (a second device
syncs on its own), deleting a type's ack resends that type, resets (asked for, pending on the
session, or a last sync too old), and Immich's 400s and 403s for bad input, deprecated or
unknown types, and API keys."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from immich.jobs.types import NIGHTLY
from plugins import nightly
from tests.api.asset_factory import make_asset, user_id
from tests.api.sync_steps import TYPES, stream, summary, sync_and_ack
from tests.api.user_helpers import api_key, login

Headers = dict[str, str]
RESET = [{"type": "SyncResetV1", "data": {}, "ack": "SyncResetV1|reset"}]


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def acks(client: httpx.AsyncClient, headers: Headers) -> list[Any]:
    r = await client.get("/api/sync/ack", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def post_acks(client: httpx.AsyncClient, headers: Headers, *values: str) -> httpx.Response:
    return await client.post("/api/sync/ack", headers=headers, json={"acks": list(values)})


async def test_each_session_keeps_its_own_checkpoints(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    photo = str((await make_asset(pool, me))["id"])
    phone = admin_headers
    first = await sync_and_ack(client, phone, types=["AssetsV2"])
    assert summary(first) == [("AssetV2", photo), ("SyncCompleteV1",)]
    assert await acks(client, phone) == [
        {"type": "AssetV2", "ack": first[0]["ack"]},
        {"type": "SyncCompleteV1", "ack": first[1]["ack"]},
    ]
    assert summary(await stream(client, phone, types=["AssetsV2"])) == [("SyncCompleteV1",)]

    tablet = await login(client, "admin@example.com", "admin-password")
    assert await acks(client, tablet) == []
    assert summary(await stream(client, tablet, types=["AssetsV2"]))[0] == ("AssetV2", photo)
    # the tablet's stream (not acked) changed nothing of the phone's
    assert len(await acks(client, phone)) == 2
    assert summary(await stream(client, phone, types=["AssetsV2"])) == [("SyncCompleteV1",)]


async def test_deleting_an_ack_resends_its_type(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    photo = str((await make_asset(pool, me, exif={"city": "Paris"}))["id"])
    types = ["AssetsV2", "AssetExifsV1"]
    await sync_and_ack(client, admin_headers, types=types)
    r = await client.request(
        "DELETE", "/api/sync/ack", headers=admin_headers, json={"types": ["AssetExifV1"]}
    )
    assert r.status_code == 204, r.text
    again = await stream(client, admin_headers, types=types)
    assert summary(again) == [("AssetExifV1", photo), ("SyncCompleteV1",)]
    # no types: every checkpoint goes
    r = await client.request("DELETE", "/api/sync/ack", headers=admin_headers, json={})
    assert r.status_code == 204, r.text
    assert await acks(client, admin_headers) == []
    assert len(await stream(client, admin_headers, types=types)) == 3


async def test_the_last_ack_of_a_type_wins(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    old, new = f"AssetV2|{uuid.uuid4()}", f"AssetV2|{uuid.uuid4()}"
    r = await post_acks(client, admin_headers, old, new, "SyncCompleteV1|" + str(uuid.uuid4()))
    assert r.status_code == 204, r.text
    assert [a["ack"] for a in await acks(client, admin_headers)][0] == new


async def test_resets(client: httpx.AsyncClient, admin_headers: Headers, pool: Any) -> None:
    me = await user_id(pool)
    await make_asset(pool, me)
    await sync_and_ack(client, admin_headers, types=["AssetsV2"])
    sessions = (await client.get("/api/sessions", headers=admin_headers)).json()
    current = next(s["id"] for s in sessions if s["current"])

    # an admin (or the user) marks the session for a reset: the stream says only that
    r = await client.put(
        f"/api/sessions/{current}", headers=admin_headers, json={"isPendingSyncReset": True}
    )
    assert r.status_code == 200, r.text
    assert await stream(client, admin_headers, types=["AssetsV2"]) == RESET
    assert await stream(client, admin_headers, types=["AssetsV2"]) == RESET
    # the app acks the reset: checkpoints and the flag go, the next sync is a full one
    assert (await post_acks(client, admin_headers, "SyncResetV1|reset")).status_code == 204
    assert await acks(client, admin_headers) == []
    assert len(await sync_and_ack(client, admin_headers, types=["AssetsV2"])) == 2

    # asked for in the request: a full sync at once
    assert len(await stream(client, admin_headers, types=["AssetsV2"], reset=True)) == 2

    # a last complete sync older than 30 days: the audit rows it needs may be gone
    long_ago = await pool.fetchval("SELECT immich_uuid_v7(now() - interval '31 days')")
    r = await post_acks(client, admin_headers, f"SyncCompleteV1|{long_ago}")
    assert r.status_code == 204, r.text
    assert await stream(client, admin_headers, types=["AssetsV2"]) == RESET
    recent = await pool.fetchval("SELECT immich_uuid_v7(now() - interval '29 days')")
    await post_acks(client, admin_headers, f"SyncCompleteV1|{recent}")
    assert (await stream(client, admin_headers, types=["AssetsV2"]))[-1]["type"] == "SyncCompleteV1"


async def test_deprecated_and_unknown_types_answer_400(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    for old, new in (
        ("AssetsV1", "AssetsV2"),
        ("PartnerAssetsV1", "PartnerAssetsV2"),
        ("AlbumAssetsV1", "AlbumAssetsV2"),
        ("AssetFacesV1", "AssetFacesV2"),
    ):
        r = await client.post(
            "/api/sync/stream", headers=admin_headers, json={"types": ["AuthUsersV1", old]}
        )
        assert r.status_code == 400, r.text
        assert r.json() == {
            "message": f"SyncRequestType.{old} is deprecated, use SyncRequestType.{new} instead"
        }
    r = await client.post(
        "/api/sync/stream", headers=admin_headers, json={"types": [*TYPES, "AssetsV9"]}
    )
    assert r.status_code == 400
    (error,) = r.json()["errors"]
    assert r.json()["message"] == "Validation failed"
    assert error["path"] == ["types", len(TYPES)]
    assert error["message"].startswith('Invalid option: expected one of "AlbumsV1"|')


async def test_malformed_stream_bodies(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    for body, path, message in (
        ({}, ["types"], "Invalid input: expected array, received undefined"),
        ({"types": "AssetsV2"}, ["types"], "Invalid input: expected array, received string"),
        (
            {"types": [], "reset": "yes"},
            ["reset"],
            "Invalid input: expected boolean, received string",
        ),
    ):
        r = await client.post("/api/sync/stream", headers=admin_headers, json=body)
        assert r.status_code == 400
        error = {"path": path, "message": message}
        assert r.json() == {"message": "Validation failed", "errors": [error]}
    r = await client.post(
        "/api/sync/stream",
        headers={**admin_headers, "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert r.status_code == 400


async def test_bad_acks(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    good = f"AssetV2|{uuid.uuid4()}"
    for values, message in (
        ([good, "Nope|x"], "Invalid ack type: Nope"),
        ([""], "Invalid ack type: "),
        (["AssetV2|not-a-uuid"], "Invalid ack: AssetV2|not-a-uuid"),
        (["AssetV2"], "Invalid ack: AssetV2"),
        ([f"AlbumAssetBackfillV2|{uuid.uuid4()}|bad"], "Invalid ack: AlbumAssetBackfillV2|"),
    ):
        r = await post_acks(client, admin_headers, *values)
        assert r.status_code == 400, r.text
        assert r.json()["message"].startswith(message)
    assert await acks(client, admin_headers) == []  # nothing of a refused request was kept
    r = await client.post("/api/sync/ack", headers=admin_headers, json={"acks": ["x"] * 1001})
    assert r.json()["errors"] == [
        {"path": ["acks"], "message": "Too big: expected array to have <=1000 items"}
    ]
    r = await client.request(
        "DELETE", "/api/sync/ack", headers=admin_headers, json={"types": ["X"]}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["types", 0]


async def test_api_keys_cannot_sync(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    """Checkpoints belong to a session: a key with the permission gets Immich's 403, one
    without it the permission's 403."""
    key = await api_key(client, admin_headers)
    calls = [
        ("POST", "/api/sync/stream", {"types": ["AssetsV2"]}, "sync.stream"),
        ("GET", "/api/sync/ack", None, "syncCheckpoint.read"),
        ("POST", "/api/sync/ack", {"acks": []}, "syncCheckpoint.update"),
        ("DELETE", "/api/sync/ack", {}, "syncCheckpoint.delete"),
    ]
    for method, path, body, _ in calls:
        r = await client.request(method, path, headers=key, json=body)
        assert r.status_code == 403, (path, r.text)
        assert r.json() == {"message": "Sync endpoints cannot be used with API keys"}
    narrow = await api_key(client, admin_headers, "asset.read")
    for method, path, body, permission in calls:
        r = await client.request(method, path, headers=narrow, json=body)
        assert r.status_code == 403, (path, r.text)
        assert r.json()["message"] == f"Missing required permission: {permission}"


async def test_types_without_a_feature_yet_send_nothing(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    """People, faces, OCR and edits do not exist here yet: asked for, they are empty."""
    types = ["PeopleV1", "AssetFacesV2", "AssetOcrV1", "AssetEditsV1"]
    assert summary(await stream(client, admin_headers, types=types)) == [("SyncCompleteV1",)]


async def test_albums_v1_names_the_owner(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    """AlbumsV1 (not deprecated in 3.1): AlbumV2's data and the owner's id."""
    me = await user_id(pool)
    r = await client.post("/api/albums", headers=admin_headers, json={"albumName": "Old app"})
    assert r.status_code == 201, r.text
    lines = await stream(client, admin_headers, types=["AlbumsV1"])
    assert [x["type"] for x in lines] == ["AlbumV1", "SyncCompleteV1"]
    assert (lines[0]["data"]["ownerId"], lines[0]["data"]["name"]) == (str(me), "Old app")


async def test_recorded_deletes_older_than_the_limit_are_pruned_nightly(
    app: Any, admin_headers: Headers, pool: Any
) -> None:
    """Immich's AuditTableCleanup: 31 days (the stream resets a client older than 30)."""
    me = await user_id(pool)
    gone = [await make_asset(pool, me) for _ in range(2)]
    await pool.execute('DELETE FROM "asset" WHERE "ownerId" = $1', me)
    await pool.execute(
        'UPDATE "asset_audit" SET "deletedAt" = now() - interval \'32 days\' WHERE "assetId" = $1',
        gone[0]["id"],
    )
    (duty,) = [d for d in nightly.register_cron_jobs() if d.name == "audit-cleanup"]
    assert duty.cron == NIGHTLY
    (job,) = [j for j in nightly.register_jobs() if j.name == "AuditTableCleanup"]
    result = await job.handler(app.state.ctx, {})
    assert result.removed == 1
    left = await pool.fetch('SELECT "assetId" FROM "asset_audit"')
    assert [r["assetId"] for r in left] == [gone[1]["id"]]
