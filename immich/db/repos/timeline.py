"""SQL of the timeline: month buckets with counts and one month's assets in columns.

Buckets are months of ``localDateTime`` read as UTC (Immich's ``date_trunc('MONTH', ...)``), or
of ``createdAt`` with ``order_by="createdAt"``. Counts come from ``asset_timeline_month``, which
triggers keep exact (migration 0007), minus the non-primary members of stacks when stacks are
collapsed; filters that table does not cover (album, bounding box, date added) count ``asset``
rows. One month's assets are answered as the JSON text Immich sends: one array per field, built
by PostgreSQL in a single round trip.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
import attrs
from asyncpg.pool import PoolConnectionProxy

from immich.db.repos import Conn

DEFAULT_VISIBILITY = ("archive", "timeline")  # Immich's withDefaultVisibility
LOCAL = '"localDateTime"'
# Memory for sorting one month's rows (a 50k-asset month needs ~10 MB; the default 4 MB
# spills it to temporary files).
BUCKET_WORK_MEM = "64MB"
# Months with this many assets or more are answered in two halves at once (two connections).
SPLIT_FROM = 500


@attrs.frozen
class TimelineFilter:
    """Which assets a timeline shows (``None``: no filter on that field)."""

    owner_ids: tuple[uuid.UUID, ...] | None = None
    album_id: uuid.UUID | None = None
    visibility: str | None = None  # None: archive and timeline
    is_favorite: bool | None = None
    is_trashed: bool | None = None
    with_stacked: bool = False
    order: str = "desc"
    order_by: str = "takenAt"
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    tag_id: uuid.UUID | None = None  # the tag or one under it (Immich's withTagId)

    @property
    def visibilities(self) -> list[str]:
        return [self.visibility] if self.visibility else list(DEFAULT_VISIBILITY)

    @property
    def direction(self) -> str:
        return "ASC" if self.order == "asc" else "DESC"

    @property
    def date_column(self) -> str:
        return '"createdAt"' if self.order_by == "createdAt" else LOCAL


def month_of(column: str, alias: str = "a") -> str:
    """Immich's bucket expression (the one ``asset_timeline_month`` is keyed by)."""
    return f"(date_trunc('MONTH', {alias}.{column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')"


class _Where:
    """WHERE clauses on ``asset a`` with numbered parameters."""

    def __init__(self, params: list[Any] | None = None) -> None:
        self.params: list[Any] = params if params is not None else []
        self.clauses: list[str] = []

    def param(self, value: Any) -> str:
        self.params.append(value)
        return f"${len(self.params)}"

    def add(self, clause: str) -> None:
        self.clauses.append(clause)

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "TRUE"


def _asset_filters(where: _Where, f: TimelineFilter, *, skip_stacks: bool = False) -> None:
    if f.owner_ids is not None:
        where.add(f'a."ownerId" = ANY({where.param(list(f.owner_ids))}::uuid[])')
    if f.album_id is not None:
        where.add(
            'EXISTS (SELECT 1 FROM "album_asset" aa WHERE aa."assetId" = a."id" '
            f'AND aa."albumId" = {where.param(f.album_id)})'
        )
    if f.tag_id is not None:
        where.add(
            'EXISTS (SELECT 1 FROM "tag_closure" tc JOIN "tag_asset" ta '
            'ON ta."tagId" = tc."id_descendant" WHERE ta."assetId" = a."id" '
            f'AND tc."id_ancestor" = {where.param(f.tag_id)})'
        )
    where.add(f'a."visibility" = ANY({where.param(f.visibilities)}::varchar[])')
    if f.is_favorite is not None:
        where.add(f'a."isFavorite" = {where.param(f.is_favorite)}')
    if f.is_trashed:
        where.add('a."deletedAt" IS NOT NULL AND a."status" <> \'deleted\'')
    else:
        where.add('a."deletedAt" IS NULL')
    if f.bbox is not None:
        west, south, east, north = f.bbox
        lon = (
            'e."longitude" BETWEEN {w} AND {e}'
            if west <= east
            else '(e."longitude" >= {w} OR e."longitude" <= {e})'
        ).format(w=where.param(west), e=where.param(east))
        where.add(
            'EXISTS (SELECT 1 FROM "asset_exif" e WHERE e."assetId" = a."id" '
            f'AND e."latitude" BETWEEN {where.param(south)} AND {where.param(north)} AND {lon})'
        )
    if f.with_stacked and not skip_stacks:
        where.add(
            '(a."stackId" IS NULL OR EXISTS (SELECT 1 FROM "stack" s '
            'WHERE s."id" = a."stackId" AND s."primaryAssetId" = a."id"))'
        )


def _uses_month_table(f: TimelineFilter) -> bool:
    return (
        f.owner_ids is not None
        and f.album_id is None
        and f.tag_id is None
        and f.bbox is None
        and f.order_by != "createdAt"
    )


async def buckets(db: Conn, f: TimelineFilter) -> list[tuple[str, int]]:
    """(``YYYY-MM-DD`` of each month start, asset count), newest first unless ``order=asc``."""
    if _uses_month_table(f):
        sql, params = _buckets_from_month_table(f)
    else:
        where = _Where()
        _asset_filters(where, f)
        month = month_of(f.date_column)
        sql = f'SELECT {month} AS "month", count(*) AS n FROM "asset" a WHERE {where.sql()} GROUP BY 1'
        params = where.params
    rows = await db.fetch(
        f"SELECT to_char(\"month\" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS \"timeBucket\", n "
        f'FROM ({sql}) AS b WHERE n > 0 ORDER BY "month" {f.direction}',
        *params,
    )
    return [(r["timeBucket"], int(r["n"])) for r in rows]


def _month_table_where(f: TimelineFilter) -> _Where:
    """The filter on ``asset_timeline_month m`` (only for ``_uses_month_table`` filters)."""
    assert f.owner_ids is not None
    where = _Where()
    where.add(f'm."ownerId" = ANY({where.param(list(f.owner_ids))}::uuid[])')
    where.add(f'm."visibility" = ANY({where.param(f.visibilities)}::varchar[])')
    if f.is_favorite is not None:
        where.add(f'm."isFavorite" = {where.param(f.is_favorite)}')
    where.add('m."isTrashed" AND NOT m."isDeleted"' if f.is_trashed else 'NOT m."isTrashed"')
    return where


def _buckets_from_month_table(f: TimelineFilter) -> tuple[str, list[Any]]:
    where = _month_table_where(f)
    counts = (
        f'SELECT m."month", sum(m."count") AS n FROM "asset_timeline_month" m '
        f"WHERE {where.sql()} GROUP BY 1"
    )
    if not f.with_stacked:
        return counts, where.params
    # Stacks collapse to their primary asset: take the other members away (an index-only
    # scan of the stacked assets, migration 0007_timeline_stacked).
    members = _Where(where.params)
    _asset_filters(members, f, skip_stacks=True)
    hidden = (
        f'SELECT {month_of(LOCAL)} AS "month", count(*) AS n FROM "asset" a '
        f'WHERE a."stackId" IS NOT NULL AND {members.sql()} AND a."id" NOT IN ('
        'SELECT s."primaryAssetId" FROM "stack" s WHERE s."ownerId" = ANY($1::uuid[])) '
        "GROUP BY 1"
    )
    sql = (
        f'SELECT c."month", c.n - COALESCE(h.n, 0) AS n FROM ({counts}) AS c '
        f'LEFT JOIN ({hidden}) AS h ON h."month" = c."month"'
    )
    return sql, members.params


# Asset duration (Immich's "H:MM:SS.ffffff", or milliseconds) as milliseconds, as
# immich.api.asset_dtos.duration_ms reads it.
_DURATION_MS = """CASE
    WHEN f."duration" ~ '^\\d+(\\.\\d+)?$'
        THEN LEAST(round(f."duration"::numeric), 2147483647)::int
    WHEN f."duration" ~ '^\\d+:\\d+:\\d+(\\.\\d+)?$'
        THEN LEAST(round(extract(epoch FROM f."duration"::interval) * 1000), 2147483647)::int
    END"""

# (JSON key, SQL over "f": the month's assets in order, with their EXIF fields).
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", 'f."id"'),
    ("ownerId", 'f."ownerId"'),
    (
        "ratio",
        'CASE WHEN f."width" > 0 AND f."height" > 0 '
        # round(width / height, 3), half up, in integers (exact, and cheaper than numeric)
        'THEN ((2000 * f."width"::int8 + f."height") / (2 * f."height"))::float8 / 1000 '
        "ELSE 1 END",
    ),
    ("isFavorite", 'f."isFavorite" AND f."ownerId" = $1'),
    ("visibility", 'f."visibility"'),
    ("isTrashed", 'f."deletedAt" IS NOT NULL'),
    ("isImage", "f.\"type\" = 'IMAGE'"),
    ("thumbhash", "encode(f.\"thumbhash\", 'base64')"),
    ("fileCreatedAt", "f.\"fileCreatedAt\" AT TIME ZONE 'UTC'"),
    ("createdAt", "f.\"createdAt\" AT TIME ZONE 'UTC'"),
    (
        "localOffsetHours",
        'date_part(\'epoch\', f."localDateTime" - f."fileCreatedAt")::real / 3600',
    ),
    ("duration", _DURATION_MS),
    ("projectionType", 'f."projectionType"'),
    ("livePhotoVideoId", 'f."livePhotoVideoId"'),
    ("city", 'f."city"'),
    ("country", 'f."country"'),
)
_COORDINATES = (("latitude", 'f."latitude"'), ("longitude", 'f."longitude"'))
KEYS = tuple(k for k, _ in _COLUMNS)
COORDINATE_KEYS = tuple(k for k, _ in _COORDINATES)


async def bucket_json(
    db: Conn,
    f: TimelineFilter,
    start: dt.datetime,
    viewer_id: uuid.UUID,
    *,
    with_coordinates: bool = False,
) -> bytes:
    """The month starting at ``start`` (UTC) as Immich's columnar JSON object (UTF-8).

    A month of ``SPLIT_FROM`` assets or more (asked on a pool) is answered in two halves
    (days 1-15, then the rest) by two statements that run at once on two pooled connections,
    so it uses two cores; smaller months are one statement. Each statement answers one JSON
    array (bytes) per field, and the arrays are joined here without parsing. Halves split on
    whole days, the first key of the timeline order, so the joined arrays are in the order
    one statement would give.
    """
    every = _COLUMNS + (_COORDINATES if with_coordinates else ())
    stack = ["stack"] if f.with_stacked else []
    constants = _shared_values(f)
    columns = tuple((key, expr) for key, expr in every if key not in constants)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    size = await _month_size(db, f, start)
    if isinstance(db, asyncpg.Pool) and size >= SPLIT_FROM:
        mid = start + dt.timedelta(days=15)
        halves = [(start, mid), (mid, end)] if f.direction == "ASC" else [(mid, end), (start, mid)]
        statements = [_bucket_sql(f, lo, hi, viewer_id, columns) for lo, hi in halves]
        parts = await asyncio.gather(*(_fetch_pooled(db, *statement) for statement in statements))
    elif size == 0:
        parts = [[None] * (len(columns) + len(stack)) + [0]]
    else:
        sql, params = _bucket_sql(f, start, end, viewer_id, columns)
        row = await db.fetchrow(sql, *params)  # small: sorted within the default work_mem
        assert row is not None
        parts = [list(row.values())]
    queried = [key for key, _ in columns] + stack
    return _join_parts([key for key, _ in every] + stack, queried, parts, constants)


async def _month_size(db: Conn, f: TimelineFilter, start: dt.datetime) -> int:
    """How many assets the month has at most (the per-month table is exact before stacks
    collapse); a filter that table does not cover counts as a large month."""
    if not _uses_month_table(f):
        return SPLIT_FROM
    where = _month_table_where(f)
    where.add(f'm."month" = {where.param(start)}')
    sql = f'SELECT COALESCE(sum(m."count"), 0) FROM "asset_timeline_month" m WHERE {where.sql()}'
    return int(await db.fetchval(sql, *where.params))


def _shared_values(f: TimelineFilter) -> dict[str, bytes]:
    """Fields the filter makes the same for every asset, as JSON: not asked of the database."""
    shared = {"isTrashed": b"true" if f.is_trashed else b"false"}
    if f.owner_ids is not None and len(f.owner_ids) == 1:
        shared["ownerId"] = f'"{f.owner_ids[0]}"'.encode()
    if f.visibility is not None:
        shared["visibility"] = json.dumps(f.visibility).encode()
    return shared


def _join_parts(
    keys: list[str], queried: list[str], parts: Sequence[Sequence[Any]], shared: dict[str, bytes]
) -> bytes:
    """One JSON object from the halves' rows: a JSON array (UTF-8 bytes) per queried key
    (``None``: no asset in that half), then the half's asset count.

    The arrays' insides are referenced, not copied, until the one final join.
    """
    count = sum(int(part[-1]) for part in parts)
    index = {key: i for i, key in enumerate(queried)}
    pieces: list[bytes | memoryview] = [b"{"]
    for key in keys:
        pieces.append(b'"%s":[' % key.encode())
        if key in shared:
            pieces.append(b",".join([shared[key]] * count))
        else:
            i = index[key]
            arrays = [memoryview(text)[1:-1] for part in parts if (text := part[i]) is not None]
            for n, inner in enumerate(arrays):
                pieces.extend((b",", inner) if n else (inner,))
        pieces.append(b"],")
    pieces[-1] = b"]}"
    return b"".join(pieces)


async def _fetch_pooled(pool: asyncpg.Pool[Any], sql: str, params: list[Any]) -> list[Any]:
    async with pool.acquire() as conn:
        return await _fetch_part(conn, sql, params)


async def _fetch_part(
    db: asyncpg.Connection[Any] | PoolConnectionProxy[Any], sql: str, params: list[Any]
) -> list[Any]:
    async with db.transaction():
        # A large month's rows are sorted in memory, not in temporary files.
        await db.execute(f"SET LOCAL work_mem = '{BUCKET_WORK_MEM}'")
        row = await db.fetchrow(sql, *params)
    assert row is not None
    return list(row.values())


def _bucket_sql(
    f: TimelineFilter,
    lo: dt.datetime,
    hi: dt.datetime,
    viewer_id: uuid.UUID,
    columns: tuple[tuple[str, str], ...],
) -> tuple[str, list[Any]]:
    """One statement: the assets dated in ``[lo, hi)``, one JSON array (bytea) per column, then
    their count.

    The month's asset columns come from one index-only scan (migration 0009); their EXIF
    fields and stack sizes are looked up together for all of them (one sorted array of
    keys each, hashed back), not one index probe per asset.
    """
    where = _Where([viewer_id])
    _asset_filters(where, f)
    column = f.date_column
    where.add(f"a.{column} >= {where.param(lo)}")
    where.add(f"a.{column} < {where.param(hi)}")
    if f.order_by == "createdAt":
        order = f'a."createdAt" {f.direction}'
    else:
        order = (
            f"(a.\"localDateTime\" AT TIME ZONE 'UTC')::date {f.direction}, "
            f'a."fileCreatedAt" {f.direction}, a."originalFileName" {f.direction}'
        )
    arrays = [f"convert_to(array_to_json(array_agg({expr}))::text, 'UTF8')" for _, expr in columns]
    stack_cte = stack_join = ""
    stack_columns = 'NULL AS "stackSize"'
    if f.with_stacked:
        arrays.append(
            'convert_to(json_agg(CASE WHEN f."stackSize" IS NOT NULL '
            'THEN ARRAY[f."stackId"::text, f."stackSize"::text] END)::text, \'UTF8\')'
        )
        stack_cte = """,
        st AS (
            SELECT sa."stackId", count(*) AS n FROM "asset" sa
            WHERE sa."stackId" = ANY(ARRAY(
                    SELECT DISTINCT a."stackId" FROM a WHERE a."stackId" IS NOT NULL))
              AND sa."deletedAt" IS NULL AND sa."visibility" = 'timeline'
            GROUP BY 1
        )"""
        stack_join = 'LEFT JOIN st ON st."stackId" = a."stackId"'
        stack_columns = 'st.n AS "stackSize"'
    sql = f"""
        WITH a AS MATERIALIZED (
            SELECT a."id", a."ownerId", a."width", a."height", a."isFavorite", a."visibility",
                a."deletedAt", a."type", a."thumbhash", a."fileCreatedAt", a."createdAt",
                a."localDateTime", a."duration", a."livePhotoVideoId", a."stackId",
                a."originalFileName"
            FROM "asset" a WHERE {where.sql()}
        ),
        e AS (
            SELECT x."assetId", x."projectionType", x."city", x."country", x."latitude",
                x."longitude"
            FROM "asset_exif" x WHERE x."assetId" = ANY(ARRAY(SELECT a."id" FROM a))
        ){stack_cte}
        SELECT {", ".join(arrays)}, count(*) FROM (
            SELECT a.*, e."projectionType", e."city", e."country", e."latitude",
                e."longitude", {stack_columns}
            FROM a LEFT JOIN e ON e."assetId" = a."id" {stack_join}
            ORDER BY {order}, a."id"
        ) AS f
    """
    return sql, where.params
