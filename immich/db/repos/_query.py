"""Run piccolo queries on the connection a repository is given.

Repositories take ``db`` (the pool, or the boundary's transaction connection) and build their
queries with piccolo's query builder; these helpers compile the query (piccolo's own SQL and
``$n`` arguments) and run it on ``db`` with asyncpg, so a piccolo query and raw SQL in one
repository call always share the caller's connection and transaction, and rows come back as
asyncpg Records keyed by the database's column names, exactly as raw SQL returns them.

Also here: the few SQL fragments piccolo's builder has no words for (``= ANY($1::uuid[])`` for a
list bound as one array, ``DEFAULT``, ``now()``), as piccolo ``QueryString`` values.

JSON values: piccolo turns a dict into JSON text and the pool's jsonb codec would encode it again;
write jsonb columns with raw SQL (reading them through piccolo is fine).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from piccolo.columns import Column
from piccolo.query.base import Query
from piccolo.querystring import QueryString
from piccolo.table import Table

from immich.db.repos import Conn, Row

T = TypeVar("T", bound=Table)

DEFAULT = QueryString("DEFAULT")
NOW = QueryString("now()")
NEW_UUID = QueryString("gen_random_uuid()")


Statement = Query[Any, Any] | QueryString


def sql(query: Statement) -> tuple[str, list[Any]]:
    """The SQL and arguments piccolo makes of ``query`` (one statement)."""
    if isinstance(query, QueryString):
        querystring = query
    else:
        (querystring,) = query.querystrings
    text, args = querystring.compile_string(engine_type="postgres")
    return text, list(args)


def raw(template: str, *parts: Any) -> QueryString:
    """Hand-written SQL with piccolo pieces in its ``{}`` slots: a where-clause built with the
    Table classes (``Album.owner_id == x & ...``), a value (bound as ``$n``), a sub-query.
    For statements piccolo cannot say whole (a LATERAL join) whose filters it can."""
    return QueryString(template, *(getattr(p, "querystring", p) for p in parts))


async def fetch(db: Conn, query: Statement) -> list[Row]:
    text, args = sql(query)
    return list(await db.fetch(text, *args))


async def fetchrow(db: Conn, query: Statement) -> Row | None:
    text, args = sql(query)
    return await db.fetchrow(text, *args)


async def fetchval(db: Conn, query: Statement) -> Any:
    text, args = sql(query)
    return await db.fetchval(text, *args)


async def execute(db: Conn, query: Statement) -> str:
    """Run a statement; asyncpg's status (``"UPDATE 3"``)."""
    text, args = sql(query)
    return await db.execute(text, *args)


def affected(status: str) -> int:
    """The row count of a status such as ``"UPDATE 3"`` or ``"DELETE 0"``."""
    return int(status.split()[-1])


def any_of(values: Iterable[Any], pg_type: str) -> QueryString:
    """``ANY($n::<pg_type>[])``: compare with ``column == any_of(ids, "uuid")``; the list is one
    array argument (one prepared statement whatever its length), where piccolo's ``is_in``
    would spell one placeholder per value."""
    return QueryString(f"ANY({{}}::{pg_type}[])", list(values))


def by_column_name(table: type[Table], values: Mapping[str, Any]) -> dict[Column | str, Any]:
    """``{"ownerId": x}`` (database names, as callers and rows spell them) -> ``{Asset.owner_id:
    x}``; an unknown name raises ValueError."""
    columns = {c._meta.db_column_name: c for c in table._meta.columns}
    bad = set(values) - set(columns)
    if bad:
        raise ValueError(f"not a {table._meta.tablename} column: {sorted(bad)}")
    return {columns[name]: value for name, value in values.items()}


def new_row(table: type[T], values: Mapping[str, Any]) -> T:
    """A row to insert: the given columns (database names), ``DEFAULT`` for every other, so the
    database's defaults apply exactly as in a hand-written INSERT naming only those columns."""
    if table._meta.json_columns:
        raise TypeError(f"{table._meta.tablename} has jsonb columns: insert it with raw SQL")
    given = by_column_name(table, values)
    return table(
        _ignore_missing=True,
        **{c._meta.name: given.get(c, DEFAULT) for c in table._meta.columns},
    )
