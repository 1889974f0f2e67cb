"""immich.db.session: one transaction for piccolo queries and raw SQL, opened by the boundary."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.db.engine import Database
from immich.db.repos import _query as q
from immich.db.session import TransactionEnded, after_commit, current_connection
from immich.db.tables import ENGINE, User
from tests.conftest import make_settings


class Boom(Exception):
    pass


async def _emails(pool: Any) -> set[str]:
    return {r["email"] for r in await pool.fetch('SELECT "email" FROM "user"')}


async def test_piccolo_and_raw_sql_share_one_transaction(
    app: Any, client: httpx.AsyncClient
) -> None:
    db: Database = app.state.ctx.db
    with pytest.raises(Boom):
        async with db.transaction() as conn:
            assert current_connection() is conn
            # piccolo's own .run() (no connection passed) writes on the block's transaction ...
            await User.insert(q.new_row(User, {"email": "piccolo@example.com"})).run()
            await conn.execute('INSERT INTO "user" ("email") VALUES (\'raw@example.com\')')
            # ... and each sees the other's uncommitted row
            assert await conn.fetchval(
                'SELECT count(*) FROM "user" WHERE "email" = \'piccolo@example.com\''
            )
            seen = await User.select(User.email).where(User.email == "raw@example.com").run()
            assert seen == [{"email": "raw@example.com"}]
            # a repository helper given the connection runs there too
            assert await q.fetchval(conn, User.count()) == 2
            # nobody else sees either
            assert await _emails(db.pool) == set()
            raise Boom
    # both writes rolled back together; the block left no current transaction behind
    assert await _emails(db.pool) == set()
    assert current_connection() is None

    async with db.transaction() as conn:
        await User.insert(q.new_row(User, {"email": "kept@example.com"})).run()
        await conn.execute('INSERT INTO "user" ("email") VALUES (\'kept2@example.com\')')
    assert await _emails(db.pool) == {"kept@example.com", "kept2@example.com"}
    # outside a transaction piccolo's .run() uses the pool (autocommit)
    assert await User.count().run() == 2


async def test_nested_blocks_join_the_outer_transaction(
    app: Any, client: httpx.AsyncClient
) -> None:
    db: Database = app.state.ctx.db
    with pytest.raises(Boom):
        async with db.transaction() as outer:
            async with db.transaction() as inner:
                assert inner is outer  # no second connection, no savepoint
                await User.insert(q.new_row(User, {"email": "inner@example.com"})).run()
            # the inner block's end committed nothing
            assert await _emails(db.pool) == set()
            assert current_connection() is outer
            raise Boom
    assert await _emails(db.pool) == set()


async def test_concurrent_tasks_have_their_own_transactions(
    app: Any, client: httpx.AsyncClient
) -> None:
    db: Database = app.state.ctx.db
    both = asyncio.Barrier(2)

    async def one(email: str, fail: bool) -> Any:
        async with db.transaction() as conn:
            await User.insert(q.new_row(User, {"email": email})).run()
            await both.wait()  # both transactions open at once
            mine = await User.select(User.email).run()
            if fail:
                raise Boom
            return conn, mine

    results = await asyncio.gather(
        one("a@example.com", False), one("b@example.com", True), return_exceptions=True
    )
    conn, mine = results[0]
    assert mine == [{"email": "a@example.com"}]  # not the other task's row
    assert isinstance(results[1], Boom)
    assert await _emails(db.pool) == {"a@example.com"}


async def test_several_databases_in_one_process(
    app: Any, client: httpx.AsyncClient, db_url: str, tmp_path: Path
) -> None:
    first: Database = app.state.ctx.db
    second = await Database.connect(make_settings(db_url, tmp_path))
    try:
        assert ENGINE.pool is second.pool
        async with second.transaction() as conn:
            await User.insert(q.new_row(User, {"email": "second@example.com"})).run()
            assert (await conn.connection()).get_server_pid() != 0
    finally:
        await second.close()
    # piccolo falls back to a pool still open (the app's, unless another test left one open)
    assert ENGINE.pool is not None and ENGINE.pool is not second.pool
    assert not ENGINE.pool.is_closing()
    assert await User.count().run() == 1
    async with first.transaction():
        assert await User.count().run() == 1


async def test_the_handle_begins_on_its_first_statement(
    app: Any, client: httpx.AsyncClient
) -> None:
    db: Database = app.state.ctx.db
    free = db.pool.get_idle_size()
    async with db.transaction() as tx:
        assert not tx.begun and db.pool.get_idle_size() == free  # no connection taken yet
        await User.count().run()  # piccolo's .run() begins it
        assert tx.begun
    assert not tx.begun
    with pytest.raises(TransactionEnded):
        await tx.fetchval("SELECT 1")


async def test_after_commit_runs_once_committed_never_after_a_rollback(
    app: Any, client: httpx.AsyncClient
) -> None:
    db: Database = app.state.ctx.db
    seen: list[set[str]] = []

    async def look() -> None:  # from another connection, as a worker would
        seen.append(await _emails(db.pool))

    with pytest.raises(Boom):
        async with db.transaction() as tx:
            await tx.execute('INSERT INTO "user" ("email") VALUES (\'gone@example.com\')')
            await after_commit(tx, look)
            raise Boom
    assert seen == []
    async with db.transaction() as outer:
        async with db.transaction() as inner:  # a nested block defers to the outermost
            await inner.execute('INSERT INTO "user" ("email") VALUES (\'kept@example.com\')')
            inner.after_commit(look)
        assert seen == []
        await outer.fetchval("SELECT 1")
    assert seen == [{"kept@example.com"}]
    await after_commit(db.pool, look)  # the pool: committed already, runs at once
    assert len(seen) == 2


async def test_gather_over_one_handle_is_serialised(app: Any, client: httpx.AsyncClient) -> None:
    db: Database = app.state.ctx.db
    async with db.transaction() as tx:
        pids = await asyncio.gather(*(tx.fetchval("SELECT pg_backend_pid()") for _ in range(5)))
        assert len(set(pids)) == 1


async def test_isolation_level(app: Any, client: httpx.AsyncClient) -> None:
    db: Database = app.state.ctx.db
    async with db.transaction(isolation="serializable") as tx:
        assert await tx.fetchval("SHOW transaction_isolation") == "serializable"
