"""SystemConfigService: defaults from plugins, file override, stored diff, reload across replicas."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from immich.api.system_config import check_core
from immich.context import AppContext
from immich.db.engine import Database
from immich.db.repos import system_metadata
from immich.errors import BadRequest, ValidationFailed
from immich.plugins import hookimpl, make_manager
from immich.services import _config_merge as cm
from immich.services._config_defaults import DEFAULTS
from immich.services.system_config import (
    CONFIG_KEY,
    ConfigError,
    SystemConfigService,
    build_defaults,
    notify_changed,
)
from tests.conftest import make_settings
from tests.jobs.conftest import eventually

ROOT = Path(__file__).resolve().parents[2]
Factory = Callable[..., Awaitable[SystemConfigService]]


class Section:
    """A toy plugin adding one config section."""

    def __init__(self, name: str) -> None:
        self.name = name

    @hookimpl
    def register_config_defaults(self) -> dict[str, Any]:
        return {self.name: {"enabled": False, "limit": 10}}


def make_ctx(db_url: str, media: Path, plugins: Any = (), **env: str) -> AppContext:
    settings = make_settings(db_url, media, **env)
    pm = make_manager(settings.plugins, settings.plugins_skip, plugins)
    return AppContext(settings=settings, pm=pm)


@pytest.fixture
async def services(app: Any, db_url: str, media_dir: Path) -> AsyncIterator[Factory]:
    """Make services (each its own process context and pool) on the test database."""
    pool = app.state.ctx.db.pool  # the session app ran the migrations
    await system_metadata.delete(pool, CONFIG_KEY)
    made: list[AppContext] = []

    async def factory(plugins: Any = (), start: bool = True, **env: str) -> SystemConfigService:
        ctx = make_ctx(db_url, media_dir, plugins, **env)
        ctx.db = await Database.connect(ctx.settings)
        made.append(ctx)
        ctx.config = SystemConfigService(ctx, check_core=check_core)
        if start:
            await ctx.config.start()
        return ctx.config

    yield factory
    for ctx in made:
        await ctx.config.stop()
        await ctx.db.close()
    await system_metadata.delete(pool, CONFIG_KEY)
    await app.state.ctx.config.load()


def test_hook_register_config_defaults(db_url: str, media_dir: Path) -> None:
    defaults = build_defaults(make_ctx(db_url, media_dir, [("a", Section("alpha"))]))
    assert defaults["alpha"] == {"enabled": False, "limit": 10}
    assert defaults["trash"] == DEFAULTS["trash"]
    ctx = make_ctx(db_url, media_dir, [("a", Section("alpha")), ("b", Section("alpha"))])
    with pytest.raises(ConfigError, match="'alpha' is defined twice: by plugin '.' and by plugin"):
        build_defaults(ctx)
    with pytest.raises(
        ConfigError, match="'trash' is defined twice: by the core and by plugin 'c'"
    ):
        build_defaults(make_ctx(db_url, media_dir, [("c", Section("trash"))]))


def test_merge_and_diff_follow_immich() -> None:
    defaults: dict[str, Any] = {"a": {"b": 1, "c": "x", "d": [1, 2]}, "e": None}
    config = cm.merge(defaults, {"a": {"b": 2, "d": [3]}})
    assert config == {"a": {"b": 2, "c": "x", "d": [3]}, "e": None}
    assert defaults["a"]["b"] == 1  # not modified
    assert cm.diff(config, defaults) == {"a": {"b": 2, "d": [3]}}
    # empty values fall back to the default, as in Immich
    assert cm.diff({"a": {"b": 1, "c": "", "d": [1, 2]}, "e": None}, defaults) == {}
    assert cm.unknown({"a": {"zz": 1}, "q": {"r": 2}}, defaults) == ["a.zz", "q.r"]
    assert cm.prune({"a": {"zz": 1, "b": 5}, "q": 1}, defaults) == {"a": {"b": 5}}


async def test_update_stores_diff_and_patch_keeps_the_rest(services: Factory, app: Any) -> None:
    service = await services()
    changed: list[dict[str, Any]] = []
    unsubscribe = service.on_change(changed.append)
    config = await service.update({"trash": {"days": 5}})
    assert config["trash"] == {"enabled": True, "days": 5} and config["user"]["deleteDelay"] == 7
    assert await system_metadata.get(app.state.ctx.db.pool, CONFIG_KEY) == {"trash": {"days": 5}}
    assert len(changed) == 1 and changed[0]["trash"]["days"] == 5
    await service.update({"trash": {"days": 5}})  # no change: no callback
    assert len(changed) == 1
    unsubscribe()
    await service.update({"trash": {"days": 30}})
    assert len(changed) == 1
    assert await system_metadata.get(app.state.ctx.db.pool, CONFIG_KEY) == {}


async def test_update_rejects_invalid_values_and_rules(services: Factory) -> None:
    service = await services()
    with pytest.raises(ValidationFailed) as err:
        await service.update({"job": {"ocr": {"concurrency": -1}}, "logging": {"level": "loud"}})
    assert [e["path"] for e in err.value.errors] == [
        ["job", "ocr", "concurrency"],
        ["logging", "level"],
    ]

    def no_odd_days(new: Any, old: Any) -> None:
        if new["trash"]["days"] % 2:
            raise ValueError("Trash days must be even")

    service.add_validator(no_odd_days)
    with pytest.raises(BadRequest, match="Trash days must be even"):
        await service.update({"trash": {"days": 3}})
    with pytest.raises(BadRequest, match="Invalid cron expression 61 \\* \\* \\* \\*"):
        await service.update({"backup": {"database": {"cronExpression": "61 * * * *"}}})
    assert service.get()["trash"]["days"] == 30


async def test_failing_callback_does_not_break_update(
    services: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    service = await services()
    calls: list[int] = []

    def broken(config: dict[str, Any]) -> None:
        raise RuntimeError("boom")

    async def fine(config: dict[str, Any]) -> None:
        calls.append(config["user"]["deleteDelay"])

    service.on_change(broken)
    service.on_change(fine)
    with caplog.at_level(logging.ERROR):
        await service.update({"user": {"deleteDelay": 2}})
    assert calls == [2]
    assert "on_change callback" in caplog.text


async def test_two_replicas_reload_through_notify(services: Factory) -> None:
    a = await services()
    b = await services()
    seen_a: list[int] = []
    seen_b: list[int] = []
    a.on_change(lambda c: seen_a.append(c["job"]["library"]["concurrency"]))

    async def on_b(config: dict[str, Any]) -> None:
        seen_b.append(config["job"]["library"]["concurrency"])

    b.on_change(on_b)
    await a.update({"job": {"library": {"concurrency": 9}}})
    assert await eventually(lambda: seen_b == [9])
    assert b.get()["job"]["library"]["concurrency"] == 9
    await asyncio.sleep(0.2)  # a's own notification does not fire a second time
    assert seen_a == [9]
    # a write made elsewhere (immich-admin) reaches both through notify_changed
    async with a.ctx.db.pool.acquire() as conn, conn.transaction():
        await system_metadata.set(conn, CONFIG_KEY, {"job": {"library": {"concurrency": 2}}})
        await notify_changed(conn)
    assert await eventually(lambda: seen_a == [9, 2] and seen_b == [9, 2])


async def test_listener_reconnects_and_catches_up(services: Factory, app: Any) -> None:
    a = await services()
    b = await services()
    assert b._listener is not None
    listener = b._listener
    conn = listener.conn
    assert conn is not None
    await app.state.ctx.db.pool.execute("SELECT pg_terminate_backend($1)", conn.get_server_pid())
    assert await eventually(lambda: listener.conn is None)
    await a.update({"trash": {"days": 11}})  # while b is disconnected: no notification
    assert await eventually(lambda: b.get()["trash"]["days"] == 11, within=10)
    assert await eventually(lambda: listener.conn not in (None, conn))
    await a.update({"trash": {"days": 12}})
    assert await eventually(lambda: b.get()["trash"]["days"] == 12)


async def test_config_file_partial_and_read_only(services: Factory, tmp_path: Path) -> None:
    path = tmp_path / "config"  # no extension: JSON or YAML by content
    path.write_text('{"user": {"deleteDelay": 3}, "newVersionCheck": {"enabled": false}}')
    service = await services(IMMICH_CONFIG_FILE=str(path))
    assert service.read_only
    assert service.get()["user"] == {"deleteDelay": 3}
    assert service.get()["newVersionCheck"] == {"enabled": False, "channel": "stable"}
    with pytest.raises(BadRequest, match="IMMICH_CONFIG_FILE is in use"):
        await service.update({"user": {"deleteDelay": 4}})
    path.write_text("user:\n  deleteDelay: 4\n")
    assert (await service.load())["user"] == {"deleteDelay": 4}


async def test_example_config_file_is_valid(services: Factory) -> None:
    example = ROOT / "config" / "system-config.example.yaml"
    service = await services(IMMICH_CONFIG_FILE=str(example))
    assert service.get()["job"]["thumbnailGeneration"] == {"concurrency": 4}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "bad.yaml",
            "job:\n  thumbnailGeneration:\n    concurrency: 0\n",
            "job.thumbnailGeneration.concurrency: Too small",
        ),
        (
            "bad.json",
            '{"image": {"preview": {"format": "gif"}}}',
            "image.preview.format: Invalid option",
        ),
        ("bad.json", '{"trash": ', "not valid JSON"),
        ("bad.yaml", "trash: [unclosed\n", "not valid YAML"),
        ("bad.yaml", "- a list\n", "expected an object at the top level"),
        (
            "bad.yaml",
            "library:\n  scan:\n    cronExpression: nope\n",
            "Invalid cron expression nope",
        ),
        ("toy.yaml", "toy:\n  limit: lots\n", "toy.limit: Invalid input: expected number"),
    ],
)
async def test_invalid_config_file_stops_start_up(
    services: Factory, tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        await services([("toy", Section("toy"))], IMMICH_CONFIG_FILE=str(path))
    assert str(path) in str(err.value) and expected in str(err.value)


async def test_unreadable_config_file(services: Factory, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ConfigError, match="IMMICH_CONFIG_FILE .*missing.yaml: cannot read"):
        await services(IMMICH_CONFIG_FILE=str(missing))


async def test_stored_unknown_keys_are_ignored(
    services: Factory, app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    pool = app.state.ctx.db.pool
    await system_metadata.set(pool, CONFIG_KEY, {"trash": {"days": 4, "colour": "red"}})
    with caplog.at_level(logging.WARNING):
        service = await services()
    assert service.get()["trash"] == {"enabled": True, "days": 4}
    assert "trash.colour" in caplog.text


async def test_write_without_notify_is_seen_by_every_read_within_two_seconds(
    client: Any, admin_headers: dict[str, str], app: Any, db_url: str
) -> None:
    """A backup restored with psql sends no NOTIFY: the row's xmin, polled once a second on
    the listen connection, still brings the change to GET /api/system-config."""
    listener = app.state.ctx.config._listener
    assert listener is not None and listener.watch is not None
    listen_conn = listener.conn

    async def delete_delay() -> int:
        r = await client.get("/api/system-config", headers=admin_headers)
        assert r.status_code == 200, r.text
        return int(r.json()["user"]["deleteDelay"])

    assert await delete_delay() == 7
    writer = await asyncpg.connect(db_url)  # plain SQL on its own connection: no pg_notify
    try:
        for value in (3, 4):  # insert, then update the same row
            await writer.execute(
                "INSERT INTO system_metadata (key, value) VALUES ($1, $2::jsonb) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                CONFIG_KEY,
                json.dumps({"user": {"deleteDelay": value}}),
            )
            started = time.monotonic()
            await eventually(lambda v=value: _is(delete_delay(), v), within=2.0)
            assert time.monotonic() - started < 2.0
        await writer.execute("DELETE FROM system_metadata WHERE key = $1", CONFIG_KEY)
        await eventually(lambda: _is(delete_delay(), 7), within=2.0)  # back to the default
    finally:
        await writer.close()
    assert listener.conn is listen_conn  # seen by the watch, not by a reconnect's catch-up


async def _is(value: Awaitable[int], expected: int) -> bool:
    return await value == expected
