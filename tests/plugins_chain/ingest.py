"""A running api + worker app with a signed-up owner: the start of the ingest-chain fixtures.

Each test module subclasses ``Ingest`` for its own look-ups and fills ``ids`` with the assets
it adds (key -> asset id).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import httpx
from starlette.applications import Starlette

from immich.context import AppContext
from tests.conftest import sign_up_and_login
from tests.plugins_chain import http, worker_app


@attrs.define
class Ingest:
    app: Starlette
    ctx: AppContext
    client: httpx.AsyncClient
    headers: dict[str, str]
    owner: uuid.UUID
    media: Path
    ids: dict[str, uuid.UUID] = attrs.field(factory=dict)

    @property
    def db(self) -> Any:
        return self.ctx.db.pool

    async def asset(self, key: str) -> Any:
        return await self.db.fetchrow('SELECT * FROM "asset" WHERE "id" = $1', self.ids[key])


IngestT = TypeVar("IngestT", bound=Ingest)


@contextlib.asynccontextmanager
async def ingesting(
    kind: type[IngestT],
    db_url: str,
    media: Path,
    extra: Sequence[tuple[str, object]] = (),
    **env: str,
) -> AsyncIterator[IngestT]:
    """``worker_app`` (``extra`` plugins, ``env`` on top) with a client and a signed-up
    admin, as a ``kind``."""
    async with worker_app(db_url, media, extra, **env) as worker, http(worker) as client:
        headers = await sign_up_and_login(client)
        me = (await client.get("/api/users/me", headers=headers)).json()
        yield kind(worker, worker.state.ctx, client, headers, uuid.UUID(me["id"]), media)
