"""Live events across replicas: a worker-only ``immich-server`` process makes an upload's
thumbnails, empties a trash and removes a deleted user; a socket.io client of an api-only app
hears of each (``on_upload_success``, ``AssetUploadReadyV2``, ``on_asset_delete``,
``on_user_delete``); a config change on one api replica reaches another's clients
(``on_config_update``) and its config. With the queues and the bus on PostgreSQL (NOTIFY) and
on Redis."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from immich.app import create_app
from immich.events import CHANNEL
from tests._server import ROOT, SERVER, free_port
from tests.api.socket_helpers import connected, served
from tests.api.user_helpers import create_user
from tests.conftest import SHARED, make_settings, sign_up_and_login
from tests.jobs import conftest as job_fixtures

PHOTO = SHARED / "testdata" / "immich-test-assets" / "albums" / "nature" / "el_torcal_rocks.jpg"
# the job tests' fixtures: a real redis-server, the backend under test (postgres, redis)
backend, queue_env, redis_url = job_fixtures.backend, job_fixtures.queue_env, job_fixtures.redis_url
SPEC = json.loads((SHARED / "reference" / "immich-openapi-3.1.0.json").read_text())


@contextlib.contextmanager
def worker_process(env: dict[str, str], log: Path) -> Any:
    """A worker-only immich-server running this checkout's code."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "REDIS_", "IMMICH_"))}
    full["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full.get("PYTHONPATH")]))
    full.update(env, IMMICH_ROLES="worker", IMMICH_PORT=str(free_port()))
    with log.open("w") as out:
        proc = subprocess.Popen([str(SERVER)], env=full, cwd=ROOT, stdout=out, stderr=out)
        try:
            yield proc
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.asynccontextmanager
async def api_app(env: dict[str, str]) -> AsyncIterator[Any]:
    settings = make_settings(env["DB_URL"], Path(env["IMMICH_MEDIA_LOCATION"]), **env)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


def _required(schema: str) -> set[str]:
    return set(SPEC["components"]["schemas"][schema]["required"])


async def test_worker_events_reach_an_api_replica(
    app: Any, db_url: str, tmp_path: Path, queue_env: dict[str, str]
) -> None:
    await job_fixtures.clear_queues(db_url, queue_env.get("REDIS_URL"))
    env = {
        "DB_URL": db_url,
        "IMMICH_MEDIA_LOCATION": str(tmp_path / "media"),
        "IMMICH_PLUGINS_SKIP": "example",
        **queue_env,
    }
    notified: list[str] = []  # what went through PostgreSQL's NOTIFY
    listening = await asyncpg.connect(db_url)
    await listening.add_listener(CHANNEL, lambda *args: notified.append(args[-1]))
    async with api_app({**env, "IMMICH_ROLES": "api"}) as api, served(api) as url:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            admin = await sign_up_and_login(client)
            user = await create_user(client, admin)
            with worker_process(env, tmp_path / "worker.log"):
                async with connected(url, admin) as live:
                    content = PHOTO.read_bytes()
                    r = await client.post(
                        "/api/assets",
                        headers=admin,
                        data={
                            "fileCreatedAt": "2024-05-10T12:00:00.000Z",
                            "fileModifiedAt": "2024-05-10T12:00:00.000Z",
                        },
                        files={"assetData": (PHOTO.name, content, "image/jpeg")},
                    )
                    assert r.status_code == 201, r.text
                    asset_id = r.json()["id"]
                    (answer,) = await live.next("on_upload_success")
                    assert answer["id"] == asset_id and answer["thumbhash"]
                    assert answer["exifInfo"]["exifImageWidth"]
                    assert _required("AssetResponseDto") <= set(answer)
                    (ready,) = await live.next("AssetUploadReadyV2")
                    assert ready["asset"]["id"] == ready["exif"]["assetId"] == asset_id
                    assert set(ready["asset"]) == _required("SyncAssetV2")
                    assert set(ready["exif"]) == _required("SyncAssetExifV1")

                    # emptying the trash runs on the worker (AssetEmptyTrash): its delete
                    # reaches this api replica's client
                    r = await client.request(
                        "DELETE", "/api/assets", headers=admin, json={"ids": [asset_id]}
                    )
                    assert r.status_code == 204, r.text
                    assert await live.next("on_asset_trash") == ([asset_id],)
                    r = await client.post("/api/trash/empty", headers=admin)
                    assert r.status_code == 200 and r.json() == {"count": 1}, r.text
                    assert await live.next("on_asset_delete") == (asset_id,)

                    r = await client.request(
                        "DELETE",
                        f"/api/admin/users/{user['id']}",
                        headers=admin,
                        json={"force": True},
                    )
                    assert r.status_code == 200, r.text
                    assert await live.next("on_user_delete") == (user["id"],)
    await listening.close()
    # one bus at a time: Redis when it is configured, else PostgreSQL
    assert bool(notified) == ("REDIS_URL" not in queue_env)


async def test_config_update_reaches_another_api_replica(
    app: Any, db_url: str, tmp_path: Path, queue_env: dict[str, str]
) -> None:
    """PUT /api/system-config on one api replica: a client of the other hears
    ``on_config_update`` and that replica has already taken the new config."""
    await job_fixtures.clear_queues(db_url, queue_env.get("REDIS_URL"))
    env = {
        "DB_URL": db_url,
        "IMMICH_MEDIA_LOCATION": str(tmp_path / "media"),
        "IMMICH_ROLES": "api",
        **queue_env,
    }
    async with api_app(env) as first, api_app(env) as second, served(second) as url:
        transport = httpx.ASGITransport(app=first)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            admin = await sign_up_and_login(client)
            config = (await client.get("/api/system-config", headers=admin)).json()
            delay = config["user"]["deleteDelay"] + 1
            async with connected(url, admin) as live:
                config["user"]["deleteDelay"] = delay
                r = await client.put("/api/system-config", headers=admin, json=config)
                assert r.status_code == 200, r.text
                assert await live.next("on_config_update") == ()
                for _ in range(100):  # the other replica reloads on the config's own NOTIFY
                    if second.state.ctx.config.get()["user"]["deleteDelay"] == delay:
                        break
                    await asyncio.sleep(0.05)
                assert second.state.ctx.config.get()["user"]["deleteDelay"] == delay
