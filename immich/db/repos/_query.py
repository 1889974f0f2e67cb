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

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, TypeVar

from piccolo.columns import Column
from piccolo.query.base import Query
from piccolo.querystring import QueryString
from piccolo.table import Table

from immich.db.repos import Conn, Row

T = TypeVar("T", bound=Table)

DEFAULT = QueryString("DEFAULT")
NOW = QueryString("now()")
NEW_UUID = QueryString("gen_random_uuid()")


class Compiled(NamedTuple):
    """SQL text and its arguments, ready for asyncpg."""

    text: str
    args: list[Any]


Statement = Query[Any, Any] | QueryString | Compiled


class _Param:
    """A placeholder value compiled into a template's SQL (see ``template``)."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def template(build: Callable[..., Statement]) -> Callable[..., Compiled]:
    """Compile a query of a fixed shape once; each call binds its values.

    piccolo builds a query object per call (about 0.1-0.5 ms for a select of a wide table on
    this machine); a hot repository function builds it once with placeholders instead::

        _GET = q.template(lambda asset_id: Asset.select().where(Asset.id == asset_id))
        row = await q.fetchrow(db, _GET(asset_id))

    The builder must not branch on its arguments (they are placeholders, compared with ``==``
    they compile to ``= $n`` even for None).
    """
    compiled: Compiled | None = None

    def bind(*values: Any) -> Compiled:
        nonlocal compiled
        if compiled is None:
            compiled = sql(build(*(_Param(i) for i in range(len(values)))))
        return Compiled(
            compiled.text,
            [values[a.index] if isinstance(a, _Param) else a for a in compiled.args],
        )

    return bind


def sql(query: Statement) -> Compiled:
    """The SQL and arguments piccolo makes of ``query`` (one statement)."""
    if isinstance(query, Compiled):
        return query
    if isinstance(query, QueryString):
        querystring = query
    else:
        (querystring,) = query.querystrings
    text, args = querystring.compile_string(engine_type="postgres")
    return Compiled(text, list(args))


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
