"""A phone that drops its connection in the middle of ``POST /api/sync/stream`` (a tunnel, a
killed app) must not keep the server's database connection: the stream reads inside its own
transaction on a pooled connection, so a leak would pin one pool slot per aborted sync until
the api stops answering. Against a real ``immich-server`` process with a pool of two."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import asyncpg
import httpx

from tests._server import ROOT, running_server

PORT = 23009
ASSETS = 20_000  # about 12 MB of AssetsV2 + AssetExifsV1 lines: far more than socket buffers
POOL_SIZE = 2
ABORTS = 3 * POOL_SIZE  # more aborted streams than pool slots

# connections in a transaction, other than ours: the stream's snapshot while it runs
BUSY = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL"
)


async def _library(conn: asyncpg.Connection, owner: str) -> None:
    """``ASSETS`` assets with EXIF, in two statements (the factory would take minutes)."""
    await conn.execute(
        """
        INSERT INTO "asset" ("id", "deviceAssetId", "ownerId", "deviceId", "type", "originalPath",
            "originalFileName", "fileCreatedAt", "localDateTime", "fileModifiedAt", "checksum",
            "width", "height")
        SELECT id, id::text, $1::uuid, 'test', 'IMAGE', '/media/upload/' || id || '.jpg',
            'IMG_' || n || '.jpg', t, t, t, decode(md5(id::text), 'hex'), 4000, 3000
        FROM (SELECT gen_random_uuid() AS id, n,
                     timestamp '2024-01-01' + n * interval '1 minute' AS t
              FROM generate_series(1, $2::int) AS n) AS s
        """,
        owner,
        ASSETS,
    )
    await conn.execute(
        'INSERT INTO "asset_exif" ("assetId", "make", "model", "description", "city") '
        "SELECT \"id\", 'Canon', 'EOS R5', repeat('x', 80), 'Lisbon' FROM \"asset\" "
        'WHERE "ownerId" = $1::uuid',
        owner,
    )


async def _wait_busy(conn: asyncpg.Connection, wanted: int, within: float = 15.0) -> int:
    deadline = time.monotonic() + within
    while True:
        busy = int(await conn.fetchval(BUSY))
        if busy == wanted or time.monotonic() > deadline:
            return busy
        await asyncio.sleep(0.1)


async def test_an_aborted_sync_stream_gives_its_connection_back(
    client: httpx.AsyncClient, admin_headers: dict[str, str], db_url: str, tmp_path: Any
) -> None:
    me = (await client.get("/api/users/me", headers=admin_headers)).json()["id"]
    conn = await asyncpg.connect(db_url)
    try:
        env = {
            "DB_URL": db_url,
            "DB_POOL_SIZE": str(POOL_SIZE),
            "IMMICH_ROLES": "api",
            "IMMICH_MEDIA_LOCATION": str(tmp_path / "media"),
            "IMMICH_PLUGINS_SKIP": "example",
            "PYTHONPATH": str(ROOT),
        }
        with running_server(env, port=PORT) as url:
            await _library(conn, me)  # after start-up: an empty media folder with assets is refused
            async with httpx.AsyncClient(base_url=url, headers=admin_headers, timeout=30) as http:
                baseline = await _wait_busy(conn, 0, within=2.0)
                body = {"types": ["AssetsV2", "AssetExifsV1"]}
                for attempt in range(ABORTS):
                    async with http.stream("POST", "/api/sync/stream", json=body) as response:
                        assert response.status_code == 200
                        lines = response.aiter_lines()
                        for _ in range(3):
                            line = json.loads(await anext(lines))
                            assert line["type"] == "AssetV2"
                        if attempt == 0:  # the stream holds its snapshot while it is read
                            assert await _wait_busy(conn, baseline + 1) == baseline + 1
                    # leaving the block closes the connection mid-stream
                    assert await _wait_busy(conn, baseline) == baseline, "connection kept"
                # still healthy: every pool slot free for a full request and a whole stream
                r = await http.get("/api/users/me")
                assert r.status_code == 200 and r.json()["id"] == me
                r = await http.post("/api/sync/stream", json={"types": ["AuthUsersV1"]})
                assert r.status_code == 200
                last = json.loads(r.text.strip().splitlines()[-1])
                assert last["type"] == "SyncCompleteV1"
                r = await http.get("/api/server/ping")
                assert r.json() == {"res": "pong"}
    finally:
        await conn.close()
