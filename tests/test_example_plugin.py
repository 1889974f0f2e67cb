"""The example third-party plugin (tests/example_plugin), installed as a package would be.

It is loaded through its ``immich.plugins`` entry point (pip-installed by ``scripts/setup
--dev``), never by module path. Other tests leave it out (``tests/conftest.make_settings``
skips it); these load it on a scratch database of their own, so its table never reaches the
shared test database.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.app import create_app
from immich.context import AppContext
from immich.jobs.registry import JobRegistry
from immich.plugins import ENTRY_POINT_GROUP, make_manager
from immich.settings import load_settings
from tests.conftest import EXAMPLE_PLUGIN, sign_up_and_login
from tests.jobs.conftest import eventually
from tests.migrations.databases import recorded, scratch_database, tables

INSTALL_HINT = "install it: .venv/bin/pip install -e tests/example_plugin (scripts/setup --dev)"
MODULE = "immich_example_plugin"
COUNT_WORDS = "ExampleNoteCountWords"


@pytest.fixture(autouse=True)
def installed() -> None:
    if not any(ep.name == EXAMPLE_PLUGIN for ep in entry_points(group=ENTRY_POINT_GROUP)):
        pytest.fail(INSTALL_HINT)  # not a skip: scripts/setup --dev installs it


def test_it_is_installed_and_loaded_through_its_entry_point() -> None:
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == EXAMPLE_PLUGIN]
    assert found[0].value == MODULE
    assert found[0].dist is not None and found[0].dist.name == "immich-example-plugin"
    pm = make_manager(allow=[EXAMPLE_PLUGIN])  # no IMMICH_PLUGIN_MODULES: the entry point only
    plugin = pm.get_plugin(EXAMPLE_PLUGIN)
    assert plugin is not None and plugin.__name__ == MODULE
    # from the installed package, not from this checkout's tests/ on sys.path
    assert plugin.__file__ is not None and Path(plugin.__file__).parent.name == MODULE
    assert make_manager(skip=[EXAMPLE_PLUGIN]).get_plugin(EXAMPLE_PLUGIN) is None


@contextlib.asynccontextmanager
async def _server(
    url: str, media: Path, **env: str
) -> AsyncIterator[tuple[httpx.AsyncClient, AppContext]]:
    """An app with every installed plugin (the example included unless ``env`` skips it)."""
    environ = {"DB_URL": url, "IMMICH_MEDIA_LOCATION": str(media), "IMMICH_ROLES": "api,worker"}
    settings = load_settings(environ={**environ, **env}, env_file=None)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client, app.state.ctx


async def _operation_ids(client: httpx.AsyncClient) -> set[str]:
    spec = (await client.get("/api/spec.json")).json()
    return {op["operationId"] for item in spec["paths"].values() for op in item.values()}


async def test_its_routes_table_and_job_work_and_skipping_it_removes_them(
    pg_server: Any, tmp_path: Path
) -> None:
    async with scratch_database(pg_server, "example_plugin") as db:
        async with _server(db.url, tmp_path) as (client, ctx):
            assert "example_note" in await tables(db.pool)
            assert "example/0001_example_note.sql" in await recorded(db.pool)
            assert {"createExampleNote", "getExampleNotes"} <= await _operation_ids(client)
            assert ctx.queues.registry.get(COUNT_WORDS).queue == "backgroundTask"

            r = await client.post("/api/example-notes", json={"text": "hi"})
            assert r.status_code == 401  # the core's authentication guards plugin routes
            headers = await sign_up_and_login(client)
            r = await client.post("/api/example-notes", json={"text": 3}, headers=headers)
            assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["text"]
            r = await client.post(
                "/api/example-notes", json={"text": " three  little words "}, headers=headers
            )
            assert r.status_code == 201, r.text
            note = r.json()

            async def counted() -> list[Any] | None:
                r = await client.get("/api/example-notes", headers=headers)
                notes: list[Any] = r.json()
                return notes if notes[0]["words"] is not None else None

            notes = await eventually(counted, within=30)  # the worker ran its job
            assert notes == [{**note, "words": 3}]

        async with _server(db.url, tmp_path, IMMICH_PLUGINS_SKIP=EXAMPLE_PLUGIN) as (client, ctx):
            r = await client.post("/api/example-notes", json={"text": "hi"}, headers=headers)
            assert r.status_code == 404
            assert r.json() == {"message": "Cannot POST /api/example-notes"}
            assert not {"createExampleNote", "getExampleNotes"} & await _operation_ids(client)
            assert COUNT_WORDS not in ctx.queues.registry
            # its table and rows stay as they were
            rows = await db.pool.fetch('SELECT "text", "words" FROM "example_note"')
            assert [tuple(r.values()) for r in rows] == [(" three  little words ", 3)]


def test_registry_takes_its_job_from_the_hook() -> None:
    registry = JobRegistry.from_plugins(make_manager(allow=[EXAMPLE_PLUGIN]))
    assert list(registry.jobs) == [COUNT_WORDS]
