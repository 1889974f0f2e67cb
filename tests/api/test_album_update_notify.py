"""Immich's delayed "Shared Album Update" (``NotifyAlbumUpdate``): assets added to a shared
album queue one delayed job per recipient (the members but the one who added them; every
member for a link visitor's upload); a later addition supersedes the pending one, so a
recipient gets one notification per quiet period; removals notify nobody."""

from __future__ import annotations

import time
from typing import Any

import httpx

from immich.jobs.types import JobStatus
from immich.services import album_events_notify
from tests.api.asset_helpers import upload, uploaded
from tests.api.shared_link_helpers import by_key, make_link
from tests.api.user_helpers import user_and_login

JPEG = b"\xff\xd8\xff" + b"album-update" * 40


async def _pending_jobs(app: Any, album_id: str) -> list[Any]:
    jobs = await app.state.ctx.queues.jobs("notifications", ["delayed"])
    return [j for j in jobs if j.name == "NotifyAlbumUpdate" and j.data["id"] == album_id]


async def _updates(client: httpx.AsyncClient, headers: dict[str, str]) -> list[Any]:
    r = await client.get("/api/notifications", params={"type": "AlbumUpdate"}, headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json())


async def test_delayed_debounced_per_recipient(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    ctx = app.state.ctx
    editor, editor_headers = await user_and_login(client, admin_headers)
    viewer, viewer_headers = await user_and_login(client, admin_headers, "viewer@example.com")
    first = await uploaded(client, admin_headers, JPEG + b"1", "a.jpg")
    r = await client.post(
        "/api/albums",
        headers=admin_headers,
        json={
            "albumName": "Family",
            "albumUsers": [
                {"userId": editor["id"], "role": "editor"},
                {"userId": viewer["id"], "role": "viewer"},
            ],
        },
    )
    assert r.status_code == 201, r.text
    album_id = r.json()["id"]
    admin_id = r.json()["albumUsers"][0]["user"]["id"]
    assert await _pending_jobs(app, album_id) == []  # creating it notifies nobody of media

    before = time.time()
    r = await client.put(
        f"/api/albums/{album_id}/assets", json={"ids": [first]}, headers=admin_headers
    )
    assert r.status_code == 200 and r.json()[0]["success"] is True
    early = await _pending_jobs(app, album_id)
    # one per member but the one who added, delayed by Immich's five minutes
    assert sorted(j.data["recipientId"] for j in early) == sorted([editor["id"], viewer["id"]])
    due = await ctx.db.pool.fetch(
        'SELECT "dueAt" FROM "album_update_pending" WHERE "albumId" = $1::uuid', album_id
    )
    assert all(row["dueAt"].timestamp() >= before + 299 for row in due)
    # nothing yet: the job has not run
    assert await _updates(client, editor_headers) == []

    # the editor adds more before it runs: the owner and the viewer are the recipients now,
    # and the viewer's earlier job is superseded
    second = await uploaded(client, editor_headers, JPEG + b"2", "b.jpg")
    r = await client.put(
        f"/api/albums/{album_id}/assets", json={"ids": [second]}, headers=editor_headers
    )
    assert r.status_code == 200 and r.json()[0]["success"] is True
    late = [j for j in await _pending_jobs(app, album_id) if j not in early]
    assert sorted(j.data["recipientId"] for j in late) == sorted([admin_id, viewer["id"]])

    results: dict[str, list[JobStatus]] = {}
    for job in early + late:
        result = await album_events_notify.handle(ctx, job.data)
        results.setdefault(job.data["recipientId"], []).append(result.status)
    assert results[viewer["id"]] == [JobStatus.skipped, JobStatus.success]
    assert results[editor["id"]] == [JobStatus.success]
    assert results[admin_id] == [JobStatus.success]
    for headers in (admin_headers, editor_headers, viewer_headers):
        [note] = await _updates(client, headers)
        assert note["title"] == "Shared Album Update"
        assert note["description"] == "New media has been added to the album (Family)"
        assert note["data"] == {"albumId": album_id} and note["level"] == "info"
    # a job run twice does nothing the second time
    assert (await album_events_notify.handle(ctx, late[0].data)).status is JobStatus.skipped

    # removing assets tells the members (live event) but queues no notification
    count = len(await _pending_jobs(app, album_id))
    r = await client.request(
        "DELETE", f"/api/albums/{album_id}/assets", json={"ids": [first]}, headers=admin_headers
    )
    assert r.status_code == 200 and r.json()[0]["success"] is True
    assert len(await _pending_jobs(app, album_id)) == count

    # an album deleted before the job runs: skipped
    third = await uploaded(client, admin_headers, JPEG + b"3", "c.jpg")
    r = await client.put(
        f"/api/albums/{album_id}/assets", json={"ids": [third]}, headers=admin_headers
    )
    assert r.status_code == 200
    newest = (await _pending_jobs(app, album_id))[-1]
    r = await client.delete(f"/api/albums/{album_id}", headers=admin_headers)
    assert r.status_code == 204
    assert (await album_events_notify.handle(ctx, newest.data)).status is JobStatus.skipped


async def test_visitor_upload_notifies_every_member(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    ctx = app.state.ctx
    member, member_headers = await user_and_login(client, admin_headers)
    r = await client.post(
        "/api/albums",
        headers=admin_headers,
        json={"albumName": "Party", "albumUsers": [{"userId": member["id"], "role": "viewer"}]},
    )
    album_id = r.json()["id"]
    admin_id = r.json()["albumUsers"][0]["user"]["id"]
    link = await make_link(client, admin_headers, albumId=album_id, allowUpload=True)
    r = await upload(client, by_key(link), JPEG + b"visitor", "v.jpg")
    assert r.status_code == 201, r.text
    jobs = await _pending_jobs(app, album_id)
    # the visitor is no member: every member is a recipient, the owner too (Immich)
    assert sorted(j.data["recipientId"] for j in jobs) == sorted([admin_id, member["id"]])
    for job in jobs:
        assert (await album_events_notify.handle(ctx, job.data)).status is JobStatus.success
    assert len(await _updates(client, member_headers)) == 1
    assert len(await _updates(client, admin_headers)) == 1
