"""/api/search beyond metadata: statistics, random, large assets, suggestions, cities, Explore,
and the ``features`` answer's ``search`` flag."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from tests.api.asset_factory import make_asset, trash, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def test_statistics_count_what_the_filters_keep(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    for make in ("Canon", "Canon", "Nikon"):
        await make_asset(pool, me, exif={"make": make, "description": f"{make} shot"})
    _, other_headers = await user_and_login(client, admin_headers, "o@example.com")
    r = await client.post("/api/search/statistics", json={"make": "Canon"}, headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"total": 2}
    r = await client.post(
        "/api/search/statistics", json={"description": "nikon"}, headers=admin_headers
    )
    assert r.json() == {"total": 1}
    r = await client.post("/api/search/statistics", json={}, headers=other_headers)
    assert r.json() == {"total": 0}
    r = await client.post("/api/search/statistics", json={"size": "x"}, headers=admin_headers)
    assert r.status_code == 200  # not a field of StatisticsSearchDto: ignored, as zod strips it
    r = await client.post("/api/search/statistics", json={"isFavorite": 1}, headers=admin_headers)
    assert r.status_code == 400
    assert r.json()["errors"][0]["path"] == ["isFavorite"]


async def test_random_answers_filtered_assets_up_to_size(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    favs = {str((await make_asset(pool, me, isFavorite=True))["id"]) for _ in range(3)}
    await make_asset(pool, me)
    r = await client.post(
        "/api/search/random", json={"isFavorite": True, "size": 2}, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    got = r.json()
    assert len(got) == 2 and {a["id"] for a in got} <= favs
    assert all(a["people"] == [] and a["resized"] is True for a in got)
    r = await client.post("/api/search/random", json={"size": 0}, headers=admin_headers)
    assert r.status_code == 400


async def test_large_assets_biggest_first_above_min_size(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    small = await make_asset(pool, me, exif={"fileSizeInByte": 1_000})
    big = await make_asset(pool, me, exif={"fileSizeInByte": 9_000_000})
    mid = await make_asset(pool, me, exif={"fileSizeInByte": 5_000_000})
    await make_asset(pool, me)  # no EXIF row: not a large asset
    r = await client.post("/api/search/large-assets", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert [a["id"] for a in r.json()] == [str(big["id"]), str(mid["id"]), str(small["id"])]
    r = await client.post(
        "/api/search/large-assets",
        params={"minFileSize": 2_000_000, "withExif": "true", "size": 1},
        headers=admin_headers,
    )
    got = r.json()
    assert [a["id"] for a in got] == [str(big["id"])]
    assert got[0]["exifInfo"]["fileSizeInByte"] == 9_000_000
    r = await client.post(
        "/api/search/large-assets", params={"minFileSize": -1}, headers=admin_headers
    )
    assert r.status_code == 400


async def test_suggestions_narrowed_by_the_other_choices(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    places = [
        ("France", "IDF", "Paris", "Canon", "R5", "RF50"),
        ("France", "PACA", "Nice", "Nikon", "Z6", "Z35"),
        ("Italy", "Lazio", "Rome", "Canon", "R6", "RF24"),
        (None, None, None, "", None, None),
    ]
    for country, state, city, make, model, lens in places:
        exif = {"country": country, "state": state, "city": city}
        await make_asset(pool, me, exif={**exif, "make": make, "model": model, "lensModel": lens})
    trashed = await make_asset(pool, me, exif={"country": "Spain", "make": "Sony"})
    await trash(pool, [trashed["id"]])
    await make_asset(pool, me, visibility="archive", exif={"country": "Peru"})
    other, _ = await user_and_login(client, admin_headers, "s@example.com")
    await make_asset(pool, other["id"], exif={"country": "Chile"})

    async def get(**params: Any) -> Any:
        r = await client.get("/api/search/suggestions", params=params, headers=admin_headers)
        assert r.status_code == 200, r.text
        return r.json()

    assert await get(type="country") == ["France", "Italy"]
    assert await get(type="country", includeNull="true") == ["France", "Italy", None]
    assert await get(type="state", country="France") == ["IDF", "PACA"]
    assert await get(type="city", country="France", state="PACA") == ["Nice"]
    assert await get(type="city") == ["Nice", "Paris", "Rome"]
    assert await get(type="camera-make") == ["Canon", "Nikon"]
    assert await get(type="camera-make", model="Z6") == ["Nikon"]
    assert await get(type="camera-model", make="Canon") == ["R5", "R6"]
    assert await get(type="camera-model", make="Canon", lensModel="RF24") == ["R6"]
    assert await get(type="camera-lens-model", make="Canon", model="R5") == ["RF50"]
    r = await client.get(
        "/api/search/suggestions", params={"type": "planet"}, headers=admin_headers
    )
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["type"]
    r = await client.get("/api/search/suggestions", headers=admin_headers)
    assert r.status_code == 400


async def test_cities_one_image_per_city_with_exif(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    a = await make_asset(pool, me, exif={"city": "Oslo"})
    a2 = await make_asset(pool, me, exif={"city": "Oslo"})
    b = await make_asset(pool, me, exif={"city": "Bergen"})
    await make_asset(pool, me, type="VIDEO", exif={"city": "Tromso"})
    await make_asset(pool, me, visibility="archive", exif={"city": "Narvik"})
    r = await client.get("/api/search/cities", headers=admin_headers)
    assert r.status_code == 200, r.text
    got = r.json()
    assert [x["exifInfo"]["city"] for x in got] == ["Bergen", "Oslo"]
    assert got[0]["id"] == str(b["id"])
    assert got[1]["id"] == str(min(a["id"], a2["id"]))
    assert all(x["people"] == [] and x["resized"] is True for x in got)
    _, other_headers = await user_and_login(client, admin_headers, "c@example.com")
    r = await client.get("/api/search/cities", headers=other_headers)
    assert r.json() == []


async def test_explore_cities_with_five_images_and_recent_uploads(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    for _ in range(5):
        await make_asset(pool, me, exif={"city": "Lima"})
    for _ in range(4):
        await make_asset(pool, me, exif={"city": "Cusco"})
    r = await client.get("/api/search/explore", headers=admin_headers)
    assert r.status_code == 200, r.text
    cities, recent = r.json()
    assert cities["fieldName"] == "exifInfo.city"
    assert [i["value"] for i in cities["items"]] == ["Lima"]
    assert cities["items"][0]["data"]["exifInfo"]["city"] == "Lima"
    assert recent["fieldName"] == "createdAt"
    assert len(recent["items"]) == 9
    item = recent["items"][0]
    value = dt.datetime.fromisoformat(item["value"])
    assert item["value"].endswith("Z") and len(item["value"]) == 24
    assert abs(value - dt.datetime.fromisoformat(item["data"]["createdAt"])).total_seconds() < 1e-3
    assert item["data"]["people"] == [] and item["data"]["resized"] is True


async def test_explore_counts_every_users_assets_per_city_but_shows_only_own(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    """As Immich's ``getAssetIdByCity``: a city qualifies with five assets of anyone's (any
    type or state), and shows for a user with one timeline image there, as that image; a
    partner's city with no image of the user's own does not show (no partners in Explore)."""
    me = await user_id(pool)
    mine = await make_asset(pool, me, exif={"city": "Lima"})
    other, other_headers = await user_and_login(client, admin_headers, "lima@example.com")
    theirs = [await make_asset(pool, other["id"], exif={"city": "Lima"}) for _ in range(2)]
    await make_asset(pool, other["id"], exif={"city": "Lima"}, type="VIDEO")
    trashed = await make_asset(pool, other["id"], exif={"city": "Lima"})
    await trash(pool, [trashed["id"]])
    for _ in range(5):
        await make_asset(pool, other["id"], exif={"city": "Quito"})
    r = await client.post("/api/partners", json={"sharedWithId": str(me)}, headers=other_headers)
    assert r.status_code == 201, r.text

    async def explore(headers: Headers) -> list[tuple[str, str]]:
        r = await client.get("/api/search/explore", headers=headers)
        assert r.status_code == 200, r.text
        return [(i["value"], i["data"]["id"]) for i in r.json()[0]["items"]]

    assert await explore(admin_headers) == [("Lima", str(mine["id"]))]  # 1 + 4 of theirs
    lima, quito = await explore(other_headers)
    assert lima[0] == "Lima" and lima[1] in {str(t["id"]) for t in theirs}
    assert quito[0] == "Quito"
    # one fewer Lima asset anywhere: under five, gone for both
    await pool.execute('DELETE FROM "asset" WHERE "id" = $1', trashed["id"])
    assert await explore(admin_headers) == []
    assert [v for v, _ in await explore(other_headers)] == ["Quito"]


async def test_features_report_search(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/server/features")
    assert r.status_code == 200
    assert r.json()["search"] is True
