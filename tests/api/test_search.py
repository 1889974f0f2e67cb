"""POST /api/search/metadata: every filter (each case has an asset it must find and one it
must not), paging, order, whose assets a search sees, and bad input."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.api.asset_factory import (
    UNKNOWN_ID,
    make_album,
    make_asset,
    make_stack,
    trash,
    unlock_sessions,
    user_id,
)
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]
Make = Callable[..., Awaitable[Any]]


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def search(
    client: httpx.AsyncClient, headers: Headers, body: dict[str, Any], status: int = 200
) -> Any:
    r = await client.post("/api/search/metadata", json=body, headers=headers)
    assert r.status_code == status, r.text
    return r.json()


async def ids(client: httpx.AsyncClient, headers: Headers, body: dict[str, Any]) -> set[str]:
    answer = await search(client, headers, body)
    return {a["id"] for a in answer["assets"]["items"]}


async def _set(pool: Any, asset: Any, **columns: Any) -> None:
    for name, value in columns.items():
        await pool.execute(f'UPDATE "asset" SET "{name}" = $2 WHERE "id" = $1', asset["id"], value)


async def _encoded(pool: Any, asset: Any, path: str = "/media/encoded/x.mp4") -> None:
    await pool.execute(
        'INSERT INTO "asset_file" ("assetId", "type", "path") VALUES ($1, $2, $3)',
        asset["id"],
        "encoded_video",
        path,
    )


Case = tuple[dict[str, Any], Callable[[Any, Any], Awaitable[tuple[Any, Any]]]]


def exif_case(field: str, match: Any, miss: Any) -> Case:
    async def setup(pool: Any, me: Any) -> tuple[Any, Any]:
        return (
            await make_asset(pool, me, exif={field: match}),
            await make_asset(pool, me, exif={field: miss}),
        )

    return {field: match}, setup


def asset_case(body: dict[str, Any], match: dict[str, Any], miss: dict[str, Any]) -> Case:
    async def setup(pool: Any, me: Any) -> tuple[Any, Any]:
        a, b = await make_asset(pool, me), await make_asset(pool, me)
        await _set(pool, a, **match)
        await _set(pool, b, **miss)
        return a, b

    return body, setup


OLD, NEW = dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
MID = "2022-01-01T00:00:00.000Z"


async def _album_case(pool: Any, me: Any) -> tuple[Any, Any]:
    a, b = await make_asset(pool, me), await make_asset(pool, me)
    await make_album(pool, me, [b["id"]])
    return a, b


async def _encoded_case(pool: Any, me: Any) -> tuple[Any, Any]:
    a, b = await make_asset(pool, me), await make_asset(pool, me)
    await _encoded(pool, a)
    return a, b


async def _motion_case(pool: Any, me: Any) -> tuple[Any, Any]:
    video = await make_asset(pool, me, type="VIDEO", visibility="hidden")
    a, b = await make_asset(pool, me, livePhotoVideoId=video["id"]), await make_asset(pool, me)
    return a, b


async def _trashed_case(pool: Any, me: Any) -> tuple[Any, Any]:
    a, b = await make_asset(pool, me), await make_asset(pool, me)
    await trash(pool, [a["id"]], NEW)
    await trash(pool, [b["id"]], OLD)
    return a, b


CASES: dict[str, Case] = {
    "takenAfter": asset_case({"takenAfter": MID}, {"fileCreatedAt": NEW}, {"fileCreatedAt": OLD}),
    "takenBefore": asset_case({"takenBefore": MID}, {"fileCreatedAt": OLD}, {"fileCreatedAt": NEW}),
    "createdAfter": asset_case({"createdAfter": MID}, {"createdAt": NEW}, {"createdAt": OLD}),
    "createdBefore": asset_case({"createdBefore": MID}, {"createdAt": OLD}, {"createdAt": NEW}),
    "trashedAfter": ({"trashedAfter": MID}, _trashed_case),
    "city": exif_case("city", "Paris", "Rome"),
    "cityNull": ({"city": None}, lambda p, m: _null_case(p, m, "city")),
    "state": exif_case("state", "Texas", "Ohio"),
    "country": exif_case("country", "France", "Italy"),
    "countryNull": ({"country": None}, lambda p, m: _null_case(p, m, "country")),
    "make": exif_case("make", "Canon", "Nikon"),
    "model": exif_case("model", "EOS R5", "Z6"),
    "lensModel": exif_case("lensModel", "RF 50mm", "Z 35mm"),
    "rating": exif_case("rating", 5, 2),
    "ratingNull": ({"rating": None}, lambda p, m: _null_case(p, m, "rating", 3)),
    "description": exif_case("description", "A day at the Beach", "mountains"),
    "type": asset_case({"type": "VIDEO"}, {"type": "VIDEO"}, {"type": "IMAGE"}),
    "isFavorite": asset_case({"isFavorite": True}, {"isFavorite": True}, {"isFavorite": False}),
    "notFavorite": asset_case({"isFavorite": False}, {"isFavorite": False}, {"isFavorite": True}),
    "isOffline": asset_case({"isOffline": True}, {"isOffline": True}, {"isOffline": False}),
    "visibility": asset_case(
        {"visibility": "archive"}, {"visibility": "archive"}, {"visibility": "timeline"}
    ),
    "isEncoded": ({"isEncoded": True}, _encoded_case),
    "encodedVideoPath": ({"encodedVideoPath": "/media/encoded/x.mp4"}, _encoded_case),
    "isMotion": ({"isMotion": True}, _motion_case),
    "isNotInAlbum": ({"isNotInAlbum": True}, _album_case),
    "originalFileName": asset_case(
        {"originalFileName": "cafe"},
        {"originalFileName": "IMG_Café_1.jpg"},
        {"originalFileName": "IMG_2.jpg"},
    ),
    "originalPath": asset_case(
        {"originalPath": "/holiday/"},
        {"originalPath": "/media/holiday/a.jpg"},
        {"originalPath": "/media/work/a.jpg"},
    ),
    "libraryId": asset_case(
        {"libraryId": "5b1e6c2a-0f1d-4a8e-9c3b-2d4e6f8a0b1c"},
        {"libraryId": uuid.UUID("5b1e6c2a-0f1d-4a8e-9c3b-2d4e6f8a0b1c")},
        {},
    ),
}


async def _null_case(pool: Any, me: Any, field: str, value: Any = "x") -> tuple[Any, Any]:
    return (
        await make_asset(pool, me, exif={field: None}),
        await make_asset(pool, me, exif={field: value}),
    )


@pytest.mark.parametrize("name", sorted(CASES))
async def test_each_filter_keeps_its_asset_and_drops_the_other(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, name: str
) -> None:
    body, setup = CASES[name]
    me = await user_id(pool)
    match, miss = await setup(pool, me)
    everything = await ids(client, admin_headers, {"withDeleted": True})
    assert str(miss["id"]) in everything
    found = await ids(client, admin_headers, body)
    assert str(match["id"]) in found, name
    assert str(miss["id"]) not in found, name


async def test_library_id_null_is_no_filter(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me)
    found = await ids(client, admin_headers, {"libraryId": None})
    assert str(a["id"]) in found  # null: no filter, as Immich


async def test_checksum_hex_or_base64_and_id(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a, b = await make_asset(pool, me), await make_asset(pool, me)
    checksum = bytes(a["checksum"])
    assert await ids(client, admin_headers, {"checksum": checksum.hex()}) == {str(a["id"])}
    b64 = base64.b64encode(checksum).decode()
    assert await ids(client, admin_headers, {"checksum": b64}) == {str(a["id"])}
    assert await ids(client, admin_headers, {"checksum": "zz"}) == set()
    assert await ids(client, admin_headers, {"id": str(b["id"])}) == {str(b["id"])}


async def test_album_ids_need_every_album_and_read_access(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a, b, c = [await make_asset(pool, me) for _ in range(3)]
    one = await make_album(pool, me, [a["id"], b["id"]])
    two = await make_album(pool, me, [b["id"], c["id"]])
    assert await ids(client, admin_headers, {"albumIds": [str(one)]}) == {
        str(a["id"]),
        str(b["id"]),
    }
    assert await ids(client, admin_headers, {"albumIds": [str(one), str(two)]}) == {str(b["id"])}
    answer = await search(client, admin_headers, {"albumIds": [UNKNOWN_ID]}, 400)
    assert answer["message"] == "Not found or no album.read access"


async def test_person_ids_match_nothing_yet(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me)
    assert await ids(client, admin_headers, {"personIds": [UNKNOWN_ID]}) == set()
    assert str(a["id"]) in await ids(client, admin_headers, {"personIds": []})


async def test_tag_ids_need_every_tag_directly_or_through_a_child(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a, b, c = [str((await make_asset(pool, me))["id"]) for _ in range(3)]
    r = await client.put("/api/tags", json={"tags": ["family/kids", "trip"]}, headers=admin_headers)
    assert r.status_code == 200, r.text
    r = await client.get("/api/tags", headers=admin_headers)
    tag = {t["value"]: t["id"] for t in r.json()}
    for value, assets in (("family/kids", [a, b]), ("trip", [b])):
        r = await client.put(
            f"/api/tags/{tag[value]}/assets", json={"ids": assets}, headers=admin_headers
        )
        assert r.status_code == 200, r.text
    assert await ids(client, admin_headers, {"tagIds": [tag["family"]]}) == {a, b}
    assert await ids(client, admin_headers, {"tagIds": [tag["family"], tag["trip"]]}) == {b}
    assert await ids(client, admin_headers, {"tagIds": [UNKNOWN_ID]}) == set()
    assert await ids(client, admin_headers, {"tagIds": None}) == {c}  # Immich: untagged only
    assert await ids(client, admin_headers, {"tagIds": []}) == {a, b, c}


async def test_trashed_assets_only_with_deleted(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me)
    await trash(pool, [a["id"]])
    assert str(a["id"]) not in await ids(client, admin_headers, {})
    assert str(a["id"]) in await ids(client, admin_headers, {"withDeleted": True})


async def test_updated_after_and_before(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    old = await make_asset(pool, me)
    mark = await pool.fetchval("SELECT clock_timestamp()")
    new = await make_asset(pool, me)
    stamp = mark.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    after = await ids(client, admin_headers, {"updatedAfter": stamp})
    before = await ids(client, admin_headers, {"updatedBefore": stamp})
    assert str(new["id"]) in after and str(old["id"]) not in after
    assert str(old["id"]) in before and str(new["id"]) not in before


async def test_paging_order_and_answer_shape(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    made = [await make_asset(pool, me, f"2024-01-0{d}", exif={"city": "Oslo"}) for d in (1, 2, 3)]
    newest_first = [str(a["id"]) for a in reversed(made)]
    first = await search(client, admin_headers, {"size": 2, "withExif": True})
    assets = first["assets"]
    assert [a["id"] for a in assets["items"]] == newest_first[:2]
    assert assets["nextPage"] == "2" and assets["count"] == 2 and assets["total"] == 2
    assert assets["facets"] == []
    assert first["albums"] == {"total": 0, "count": 0, "items": [], "facets": []}
    item = assets["items"][0]
    assert item["people"] == [] and item["resized"] is True
    assert item["exifInfo"]["city"] == "Oslo"
    second = await search(client, admin_headers, {"size": 2, "page": 2})
    assert [a["id"] for a in second["assets"]["items"]] == newest_first[2:]
    assert second["assets"]["nextPage"] is None
    assert "exifInfo" not in second["assets"]["items"][0]
    asc = await search(client, admin_headers, {"order": "asc"})
    assert [a["id"] for a in asc["assets"]["items"]] == newest_first[::-1]


async def test_with_stacked_false_leaves_stacked_assets_out(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a, b, c = [await make_asset(pool, me) for _ in range(3)]
    await make_stack(pool, me, [a["id"], b["id"]])
    assert await ids(client, admin_headers, {"withStacked": False}) == {str(c["id"])}
    assert len(await ids(client, admin_headers, {"withStacked": True})) == 3


async def test_another_users_assets_never_appear(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    mine = await make_asset(pool, me, exif={"city": "Paris"})
    other_user, other_headers = await user_and_login(client, admin_headers, "other@example.com")
    other = other_user["id"]
    theirs = await make_asset(pool, other, exif={"city": "Paris"})
    assert await ids(client, admin_headers, {"city": "Paris"}) == {str(mine["id"])}
    assert await ids(client, other_headers, {"city": "Paris"}) == {str(theirs["id"])}
    theirs_only = await ids(client, admin_headers, {"id": str(theirs["id"])})
    assert theirs_only == set()
    # their album is not readable by me
    album = await make_album(pool, other, [theirs["id"]])
    answer = await search(client, admin_headers, {"albumIds": [str(album)]}, 400)
    assert answer["message"] == "Not found or no album.read access"


async def test_locked_assets_need_an_elevated_session(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    locked = await make_asset(pool, me, visibility="locked")
    plain = await make_asset(pool, me)
    assert await ids(client, admin_headers, {}) == {str(plain["id"])}
    answer = await search(client, admin_headers, {"visibility": "locked"}, 401)
    assert answer["message"] == "Elevated permission is required"
    await unlock_sessions(pool, me)
    assert await ids(client, admin_headers, {"visibility": "locked"}) == {str(locked["id"])}
    assert await ids(client, admin_headers, {}) == {str(plain["id"]), str(locked["id"])}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"size": 0}, ["size"]),
        ({"size": 1001}, ["size"]),
        ({"page": 0}, ["page"]),
        ({"rating": 6}, ["rating"]),
        ({"rating": -1}, ["rating"]),
        ({"type": "PHOTO"}, ["type"]),
        ({"order": "up"}, ["order"]),
        ({"visibility": "public"}, ["visibility"]),
        ({"albumIds": ["nope"]}, ["albumIds", 0]),
        ({"takenAfter": "yesterday"}, ["takenAfter"]),
        ({"isFavorite": "yes"}, ["isFavorite"]),
    ],
)
async def test_bad_input_is_immichs_validation_body(
    client: httpx.AsyncClient, admin_headers: Headers, body: dict[str, Any], path: list[Any]
) -> None:
    answer = await search(client, admin_headers, body, 400)
    assert answer["message"] == "Validation failed"
    assert [e["path"] for e in answer["errors"]] == [path]


async def test_needs_authentication(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/search/metadata", json={})
    assert r.status_code == 401
