"""The transaction model: one transaction per request or job, shared by piccolo and raw SQL.

DESIGN's rule is that the request or job boundary owns the transaction: it opens it, hands the
handle down, and commits (the block ends) or rolls back (an exception leaves it); services and
repositories never commit, and never open transactions of their own. In code::

    async with ctx.db.transaction() as db:          # the boundary (a job handler, the CLI)
        album = await albums_repo.get(db, album_id)        # a repository: piccolo or raw SQL
        await Asset.update({...}).where(...)               # piccolo's own .run() works too
        await db.execute("SELECT ...")                     # raw SQL: the same transaction
        db.after_commit(lambda: queues.enqueue(job))       # runs once the block has committed

For HTTP requests the boundary is ``immich.api.routing.to_route``: a mutating request's endpoint
gets such a handle as ``call.db`` (see that module for reads and streaming endpoints).

``Tx``, the handle, looks like an asyncpg connection to repositories (``fetch``, ``fetchrow``,
``fetchval``, ``execute``, ``executemany``; no per-statement ``timeout``) and *begins lazily*: the pooled connection is taken
and ``BEGIN`` sent on the first statement, so a block (a request) that never touches the
database, or fails before it does, costs nothing and holds no connection. While the block is
open it is also piccolo's *current transaction*: piccolo keeps that in a context variable on its
engine (``ENGINE.current_transaction``, one per task) and runs every query of every Table class
(all bound to that one engine, immich/db/tables/_engine.py) on ``current.connection``, which is
the handle itself; so a piccolo ``.run()`` anywhere below the boundary, in the same task, begins
or joins the same transaction as raw SQL does. Statements on one handle are serialised (one
connection runs one statement at a time), so ``asyncio.gather`` over one handle is safe, if not
parallel.

Nesting: a ``transaction()`` inside another (in the same task) yields the *outer* handle: no
savepoint; the inner block neither commits nor rolls back, and an exception that leaves the
inner block rolls everything back when it also leaves the outer one (caught in between, it undoes
nothing). Only the outermost block decides. Code that wants to survive a failed statement inside
a transaction takes ``await db.connection()`` and uses asyncpg's ``conn.transaction()`` (a
savepoint) explicitly.

Side effects after commit: ``db.after_commit(callback)`` (or ``await after_commit(db, callback)``
where ``db`` may also be the pool) runs ``callback()`` (an async function of no arguments) once
the outermost block has committed and released its connection, outside the transaction; never
when it rolls back. Jobs are enqueued this way, so a worker never sees a job whose rows are not
committed, and files are deleted only once no committed row points at them. A callback that
raises is logged; the data is committed by then.

A task started inside an open block (``asyncio.create_task``) copies the context and would share
the handle: start background work outside the block; a handle used after its block ended raises.

Outside any transaction, piccolo's ``.run()`` takes a pooled connection per statement
(autocommit), like ``pool.fetch``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from immich.db.tables._engine import ENGINE

log = logging.getLogger(__name__)

Connection = PoolConnectionProxy  # a pooled asyncpg connection
AfterCommit = Callable[[], Awaitable[object]]


class TransactionEnded(RuntimeError):
    """A handle was used after its block committed or rolled back."""


class Tx:
    """A transaction handle: begins on its first statement, ends with its block."""

    __slots__ = ("_pool", "_isolation", "_conn", "_tx", "_lock", "_ended", "_callbacks")

    def __init__(self, pool: asyncpg.Pool[Any], isolation: str | None = None) -> None:
        self._pool = pool
        self._isolation = isolation
        self._conn: Connection[Any] | None = None
        self._tx: Any = None
        self._lock = asyncio.Lock()
        self._ended = False
        self._callbacks: list[AfterCommit] = []

    @property
    def pool(self) -> asyncpg.Pool[Any]:
        """The pool this handle takes its connection from (for work after the commit)."""
        return self._pool

    @property
    def begun(self) -> bool:
        """Whether a statement has run (a connection is held and BEGIN sent)."""
        return self._conn is not None

    async def _begin(self) -> Connection[Any]:
        if self._ended:
            raise TransactionEnded("this transaction has already ended")
        if self._conn is None:
            conn: Connection[Any] = await self._pool.acquire()
            try:
                tx = conn.transaction(isolation=self._isolation)  # type: ignore[arg-type]
                await tx.start()
            except BaseException:
                await self._pool.release(conn)
                raise
            self._conn, self._tx = conn, tx
        return self._conn

    async def connection(self) -> Connection[Any]:
        """The asyncpg connection (begun), for what only asyncpg can do (savepoints, COPY)."""
        async with self._lock:
            return await self._begin()

    async def fetch(self, query: str, *args: Any) -> list[Any]:
        async with self._lock:
            return await (await self._begin()).fetch(query, *args)

    async def fetchrow(self, query: str, *args: Any) -> Any:
        async with self._lock:
            return await (await self._begin()).fetchrow(query, *args)

    async def fetchval(self, query: str, *args: Any, column: int = 0) -> Any:
        async with self._lock:
            return await (await self._begin()).fetchval(query, *args, column=column)

    async def execute(self, query: str, *args: Any) -> str:
        async with self._lock:
            return await (await self._begin()).execute(query, *args)

    async def executemany(self, command: str, args: Iterable[Sequence[Any]]) -> None:
        async with self._lock:
            await (await self._begin()).executemany(command, args)

    def after_commit(self, callback: AfterCommit) -> None:
        """Run ``callback()`` once this transaction has committed (never on rollback)."""
        if self._ended:
            raise TransactionEnded("this transaction has already ended")
        self._callbacks.append(callback)

    async def _end(self, failed: bool) -> list[AfterCommit]:
        """Commit (or roll back when ``failed``) and release; the callbacks to run now."""
        self._ended = True
        conn, tx, self._conn, self._tx = self._conn, self._tx, None, None
        callbacks, self._callbacks = self._callbacks, []
        if conn is None:  # never begun: nothing to commit; the callbacks saw committed data
            return [] if failed else callbacks
        try:
            if failed:
                await tx.rollback()
                return []
            await tx.commit()
            return callbacks
        finally:
            await self._pool.release(conn)


class _Current:
    """What piccolo's engine finds as its current transaction: it runs queries on
    ``.connection.fetch``, here the handle (which begins lazily)."""

    __slots__ = ("connection",)

    def __init__(self, tx: Tx) -> None:
        self.connection = tx


async def _run_callbacks(callbacks: list[AfterCommit]) -> None:
    for callback in callbacks:
        try:
            await callback()
        except Exception:
            log.exception("an after-commit action failed (the transaction is committed)")


def current() -> Tx | None:
    """The handle of the transaction open in this task, if any."""
    found = ENGINE.current_transaction.get()
    return found.connection if isinstance(found, _Current) else None


def current_connection() -> Tx | None:
    """Kept name: the handle of the transaction open in this task, if any."""
    return current()


@asynccontextmanager
async def transaction(pool: asyncpg.Pool[Any], isolation: str | None = None) -> AsyncIterator[Tx]:
    """A transaction on a connection from ``pool`` (begun on its first statement), or the one
    already open in this task; piccolo's current transaction while the block runs.
    ``isolation`` (asyncpg's: ``"serializable"``...) applies when this block opens it."""
    joined = current()
    if joined is not None:
        yield joined
        return
    tx = Tx(pool, isolation)
    token = ENGINE.current_transaction.set(_Current(tx))  # type: ignore[arg-type]
    callbacks: list[AfterCommit] = []
    try:
        yield tx
    except BaseException:
        await tx._end(failed=True)
        raise
    else:
        callbacks = await tx._end(failed=False)
    finally:
        ENGINE.current_transaction.reset(token)
    await _run_callbacks(callbacks)


async def after_commit(db: Any, callback: AfterCommit) -> None:
    """Run ``callback()`` once ``db``'s transaction commits; at once when ``db`` is the pool
    (autocommit: what it wrote is committed already)."""
    if isinstance(db, Tx):
        db.after_commit(callback)
        return
    if isinstance(db, asyncpg.Pool):
        await callback()
        return
    if db.is_in_transaction():
        raise RuntimeError("after_commit on a hand-opened transaction: use ctx.db.transaction()")
    await callback()
