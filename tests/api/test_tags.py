"""/api/tags: the 9 operations, hierarchy (parents made, children deleted with the parent),
colour, per-asset and bulk tagging, another user's tags out of reach, tags in asset answers,
and the search condition (``has_tags``) other resources filter by."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from immich.db.repos import _query as q
from immich.db.repos import tags as tags_repo
from immich.db.tables import Asset
from tests.api.asset_factory import UNKNOWN_ID, make_asset, user_id
from tests.api.user_helpers import api_key, user_and_login

Headers = dict[str, str]


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def create(client: httpx.AsyncClient, headers: Headers, **body: Any) -> Any:
    r = await client.post("/api/tags", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def upsert(client: httpx.AsyncClient, headers: Headers, *values: str) -> Any:
    r = await client.put("/api/tags", json={"tags": list(values)}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def all_tags(client: httpx.AsyncClient, headers: Headers) -> list[Any]:
    r = await client.get("/api/tags", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def tagged(pool: Any, asset_id: Any) -> set[str]:
    rows = await pool.fetch(
        'SELECT t."value" FROM "tag_asset" ta JOIN "tag" t ON t."id" = ta."tagId" '
        'WHERE ta."assetId" = $1',
        asset_id,
    )
    return {r["value"] for r in rows}


# --- create, read, update, delete ------------------------------------------------------------


async def test_create_read_list_update_delete(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    tag = await create(client, admin_headers, name="Trips", color="ff0000")
    assert tag["name"] == tag["value"] == "Trips"
    assert tag["color"] == "#ff0000"  # Immich adds the "#"
    assert "parentId" not in tag
    assert set(tag) == {"id", "name", "value", "color", "createdAt", "updatedAt"}

    r = await client.get(f"/api/tags/{tag['id']}", headers=admin_headers)
    assert r.status_code == 200 and r.json() == tag

    child = await create(client, admin_headers, name="Paris", parentId=tag["id"])
    assert (child["name"], child["value"], child["parentId"]) == ("Paris", "Trips/Paris", tag["id"])
    assert "color" not in child
    assert [t["value"] for t in await all_tags(client, admin_headers)] == ["Trips", "Trips/Paris"]

    r = await client.put(f"/api/tags/{tag['id']}", json={"color": "#00FF00"}, headers=admin_headers)
    assert r.status_code == 200 and r.json()["color"] == "#00FF00"
    assert r.json()["updatedAt"] > tag["updatedAt"]
    r = await client.put(f"/api/tags/{tag['id']}", json={}, headers=admin_headers)
    assert r.status_code == 200 and r.json()["color"] == "#00FF00"  # nothing asked, nothing changed
    r = await client.put(f"/api/tags/{tag['id']}", json={"color": None}, headers=admin_headers)
    assert r.status_code == 200 and "color" not in r.json()

    r = await client.delete(f"/api/tags/{child['id']}", headers=admin_headers)
    assert r.status_code == 204
    assert [t["value"] for t in await all_tags(client, admin_headers)] == ["Trips"]
    r = await client.get(f"/api/tags/{child['id']}", headers=admin_headers)
    assert r.status_code == 400
    assert r.json()["message"] == "Not found or no tag.read access"


async def test_create_refuses_a_duplicate_and_a_bad_parent(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    parent = await create(client, admin_headers, name="a")
    await create(client, admin_headers, name="b", parentId=parent["id"])
    r = await client.post(
        "/api/tags", json={"name": "b", "parentId": parent["id"]}, headers=admin_headers
    )
    assert r.status_code == 400 and r.json()["message"] == "A tag with that name already exists"
    r = await client.post("/api/tags", json={"name": "a"}, headers=admin_headers)
    assert r.status_code == 400 and r.json()["message"] == "A tag with that name already exists"
    r = await client.post(
        "/api/tags", json={"name": "c", "parentId": UNKNOWN_ID}, headers=admin_headers
    )
    assert r.status_code == 400 and r.json()["message"] == "Not found or no tag.read access"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({}, ["name"]),
        ({"name": 5}, ["name"]),
        ({"name": "x", "color": "red"}, ["color"]),
        ({"name": "x", "color": "#12345"}, ["color"]),
        ({"name": "x", "parentId": "not-a-uuid"}, ["parentId"]),
    ],
)
async def test_create_validates(
    client: httpx.AsyncClient, admin_headers: Headers, body: Any, path: list[str]
) -> None:
    r = await client.post("/api/tags", json=body, headers=admin_headers)
    assert r.status_code == 400, r.text
    assert r.json()["message"] == "Validation failed"
    assert [e["path"] for e in r.json()["errors"]] == [path]


async def test_bad_input_elsewhere(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    tag = await create(client, admin_headers, name="x")
    r = await client.get("/api/tags/not-a-uuid", headers=admin_headers)
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"
    r = await client.put(f"/api/tags/{tag['id']}", json={"color": "#zzz"}, headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["color"]
    r = await client.put("/api/tags", json={"tags": "a/b"}, headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["tags"]
    r = await client.put("/api/tags/assets", json={"tagIds": [tag["id"]]}, headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["assetIds"]
    r = await client.put(
        f"/api/tags/{tag['id']}/assets", json={"ids": ["x"]}, headers=admin_headers
    )
    assert r.status_code == 400 and r.json()["message"] == "Validation failed"
    for method in ("PUT", "DELETE"):
        r = await client.request(
            method, f"/api/tags/{UNKNOWN_ID}/assets", json={"ids": []}, headers=admin_headers
        )
        assert r.status_code == 400 and r.json()["message"] == "Not found or no tag.asset access"
    r = await client.get("/api/tags")
    assert r.status_code == 401


# --- hierarchy ---------------------------------------------------------------------------------


async def test_upsert_makes_every_level_once(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    found = await upsert(client, admin_headers, "Places/France/Paris", "Places//Italy/", "", "x")
    assert [t["value"] for t in found] == ["Places/France/Paris", "Places/Italy", "x"]
    assert [t["name"] for t in found] == ["Paris", "Italy", "x"]
    tags = {t["value"]: t for t in await all_tags(client, admin_headers)}
    assert list(tags) == ["Places", "Places/France", "Places/France/Paris", "Places/Italy", "x"]
    assert "parentId" not in tags["Places"]
    assert tags["Places/France"]["parentId"] == tags["Places"]["id"]
    assert tags["Places/France/Paris"]["parentId"] == tags["Places/France"]["id"]
    assert tags["Places/Italy"]["parentId"] == tags["Places"]["id"]
    # again: the same tags, none new
    again = await upsert(client, admin_headers, "Places/France/Paris", "Places/France/Paris")
    assert [t["id"] for t in again] == [tags["Places/France/Paris"]["id"]]
    assert len(await all_tags(client, admin_headers)) == 5
    # the closure: Paris is under Places, France and itself
    ancestors = await pool.fetch(
        'SELECT t."value" FROM "tag_closure" c JOIN "tag" t ON t."id" = c."id_ancestor" '
        'WHERE c."id_descendant" = $1 ORDER BY t."value"',
        uuid.UUID(tags["Places/France/Paris"]["id"]),
    )
    assert [r["value"] for r in ancestors] == ["Places", "Places/France", "Places/France/Paris"]


async def test_deleting_a_parent_deletes_its_children_and_their_links(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    photo = await make_asset(pool, me)
    (paris,) = await upsert(client, admin_headers, "Places/France/Paris")
    (other,) = await upsert(client, admin_headers, "Other")
    r = await client.put(
        "/api/tags/assets",
        json={"tagIds": [paris["id"], other["id"]], "assetIds": [str(photo["id"])]},
        headers=admin_headers,
    )
    assert r.json() == {"count": 2}
    places = next(t for t in await all_tags(client, admin_headers) if t["value"] == "Places")
    r = await client.delete(f"/api/tags/{places['id']}", headers=admin_headers)
    assert r.status_code == 204
    assert [t["value"] for t in await all_tags(client, admin_headers)] == ["Other"]
    assert await tagged(pool, photo["id"]) == {"Other"}
    assert await pool.fetchval('SELECT count(*) FROM "tag_closure"') == 1


# --- tagging assets ----------------------------------------------------------------------------


async def test_tag_and_untag_assets_answer_per_asset(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    other, _ = await user_and_login(client, admin_headers)
    mine = [await make_asset(pool, me) for _ in range(2)]
    theirs = await make_asset(pool, other["id"])
    locked = await make_asset(pool, me, visibility="locked")
    tag = await create(client, admin_headers, name="Best")
    a, b = (str(x["id"]) for x in mine)
    ids = [a, a, str(theirs["id"]), str(locked["id"]), UNKNOWN_ID]
    r = await client.put(f"/api/tags/{tag['id']}/assets", json={"ids": ids}, headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"id": a, "success": True},
        {"id": a, "success": False, "error": "duplicate"},
        {"id": str(theirs["id"]), "success": False, "error": "no_permission"},
        {"id": str(locked["id"]), "success": False, "error": "no_permission"},
        {"id": UNKNOWN_ID, "success": False, "error": "no_permission"},
    ]
    r = await client.put(
        f"/api/tags/{tag['id']}/assets", json={"ids": [a, b]}, headers=admin_headers
    )
    assert [x.get("error") for x in r.json()] == ["duplicate", None]
    assert await tagged(pool, mine[0]["id"]) == await tagged(pool, mine[1]["id"]) == {"Best"}

    r = await client.request(
        "DELETE",
        f"/api/tags/{tag['id']}/assets",
        json={"ids": [a, a, str(theirs["id"])]},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"id": a, "success": True},
        {"id": a, "success": False, "error": "not_found"},
        {"id": str(theirs["id"]), "success": False, "error": "not_found"},
    ]
    assert await tagged(pool, mine[0]["id"]) == set()
    assert await tagged(pool, mine[1]["id"]) == {"Best"}


async def test_tagging_writes_and_locks_the_exif_tags(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    with_exif = await make_asset(pool, me, exif={"tags": ["FromFile"], "city": "Oslo"})
    bare = await make_asset(pool, me)
    tags = await upsert(client, admin_headers, "b/c", "a")
    ids = [str(with_exif["id"]), str(bare["id"])]
    r = await client.put(
        "/api/tags/assets",
        json={"tagIds": [t["id"] for t in tags], "assetIds": ids},
        headers=admin_headers,
    )
    assert r.json() == {"count": 4}
    for asset in (with_exif, bare):
        row = await pool.fetchrow(
            'SELECT "tags", "lockedProperties" FROM "asset_exif" WHERE "assetId" = $1', asset["id"]
        )
        assert row["tags"] == ["a", "b/c"]
        assert "tags" in row["lockedProperties"]
    assert (
        await pool.fetchval('SELECT "city" FROM "asset_exif" WHERE "assetId" = $1', with_exif["id"])
        == "Oslo"
    )
    r = await client.request(
        "DELETE", f"/api/tags/{tags[1]['id']}/assets", json={"ids": ids[:1]}, headers=admin_headers
    )
    assert r.json()[0]["success"] is True
    assert await pool.fetchval(
        'SELECT "tags" FROM "asset_exif" WHERE "assetId" = $1', with_exif["id"]
    ) == ["b/c"]


async def test_bulk_tagging_counts_new_pairs_and_skips_what_is_not_allowed(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    other, other_headers = await user_and_login(client, admin_headers)
    mine = [await make_asset(pool, me) for _ in range(2)]
    theirs = await make_asset(pool, other["id"])
    my_tags = await upsert(client, admin_headers, "one", "two")
    (their_tag,) = await upsert(client, other_headers, "theirs")
    body = {
        "tagIds": [t["id"] for t in my_tags] + [their_tag["id"]],
        "assetIds": [str(m["id"]) for m in mine] + [str(theirs["id"])],
    }
    r = await client.put("/api/tags/assets", json=body, headers=admin_headers)
    assert r.status_code == 200 and r.json() == {"count": 4}
    r = await client.put("/api/tags/assets", json=body, headers=admin_headers)
    assert r.json() == {"count": 0}  # nothing new
    assert await tagged(pool, theirs["id"]) == set()
    assert (
        await pool.fetchval(
            'SELECT count(*) FROM "tag_asset" WHERE "tagId" = $1', uuid.UUID(their_tag["id"])
        )
        == 0
    )
    r = await client.put(
        "/api/tags/assets", json={"tagIds": [], "assetIds": []}, headers=admin_headers
    )
    assert r.json() == {"count": 0}


# --- who sees what -----------------------------------------------------------------------------


async def test_another_users_tags_are_out_of_reach(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    _, other_headers = await user_and_login(client, admin_headers)
    mine = await create(client, admin_headers, name="Private")
    (theirs,) = await upsert(client, other_headers, "Private")  # same value, another user
    assert theirs["id"] != mine["id"]
    assert [t["id"] for t in await all_tags(client, other_headers)] == [theirs["id"]]
    url = f"/api/tags/{mine['id']}"
    for method, path, body, permission in [
        ("GET", url, None, "tag.read"),
        ("PUT", url, {"color": "#fff"}, "tag.update"),
        ("DELETE", url, None, "tag.delete"),
        ("PUT", f"{url}/assets", {"ids": []}, "tag.asset"),
        ("DELETE", f"{url}/assets", {"ids": []}, "tag.asset"),
    ]:
        r = await client.request(method, path, json=body, headers=other_headers)
        assert r.status_code == 400, (method, path)
        assert r.json()["message"] == f"Not found or no {permission} access"
    r = await client.post(
        "/api/tags", json={"name": "x", "parentId": mine["id"]}, headers=other_headers
    )
    assert r.status_code == 400 and r.json()["message"] == "Not found or no tag.read access"
    r = await client.get(url, headers=admin_headers)
    assert r.status_code == 200 and "color" not in r.json()  # untouched


async def test_api_key_permissions(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    reader = await api_key(client, admin_headers, "tag.read")
    tag = await create(client, admin_headers, name="x")
    r = await client.get("/api/tags", headers=reader)
    assert r.status_code == 200 and [t["id"] for t in r.json()] == [tag["id"]]
    for method, path, body, permission in [
        ("POST", "/api/tags", {"name": "y"}, "tag.create"),
        ("PUT", "/api/tags", {"tags": ["y"]}, "tag.create"),
        ("PUT", f"/api/tags/{tag['id']}", {}, "tag.update"),
        ("DELETE", f"/api/tags/{tag['id']}", None, "tag.delete"),
        ("PUT", "/api/tags/assets", {"tagIds": [], "assetIds": []}, "tag.asset"),
        ("PUT", f"/api/tags/{tag['id']}/assets", {"ids": []}, "tag.asset"),
    ]:
        r = await client.request(method, path, json=body, headers=reader)
        assert r.status_code == 403, (method, path)
        assert r.json()["message"] == f"Missing required permission: {permission}"


# --- tags in asset answers and in search -----------------------------------------------------


async def test_asset_info_carries_its_tags(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    photo = await make_asset(pool, me, exif={})
    r = await client.get(f"/api/assets/{photo['id']}", headers=admin_headers)
    assert r.json()["tags"] == []
    tags = await upsert(client, admin_headers, "z", "a/b")
    for tag in tags:
        await client.put(
            f"/api/tags/{tag['id']}/assets", json={"ids": [str(photo["id"])]}, headers=admin_headers
        )
    r = await client.get(f"/api/assets/{photo['id']}", headers=admin_headers)
    assert r.status_code == 200
    assert [t["value"] for t in r.json()["tags"]] == ["a/b", "z"]
    shown = r.json()["tags"][0]
    assert (shown["id"], shown["name"], shown["parentId"]) == (
        tags[1]["id"],
        "b",
        tags[1]["parentId"],
    )


async def test_has_tags_needs_every_tag_and_counts_descendants(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    deep, shallow, both, none = [await make_asset(pool, me) for _ in range(4)]
    paris, france, other = await upsert(
        client, admin_headers, "Places/France/Paris", "Places/France", "Other"
    )
    places = next(t for t in await all_tags(client, admin_headers) if t["value"] == "Places")

    async def tag(t: Any, *assets: Any) -> None:
        ids = [str(a["id"]) for a in assets]
        await client.put(f"/api/tags/{t['id']}/assets", json={"ids": ids}, headers=admin_headers)

    await tag(paris, deep, both)
    await tag(france, shallow)
    await tag(other, both)

    async def found(*tag_ids: str) -> set[Any]:
        query = Asset.select(Asset.id).where(
            (Asset.owner_id == me) & tags_repo.has_tags(list(tag_ids))
        )
        return {r["id"] for r in await q.fetch(pool, query)}

    ids = {x["id"]: name for x, name in [(deep, "deep"), (shallow, "shallow"), (both, "both")]}
    named = lambda found_ids: {ids[i] for i in found_ids}  # noqa: E731
    assert named(await found(places["id"])) == {"deep", "shallow", "both"}
    assert named(await found(paris["id"])) == {"deep", "both"}
    assert named(await found(places["id"], other["id"])) == {"both"}
    assert named(await found(paris["id"], france["id"])) == {"deep", "both"}
    assert len(await found()) == 4  # no tag asked: every asset
    no_tags = Asset.select(Asset.id).where((Asset.owner_id == me) & tags_repo.has_no_tags())
    assert {r["id"] for r in await q.fetch(pool, no_tags)} == {none["id"]}


async def test_delete_empty_keeps_tags_in_use_and_their_parents(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    photo = await make_asset(pool, me)
    used, _ = await upsert(client, admin_headers, "a/b", "c/d")
    r = await client.put(
        f"/api/tags/{used['id']}/assets", json={"ids": [str(photo["id"])]}, headers=admin_headers
    )
    assert r.json()[0]["success"] is True
    assert await tags_repo.delete_empty(pool) == 2  # c/d and c
    assert [t["value"] for t in await all_tags(client, admin_headers)] == ["a", "a/b"]
