"""Forward-only migrations: ``migrations/NNNN_name.sql`` applied in order, once each.

Runs under a PostgreSQL advisory lock so replicas starting together migrate once. Each file runs
in its own transaction; the applied names are kept in ``immich_py_migrations``.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import asyncpg

log = logging.getLogger(__name__)

MIGRATION_LOCK_ID = 7_210_001  # advisory lock key shared by every replica


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) of every migration, sorted by name."""
    folder = resources.files("migrations")
    files = sorted(
        (Path(str(entry)).name, entry.read_text())
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )
    return files


async def migrate(pool: asyncpg.Pool) -> list[str]:
    """Apply pending migrations; return the names applied now."""
    applied_now: list[str] = []
    async with pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_ID)
        try:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS immich_py_migrations ("
                " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {r["name"] for r in await conn.fetch("SELECT name FROM immich_py_migrations")}
            for name, sql in migration_files():
                if name in done:
                    continue
                async with conn.transaction():
                    await conn.execute(sql)
                    await conn.execute("INSERT INTO immich_py_migrations (name) VALUES ($1)", name)
                log.info("applied migration %s", name)
                applied_now.append(name)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_ID)
    return applied_now
