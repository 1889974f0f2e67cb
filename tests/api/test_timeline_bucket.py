"""GET /api/timeline/bucket answered in two halves of the month, and read from indexes only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx
import pytest

from immich.db.repos import timeline as repo
from tests.api.asset_factory import make_album, make_asset, make_stack, trash, user_id
from tests.api.user_helpers import user_and_login

Headers = dict[str, str]


@pytest.fixture(params=["halves", "one statement"])
async def pool(app: Any, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The app's pool, months answered in halves (as large ones are) or in one statement
    (as small ones are, where the per-month table counts them)."""
    monkeypatch.setattr(repo, "SPLIT_FROM", 0 if request.param == "halves" else 10**9)
    return app.state.ctx.db.pool


async def bucket(client: httpx.AsyncClient, headers: Headers, month: str, **params: str) -> Any:
    r = await client.get(
        "/api/timeline/bucket", params={"timeBucket": month, **params}, headers=headers
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_month_halves_join_in_timeline_order_with_aligned_columns(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    """Assets each side of the split (day 15 / day 16) come back in one order, every column
    lined up with ``id``, in both directions, with stacks and coordinates."""
    me = await user_id(pool)
    days = (
        "2024-03-01T00:00:00",
        "2024-03-15T23:59:59",
        "2024-03-16T00:00:00",
        "2024-03-31T23:59:59",
    )
    made = []
    for i, day in enumerate(days):
        exif = {"city": f"city{i}", "latitude": float(i), "longitude": float(-i)}
        made.append(await make_asset(pool, me, day, exif=exif, isFavorite=i % 2 == 1))
    hidden_member = await make_asset(pool, me, "2024-03-10")
    stack_id = await make_stack(pool, me, [made[2]["id"], hidden_member["id"]])

    body = await bucket(
        client, admin_headers, "2024-03-01", withStacked="true", withCoordinates="true"
    )
    newest_first = [str(a["id"]) for a in reversed(made)]
    assert body["id"] == newest_first
    assert body["city"] == ["city3", "city2", "city1", "city0"]
    assert body["latitude"] == [3.0, 2.0, 1.0, 0.0]
    assert body["longitude"] == [-3.0, -2.0, -1.0, 0.0]
    assert body["isFavorite"] == [True, False, True, False]
    assert body["stack"] == [None, [str(stack_id), "2"], None, None]
    assert all(len(values) == 4 for values in body.values())

    oldest_first = await bucket(client, admin_headers, "2024-03-01", order="asc")
    in_date_order = [made[0], hidden_member, made[1], made[2], made[3]]
    assert oldest_first["id"] == [str(a["id"]) for a in in_date_order]
    assert oldest_first["city"] == ["city0", None, "city1", "city2", "city3"]


async def test_one_half_empty_and_both_empty(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    late = await make_asset(pool, me, "2024-02-29T12:00:00")  # second half only (leap day)
    body = await bucket(client, admin_headers, "2024-02-01", withStacked="true")
    assert body["id"] == [str(late["id"])]
    assert body["stack"] == [None]
    assert body["duration"] == [None]
    empty = await bucket(client, admin_headers, "2023-02-01", withStacked="true")
    assert set(empty) == set(body)
    assert all(values == [] for values in empty.values())


async def test_date_added_month_splits_on_upload_time(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    me = await user_id(pool)
    uploads = ("2025-01-02T09:00:00", "2025-01-15T23:00:00", "2025-01-20T10:00:00")
    made = []
    for upload in (*uploads, "2025-02-01T00:00:00"):  # the last one: next month
        asset = await make_asset(pool, me, "2010-06-01")
        await pool.execute(
            'UPDATE "asset" SET "createdAt" = $2 WHERE "id" = $1',
            asset["id"],
            dt.datetime.fromisoformat(upload).replace(tzinfo=dt.UTC),
        )
        made.append(asset)
    made.pop()
    body = await bucket(client, admin_headers, "2025-01-01", orderBy="createdAt")
    assert body["id"] == [str(a["id"]) for a in reversed(made)]
    assert body["createdAt"] == [
        "2025-01-20T10:00:00",
        "2025-01-15T23:00:00",
        "2025-01-02T09:00:00",
    ]
    asc = await bucket(client, admin_headers, "2025-01-01", orderBy="createdAt", order="asc")
    assert asc["id"] == [str(a["id"]) for a in made]


@pytest.mark.parametrize("with_stacked", [False, True])
async def test_month_reads_the_asset_rows_from_the_covering_index_only(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any, with_stacked: bool
) -> None:
    """Every asset column the month statement reads is in migration 0009's indexes: with
    sequential and bitmap scans off, the plan is index-only on asset and asset_exif."""
    me = await user_id(pool)
    await make_asset(pool, me, "2024-05-03", exif={"city": "Paris"})
    f = repo.TimelineFilter(owner_ids=(me,), visibility="timeline", with_stacked=with_stacked)
    start = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    columns = repo._COLUMNS + repo._COORDINATES
    sql, params = repo._bucket_sql(f, start, start + dt.timedelta(days=15), me, columns)
    await pool.execute('VACUUM ANALYZE "asset", "asset_exif"')  # as autovacuum keeps them
    async with pool.acquire() as conn, conn.transaction():
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            await conn.execute(f"SET LOCAL {setting} = off")
        plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {sql}", *params))
    assert 'Index Only Scan using "asset_ownerId_localDateTime_timeline_idx"' in plan, plan
    assert 'Index Only Scan using "asset_exif_assetId_timeline_idx"' in plan, plan
    if with_stacked:
        assert 'Index Only Scan using "asset_stackId_timeline_idx"' in plan, plan
    assert not re.search(r"(Seq Scan|Index Scan using \S+) on asset", plan), plan


async def test_fields_shared_by_the_filter_and_fields_that_vary(
    client: httpx.AsyncClient, admin_headers: Headers, pool: Any
) -> None:
    """``ownerId``, ``visibility`` and ``isTrashed`` are right whether the filter fixes them
    (one owner, one visibility, trash or not) or they differ from asset to asset."""
    me = await user_id(pool)
    other, _ = await user_and_login(client, admin_headers)
    mine = await make_asset(pool, me, "2024-07-20", width=0, height=0)
    archived = await make_asset(pool, me, "2024-07-10", visibility="archive", width=1, height=3)
    theirs = await make_asset(pool, other["id"], "2024-07-05", width=2001, height=2000)
    album = await make_album(pool, me, [mine["id"], archived["id"], theirs["id"]])

    body = await bucket(client, admin_headers, "2024-07-01", albumId=str(album))
    assert body["id"] == [str(mine["id"]), str(archived["id"]), str(theirs["id"])]
    assert body["ownerId"] == [str(me), str(me), str(other["id"])]
    assert body["visibility"] == ["timeline", "archive", "timeline"]
    assert body["isTrashed"] == [False, False, False]
    assert body["ratio"] == [1, 0.333, 1.001]  # no size: 1; 2001/2000 = 1.0005 rounds up

    archive = await bucket(client, admin_headers, "2024-07-01", visibility="archive")
    assert archive["id"] == [str(archived["id"])]
    assert archive["ownerId"] == [str(me)]
    assert archive["visibility"] == ["archive"]
    await trash(pool, [mine["id"]])
    trashed = await bucket(client, admin_headers, "2024-07-01", isTrashed="true")
    assert trashed["id"] == [str(mine["id"])]
    assert trashed["isTrashed"] == [True]
    mixed = await bucket(client, admin_headers, "2024-07-01")
    assert mixed["visibility"] == ["archive"]
    assert mixed["isTrashed"] == [False]
