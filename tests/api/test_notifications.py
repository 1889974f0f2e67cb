"""/api/notifications and /api/admin/notifications through the real app: an admin's notification
for a user, the user's list and its filters, read state, deletes, what another user can never
see or change (Immich's 400 "Not found or no notification.<permission> access"), bad ids and
bodies, and the nightly cleanup."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx

from immich.jobs.names import JobName
from immich.jobs.types import NIGHTLY
from immich.services import notifications as service
from plugins import nightly
from tests.api.user_helpers import UNKNOWN_ID, api_key, user_and_login

ADMIN_URL = "/api/admin/notifications"
URL = "/api/notifications"
Headers = dict[str, str]


def ctx_of(client: httpx.AsyncClient) -> Any:
    return client._transport.app.state.ctx  # type: ignore[attr-defined]


async def create(
    client: httpx.AsyncClient, admin_headers: Headers, user_id: str, **fields: Any
) -> dict[str, Any]:
    body = {"userId": user_id, "title": "Hello", **fields}
    r = await client.post(ADMIN_URL, json=body, headers=admin_headers)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def listed(client: httpx.AsyncClient, headers: Headers, **params: str) -> list[str]:
    r = await client.get(URL, params=params, headers=headers)
    assert r.status_code == 200, r.text
    return [n["title"] for n in r.json()]


async def two_users(
    client: httpx.AsyncClient, admin_headers: Headers
) -> tuple[dict[str, Any], Headers, dict[str, Any], Headers]:
    alice, alice_h = await user_and_login(client, admin_headers, "alice@example.com")
    bob, bob_h = await user_and_login(client, admin_headers, "bob@example.com")
    return alice, alice_h, bob, bob_h


# --- create (admin) --------------------------------------------------------------------------


async def test_admin_creates_a_notification_with_immichs_defaults(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    alice, alice_h = await user_and_login(client, admin_headers)
    made = await create(client, admin_headers, alice["id"])
    assert set(made) == {"id", "createdAt", "level", "type", "title"}  # nulls are left out
    assert (made["level"], made["type"], made["title"]) == ("info", "Custom", "Hello")
    assert uuid.UUID(made["id"]).version == 4  # Immich's ids are v4 (its API checks)
    created = dt.datetime.fromisoformat(made["createdAt"].replace("Z", "+00:00"))
    assert abs(created - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert made["createdAt"].endswith("Z")
    r = await client.get(URL, headers=alice_h)
    assert r.json() == [made]


async def test_admin_sets_every_field(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    alice, alice_h = await user_and_login(client, admin_headers)
    made = await create(
        client,
        admin_headers,
        alice["id"],
        level="warning",
        type="SystemMessage",
        description="Maintenance at noon",
        data={"albumId": UNKNOWN_ID, "nested": {"n": [1, 2]}},
        readAt="2026-11-30T10:00:00.000Z",
    )
    assert made["level"] == "warning" and made["type"] == "SystemMessage"
    assert made["description"] == "Maintenance at noon"
    assert made["data"] == {"albumId": UNKNOWN_ID, "nested": {"n": [1, 2]}}
    assert made["readAt"] == "2026-11-30T10:00:00.000Z"
    r = await client.get(f"{URL}/{made['id']}", headers=alice_h)
    assert (r.status_code, r.json()) == (200, made)
    # explicit nulls where Immich allows them
    made = await create(client, admin_headers, alice["id"], description=None, readAt=None)
    assert "description" not in made and "readAt" not in made


async def test_create_is_admin_only(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    alice, alice_h = await user_and_login(client, admin_headers)
    body = {"userId": alice["id"], "title": "Hi"}
    r = await client.post(ADMIN_URL, json=body)
    assert (r.status_code, r.json()) == (401, {"message": "Authentication required"})
    r = await client.post(ADMIN_URL, json=body, headers=alice_h)
    assert (r.status_code, r.json()) == (403, {"message": "Forbidden"})
    assert await listed(client, alice_h) == []


async def test_create_validates_its_body(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    alice, _ = await user_and_login(client, admin_headers)
    bad: list[tuple[dict[str, Any], list[str]]] = [
        ({"userId": alice["id"]}, ["title"]),
        ({"title": "x"}, ["userId"]),
        ({"userId": "nope", "title": "x"}, ["userId"]),
        ({"userId": alice["id"], "title": "x", "level": "fatal"}, ["level"]),
        ({"userId": alice["id"], "title": "x", "type": "info"}, ["type"]),
        ({"userId": alice["id"], "title": "x", "data": [1]}, ["data"]),
        ({"userId": alice["id"], "title": "x", "readAt": "yesterday"}, ["readAt"]),
    ]
    for body, path in bad:
        r = await client.post(ADMIN_URL, json=body, headers=admin_headers)
        assert r.status_code == 400, body
        assert r.json()["message"] == "Validation failed"
        assert [e["path"] for e in r.json()["errors"]] == [path], body
    r = await client.post(
        ADMIN_URL, json={"userId": UNKNOWN_ID, "title": "x"}, headers=admin_headers
    )
    assert (r.status_code, r.json()) == (400, {"message": "User not found"})


# --- list and filters ------------------------------------------------------------------------


async def test_list_shows_only_the_callers_newest_first_with_filters(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    alice, alice_h, bob, bob_h = await two_users(client, admin_headers)
    a1 = await create(client, admin_headers, alice["id"], title="a1", level="error")
    a2 = await create(
        client, admin_headers, alice["id"], title="a2", type="AlbumInvite", level="success"
    )
    a3 = await create(client, admin_headers, alice["id"], title="a3", readAt="2026-11-30T10:00:00Z")
    await create(client, admin_headers, bob["id"], title="b1", level="error")
    assert await listed(client, alice_h) == ["a3", "a2", "a1"]
    assert await listed(client, bob_h) == ["b1"]
    assert await listed(client, alice_h, unread="true") == ["a2", "a1"]
    assert await listed(client, alice_h, unread="false") == ["a3", "a2", "a1"]  # no filter
    assert await listed(client, alice_h, level="error") == ["a1"]
    assert await listed(client, alice_h, level="warning") == []
    assert await listed(client, alice_h, type="AlbumInvite") == ["a2"]
    assert await listed(client, alice_h, type="Custom") == ["a3", "a1"]
    assert await listed(client, alice_h, id=a2["id"]) == ["a2"]
    assert await listed(client, alice_h, id=a3["id"], unread="true") == []
    assert await listed(client, alice_h, level="success", type="AlbumInvite") == ["a2"]
    # another user's id filters to nothing, never to their notification
    assert await listed(client, bob_h, id=a1["id"]) == []


async def test_list_rejects_bad_filters(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    for params, path in (
        ({"level": "fatal"}, "level"),
        ({"type": "info"}, "type"),
        ({"unread": "yes"}, "unread"),
        ({"id": "123"}, "id"),
    ):
        r = await client.get(URL, params=params, headers=admin_headers)
        assert r.status_code == 400, params
        assert [e["path"] for e in r.json()["errors"]] == [[path]], params


# --- one notification ------------------------------------------------------------------------


async def test_get_update_delete_one(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    alice, alice_h = await user_and_login(client, admin_headers)
    made = await create(client, admin_headers, alice["id"], description="d")
    one = f"{URL}/{made['id']}"
    assert (await client.get(one, headers=alice_h)).json() == made
    # mark read, keep it (no readAt given), mark unread again
    r = await client.put(one, json={"readAt": "2026-12-01T08:30:00.000Z"}, headers=alice_h)
    assert r.status_code == 200
    assert r.json() == {**made, "readAt": "2026-12-01T08:30:00.000Z"}
    assert await listed(client, alice_h, unread="true") == []
    r = await client.put(one, json={}, headers=alice_h)
    assert (r.status_code, r.json()["readAt"]) == (200, "2026-12-01T08:30:00.000Z")
    r = await client.put(one, json={"readAt": None}, headers=alice_h)
    assert (r.status_code, r.json()) == (200, made)
    assert await listed(client, alice_h, unread="true") == ["Hello"]
    # delete: gone from every answer at once
    r = await client.delete(one, headers=alice_h)
    assert (r.status_code, r.content) == (204, b"")
    assert await listed(client, alice_h) == []
    r = await client.get(one, headers=alice_h)
    assert (r.status_code, r.json()) == (400, {"message": "Notification not found"})
    r = await client.put(one, json={"readAt": None}, headers=alice_h)
    assert (r.status_code, r.json()) == (400, {"message": "Notification not found"})
    assert (await client.delete(one, headers=alice_h)).status_code == 204  # again: no change


async def test_another_users_notification_is_never_visible_or_changeable(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    alice, alice_h, _, bob_h = await two_users(client, admin_headers)
    made = await create(client, admin_headers, alice["id"])
    one = f"{URL}/{made['id']}"
    for method, body, permission in (
        ("GET", None, "read"),
        ("PUT", {"readAt": "2026-12-01T08:30:00Z"}, "update"),
        ("DELETE", None, "delete"),
    ):
        # the admin is "another user" too
        for headers in (bob_h, admin_headers):
            r = await client.request(method, one, json=body, headers=headers)
            assert r.status_code == 400, (method, headers)
            assert r.json() == {"message": f"Not found or no notification.{permission} access"}
    assert (await client.get(one, headers=alice_h)).json() == made  # untouched


async def test_bad_and_unknown_ids(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    for method, body, permission in (
        ("GET", None, "read"),
        ("PUT", {}, "update"),
        ("DELETE", None, "delete"),
    ):
        r = await client.request(method, f"{URL}/not-a-uuid", json=body, headers=admin_headers)
        assert r.status_code == 400, method
        assert r.json()["message"] == "Validation failed"
        assert r.json()["errors"] == [{"path": ["id"], "message": "Invalid UUID"}]
        r = await client.request(method, f"{URL}/{UNKNOWN_ID}", json=body, headers=admin_headers)
        assert (r.status_code, r.json()) == (
            400,
            {"message": f"Not found or no notification.{permission} access"},
        )
    r = await client.put(f"{URL}/{UNKNOWN_ID}", json={"readAt": "soon"}, headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["readAt"]


# --- bulk ------------------------------------------------------------------------------------


async def test_bulk_update_and_delete_touch_only_the_callers_own(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    alice, alice_h, bob, bob_h = await two_users(client, admin_headers)
    a1 = await create(client, admin_headers, alice["id"], title="a1")
    a2 = await create(client, admin_headers, alice["id"], title="a2")
    b1 = await create(client, admin_headers, bob["id"], title="b1")
    read = {"readAt": "2026-12-01T09:00:00.000Z"}

    # one stranger's id: the whole request is refused, nothing changes
    r = await client.put(URL, json={"ids": [a1["id"], b1["id"]], **read}, headers=alice_h)
    assert (r.status_code, r.json()) == (
        400,
        {"message": "Not found or no notification.update access"},
    )
    r = await client.request("DELETE", URL, json={"ids": [a1["id"], b1["id"]]}, headers=alice_h)
    assert (r.status_code, r.json()) == (
        400,
        {"message": "Not found or no notification.delete access"},
    )
    assert await listed(client, alice_h, unread="true") == ["a2", "a1"]
    assert await listed(client, bob_h, unread="true") == ["b1"]

    # the caller's own: done
    r = await client.put(URL, json={"ids": [a1["id"], a2["id"], a1["id"]], **read}, headers=alice_h)
    assert (r.status_code, r.content) == (204, b"")
    assert await listed(client, alice_h, unread="true") == []
    assert {n["readAt"] for n in (await client.get(URL, headers=alice_h)).json()} == {
        read["readAt"]
    }
    r = await client.put(URL, json={"ids": [a2["id"]]}, headers=alice_h)  # no readAt: no change
    assert r.status_code == 204
    assert await listed(client, alice_h, unread="true") == []
    r = await client.put(URL, json={"ids": [a2["id"]], "readAt": None}, headers=alice_h)
    assert r.status_code == 204
    assert await listed(client, alice_h, unread="true") == ["a2"]
    r = await client.request("DELETE", URL, json={"ids": [a1["id"]]}, headers=alice_h)
    assert (r.status_code, r.content) == (204, b"")
    assert await listed(client, alice_h) == ["a2"]
    assert await listed(client, bob_h, unread="true") == ["b1"]


async def test_bulk_bodies_are_validated(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    for method in ("PUT", "DELETE"):
        for body, path in (
            ({}, ["ids"]),
            ({"ids": []}, ["ids"]),
            ({"ids": ["nope"]}, ["ids", 0]),
        ):
            r = await client.request(method, URL, json=body, headers=admin_headers)
            assert r.status_code == 400, (method, body)
            assert [e["path"] for e in r.json()["errors"]] == [path], (method, body)


async def test_api_key_permissions(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    alice, alice_h = await user_and_login(client, admin_headers)
    made = await create(client, admin_headers, alice["id"])
    reader = await api_key(client, alice_h, "notification.read")
    assert (await client.get(URL, headers=reader)).status_code == 200
    assert (await client.get(f"{URL}/{made['id']}", headers=reader)).status_code == 200
    r = await client.put(f"{URL}/{made['id']}", json={"readAt": None}, headers=reader)
    assert r.json() == {"message": "Missing required permission: notification.update"}
    r = await client.request("DELETE", URL, json={"ids": [made["id"]]}, headers=reader)
    assert r.json() == {"message": "Missing required permission: notification.delete"}


# --- raised by features, cleaned up nightly ---------------------------------------------------


async def test_features_raise_notifications_with_immichs_words(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    alice, alice_h = await user_and_login(client, admin_headers)
    pool = ctx_of(client).db.pool
    album = uuid.uuid4()
    await service.notify_album_invite(pool, alice["id"], album, "Trip", "Admin")
    await service.notify_album_update(pool, alice["id"], album, "Trip")
    assert await service.notify_job_failed(pool, "DatabaseBackup", "disk full") is not None
    got = (await client.get(URL, headers=alice_h)).json()
    assert [(n["type"], n["level"], n["title"], n["description"], n["data"]) for n in got] == [
        (
            "AlbumUpdate",
            "info",
            "Shared Album Update",
            "New media has been added to the album (Trip)",
            {"albumId": str(album)},
        ),
        (
            "AlbumInvite",
            "success",
            "Shared Album Invitation",
            "Admin shared an album (Trip) with you",
            {"albumId": str(album)},
        ),
    ]
    (failed,) = (await client.get(URL, headers=admin_headers)).json()
    assert (failed["type"], failed["level"], failed["title"]) == (
        "JobFailed",
        "error",
        "Job Failed",
    )
    assert failed["description"] == "Job DatabaseBackup failed with error: disk full"


async def test_nightly_cleanup_removes_old_read_and_deleted(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    alice, alice_h = await user_and_login(client, admin_headers)
    ctx = ctx_of(client)
    pool = ctx.db.pool
    # (title, created days ago, read days ago, deleted days ago) -> kept?
    cases = [
        ("fresh", 0, None, None, True),
        ("unread 20d", 20, None, None, True),
        ("unread 31d", 31, None, None, False),
        ("read 16d ago, just now", 16, 0.5, None, True),
        ("read 16d ago, 3 days since", 16, 3, None, False),
        ("read 10d ago, 3 days since", 10, 3, None, True),
        ("deleted 1d ago", 1, None, 1, True),
        ("deleted 4d ago", 1, None, 4, False),
    ]

    def ago(days: float | None) -> dt.datetime | None:
        return None if days is None else dt.datetime.now(dt.UTC) - dt.timedelta(days=days)

    for title, created, read, deleted, _ in cases:
        await pool.execute(
            'INSERT INTO "notification" ("userId", "title", "createdAt", "readAt", "deletedAt", '
            "\"type\") VALUES ($1, $2, $3, $4, $5, 'Custom')",
            uuid.UUID(alice["id"]),
            title,
            ago(created),
            ago(read),
            ago(deleted),
        )
    result = await nightly.notifications_cleanup(ctx, {})
    assert result.removed == 3
    kept = {r["title"] for r in await pool.fetch('SELECT "title" FROM "notification"')}
    assert kept == {title for title, *_, keep in cases if keep}
    assert "deleted 1d ago" not in await listed(client, alice_h)


async def test_cleanup_is_a_nightly_duty_on_the_database_cleanup_switch(
    client: httpx.AsyncClient,
) -> None:
    ctx = ctx_of(client)
    (duty,) = [d for d in nightly.register_cron_jobs() if d.name == "notifications-cleanup"]
    assert duty.cron == NIGHTLY
    (job,) = [j for j in nightly.register_jobs() if j.name == JobName.NotificationsCleanup]
    assert job.queue == "backgroundTask"
    await ctx.queues.empty("backgroundTask")
    try:
        await duty.handler(ctx)
        waiting = await ctx.queues.jobs("backgroundTask", ["waiting"])
        assert [j.name for j in waiting] == ["NotificationsCleanup"]
        await ctx.queues.empty("backgroundTask")
        await ctx.config.update({"nightlyTasks": {"databaseCleanup": False}})
        await duty.handler(ctx)
        assert await ctx.queues.jobs("backgroundTask", ["waiting"]) == []
    finally:
        await ctx.queues.empty("backgroundTask")


async def test_a_deleted_users_notifications_go_with_them(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    alice, _ = await user_and_login(client, admin_headers)
    await create(client, admin_headers, alice["id"])
    pool = ctx_of(client).db.pool
    await pool.execute('DELETE FROM "user" WHERE "id" = $1', uuid.UUID(alice["id"]))
    assert await pool.fetchval('SELECT count(*) FROM "notification"') == 0


async def test_a_row_inserted_without_a_type_answers_the_columns_default(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    """Immich's column default for "type" is 'info' (not one of its types); like Immich we
    answer what the row holds rather than failing the whole list."""
    pool = ctx_of(client).db.pool
    admin = (await client.get("/api/users/me", headers=admin_headers)).json()
    await pool.execute(
        'INSERT INTO "notification" ("userId", "title") VALUES ($1, \'raw\')',
        uuid.UUID(admin["id"]),
    )
    (got,) = (await client.get(URL, headers=admin_headers)).json()
    assert (got["level"], got["type"], got["title"]) == ("info", "info", "raw")
