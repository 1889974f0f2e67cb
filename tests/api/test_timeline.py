"""/api/timeline/buckets and /bucket: month counts, the columnar month, filters and refusals."""

from __future__ import annotations

import base64
import datetime as dt
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


async def buckets(client: httpx.AsyncClient, headers: Headers, **params: str) -> Any:
    r = await client.get("/api/timeline/buckets", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def bucket(client: httpx.AsyncClient, headers: Headers, month: str, **params: str) -> Any:
    r = await client.get(
        "/api/timeline/bucket", params={"timeBucket": month, **params}, headers=headers
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return r.json()


@pytest.fixture
async def pool(app: Any) -> Any:
    return app.state.ctx.db.pool


async def test_buckets_count_months_with_immich_filters(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    other, _ = await user_and_login(client, admin_headers)
    for day in ("2024-05-01T00:00", "2024-05-31T23:59", "2024-05-15"):
        await make_asset(pool, me, day)
    await make_asset(pool, me, "2024-03-02", isFavorite=True)
    await make_asset(pool, me, "2023-12-31T23:59:59", visibility="archive")
    await make_asset(pool, me, "2023-11-05", visibility="hidden")
    await make_asset(pool, me, "2023-10-05", visibility="locked")
    gone = await make_asset(pool, me, "2022-01-10")
    await trash(pool, [gone["id"]])
    await make_asset(pool, other["id"], "2021-01-01")

    assert await buckets(client, admin_headers) == [
        {"timeBucket": "2024-05-01", "count": 3},
        {"timeBucket": "2024-03-01", "count": 1},
        {"timeBucket": "2023-12-01", "count": 1},
    ]
    assert await buckets(client, admin_headers, order="asc") == [
        {"timeBucket": "2023-12-01", "count": 1},
        {"timeBucket": "2024-03-01", "count": 1},
        {"timeBucket": "2024-05-01", "count": 3},
    ]
    assert await buckets(client, admin_headers, visibility="timeline") == [
        {"timeBucket": "2024-05-01", "count": 3},
        {"timeBucket": "2024-03-01", "count": 1},
    ]
    assert await buckets(client, admin_headers, visibility="archive") == [
        {"timeBucket": "2023-12-01", "count": 1}
    ]
    assert await buckets(client, admin_headers, visibility="hidden") == [
        {"timeBucket": "2023-11-01", "count": 1}
    ]
    assert await buckets(client, admin_headers, isFavorite="true") == [
        {"timeBucket": "2024-03-01", "count": 1}
    ]
    assert await buckets(client, admin_headers, isFavorite="false", visibility="timeline") == [
        {"timeBucket": "2024-05-01", "count": 3}
    ]
    assert await buckets(client, admin_headers, isTrashed="true") == [
        {"timeBucket": "2022-01-01", "count": 1}
    ]
    # Immich's "date added" view groups by upload time instead.
    added = await buckets(client, admin_headers, orderBy="createdAt")
    this_month = dt.datetime.now(dt.UTC).strftime("%Y-%m-01")
    assert added == [{"timeBucket": this_month, "count": 5}]


async def test_counts_follow_edits_trash_and_deletion(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    """The per-month counts stay exact through every kind of write to the asset rows."""
    me = await user_id(pool)
    a = await make_asset(pool, me, "2024-01-10")
    b = await make_asset(pool, me, "2024-01-11")
    c = await make_asset(pool, me, "2024-02-11")
    await pool.execute(
        'UPDATE "asset" SET "localDateTime" = \'2019-07-04\' WHERE "id" = $1', a["id"]
    )
    await trash(pool, [b["id"]])
    await pool.execute('UPDATE "asset" SET "thumbhash" = $2 WHERE "id" = $1', c["id"], b"\x01")
    assert await buckets(client, admin_headers) == [
        {"timeBucket": "2024-02-01", "count": 1},
        {"timeBucket": "2019-07-01", "count": 1},
    ]
    await pool.execute('DELETE FROM "asset" WHERE "id" = ANY($1::uuid[])', [a["id"], c["id"]])
    assert await buckets(client, admin_headers) == []
    assert await buckets(client, admin_headers, isTrashed="true") == [
        {"timeBucket": "2024-01-01", "count": 1}
    ]


async def test_bucket_answers_immich_columns_in_timeline_order(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    exif = {"city": "Paris", "country": "France", "latitude": 48.85, "longitude": 2.35}
    early = await make_asset(pool, me, "2024-05-02T08:00", offset_hours=2, exif=exif)
    late = await make_asset(
        pool,
        me,
        "2024-05-20T18:30",
        offset_hours=-5.5,
        type="VIDEO",
        duration="0:00:05.250000",
        thumbhash=b"\x01\x02\x03",
        isFavorite=True,
        width=1080,
        height=1920,
    )
    await make_asset(pool, me, "2024-06-01T00:00")  # next month
    await make_asset(pool, me, "2024-04-30T23:59:59")  # previous month

    body = await bucket(client, admin_headers, "2024-05-01")
    assert body["id"] == [str(late["id"]), str(early["id"])]
    assert body["ownerId"] == [str(me), str(me)]
    assert body["isImage"] == [False, True]
    assert body["isFavorite"] == [True, False]
    assert body["isTrashed"] == [False, False]
    assert body["visibility"] == ["timeline", "timeline"]
    assert body["ratio"] == [0.563, 1.333]
    assert body["duration"] == [5250, None]
    assert body["localOffsetHours"] == [-5.5, 2]
    assert body["fileCreatedAt"] == ["2024-05-21T00:00:00", "2024-05-02T06:00:00"]
    assert body["thumbhash"] == [base64.b64encode(b"\x01\x02\x03").decode(), None]
    assert body["city"] == [None, "Paris"]
    assert body["country"] == [None, "France"]
    assert body["livePhotoVideoId"] == [None, None]
    assert body["projectionType"] == [None, None]
    assert len(body["createdAt"]) == 2
    assert "latitude" not in body and "stack" not in body

    located = await bucket(client, admin_headers, "2024-05-01", withCoordinates="true")
    assert located["latitude"] == [None, 48.85]
    assert located["longitude"] == [None, 2.35]
    oldest_first = await bucket(client, admin_headers, "2024-05-01", order="asc")
    assert oldest_first["id"] == [str(early["id"]), str(late["id"])]
    # Not a month start: no bucket (as Immich); an ISO date-time of one is the same month.
    assert (await bucket(client, admin_headers, "2024-05-02"))["id"] == []
    iso = await bucket(client, admin_headers, "2024-05-01T00:00:00.000Z")
    assert iso["id"] == body["id"]


async def test_stacks_collapse_to_their_primary_asset(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    primary = await make_asset(pool, me, "2024-05-03")
    second = await make_asset(pool, me, "2024-05-03T00:00:01")
    third = await make_asset(pool, me, "2024-04-03")  # same stack, other month
    single = await make_asset(pool, me, "2024-05-04")
    stack_id = await make_stack(pool, me, [primary["id"], second["id"], third["id"]])

    assert await buckets(client, admin_headers, withStacked="true") == [
        {"timeBucket": "2024-05-01", "count": 2}
    ]
    assert await buckets(client, admin_headers) == [
        {"timeBucket": "2024-05-01", "count": 3},
        {"timeBucket": "2024-04-01", "count": 1},
    ]
    body = await bucket(client, admin_headers, "2024-05-01", withStacked="true")
    assert body["id"] == [str(single["id"]), str(primary["id"])]
    assert body["stack"] == [None, [str(stack_id), "3"]]
    assert (await bucket(client, admin_headers, "2024-04-01", withStacked="true"))["id"] == []


async def test_album_bbox_and_person_filters(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    paris = await make_asset(pool, me, "2024-05-03", exif={"latitude": 48.85, "longitude": 2.35})
    fiji = await make_asset(pool, me, "2024-05-04", exif={"latitude": -17.7, "longitude": 179.9})
    await make_asset(pool, me, "2024-06-04")
    album = await make_album(pool, me, [paris["id"]])

    assert await buckets(client, admin_headers, albumId=str(album)) == [
        {"timeBucket": "2024-05-01", "count": 1}
    ]
    in_album = await bucket(client, admin_headers, "2024-05-01", albumId=str(album))
    assert in_album["id"] == [str(paris["id"])]
    europe = await buckets(client, admin_headers, bbox="-10,35,30,60")
    assert europe == [{"timeBucket": "2024-05-01", "count": 1}]
    across_the_date_line = await bucket(client, admin_headers, "2024-05-01", bbox="170,-30,-170,0")
    assert across_the_date_line["id"] == [str(fiji["id"])]
    assert await buckets(client, admin_headers, personId=UNKNOWN_ID) == []
    assert (await bucket(client, admin_headers, "2024-05-01", personId=UNKNOWN_ID))["id"] == []


async def test_tag_filter_shows_the_tag_and_tags_under_it(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    paris, lyon, untagged = [await make_asset(pool, me, f"2024-05-0{d}") for d in (3, 4, 5)]
    r = await client.put(
        "/api/tags", json={"tags": ["France/Paris", "France/Lyon"]}, headers=admin_headers
    )
    tags = {t["value"]: t["id"] for t in r.json()}
    for asset, value in ((paris, "France/Paris"), (lyon, "France/Lyon")):
        r = await client.put(
            f"/api/tags/{tags[value]}/assets",
            json={"ids": [str(asset["id"])]},
            headers=admin_headers,
        )
        assert r.json()[0]["success"], r.text
    france = (await client.get("/api/tags", headers=admin_headers)).json()
    (france_id,) = [t["id"] for t in france if t["value"] == "France"]

    assert await buckets(client, admin_headers, tagId=france_id) == [
        {"timeBucket": "2024-05-01", "count": 2}
    ]
    only_paris = await bucket(client, admin_headers, "2024-05-01", tagId=tags["France/Paris"])
    assert only_paris["id"] == [str(paris["id"])]
    assert (
        str(untagged["id"])
        not in (await bucket(client, admin_headers, "2024-05-01", tagId=france_id))["id"]
    )


async def test_locked_timeline_needs_an_unlocked_pin(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    secret = await make_asset(pool, me, "2024-05-03", visibility="locked")
    r = await client.get(
        "/api/timeline/buckets", params={"visibility": "locked"}, headers=admin_headers
    )
    assert r.status_code == 401
    assert r.json() == {"message": "Elevated permission is required"}
    await unlock_sessions(pool, me)
    assert await buckets(client, admin_headers, visibility="locked") == [
        {"timeBucket": "2024-05-01", "count": 1}
    ]
    body = await bucket(client, admin_headers, "2024-05-01", visibility="locked")
    assert body["id"] == [str(secret["id"])]


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"visibility": "everything"}, 400, "Validation failed"),
        ({"order": "sideways"}, 400, "Validation failed"),
        ({"userId": "not-a-uuid"}, 400, "Validation failed"),
        ({"isFavorite": "maybe"}, 400, "Validation failed"),
        ({"bbox": "1,2,3"}, 400, "Validation failed"),
        ({"bbox": "0,50,10,40"}, 400, "Validation failed"),
        ({"userId": UNKNOWN_ID}, 400, "Not found or no timeline.read access"),
        ({"albumId": UNKNOWN_ID}, 400, "Not found or no album.read access"),
        ({"tagId": UNKNOWN_ID}, 400, "Not found or no tag.read access"),
        (
            {"withPartners": "true"},
            400,
            "withPartners is only supported for non-archived, non-trashed, non-favorited, "
            "non-locked assets",
        ),
        ({"withPartners": "true", "visibility": "timeline", "isTrashed": "true"}, 400, None),
    ],
)
async def test_bad_queries_get_immich_errors(
    client: httpx.AsyncClient,
    admin_headers: Headers,
    params: dict[str, str],
    status: int,
    message: str | None,
) -> None:
    for path, extra in (("buckets", {}), ("bucket", {"timeBucket": "2024-05-01"})):
        r = await client.get(
            f"/api/timeline/{path}", params={**params, **extra}, headers=admin_headers
        )
        assert r.status_code == status, (path, r.text)
        if message is not None:
            assert r.json()["message"] == message


async def test_someone_elses_timeline_and_album_stay_closed(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    other, other_headers = await user_and_login(client, admin_headers)
    mine = await make_asset(pool, me, "2024-05-03")
    album = await make_album(pool, me, [mine["id"]])
    for params in ({"userId": str(me)}, {"albumId": str(album)}):
        r = await client.get("/api/timeline/buckets", params=params, headers=other_headers)
        assert r.status_code == 400, r.text
    assert await buckets(client, other_headers) == []
    # withPartners on the plain timeline is accepted (no partners yet: the caller's own).
    await make_asset(pool, other["id"], "2020-02-02")
    assert await buckets(client, other_headers, withPartners="true", visibility="timeline") == [
        {"timeBucket": "2020-02-01", "count": 1}
    ]


async def test_bucket_needs_a_valid_month_and_a_login(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    r = await client.get("/api/timeline/bucket", headers=admin_headers)
    assert r.status_code == 400
    assert r.json()["errors"][0]["path"] == ["timeBucket"]
    r = await client.get(
        "/api/timeline/bucket", params={"timeBucket": "May 2024"}, headers=admin_headers
    )
    assert r.status_code == 400
    assert r.json()["message"] == "Validation failed"
    r = await client.get("/api/timeline/buckets")
    assert r.status_code == 401
    assert r.json()["message"] == "Authentication required"
