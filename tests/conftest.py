"""Test fixtures: ONE embedded PostgreSQL per session, the real app over httpx's ASGI transport."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from immich.app import create_app
from immich.settings import Settings, load_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
ADMIN = {"email": "admin@example.com", "password": "admin-password", "name": "Admin"}


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """The embedded PostgreSQL, started once for the whole test session."""
    from immich.db.engine import EmbeddedPostgres

    folder = Path(tempfile.mkdtemp(prefix="immich-test-pg-"))
    server = EmbeddedPostgres(folder / "pg")
    admin_url = server.start()
    yield server, admin_url
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def db_url(pg_server: Any) -> str:
    """A database for the app under test, on the session's server (the DB_URL path)."""
    import asyncio

    from immich.db.engine import _ensure_database, _with_database

    _, admin_url = pg_server
    asyncio.run(_ensure_database(admin_url, "immich_test"))
    return _with_database(admin_url, "immich_test")


@pytest.fixture(scope="session")
def media_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="immich-test-media-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


EXAMPLE_PLUGIN = "example"  # tests/example_plugin: loaded only by tests/test_example_plugin.py


def make_settings(db_url: str, media: Path, **env: str) -> Settings:
    environ = {"DB_URL": db_url, "IMMICH_MEDIA_LOCATION": str(media), "IMMICH_ROLES": "api"}
    environ.update(env)
    skip = environ.get("IMMICH_PLUGINS_SKIP")
    environ["IMMICH_PLUGINS_SKIP"] = f"{skip},{EXAMPLE_PLUGIN}" if skip else EXAMPLE_PLUGIN
    return load_settings(environ=environ, env_file=None)


@pytest.fixture(scope="session")
async def app(db_url: str, media_dir: Path) -> AsyncIterator[Any]:
    application = create_app(make_settings(db_url, media_dir))
    async with application.router.lifespan_context(application):
        yield application


async def reset_database(pool: asyncpg.Pool) -> None:
    tables = await pool.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'immich_py_migrations' AND tablename NOT LIKE 'saq_%'"
    )
    if tables:
        names = ", ".join(f'"{t["tablename"]}"' for t in tables)
        await pool.execute(f"TRUNCATE {names} CASCADE")


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client on a clean database (every table emptied before the test)."""
    ctx = app.state.ctx
    await reset_database(ctx.db.pool)
    await ctx.config.load()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def sign_up_and_login(client: httpx.AsyncClient) -> dict[str, str]:
    r = await client.post("/api/auth/admin-sign-up", json=ADMIN)
    assert r.status_code == 201, r.text
    r = await client.post(
        "/api/auth/login", json={"email": ADMIN["email"], "password": ADMIN["password"]}
    )
    assert r.status_code == 201, r.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['accessToken']}"}


@pytest.fixture
async def admin_headers(client: httpx.AsyncClient) -> dict[str, str]:
    """Bearer headers of a freshly signed-up admin."""
    return await sign_up_and_login(client)
