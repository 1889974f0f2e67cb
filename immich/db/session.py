"""The transaction model: one transaction per request or job, shared by piccolo and raw SQL.

DESIGN's rule is that the request or job boundary owns the transaction: it opens it, hands the
connection down, and commits (the block ends) or rolls back (an exception leaves it); services
and repositories never commit. In code::

    async with ctx.db.transaction() as conn:        # the boundary (route, job handler)
        album = await albums_repo.get(conn, album_id)      # a repository: piccolo or raw SQL
        await Asset.update({...}).where(...)               # piccolo's own .run() works too
        await conn.execute("SELECT ...")                   # raw SQL: the same transaction

``Database.transaction()`` (this module's ``transaction``) takes a connection from the process's
asyncpg pool, begins a transaction on it and makes it piccolo's *current transaction*: piccolo
keeps that in a context variable on its engine (``ENGINE.current_transaction``, one per task),
and every Table class is bound to that one engine (immich/db/tables/_engine.py), so a piccolo
query run anywhere below the boundary, in the same task, runs on this connection. The block
receives the connection itself (asyncpg's ``fetch``/``fetchrow``/``fetchval``/``execute``/
``executemany``) for raw SQL. Repositories take that connection as their first argument (``db``)
and execute both kinds of SQL on it (immich/db/repos/_query.py compiles a piccolo query and runs
it on the connection given), so they also work when handed the pool (autocommit, one statement)
or a connection some older code opened a transaction on by hand.

Nesting: a ``transaction()`` inside another (in the same task) *reuses* the outer one: no
savepoint, the inner block neither commits nor rolls back, and an exception that leaves the inner
block rolls everything back when it also leaves the outer one (caught in between, it undoes
nothing: the outer block commits the inner block's writes). That is piccolo's own rule
(``allow_nested=True``) and the boundary rule: only the outermost block decides. Code that wants
to survive a failed statement inside a transaction uses ``conn.transaction()`` (asyncpg's
savepoint) explicitly. A task started inside a transaction (``asyncio.create_task``) copies the
context, so it would share the connection: start background work outside the block.

Outside any transaction, piccolo's ``.run()`` takes a pooled connection per statement
(autocommit), like ``pool.fetch``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from piccolo.engine.postgres import PostgresTransaction

from immich.db.tables._engine import ENGINE

Connection = PoolConnectionProxy  # what a transaction block receives: an asyncpg connection


class PoolTransaction(PostgresTransaction):
    """piccolo's transaction, on a connection of the given pool (the Database's own, which may
    not be the one piccolo's engine falls back to when several Databases live in one process)."""

    __slots__ = ("_pool",)

    def __init__(self, pool: asyncpg.Pool[Any]) -> None:
        super().__init__(engine=ENGINE, allow_nested=True)
        self._pool = pool

    async def get_connection(self) -> Any:
        return await self._pool.acquire()

    async def __aexit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if self._parent is not None:  # nested: the outermost block decides
            return False
        try:
            if exception is not None:
                if not self._rolled_back:
                    await self.rollback()  # type: ignore[no-untyped-call]
            elif not self._committed and not self._rolled_back:
                await self.commit()  # type: ignore[no-untyped-call]
        finally:
            self.engine.current_transaction.reset(self.context)
            await self._pool.release(self.connection)
        return False


def current_connection() -> Connection | None:
    """The connection of the transaction open in this task, if any."""
    current = ENGINE.current_transaction.get()
    return None if current is None else current.connection


@asynccontextmanager
async def transaction(pool: asyncpg.Pool[Any]) -> AsyncIterator[Connection]:
    """Open a transaction on a connection from ``pool`` (or join the one open in this task) and
    make it piccolo's current transaction; yield the asyncpg connection for raw SQL."""
    async with PoolTransaction(pool) as tx:
        yield tx.connection
