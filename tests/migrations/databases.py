"""Scratch databases for migration tests: each test gets its own, dropped afterwards, so no
half-migrated schema reaches the session's shared test database."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import attrs

from immich.db.engine import _ensure_database, _with_database
from immich.db.migrate import CREATE_TABLE


@attrs.frozen
class Scratch:
    url: str
    pool: asyncpg.Pool


@contextlib.asynccontextmanager
async def scratch_database(pg_server: Any, label: str) -> AsyncIterator[Scratch]:
    _, admin_url = pg_server
    name = f"{label}_{uuid.uuid4().hex[:8]}"
    await _ensure_database(admin_url, name)
    url = _with_database(admin_url, name)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        yield Scratch(url, pool)
    finally:
        await pool.close()
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def apply_as_recorded(pool: asyncpg.Pool, files: list[tuple[str, str]]) -> None:
    """Run ``files`` and record them as the runner does: a database made by an older server."""
    async with pool.acquire() as conn:
        await conn.execute(CREATE_TABLE)
        for name, sql in files:
            async with conn.transaction():
                await conn.execute(sql)
                await conn.execute("INSERT INTO immich_py_migrations (name) VALUES ($1)", name)


async def recorded(pool: asyncpg.Pool) -> list[str]:
    rows = await pool.fetch("SELECT name FROM immich_py_migrations ORDER BY name")
    return [r["name"] for r in rows]


async def schema(pool: asyncpg.Pool) -> dict[str, list[tuple[Any, ...]]]:
    """The public schema as the catalog describes it: columns, indexes, constraints, triggers."""
    queries = {
        "columns": """SELECT table_name, column_name, ordinal_position, data_type, is_nullable,
                column_default FROM information_schema.columns WHERE table_schema = 'public'""",
        "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
        "constraints": """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace""",
        "triggers": """SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid)
                FROM pg_trigger WHERE NOT tgisinternal""",
    }
    return {
        kind: sorted(tuple(r.values()) for r in await pool.fetch(sql))
        for kind, sql in queries.items()
    }


async def tables(pool: asyncpg.Pool) -> set[str]:
    rows = await pool.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {r["tablename"] for r in rows}
