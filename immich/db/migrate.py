"""Forward-only migrations: the core's ``migrations/NNNN_name.sql``, then each plugin's folder.

One run applies every pending file in order: the core's by name, then each loaded plugin's
(``register_migrations``), plugins by name and their files by name, so a plugin's tables can
refer to the core's. The run holds a PostgreSQL advisory lock (``locks.MIGRATIONS``) so
replicas starting together migrate once. Each file runs in its own transaction and is recorded
in ``immich_py_migrations`` under its name (core) or ``<plugin name>/<file name>`` (plugins).

The runner keys on those names: a recorded file is never run again, and a recorded name whose
file is gone (a file moved to a plugin, a plugin uninstalled or skipped) is simply left
alone, so never rename an applied file. A skipped plugin's files are not run and its tables
stay as they are.
"""

from __future__ import annotations

import logging
import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import asyncpg
import pluggy

from immich.db import locks

log = logging.getLogger(__name__)

CREATE_TABLE = (
    "CREATE TABLE IF NOT EXISTS immich_py_migrations ("
    " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
)


class MigrationError(RuntimeError):
    """A plugin named a migrations folder that does not exist."""


def folder_files(folder: Traversable | Path, prefix: str = "") -> list[tuple[str, str]]:
    """(recorded name, sql) of every ``*.sql`` file in ``folder``, sorted by file name."""
    entries = sorted(
        (entry.name, entry) for entry in folder.iterdir() if entry.name.endswith(".sql")
    )
    return [(prefix + name, entry.read_text()) for name, entry in entries]


def plugin_folders(pm: pluggy.PluginManager) -> list[tuple[str, Path]]:
    """(plugin name, folder) of every loaded plugin that has migrations, by plugin name."""
    found: list[tuple[str, Path]] = []
    for impl in pm.hook.register_migrations.get_hookimpls():
        answer = impl.function()
        if answer is None:
            continue
        folder = Path(answer) if isinstance(answer, str | os.PathLike) else None
        if folder is None or not folder.is_dir():
            raise MigrationError(f"plugin {impl.plugin_name!r}: no migrations folder {answer!r}")
        found.append((impl.plugin_name, folder))
    return sorted(found)


def migration_files(pm: pluggy.PluginManager | None = None) -> list[tuple[str, str]]:
    """(recorded name, sql) of every migration in run order: the core's, then ``pm``'s plugins'."""
    files = folder_files(resources.files("migrations"))
    if pm is not None:
        for plugin, folder in plugin_folders(pm):
            files += folder_files(folder, prefix=f"{plugin}/")
    return files


async def migrate(pool: asyncpg.Pool, pm: pluggy.PluginManager | None = None) -> list[str]:
    """Apply pending migrations (the core's, then those of ``pm``'s plugins); return the names
    applied now."""
    files = migration_files(pm)
    applied_now: list[str] = []
    async with pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock($1)", locks.MIGRATIONS)
        try:
            await conn.execute(CREATE_TABLE)
            done = {r["name"] for r in await conn.fetch("SELECT name FROM immich_py_migrations")}
            for name, sql in files:
                if name in done:
                    continue
                async with conn.transaction():
                    await conn.execute(sql)
                    await conn.execute("INSERT INTO immich_py_migrations (name) VALUES ($1)", name)
                log.info("applied migration %s", name)
                applied_now.append(name)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", locks.MIGRATIONS)
    return applied_now
