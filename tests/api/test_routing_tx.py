"""The request boundary owns the transaction (immich/api/routing.py, immich/db/session.py).

Through the real HTTP app with a toy plugin's routes (tests/plugins/toy_tx.py) and core routes:
a request that writes then raises leaves nothing and answers Immich's error body; two writes
are atomic; nested services share the one transaction; jobs go out only after the commit, and
a worker never sees a job whose row is not committed; reads stay on the pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.app import create_app
from immich.jobs.types import JobRequest
from tests.api.asset_factory import make_asset, user_id
from tests.conftest import make_settings, reset_database, sign_up_and_login
from tests.plugins import toy_tx
from tests.plugins.toy_tx import ToyTxPlugin


@pytest.fixture(scope="module")
async def toy_app(db_url: str, media_dir: Path) -> AsyncIterator[Any]:
    app = create_app(make_settings(db_url, media_dir), extra_plugins=[("toy_tx", ToyTxPlugin())])
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def toy(toy_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    await reset_database(toy_app.state.ctx.db.pool)
    await toy_app.state.ctx.config.load()
    transport = httpx.ASGITransport(app=toy_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        client.headers.update(await sign_up_and_login(client))
        yield client


async def _toy_keys(app: Any) -> set[str]:
    rows = await app.state.ctx.db.pool.fetch(
        "SELECT key FROM system_metadata WHERE key LIKE 'toy-tx-%'"
    )
    return {r["key"] for r in rows}


async def test_write_then_raise_leaves_no_row_and_answers_immichs_body(
    toy_app: Any, toy: httpx.AsyncClient
) -> None:
    r = await toy.post("/api/toy/tx/write-then-raise")
    assert r.status_code == 400
    body = r.json()
    assert body == {"message": "toy refused after writing"}
    assert r.headers["x-correlation-id"]
    assert await _toy_keys(toy_app) == set()


async def test_two_writes_are_atomic(toy_app: Any, toy: httpx.AsyncClient) -> None:
    r = await toy.post("/api/toy/tx/two-writes", json={"fail": True})
    assert r.status_code == 500
    assert await _toy_keys(toy_app) == set()  # the first write went with the failed third
    r = await toy.post("/api/toy/tx/two-writes", json={"fail": False})
    assert r.status_code == 204, r.text
    assert await _toy_keys(toy_app) == {"toy-tx-first", "toy-tx-second"}


async def test_nested_service_calls_share_the_one_transaction(
    toy_app: Any, toy: httpx.AsyncClient
) -> None:
    r = await toy.post("/api/toy/tx/nested", json={"fail": False})
    assert r.status_code == 200, r.text
    seen = r.json()
    # one connection, one transaction: the service, a nested block and piccolo's .run()
    assert seen["service"] == seen["nested"] == seen["piccolo"]
    assert await _toy_keys(toy_app) == {"toy-tx-nested", "toy-tx-piccolo"}

    await reset_database(toy_app.state.ctx.db.pool)
    headers = await sign_up_and_login(toy)
    r = await toy.post("/api/toy/tx/nested", json={"fail": True}, headers=headers)
    assert r.status_code == 400
    # the nested block's end committed nothing: the request's failure undid it all
    assert await _toy_keys(toy_app) == set()


class Recorder:
    """Stands in for ``ctx.queues.enqueue``: what a worker would see when the job arrives."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.seen: list[tuple[str, bool]] = []

    async def enqueue(self, request: JobRequest) -> str:
        key = request.data["key"]
        # another connection, as a worker's: is the row the job needs committed?
        found = await self.pool.fetchval("SELECT count(*) FROM system_metadata WHERE key = $1", key)
        self.seen.append((request.name, bool(found)))
        return "job-id"


async def test_a_job_goes_out_only_after_the_commit(
    toy_app: Any, toy: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = toy_app.state.ctx
    recorder = Recorder(ctx.db.pool)
    monkeypatch.setattr(ctx.queues, "enqueue", recorder.enqueue)

    r = await toy.post("/api/toy/tx/enqueue", json={"fail": True})
    assert r.status_code == 400
    assert recorder.seen == []  # rolled back: never enqueued
    assert await _toy_keys(toy_app) == set()

    r = await toy.post("/api/toy/tx/enqueue", json={"fail": False})
    assert r.status_code == 204, r.text
    assert recorder.seen == [("toyTxJob", True)]  # enqueued once, its row already committed


async def test_a_request_that_touches_no_database_begins_nothing(
    toy_app: Any, toy: httpx.AsyncClient
) -> None:
    r = await toy.post("/api/toy/tx/idle")
    assert r.status_code == 200 and r.json() == {"begun": False}


async def test_reads_stay_on_the_pool(toy_app: Any, toy: httpx.AsyncClient) -> None:
    r = await toy.get("/api/toy/tx/read")
    assert r.status_code == 200 and r.json() == {"pool": True, "inTransaction": False}


async def test_work_after_the_response_is_outside_the_transaction(
    toy_app: Any, toy: httpx.AsyncClient
) -> None:
    toy_tx.after_response.clear()
    r = await toy.post("/api/toy/tx/background")
    assert r.status_code == 204
    assert toy_tx.after_response == [None]  # no request transaction left in the task
    assert await _toy_keys(toy_app) == {"toy-tx-request", "toy-tx-later"}


async def test_core_delete_enqueues_file_delete_after_the_commit(
    toy_app: Any, toy: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A core route: deleting assets for good hands their files to ``FileDelete`` only once
    the rows are gone for everyone."""
    ctx = toy_app.state.ctx
    pool = ctx.db.pool
    me = await user_id(pool)
    asset = await make_asset(pool, me, "2024-05-01")
    seen: list[tuple[str, int]] = []

    async def enqueue(request: JobRequest) -> str:
        still = await pool.fetchval('SELECT count(*) FROM "asset" WHERE "id" = $1', asset["id"])
        seen.append((request.name, still))
        return "job-id"

    monkeypatch.setattr(ctx.queues, "enqueue", enqueue)
    r = await toy.request("DELETE", "/api/assets", json={"ids": [str(asset["id"])], "force": True})
    assert r.status_code == 204, r.text
    assert seen == [("FileDelete", 0)]
