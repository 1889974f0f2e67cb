"""/api/partners and what a partnership opens: the sharer's timeline, search and map assets in
the receiver's views (``inTimeline``), and asset access, never to locked, archived or trashed
ones."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.api.asset_factory import make_asset, trash, unlock_sessions, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]
MONTH = "2024-05-01"


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


@pytest.fixture
async def pair(client: httpx.AsyncClient, admin_headers: Headers) -> Any:
    """(sharer, their headers, receiver, their headers): two plain users, not yet partners."""
    a, a_headers = await user_and_login(client, admin_headers, "alice@example.com")
    b, b_headers = await user_and_login(client, admin_headers, "bob@example.com")
    return a, a_headers, b, b_headers


async def share(client: httpx.AsyncClient, headers: Headers, user: str, status: int = 201) -> Any:
    r = await client.post("/api/partners", headers=headers, json={"sharedWithId": user})
    assert r.status_code == status, r.text
    return r.json()


async def partners(client: httpx.AsyncClient, headers: Headers, direction: str) -> Any:
    r = await client.get("/api/partners", headers=headers, params={"direction": direction})
    assert r.status_code == 200, r.text
    return r.json()


async def in_timeline(
    client: httpx.AsyncClient, headers: Headers, sharer: str, value: bool, status: int = 200
) -> Any:
    r = await client.put(f"/api/partners/{sharer}", headers=headers, json={"inTimeline": value})
    assert r.status_code == status, r.text
    return r.json()


# --- the operations ----------------------------------------------------------------------------


async def test_share_list_update_remove(client: httpx.AsyncClient, pool: Any, pair: Any) -> None:
    a, a_headers, b, b_headers = pair
    made = await share(client, a_headers, b["id"])
    # the answer names the other user (the receiver), Immich's UserResponseDto + inTimeline
    assert made == {
        "id": b["id"],
        "email": "bob@example.com",
        "name": "bob",
        "avatarColor": made["avatarColor"],
        "profileImagePath": "",
        "profileChangedAt": made["profileChangedAt"],
        "inTimeline": False,
    }
    assert [p["id"] for p in await partners(client, a_headers, "shared-by")] == [b["id"]]
    assert await partners(client, a_headers, "shared-with") == []
    shared_with_b = await partners(client, b_headers, "shared-with")
    assert [(p["id"], p["inTimeline"]) for p in shared_with_b] == [(a["id"], False)]
    assert await partners(client, b_headers, "shared-by") == []

    # the receiver chooses inTimeline; the answer names the sharer
    updated = await in_timeline(client, b_headers, a["id"], True)
    assert (updated["id"], updated["inTimeline"]) == (a["id"], True)
    assert (await partners(client, a_headers, "shared-by"))[0]["inTimeline"] is True
    row = await pool.fetchrow('SELECT * FROM "partner" WHERE "sharedById" = $1', uuid.UUID(a["id"]))
    assert row["inTimeline"] is True and row["updateId"].version == 7
    assert row["createId"].version == 7

    r = await client.delete(f"/api/partners/{b['id']}", headers=a_headers)
    assert r.status_code == 204, r.text
    assert await partners(client, b_headers, "shared-with") == []
    audit = await pool.fetch('SELECT "sharedById", "sharedWithId" FROM "partner_audit"')
    assert [(str(x["sharedById"]), str(x["sharedWithId"])) for x in audit] == [(a["id"], b["id"])]


async def test_sharing_twice_and_unknown_partners(
    client: httpx.AsyncClient, admin_headers: Headers, pair: Any
) -> None:
    a, a_headers, b, b_headers = pair
    await share(client, a_headers, b["id"])
    assert (await share(client, a_headers, b["id"], 400))["message"] == "Partner already exists"
    # the other way round is a partnership of its own
    await share(client, b_headers, a["id"])
    assert len(await partners(client, a_headers, "shared-with")) == 1
    nobody = str(uuid.uuid4())
    assert (await share(client, a_headers, nobody, 400))["message"] == "User not found"
    r = await client.delete(f"/api/partners/{nobody}", headers=a_headers)
    assert (r.status_code, r.json()["message"]) == (400, "Partner not found")
    # only the sharer removes: the receiver naming the sharer finds no partnership of theirs
    r = await client.delete(f"/api/partners/{a['id']}", headers=a_headers)
    assert (r.status_code, r.json()["message"]) == (400, "Partner not found")
    # only the receiver updates: the sharer naming the receiver has no partner.update access
    r = await client.put(f"/api/partners/{nobody}", headers=a_headers, json={"inTimeline": True})
    assert (r.status_code, r.json()["message"]) == (400, "Not found or no partner.update access")


async def test_sharing_with_yourself_is_not_refused(
    client: httpx.AsyncClient, pool: Any, pair: Any
) -> None:
    """As Immich 3.1 (no check): it lists yourself and grants nothing you did not have."""
    a, a_headers, _, _ = pair
    made = await share(client, a_headers, a["id"])
    assert made["id"] == a["id"]
    assert [p["id"] for p in await partners(client, a_headers, "shared-with")] == [a["id"]]
    await in_timeline(client, a_headers, a["id"], True)
    mine = await make_asset(pool, a["id"])
    r = await client.get(
        "/api/timeline/buckets",
        headers=a_headers,
        params={"visibility": "timeline", "withPartners": "true"},
    )
    assert r.json() == [{"timeBucket": MONTH, "count": 1}], mine


@pytest.mark.parametrize(
    ("method", "path", "body", "params", "message"),
    [
        ("POST", "/api/partners", {}, None, None),
        ("POST", "/api/partners", {"sharedWithId": "nope"}, None, None),
        ("GET", "/api/partners", None, {}, None),
        ("GET", "/api/partners", None, {"direction": "sideways"}, None),
        ("PUT", "/api/partners/{a}", {}, None, None),
        ("PUT", "/api/partners/{a}", {"inTimeline": "yes"}, None, None),
        ("PUT", "/api/partners/not-a-uuid", {"inTimeline": True}, None, None),
        ("DELETE", "/api/partners/not-a-uuid", None, None, None),
        ("POST", "/api/partners/not-a-uuid", None, None, None),
    ],
)
async def test_bad_input_is_a_validation_error(
    client: httpx.AsyncClient,
    pair: Any,
    method: str,
    path: str,
    body: Any,
    params: Any,
    message: str | None,
) -> None:
    a, a_headers, _, _ = pair
    r = await client.request(
        method, path.replace("{a}", a["id"]), headers=a_headers, json=body, params=params
    )
    assert r.status_code == 400, r.text
    assert r.json()["message"] == "Validation failed", r.text


async def test_the_deprecated_create_and_anonymous_calls(
    client: httpx.AsyncClient, pair: Any
) -> None:
    a, a_headers, b, b_headers = pair
    r = await client.post(f"/api/partners/{b['id']}", headers=a_headers)
    assert r.status_code == 201, r.text
    assert r.json()["id"] == b["id"]
    assert [p["id"] for p in await partners(client, b_headers, "shared-with")] == [a["id"]]
    for method, path in (
        ("GET", "/api/partners?direction=shared-by"),
        ("POST", f"/api/partners/{b['id']}"),
        ("DELETE", f"/api/partners/{b['id']}"),
    ):
        r = await client.request(method, path)
        assert r.status_code == 401, (method, path, r.text)


async def test_a_deleted_user_leaves_the_lists(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, pair: Any
) -> None:
    a, a_headers, b, b_headers = pair
    await share(client, a_headers, b["id"])
    photo = await make_asset(pool, a["id"])
    r = await client.request(
        "DELETE", f"/api/admin/users/{a['id']}", headers=admin_headers, json={}
    )
    assert r.status_code == 200, r.text
    assert await partners(client, b_headers, "shared-with") == []
    r = await client.get(f"/api/assets/{photo['id']}", headers=b_headers)
    assert r.status_code == 400, r.text


# --- what a partnership opens ------------------------------------------------------------------


async def bucket_ids(client: httpx.AsyncClient, headers: Headers, **params: str) -> set[str]:
    r = await client.get(
        "/api/timeline/bucket", headers=headers, params={"timeBucket": MONTH, **params}
    )
    assert r.status_code == 200, r.text
    return set(r.json()["id"])


async def test_partner_timeline_follows_in_timeline(
    client: httpx.AsyncClient, pool: Any, pair: Any
) -> None:
    a, a_headers, b, b_headers = pair
    theirs = await make_asset(pool, a["id"], isFavorite=True)
    archived = await make_asset(pool, a["id"], visibility="archive")
    locked = await make_asset(pool, a["id"], visibility="locked")
    trashed = await make_asset(pool, a["id"])
    await trash(pool, [trashed["id"]])
    mine = await make_asset(pool, b["id"])
    web = {"visibility": "timeline", "withPartners": "true"}

    # not partners yet: only mine, and their timeline is refused
    assert await bucket_ids(client, b_headers, **web) == {str(mine["id"])}
    r = await client.get("/api/timeline/buckets", headers=b_headers, params={"userId": a["id"]})
    assert r.json()["message"] == "Not found or no timeline.read access"

    await share(client, a_headers, b["id"])
    # inTimeline off: still only mine with withPartners
    assert await bucket_ids(client, b_headers, **web) == {str(mine["id"])}
    r = await client.get("/api/timeline/buckets", headers=b_headers, params=web)
    assert r.json() == [{"timeBucket": MONTH, "count": 1}]

    await in_timeline(client, b_headers, a["id"], True)
    assert await bucket_ids(client, b_headers, **web) == {str(mine["id"]), str(theirs["id"])}
    r = await client.get("/api/timeline/buckets", headers=b_headers, params=web)
    assert r.json() == [{"timeBucket": MONTH, "count": 2}]
    # their favourite is not mine; each asset says whose it is
    r = await client.get(
        "/api/timeline/bucket", headers=b_headers, params={"timeBucket": MONTH, **web}
    )
    body = r.json()
    owners = dict(zip(body["id"], body["ownerId"], strict=True))
    assert owners == {str(mine["id"]): b["id"], str(theirs["id"]): a["id"]}
    assert body["isFavorite"] == [False, False]
    # without withPartners: mine only
    assert await bucket_ids(client, b_headers, visibility="timeline") == {str(mine["id"])}
    # the sharer does not see the receiver's
    assert await bucket_ids(client, a_headers, **web) == {str(theirs["id"])}

    # their own timeline (the web's partner page): never their archive, trash or locked ones
    assert await bucket_ids(client, b_headers, userId=a["id"]) == {str(theirs["id"])}
    assert await bucket_ids(client, b_headers, userId=a["id"], visibility="timeline") == {
        str(theirs["id"])
    }
    assert await bucket_ids(client, b_headers, userId=a["id"], isTrashed="true") == set()
    r = await client.get(
        "/api/timeline/buckets",
        headers=b_headers,
        params={"userId": a["id"], "visibility": "archive"},
    )
    assert (r.status_code, r.json()["message"]) == (400, "Not found or no archive.read access")
    await unlock_sessions(pool, b["id"])
    r = await client.get(
        "/api/timeline/buckets",
        headers=b_headers,
        params={"userId": a["id"], "visibility": "locked"},
    )
    assert (r.status_code, r.json()["message"]) == (
        400,
        "You may not access another user's locked timeline",
    )
    hidden = {str(archived["id"]), str(locked["id"]), str(trashed["id"])}
    assert not hidden & await bucket_ids(client, b_headers, **web)

    # turned off again: gone from the receiver's timeline
    await in_timeline(client, b_headers, a["id"], False)
    assert await bucket_ids(client, b_headers, **web) == {str(mine["id"])}


async def test_partner_asset_access_never_opens_locked_archived_or_trashed(
    client: httpx.AsyncClient, pool: Any, pair: Any
) -> None:
    a, a_headers, b, b_headers = pair
    plain = await make_asset(pool, a["id"])
    video = await make_asset(pool, a["id"], type="VIDEO", visibility="hidden")
    archived = await make_asset(pool, a["id"], visibility="archive")
    locked = await make_asset(pool, a["id"], visibility="locked")
    trashed = await make_asset(pool, a["id"])
    await trash(pool, [trashed["id"]])

    async def status(asset: Any) -> int:
        r = await client.get(f"/api/assets/{asset['id']}", headers=b_headers)
        return r.status_code

    assert await status(plain) == 400  # not partners yet
    await share(client, a_headers, b["id"])
    await unlock_sessions(pool, b["id"])  # the receiver's PIN opens only their own locked ones
    assert await status(plain) == 200
    assert await status(video) == 200  # a live photo's hidden video opens with it
    for asset in (archived, locked, trashed):
        assert await status(asset) == 400, asset["visibility"]
    # read-like only: the receiver may not change the sharer's asset
    r = await client.put(f"/api/assets/{plain['id']}", headers=b_headers, json={"isFavorite": True})
    assert (r.status_code, r.json()["message"]) == (400, "Not found or no asset.update access")
    # the sharer sees nothing of the receiver's
    mine = await make_asset(pool, b["id"])
    r = await client.get(f"/api/assets/{mine['id']}", headers=a_headers)
    assert r.status_code == 400
    # removed: closed again
    r = await client.delete(f"/api/partners/{b['id']}", headers=a_headers)
    assert r.status_code == 204
    assert await status(plain) == 400


async def search_ids(client: httpx.AsyncClient, headers: Headers, body: dict[str, Any]) -> set[str]:
    r = await client.post("/api/search/metadata", json=body, headers=headers)
    assert r.status_code == 200, r.text
    return {x["id"] for x in r.json()["assets"]["items"]}


async def test_search_and_map_with_partners(
    client: httpx.AsyncClient, pool: Any, pair: Any
) -> None:
    a, a_headers, b, b_headers = pair
    here = {"latitude": 10.0, "longitude": 20.0, "city": "Paris"}
    theirs = await make_asset(pool, a["id"], exif=here)
    archived = await make_asset(pool, a["id"], exif=here, visibility="archive")
    locked = await make_asset(pool, a["id"], exif=here, visibility="locked")
    mine = await make_asset(pool, b["id"], exif=here)
    await share(client, a_headers, b["id"])
    await unlock_sessions(pool, b["id"])  # elevated: locked assets searched (the caller's own)

    # searches take the partners shown in the timeline (inTimeline)
    assert await search_ids(client, b_headers, {"city": "Paris"}) == {str(mine["id"])}
    await in_timeline(client, b_headers, a["id"], True)
    found = await search_ids(client, b_headers, {"city": "Paris"})
    assert found == {str(mine["id"]), str(theirs["id"])}
    assert await search_ids(client, b_headers, {"visibility": "archive"}) == set()
    assert await search_ids(client, b_headers, {"visibility": "locked"}) == set()
    r = await client.get("/api/search/suggestions", headers=b_headers, params={"type": "city"})
    assert r.json() == ["Paris"]
    r = await client.post("/api/search/statistics", headers=b_headers, json={})
    assert r.json()["total"] == 2
    # the sharer's searches stay their own
    assert await search_ids(client, a_headers, {"city": "Paris"}) == {
        str(theirs["id"]),
        str(archived["id"]),
    }

    # the map takes every partner (inTimeline or not), their timeline assets only
    await in_timeline(client, b_headers, a["id"], False)

    async def markers(**params: str) -> set[str]:
        r = await client.get("/api/map/markers", headers=b_headers, params=params)
        assert r.status_code == 200, r.text
        return {m["id"] for m in r.json()}

    assert await markers() == {str(mine["id"])}
    assert await markers(withPartners="true") == {str(mine["id"]), str(theirs["id"])}
    assert await markers(withPartners="true", isArchived="true") == {
        str(mine["id"]),
        str(theirs["id"]),
    }
    assert str(locked["id"]) not in await markers(withPartners="true")


async def test_the_admin_is_no_partner_of_anyone(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, pair: Any
) -> None:
    """Partner access is the partnership's alone: another user (an admin too) gets nothing."""
    a, a_headers, b, _ = pair
    await share(client, a_headers, b["id"])
    photo = await make_asset(pool, a["id"])
    r = await client.get(f"/api/assets/{photo['id']}", headers=admin_headers)
    assert r.status_code == 400
    admin = await user_id(pool)
    r = await client.get("/api/timeline/buckets", headers=admin_headers, params={"userId": a["id"]})
    assert r.json()["message"] == "Not found or no timeline.read access", admin
