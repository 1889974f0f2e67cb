"""/api/map: markers (every filter, whose assets) and reverse geocoding through the provider
hook; the ``map``/``reverseGeocoding`` feature flags."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from immich import hookimpl
from immich.db.repos import _query as q
from immich.db.repos import map as map_repo
from immich.services.map import GeoPlace
from tests.api.asset_factory import make_asset, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]
PARIS = {"latitude": 48.8566, "longitude": 2.3522, "city": "Paris", "country": "France"}


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def markers(client: httpx.AsyncClient, headers: Headers, **params: Any) -> list[str]:
    r = await client.get("/api/map/markers", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return [m["id"] for m in r.json()]


def located(lat: float = 10.0, lon: float = 20.0) -> dict[str, Any]:
    return {"latitude": lat, "longitude": lon}


async def test_markers_answer_located_assets_newest_first(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    old = await make_asset(pool, me, "2020-01-01", exif=PARIS)
    new = await make_asset(pool, me, "2024-01-01", exif=located())
    await make_asset(pool, me, "2024-02-01", exif={"city": "Nowhere"})  # no position
    await make_asset(pool, me, "2024-03-01")  # no exif at all
    r = await client.get("/api/map/markers", headers=admin_headers)
    assert r.json() == [
        {"id": str(new["id"]), "lat": 10.0, "lon": 20.0, "city": None, "state": None,
         "country": None},
        {"id": str(old["id"]), "lat": 48.8566, "lon": 2.3522, "city": "Paris", "state": None,
         "country": "France"},
    ]  # fmt: skip


async def test_markers_json_is_exact_for_any_text_and_float(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    """The database writes the answer (``repos.map.markers_json``): every float comes back as
    the same double, and names with quotes, backslashes, control and non-ASCII characters
    come back as stored; no marker lacks a field, none has one more."""
    me = await user_id(pool)
    places = [
        (-33.868820123456789, 151.20929312345678, 'O"Brien\\Town', "NSW\tState", "Austrália"),
        (1e-7, -179.99999999999997, "東京", None, "日本"),
        (89.9, 0.1 + 0.2, "Zürich\n", "Zürich", "Schweiz 🇨🇭"),
    ]
    made = []
    for i, (lat, lon, city, state, country) in enumerate(places):
        exif = {"latitude": lat, "longitude": lon, "city": city, "state": state}
        exif["country"] = country
        made.append(await make_asset(pool, me, f"202{i}-01-01", exif=exif))
    r = await client.get("/api/map/markers", headers=admin_headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    expected = [
        {"id": str(a["id"]), "lat": lat, "lon": lon, "city": city, "state": state,
         "country": country}
        for a, (lat, lon, city, state, country) in zip(made, places, strict=True)
    ][::-1]  # fmt: skip
    assert r.json() == expected  # floats compared exactly
    r = await client.get("/api/map/markers", params={"isFavorite": "true"}, headers=admin_headers)
    assert r.status_code == 200 and r.content == b"[]"


async def test_marker_filters(client: httpx.AsyncClient, admin_headers: Headers, pool: Any) -> None:
    me = await user_id(pool)
    plain = await make_asset(pool, me, "2022-06-01", exif=located())
    fav = await make_asset(pool, me, "2023-06-01", exif=located(), isFavorite=True)
    archived = await make_asset(pool, me, "2021-06-01", exif=located(), visibility="archive")
    await make_asset(pool, me, "2021-06-02", exif=located(), visibility="locked")
    await make_asset(pool, me, "2021-06-03", exif=located(), visibility="hidden")
    await make_asset(
        pool, me, "2021-06-04", exif=located(), deletedAt=plain["fileCreatedAt"], status="trashed"
    )
    assert await markers(client, admin_headers) == [str(fav["id"]), str(plain["id"])]
    assert await markers(client, admin_headers, isArchived="true") == [
        str(fav["id"]),
        str(plain["id"]),
        str(archived["id"]),
    ]
    assert await markers(client, admin_headers, isArchived="false") == [
        str(fav["id"]),
        str(plain["id"]),
    ]
    assert await markers(client, admin_headers, isFavorite="true") == [str(fav["id"])]
    assert await markers(client, admin_headers, isFavorite="false") == [str(plain["id"])]
    assert await markers(client, admin_headers, fileCreatedAfter="2023-01-01T00:00:00.000Z") == [
        str(fav["id"])
    ]
    assert await markers(client, admin_headers, fileCreatedBefore="2023-01-01T00:00:00Z") == [
        str(plain["id"])
    ]
    assert await markers(
        client,
        admin_headers,
        fileCreatedAfter="2022-01-01T00:00:00Z",
        fileCreatedBefore="2022-12-31T00:00:00Z",
    ) == [str(plain["id"])]
    r = await client.get(
        "/api/map/markers", params={"fileCreatedAfter": "yesterday"}, headers=admin_headers
    )
    assert r.status_code == 400
    assert r.json()["message"] == "Validation failed"
    r = await client.get("/api/map/markers", params={"isFavorite": "maybe"}, headers=admin_headers)
    assert r.status_code == 400


async def test_other_users_assets_only_through_shared_albums(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    mine = await make_asset(pool, me, "2024-01-01", exif=located())
    user, headers = await user_and_login(client, admin_headers)
    theirs = await make_asset(pool, user["id"], "2024-02-01", exif=located())
    shared = await make_asset(pool, user["id"], "2024-03-01", exif=located())
    their_archived = await make_asset(
        pool, user["id"], "2024-04-01", exif=located(), visibility="archive"
    )
    r = await client.post(
        "/api/albums",
        json={
            "albumName": "theirs",
            "assetIds": [str(shared["id"]), str(their_archived["id"])],
            "albumUsers": [{"userId": str(me), "role": "viewer"}],
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    assert await markers(client, admin_headers) == [str(mine["id"])]
    assert await markers(client, admin_headers, withPartners="true") == [str(mine["id"])]
    # Shared albums add their timeline assets (never another user's archived ones).
    assert await markers(client, admin_headers, withSharedAlbums="true", isArchived="true") == [
        str(shared["id"]),
        str(mine["id"]),
    ]
    assert str(theirs["id"]) in await markers(client, headers)
    assert str(mine["id"]) not in await markers(client, headers, withSharedAlbums="true")


async def test_reverse_geocode_through_the_metadata_plugin(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    r = await client.get(
        "/api/map/reverse-geocode", params={"lat": 48.8566, "lon": 2.3522}, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    [place] = r.json()
    assert place["city"] == "Paris" and place["country"] == "France"
    assert place["state"] == "Île-de-France"
    # The middle of the Pacific: no place.
    r = await client.get(
        "/api/map/reverse-geocode", params={"lat": -30.0, "lon": -140.0}, headers=admin_headers
    )
    assert r.json() == []


async def test_reverse_geocode_bad_input(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    for params in ({"lat": 91, "lon": 0}, {"lat": 0, "lon": -181}, {"lat": "x", "lon": 1}, {}):
        r = await client.get("/api/map/reverse-geocode", params=params, headers=admin_headers)
        assert r.status_code == 400, params
        assert r.json()["message"] == "Validation failed"
    r = await client.get("/api/map/reverse-geocode", params={"lat": 1, "lon": 1})
    assert r.status_code == 401


class _ToyGeocoder:
    def __init__(self) -> None:
        self.asked: list[tuple[float, float]] = []

    @hookimpl(tryfirst=True)
    def reverse_geocode(self, ctx: Any, latitude: float, longitude: float) -> Any:
        self.asked.append((latitude, longitude))

        async def found() -> GeoPlace:
            return GeoPlace(city="Toytown", state=None, country="Toyland")

        return found()


async def test_hook_reverse_geocode(
    app: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    ctx = app.state.ctx
    # The metadata plugin provides it ...
    place = await ctx.hook.reverse_geocode(ctx=ctx, latitude=52.52, longitude=13.405)
    assert isinstance(place, GeoPlace) and place.country == "Germany"
    assert (await client.get("/api/server/features")).json()["reverseGeocoding"] is True
    # ... the first provider wins ...
    toy = _ToyGeocoder()
    ctx.pm.register(toy, name="toy-geocoder")
    try:
        r = await client.get(
            "/api/map/reverse-geocode", params={"lat": 1.5, "lon": 2}, headers=admin_headers
        )
    finally:
        ctx.pm.unregister(name="toy-geocoder")
    assert toy.asked == [(1.5, 2.0)]
    assert r.json() == [{"city": "Toytown", "state": None, "country": "Toyland"}]
    # ... and with none the answer is empty and the feature is reported off.
    metadata = ctx.pm.unregister(name="metadata")
    try:
        r = await client.get(
            "/api/map/reverse-geocode", params={"lat": 48.85, "lon": 2.35}, headers=admin_headers
        )
        features = (await client.get("/api/server/features")).json()
    finally:
        ctx.pm.register(metadata, name="metadata")
    assert r.status_code == 200 and r.json() == []
    assert features["reverseGeocoding"] is False
    assert features["map"] is True


async def test_map_flag_follows_config(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    r = await client.get("/api/system-config", headers=admin_headers)
    config = r.json()
    assert config["map"]["enabled"] is True and config["reverseGeocoding"]["enabled"] is True
    config["map"]["enabled"] = False
    config["reverseGeocoding"]["enabled"] = False
    r = await client.put("/api/system-config", json=config, headers=admin_headers)
    assert r.status_code == 200, r.text
    features = (await client.get("/api/server/features")).json()
    assert features["map"] is False and features["reverseGeocoding"] is False


async def test_favourite_markers_are_read_from_the_map_index(
    admin_headers: Headers, pool: Any
) -> None:
    """Migration 0021: favourites are a range of an index-only scan (no read of the whole asset
    heap), and the place fields come from the timeline's EXIF index."""
    me = await user_id(pool)
    await pool.execute(  # 2,000 located assets over 4 years, one in 20 a favourite
        """
        WITH a AS (
            INSERT INTO "asset" ("deviceAssetId", "ownerId", "deviceId", "type", "originalPath",
                "originalFileName", "fileCreatedAt", "localDateTime", "fileModifiedAt",
                "checksum", "isFavorite")
            SELECT 'm' || i, $1, 'test', 'IMAGE', '/m/' || i, i || '.jpg', t, t, t,
                sha256(('m' || i)::bytea), i % 20 = 0
            FROM generate_series(1, 2000) AS i,
                LATERAL (SELECT timestamptz '2021-01-01' + i * interval '17 hours') AS s(t)
            RETURNING "id")
        INSERT INTO "asset_exif" ("assetId", "latitude", "longitude", "city")
        SELECT "id", 48.85, 2.35, 'Paris' FROM a
        """,
        me,
    )
    await pool.execute('VACUUM ANALYZE "asset", "asset_exif"')  # as autovacuum keeps them
    where = map_repo._where(me, [me], [], None, True, None, None)
    text, args = q.sql(q.raw(map_repo._MARKERS_JSON, where))
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(r[0] for r in await conn.fetch("EXPLAIN " + text, *args))
    assert 'Index Only Scan using "asset_ownerId_isFavorite_fileCreatedAt_map_idx"' in plan, plan
    assert 'Index Only Scan using "asset_exif_assetId_timeline_idx"' in plan, plan
