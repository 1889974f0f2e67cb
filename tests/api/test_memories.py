"""/api/memories: the 8 operations (create, read, search with every filter, statistics,
update, delete, add and remove assets), what an answer shows of a memory's assets, the change
ids and audit rows sync reads, and another user's memories out of reach."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.api.asset_factory import UNKNOWN_ID, make_album, make_asset, trash, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


def body(year: int = 2020, *asset_ids: Any, **extra: Any) -> dict[str, Any]:
    return {
        "type": "on_this_day",
        "data": {"year": year},
        "memoryAt": f"{year}-06-15T00:00:00.000Z",
        "assetIds": [str(a) for a in asset_ids],
        **extra,
    }


async def create(client: httpx.AsyncClient, headers: Headers, **kwargs: Any) -> Any:
    r = await client.post("/api/memories", json=body(**kwargs), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def search(client: httpx.AsyncClient, headers: Headers, **query: Any) -> list[Any]:
    r = await client.get("/api/memories", params=query, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def total(client: httpx.AsyncClient, headers: Headers, **query: Any) -> int:
    r = await client.get("/api/memories/statistics", params=query, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["total"]  # type: ignore[no-any-return]


def asset_ids(memory: Any) -> list[str]:
    return [a["id"] for a in memory["assets"]]


async def test_create_read_search_update_delete(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    late = await make_asset(pool, me, "2020-06-15T18:00:00")
    early = await make_asset(pool, me, "2020-06-15T08:00:00")
    r = await client.post(
        "/api/memories",
        json=body(2020, late["id"], early["id"], late["id"], showAt="2024-06-15T00:00:00.000Z"),
        headers=admin_headers,
    )
    assert r.status_code == 201, r.text
    memory = r.json()
    assert memory["type"] == "on_this_day" and memory["data"] == {"year": 2020}
    assert memory["ownerId"] == str(me) and memory["isSaved"] is False
    assert memory["memoryAt"].startswith("2020-06-15T00:00:00")
    assert memory["showAt"].startswith("2024-06-15T00:00:00")
    assert "hideAt" not in memory and "seenAt" not in memory and "deletedAt" not in memory
    # oldest first, each once, as full asset answers
    assert asset_ids(memory) == [str(early["id"]), str(late["id"])]
    assert memory["assets"][0]["people"] == [] and memory["assets"][0]["resized"] is True

    r = await client.get(f"/api/memories/{memory['id']}", headers=admin_headers)
    assert r.status_code == 200 and r.json() == memory
    assert [m["id"] for m in await search(client, admin_headers)] == [memory["id"]]
    assert await total(client, admin_headers) == 1

    update_id = await pool.fetchval(
        'SELECT "updateId" FROM "memory" WHERE "id" = $1', uuid.UUID(memory["id"])
    )
    r = await client.put(
        f"/api/memories/{memory['id']}",
        json={"isSaved": True, "seenAt": "2024-06-15T10:00:00.000Z"},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["isSaved"] is True and changed["seenAt"].startswith("2024-06-15T10:00:00")
    assert changed["memoryAt"] == memory["memoryAt"]
    assert changed["updatedAt"] > memory["updatedAt"]
    assert update_id != await pool.fetchval(
        'SELECT "updateId" FROM "memory" WHERE "id" = $1', uuid.UUID(memory["id"])
    )
    r = await client.put(
        f"/api/memories/{memory['id']}",
        json={"memoryAt": "2019-01-01T00:00:00.000Z"},
        headers=admin_headers,
    )
    assert r.status_code == 200 and r.json()["memoryAt"].startswith("2019-01-01")
    assert r.json()["isSaved"] is True  # untouched

    r = await client.delete(f"/api/memories/{memory['id']}", headers=admin_headers)
    assert r.status_code == 204, r.text
    r = await client.get(f"/api/memories/{memory['id']}", headers=admin_headers)
    assert r.status_code == 400
    assert r.json()["message"] == "Not found or no memory.read access"
    audit = await pool.fetch('SELECT "memoryId", "userId" FROM "memory_audit"')
    assert [(str(a["memoryId"]), a["userId"]) for a in audit] == [(memory["id"], me)]
    # its assets went with it: covered by the memory's audit row, none of their own
    assert await pool.fetch('SELECT 1 FROM "memory_asset_audit"') == []
    assert await pool.fetch('SELECT 1 FROM "memory_asset"') == []
    assert await total(client, admin_headers) == 0


async def test_bad_input(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    good = body(2020)
    for bad, path in [
        ({k: v for k, v in good.items() if k != "type"}, "type"),
        ({**good, "type": "someday"}, "type"),
        ({**good, "data": {"year": 999}}, "data"),
        ({**good, "data": {}}, "data"),
        ({**good, "memoryAt": "yesterday"}, "memoryAt"),
        ({**good, "assetIds": ["not-a-uuid"]}, "assetIds"),
        ({**good, "isSaved": "yes"}, "isSaved"),
    ]:
        r = await client.post("/api/memories", json=bad, headers=admin_headers)
        assert r.status_code == 400, (bad, r.text)
        assert r.json()["message"] == "Validation failed"
        assert r.json()["errors"][0]["path"][0] == path, r.text
    for query in ({"size": "0"}, {"order": "sideways"}, {"for": "2024-02-30"}, {"type": "x"}):
        r = await client.get("/api/memories", params=query, headers=admin_headers)
        assert r.status_code == 400 and r.json()["message"] == "Validation failed", query
        r = await client.get("/api/memories/statistics", params=query, headers=admin_headers)
        assert r.status_code == 400, query
    r = await client.get("/api/memories/not-a-uuid", headers=admin_headers)
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"
    r = await client.put(f"/api/memories/{UNKNOWN_ID}", json={"isSaved": 1}, headers=admin_headers)
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"
    for method, path, payload, permission in [
        ("GET", "", None, "memory.read"),
        ("PUT", "", {"isSaved": True}, "memory.update"),
        ("DELETE", "", None, "memory.delete"),
        ("PUT", "/assets", {"ids": [UNKNOWN_ID]}, "memory.read"),
        ("DELETE", "/assets", {"ids": [UNKNOWN_ID]}, "memory.update"),
    ]:
        r = await client.request(
            method, f"/api/memories/{UNKNOWN_ID}{path}", json=payload, headers=admin_headers
        )
        assert r.status_code == 400, (method, path, r.text)
        assert r.json()["message"] == f"Not found or no {permission} access"


async def test_search_filters(client: httpx.AsyncClient, admin_headers: Headers, pool: Any) -> None:
    me = await user_id(pool)
    photo = await make_asset(pool, me, "2020-06-15T12:00:00")
    made = {}
    for name, extra in [
        ("old", {"memoryAt": "2019-06-15T00:00:00.000Z"}),
        ("saved", {"memoryAt": "2020-06-15T00:00:00.000Z", "isSaved": True}),
        (
            "window",
            {
                "memoryAt": "2021-06-15T00:00:00.000Z",
                "showAt": "2024-06-15T00:00:00.000Z",
                "hideAt": "2024-06-15T23:59:59.999Z",
            },
        ),
    ]:
        r = await client.post(
            "/api/memories", json={**body(2020, photo["id"]), **extra}, headers=admin_headers
        )
        assert r.status_code == 201, r.text
        made[name] = r.json()["id"]
    trashed = await create(client, admin_headers)  # no assets
    await pool.execute(
        'UPDATE "memory" SET "deletedAt" = now() WHERE "id" = $1', uuid.UUID(trashed["id"])
    )

    def ids(found: list[Any]) -> list[str]:
        return [m["id"] for m in found]

    assert ids(await search(client, admin_headers)) == [made["window"], made["saved"], made["old"]]
    assert ids(await search(client, admin_headers, order="asc")) == [
        made["old"],
        made["saved"],
        made["window"],
    ]
    assert set(ids(await search(client, admin_headers, order="random"))) == set(made.values())
    assert ids(await search(client, admin_headers, size=1)) == [made["window"]]
    assert ids(await search(client, admin_headers, isSaved="true")) == [made["saved"]]
    assert ids(await search(client, admin_headers, isSaved="false")) == [
        made["window"],
        made["old"],
    ]
    assert ids(await search(client, admin_headers, type="on_this_day")) != []
    # "for": inside the window, or no window at all
    assert set(ids(await search(client, admin_headers, **{"for": "2024-06-15"}))) == set(
        made.values()
    )
    assert ids(await search(client, admin_headers, **{"for": "2024-06-16"})) == [
        made["saved"],
        made["old"],
    ]
    assert await total(client, admin_headers, **{"for": "2024-06-14"}) == 2
    # the trashed memory: only with isTrashed (and not in a search: it has no assets)
    assert await total(client, admin_headers) == 3
    assert await total(client, admin_headers, isTrashed="true") == 1
    assert await search(client, admin_headers, isTrashed="true") == []
    r = await client.get(f"/api/memories/{trashed['id']}", headers=admin_headers)
    assert r.json()["message"] == "Not found or no memory.read access"


async def test_assets_shown_and_memories_without_any_hidden(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    shown = await make_asset(pool, me, "2020-06-15T10:00:00")
    archived = await make_asset(pool, me, "2020-06-15T11:00:00", visibility="archive")
    binned = await make_asset(pool, me, "2020-06-15T12:00:00")
    r = await client.post(
        "/api/memories",
        json=body(2020, shown["id"], archived["id"], binned["id"]),
        headers=admin_headers,
    )
    memory = r.json()
    assert asset_ids(memory) == [str(shown["id"]), str(binned["id"])]
    await trash(pool, [binned["id"]])
    r = await client.get(f"/api/memories/{memory['id']}", headers=admin_headers)
    assert asset_ids(r.json()) == [str(shown["id"])]
    await trash(pool, [shown["id"]])
    # no asset left to show: the search leaves it out, the statistics still count it
    assert await search(client, admin_headers) == []
    assert await total(client, admin_headers) == 1
    r = await client.get(f"/api/memories/{memory['id']}", headers=admin_headers)
    assert r.status_code == 200 and r.json()["assets"] == []


async def test_add_and_remove_assets(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    user, headers = await user_and_login(client, admin_headers)
    mine = await make_asset(pool, me, "2020-06-15T10:00:00")
    other = await make_asset(pool, me, "2020-06-15T11:00:00")
    locked = await make_asset(pool, me, "2020-06-15T12:00:00", visibility="locked")
    theirs = await make_asset(pool, user["id"], "2020-06-15T12:00:00")
    memory = await create(client, admin_headers)
    updated_at = memory["updatedAt"]

    ids = [str(mine["id"]), str(theirs["id"]), str(locked["id"]), str(mine["id"])]
    r = await client.put(
        f"/api/memories/{memory['id']}/assets", json={"ids": ids}, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"id": ids[0], "success": True},
        {"id": ids[1], "success": False, "error": "no_permission"},
        {"id": ids[2], "success": False, "error": "no_permission"},
        {"id": ids[0], "success": False, "error": "duplicate"},
    ]
    r = await client.get(f"/api/memories/{memory['id']}", headers=admin_headers)
    assert asset_ids(r.json()) == [ids[0]] and r.json()["updatedAt"] > updated_at

    # an album member may not put the owner's shared asset in a memory of theirs
    await make_album(pool, me, [other["id"]])
    await pool.execute(
        'INSERT INTO "album_user" ("albumId", "userId", "role") '
        'SELECT "albumId", $1, \'viewer\' FROM "album_asset" WHERE "assetId" = $2',
        uuid.UUID(user["id"]),
        other["id"],
    )
    theirs_memory = await create(client, headers)
    r = await client.put(
        f"/api/memories/{theirs_memory['id']}/assets",
        json={"ids": [str(other["id"])]},
        headers=headers,
    )
    assert r.json() == [{"id": str(other["id"]), "success": False, "error": "no_permission"}]

    r = await client.request(
        "DELETE",
        f"/api/memories/{memory['id']}/assets",
        json={"ids": [ids[0], str(other["id"])]},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"id": ids[0], "success": True},
        {"id": str(other["id"]), "success": False, "error": "not_found"},
    ]
    r = await client.get(f"/api/memories/{memory['id']}", headers=admin_headers)
    assert r.json()["assets"] == []
    audit = await pool.fetch('SELECT "memoryId", "assetId" FROM "memory_asset_audit"')
    assert [(str(a["memoryId"]), str(a["assetId"])) for a in audit] == [(memory["id"], ids[0])]
    # creating with assets the caller may not share drops them silently
    r = await client.post(
        "/api/memories", json=body(2020, theirs["id"], mine["id"]), headers=admin_headers
    )
    assert asset_ids(r.json()) == [ids[0]]


async def test_another_users_memories_are_out_of_reach(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    _, headers = await user_and_login(client, admin_headers)
    photo = await make_asset(pool, me, "2020-06-15T10:00:00")
    memory = await create(client, admin_headers)
    r = await client.put(
        f"/api/memories/{memory['id']}/assets",
        json={"ids": [str(photo["id"])]},
        headers=admin_headers,
    )
    assert r.json()[0]["success"] is True
    base = f"/api/memories/{memory['id']}"
    for method, path, payload, permission in [
        ("GET", "", None, "memory.read"),
        ("PUT", "", {"isSaved": True}, "memory.update"),
        ("DELETE", "", None, "memory.delete"),
        ("PUT", "/assets", {"ids": [str(photo["id"])]}, "memory.read"),
        ("DELETE", "/assets", {"ids": [str(photo["id"])]}, "memory.update"),
    ]:
        r = await client.request(method, base + path, json=payload, headers=headers)
        assert r.status_code == 400, (method, path, r.text)
        assert r.json()["message"] == f"Not found or no {permission} access"
    assert await search(client, headers) == []
    assert await total(client, headers) == 0
    r = await client.get(base, headers=admin_headers)
    assert r.json()["isSaved"] is False and asset_ids(r.json()) == [str(photo["id"])]
