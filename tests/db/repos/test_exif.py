"""``immich.db.repos.exif``: the column list is Immich's table, and unknown columns are refused."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from immich.db.repos import exif as exif_repo
from tests.api.asset_factory import make_asset, user_id


async def test_columns_are_asset_exif_columns(app: Any, client: httpx.AsyncClient) -> None:
    rows = await app.state.ctx.db.pool.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'asset_exif'"
    )
    table = {r["column_name"] for r in rows}
    assert exif_repo.COLUMNS <= table, exif_repo.COLUMNS - table
    # what the job does not write is the repository's bookkeeping
    assert {"assetId", "lockedProperties", "updatedAt", "updateId"} <= table - exif_repo.COLUMNS


async def test_upsert_refuses_unknown_columns(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    asset = await make_asset(pool, await user_id(pool))
    with pytest.raises(ValueError):
        await exif_repo.upsert(pool, asset["id"], {"make": "x", "notAColumn": 1})
    row = await exif_repo.upsert(pool, asset["id"], {"make": "Canon"})
    assert row["make"] == "Canon"
