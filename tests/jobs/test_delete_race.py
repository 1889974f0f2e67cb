"""A job writing an asset's exif or files while ``DELETE /api/assets`` (force) removes it: the
two never deadlock, and the asset ends fully gone (no exif, file or job-status row left).

Why it can deadlock: a delete locks the asset row, then reaches its exif/file rows by cascade;
a job that wrote those rows first and then updates the asset row (its size, ThumbHash) holds
them in the other order. Asset jobs therefore lock the asset row before anything hanging off
it (``immich.jobs.asset_jobs.lock_asset``), and the delete waits for the job instead.

The interleaving is forced, not hoped for: the job's first write to a dependent row is held
open until the delete is seen waiting on a lock in PostgreSQL, then the job goes on. The same
interleaving without the lock is shown to deadlock, so the test can fail. A free-running round
of many races follows.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import attrs
import httpx
import pytest

from immich.db.repos import asset_files
from immich.db.repos import exif as exif_repo
from immich.jobs import asset_jobs
from plugins.metadata import _jobs as metadata_jobs
from plugins.thumbnails import _jobs as thumbnail_jobs
from tests.api.asset_helpers import uploaded
from tests.plugins_chain import shared_assets

PHOTO = "albums/nature/notocactus_minimus.jpg"
MOTION_PHOTO = "formats/motionphoto/samsung-one-ui-6.heic"
Handler = Callable[[Any, dict[str, Any]], Awaitable[Any]]
JOBS: dict[str, Handler] = {
    "metadata": metadata_jobs.extract_metadata,
    "thumbnails": thumbnail_jobs.generate_thumbnails,
}


@attrs.frozen
class Race:
    job: str
    module: Any  # where the job's first write to a row that hangs off the asset lives
    attr: str
    photo: str = PHOTO
    rerun: bool = True  # race a second run (existing rows rewritten), not the first
    rounds: int = 3


RACES = {
    "metadata": Race("metadata", exif_repo, "upsert"),
    "thumbnails": Race("thumbnails", asset_files, "upsert"),
    # the motion part's first run: its owner's usage grows before the photo links to it
    "motion": Race("metadata", exif_repo, "add_usage", MOTION_PHOTO, rerun=False, rounds=1),
}


class Gate:
    """Holds the job right after its first dependent write until ``go`` is set."""

    def __init__(self) -> None:
        self.reached = asyncio.Event()
        self.go = asyncio.Event()
        self.armed = False

    def wrap(self, real: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def held(*args: Any, **kwargs: Any) -> Any:
            result = await real(*args, **kwargs)
            if self.armed:
                self.armed = False
                self.reached.set()
                await self.go.wait()
            return result

        return held


@pytest.fixture
def errors(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Every exception that leaves a job's ``ctx.db.transaction()`` block (handlers turn a
    failure into a "skipped" result when the asset is gone by then: this sees through it)."""
    seen: list[BaseException] = []
    db_type = type(app.state.ctx.db)
    real = db_type.transaction

    @contextlib.asynccontextmanager
    async def recording(self: Any, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        try:
            async with real(self, *args, **kwargs) as tx:
                yield tx
        except BaseException as err:
            seen.append(err)
            raise

    monkeypatch.setattr(db_type, "transaction", recording)
    return seen


async def _new_asset(
    client: httpx.AsyncClient, headers: dict[str, str], ctx: Any, race: Race = RACES["metadata"]
) -> str:
    """A freshly uploaded photo (a JPEG gets unique bytes after its end marker), with its
    metadata and thumbnails made once for a ``rerun`` race (existing rows are rewritten)."""
    content = (shared_assets() / race.photo).read_bytes()
    if race.photo.endswith(".jpg"):
        content += uuid.uuid4().bytes
    asset_id = await uploaded(client, headers, content, Path(race.photo).name)
    for handler in JOBS.values() if race.rerun else ():
        result = await handler(ctx, {"id": asset_id})
        assert result.status == "success", result
    return asset_id


async def _delete(client: httpx.AsyncClient, headers: dict[str, str], asset_id: str) -> int:
    r = await client.request(
        "DELETE", "/api/assets", json={"ids": [asset_id], "force": True}, headers=headers
    )
    return r.status_code


async def _lock_waits(pool: asyncpg.Pool, until: asyncio.Task[Any]) -> bool:
    """Whether the delete's statement waits on a lock before ``until`` is done (10 s)."""
    for _ in range(500):
        waiting = await pool.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE '%DELETE FROM \"asset\"%'"
        )
        if waiting or until.done():
            return bool(waiting)
        await asyncio.sleep(0.02)
    return False


async def _leftovers(pool: asyncpg.Pool, asset_id: str) -> dict[str, int]:
    found = {}
    for table, column in (
        ("asset", "id"),
        ("asset_exif", "assetId"),
        ("asset_file", "assetId"),
        ("asset_job_status", "assetId"),
    ):
        sql = f'SELECT count(*) FROM "{table}" WHERE "{column}" = $1'
        found[table] = await pool.fetchval(sql, uuid.UUID(asset_id))
    return found


GONE = {"asset": 0, "asset_exif": 0, "asset_file": 0, "asset_job_status": 0}


async def _forced_race(
    app: Any,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    race: Race,
) -> tuple[str, bool, int, Any]:
    """(asset id, whether the delete waited on a lock, its status, the job's result); an
    exception either side raised stands in for its answer."""
    ctx = app.state.ctx
    asset_id = await _new_asset(client, headers, ctx, race)
    gate = Gate()
    monkeypatch.setattr(race.module, race.attr, gate.wrap(getattr(race.module, race.attr)))
    gate.armed = True
    running = asyncio.create_task(JOBS[race.job](ctx, {"id": asset_id}))
    await asyncio.wait_for(gate.reached.wait(), 30)
    deleting = asyncio.create_task(_delete(client, headers, asset_id))
    waited = await _lock_waits(ctx.db.pool, deleting)
    gate.go.set()
    both = asyncio.gather(deleting, running, return_exceptions=True)
    status, result = await asyncio.wait_for(both, 30)
    monkeypatch.undo()
    return asset_id, waited, status, result


@pytest.mark.parametrize("race", sorted(RACES))
async def test_a_delete_waits_for_the_job_holding_the_asset(
    app: Any,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    errors: list[BaseException],
    race: str,
) -> None:
    """Forced interleavings per job: the delete waits (the job holds the asset row), the job
    commits, the delete then removes everything; nobody sees a deadlock."""
    for _ in range(RACES[race].rounds):
        with monkeypatch.context() as patch:
            asset_id, waited, status, result = await _forced_race(
                app, client, admin_headers, patch, RACES[race]
            )
        assert waited, "the delete never waited: the job held no lock at its first write"
        assert status == 204
        assert not errors, errors
        assert result.status in ("success", "skipped"), result
        assert await _leftovers(app.state.ctx.db.pool, asset_id) == GONE


async def test_without_the_asset_lock_the_same_interleaving_deadlocks(
    app: Any,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    errors: list[BaseException],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The hazard is real: with ``lock_asset`` a no-op, PostgreSQL detects a deadlock (in the
    job, or in the delete's request, which then answers 500)."""

    async def no_lock(db: Any, asset_id: Any) -> None:
        return None

    monkeypatch.setattr(asset_jobs, "lock_asset", no_lock)
    monkeypatch.setattr(metadata_jobs, "lock_asset", no_lock)
    with monkeypatch.context() as patch:
        _, waited, status, _ = await _forced_race(
            app, client, admin_headers, patch, RACES["metadata"]
        )
    assert waited
    in_job = any(isinstance(e, asyncpg.DeadlockDetectedError) for e in errors)
    in_delete = isinstance(status, asyncpg.DeadlockDetectedError) or (
        status == 500 and "DeadlockDetectedError" in caplog.text
    )
    assert in_job or in_delete, (status, errors)


async def test_many_free_races_end_consistent(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str], errors: list[BaseException]
) -> None:
    """Jobs and deletes started together with random offsets: no deadlock, nothing left."""
    ctx = app.state.ctx
    rng = random.Random(9)
    ids = [await _new_asset(client, admin_headers, ctx) for _ in range(8)]

    async def after(seconds: float, call: Awaitable[Any]) -> Any:
        await asyncio.sleep(seconds)
        return await call

    calls = []
    for asset_id in ids:
        for handler in JOBS.values():
            calls.append(after(rng.uniform(0, 0.05), handler(ctx, {"id": asset_id})))
        calls.append(after(rng.uniform(0, 0.05), _delete(client, admin_headers, asset_id)))
    answers = await asyncio.wait_for(asyncio.gather(*calls), 120)
    assert [a for a in answers if isinstance(a, int)] == [204] * len(ids)
    assert {a.status for a in answers if not isinstance(a, int)} <= {"success", "skipped"}
    assert not [e for e in errors if isinstance(e, asyncpg.DeadlockDetectedError)], errors
    for asset_id in ids:
        assert await _leftovers(ctx.db.pool, asset_id) == GONE
