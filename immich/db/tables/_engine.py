"""The one piccolo engine every Table class is bound to, sharing the process's asyncpg pool.

Table classes are bound to ``ENGINE`` when they are defined (so a query compiles to SQL without a
database), and ``Database.connect`` attaches its pool to it (``attach``); ``Database.close``
detaches it. Tests that open several ``Database`` objects in one process get the most recently
attached pool that is still open for piccolo's own ``.run()`` outside a transaction; inside
``Database.transaction()`` (immich/db/session.py) every piccolo query runs on that transaction's
connection, whichever Database opened it, because the current transaction lives in a context
variable (``ENGINE.current_transaction``), per task.

piccolo's ``Engine.__init__`` connects to check the server version and create extensions: this
engine skips both (the pool already exists, and the migrations create the extensions).
"""

from __future__ import annotations

from typing import Any

import asyncpg
from piccolo.engine.postgres import PostgresEngine


class SharedPoolEngine(PostgresEngine):
    """A PostgresEngine that never opens connections of its own: it uses attached pools."""

    def __init__(self) -> None:
        self._pools: list[asyncpg.Pool[Any]] = []
        super().__init__(config={"database": "immich"}, log_queries=False)

    @property
    def pool(self) -> asyncpg.Pool[Any] | None:
        """The latest attached pool that is not closing (a test may close a pool directly)."""
        pools: list[asyncpg.Pool[Any]] = self._pools
        return next((p for p in reversed(pools) if not p.is_closing()), None)

    @pool.setter
    def pool(self, value: asyncpg.Pool[Any] | None) -> None:
        if value is not None:  # piccolo's __init__ sets None: nothing attached yet
            self.attach(value)

    async def check_version(self) -> None:  # the migrations require a recent PostgreSQL
        return None

    async def prep_database(self) -> None:  # the migrations create the extensions
        return None

    def attach(self, pool: asyncpg.Pool[Any]) -> None:
        """Use ``pool`` for piccolo queries run outside a transaction (the latest wins)."""
        self._pools.append(pool)

    def detach(self, pool: asyncpg.Pool[Any]) -> None:
        """Stop using ``pool`` (it is closing); fall back to the previous one still attached."""
        self._pools = [p for p in self._pools if p is not pool]


ENGINE = SharedPoolEngine()
