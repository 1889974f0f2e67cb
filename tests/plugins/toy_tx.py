"""A toy plugin whose routes exercise the request transaction (tests/api/test_routing_tx.py).

Each route writes ``system_metadata`` rows (key ``toy-tx-<name>``) through the repository on
``call.db`` and then does what its test needs: raise, fail at the database, call nested
services, defer a job until after the commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from starlette.background import BackgroundTask
from starlette.responses import Response

from immich import hookimpl
from immich.api.dto import field
from immich.api.routing import Call, Operation, Router
from immich.db.repos import Conn, system_metadata
from immich.db.session import after_commit, current
from immich.db.tables import SystemMetadata
from immich.errors import BadRequest
from immich.jobs.types import JobRequest

router = Router()
TAG = "Toy"


@attrs.frozen
class ToyTxDto:
    fail: bool = field(description="Fail after writing")


async def _write(db: Conn, name: str) -> None:
    await system_metadata.set(db, f"toy-tx-{name}", {"by": "toy"})


@router.route("POST", "/toy/tx/write-then-raise", operation_id="toyTxRaise", tag=TAG)
async def write_then_raise(call: Call) -> None:
    """Write a row, then refuse: the row must not stay."""
    await _write(call.db, "raised")
    raise BadRequest("toy refused after writing")


@router.route("POST", "/toy/tx/two-writes", operation_id="toyTxTwo", tag=TAG)
async def two_writes(call: Call[ToyTxDto]) -> None:
    """Two writes; with ``fail`` the database refuses a third statement."""
    await _write(call.db, "first")
    await _write(call.db, "second")
    if call.body.fail:
        await call.db.execute("SELECT 1 / 0")


async def _inner_service(db: Conn, ctx: Any) -> dict[str, Any]:
    """A service calling another, a nested transaction block and piccolo's own .run()."""
    mine = await db.fetchrow("SELECT pg_backend_pid() AS pid, txid_current() AS xid")
    async with ctx.db.transaction() as nested:
        joined = await nested.fetchrow("SELECT pg_backend_pid() AS pid, txid_current() AS xid")
        await _write(nested, "nested")
    piccolo = await SystemMetadata.raw(
        "SELECT pg_backend_pid() AS pid, txid_current() AS xid"
    ).run()
    await SystemMetadata.raw(
        "INSERT INTO system_metadata (key, value) VALUES ('toy-tx-piccolo', '1')"
    ).run()
    return {"service": dict(mine), "nested": dict(joined), "piccolo": dict(piccolo[0])}


@router.route("POST", "/toy/tx/nested", operation_id="toyTxNested", tag=TAG, response=dict)
async def nested(call: Call[ToyTxDto]) -> dict[str, Any]:
    """Nested service calls; with ``fail`` the request then fails."""
    seen = await _inner_service(call.db, call.ctx)
    if call.body.fail:
        raise BadRequest("toy refused after nested writes")
    return seen


@router.route("POST", "/toy/tx/enqueue", operation_id="toyTxEnqueue", tag=TAG)
async def enqueue(call: Call[ToyTxDto]) -> None:
    """Write a row and enqueue a job that needs it, after the commit."""
    await _write(call.db, "job")
    queues = call.ctx.queues

    async def send() -> None:
        await queues.enqueue(JobRequest(name="toyTxJob", data={"key": "toy-tx-job"}))

    await after_commit(call.db, send)
    if call.body.fail:
        raise BadRequest("toy refused after enqueueing")


@router.route("POST", "/toy/tx/idle", operation_id="toyTxIdle", tag=TAG, response=dict)
async def idle(call: Call) -> dict[str, Any]:
    """Touch no database: the handle must not have begun."""
    return {"begun": call.db.begun}


@router.route("GET", "/toy/tx/read", operation_id="toyTxRead", tag=TAG, response=dict)
async def read(call: Call) -> dict[str, Any]:
    """A read: the pool, autocommit."""
    first = await call.db.fetchval("SELECT txid_current()")
    second = await call.db.fetchval("SELECT txid_current()")  # autocommit: a new transaction
    return {"pool": call.db is call.ctx.db.pool, "inTransaction": first == second}


after_response: list[Any] = []


@router.route("POST", "/toy/tx/background", operation_id="toyTxBackground", tag=TAG)
async def background(call: Call) -> Response:
    """Write, answer, then work after the response: outside the request's transaction."""
    await _write(call.db, "request")

    async def later() -> None:
        after_response.append(current())
        await SystemMetadata.raw(
            "INSERT INTO system_metadata (key, value) VALUES ('toy-tx-later', '1')"
        ).run()

    return Response(status_code=204, background=BackgroundTask(later))


class ToyTxPlugin:
    @hookimpl
    def register_routes(self) -> Sequence[Operation]:
        return router.operations
