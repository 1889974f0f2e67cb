"""Repositories: all SQL lives here, one module per table (or close family of tables)."""

from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

if TYPE_CHECKING:
    from immich.db.session import Tx

Row: TypeAlias = asyncpg.Record
# The pool (autocommit), a connection, or the boundary's transaction handle (immich/db/session.py).
Conn: TypeAlias = "asyncpg.Pool[Any] | asyncpg.Connection[Any] | PoolConnectionProxy[Any] | Tx"
