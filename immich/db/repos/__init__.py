"""Repositories: all SQL lives here, one module per table (or close family of tables)."""

from typing import Any, TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

Row: TypeAlias = asyncpg.Record
Conn: TypeAlias = "asyncpg.Pool[Any] | asyncpg.Connection[Any] | PoolConnectionProxy[Any]"
