"""/api/system-config through the real app and database."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.app import create_app
from immich.db.repos import system_metadata, users
from immich.plugins import hookimpl
from immich.services.auth import hash_password
from tests.conftest import SHARED, make_settings

REFERENCE = json.loads((SHARED / "reference" / "immich-openapi-3.1.0.json").read_text())
SCHEMAS = REFERENCE["components"]["schemas"]
FILE_IN_USE = {"message": "Cannot update configuration while IMMICH_CONFIG_FILE is in use"}
ENDPOINTS = (
    ("GET", "/api/system-config"),
    ("PUT", "/api/system-config"),
    ("GET", "/api/system-config/defaults"),
    ("GET", "/api/system-config/storage-template-options"),
)


@asynccontextmanager
async def other_app(
    db_url: str, media: Path, plugins: list[tuple[str, object]] | None = None, **env: str
) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    """A second process on the same database (another replica)."""
    app = create_app(make_settings(db_url, media, **env), extra_plugins=plugins or [])
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield app, c


async def stored(app: Any) -> Any:
    return await system_metadata.get(app.state.ctx.db.pool, "system-config")


async def eventually(check: Callable[[], bool], within: float = 5.0) -> bool:
    for _ in range(int(within / 0.05)):
        if check():
            return True
        await asyncio.sleep(0.05)
    return check()


def required_paths(schema_name: str, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every required leaf path of a reference schema."""
    schema = SCHEMAS[schema_name]
    out: set[tuple[str, ...]] = set()
    for name in schema.get("required", []):
        prop = schema["properties"][name]
        ref = prop.get("$ref", "").rsplit("/", 1)[-1]
        if ref and "properties" in SCHEMAS[ref]:
            out |= required_paths(ref, (*prefix, name))
        else:
            out.add((*prefix, name))
    return out


def leaf_paths(tree: dict[str, Any], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for key, value in tree.items():
        if isinstance(value, dict):
            out |= leaf_paths(value, (*prefix, key))
        else:
            out.add((*prefix, key))
    return out


async def test_get_config_is_immich_defaults(client: httpx.AsyncClient, admin_headers: Any) -> None:
    r = await client.get("/api/system-config", headers=admin_headers)
    assert r.status_code == 200
    config = r.json()
    assert leaf_paths(config) >= required_paths("SystemConfigDto")
    assert config["image"]["preview"] == {
        "format": "jpeg",
        "size": 1440,
        "quality": 80,
        "progressive": False,
    }
    assert config["image"]["thumbnail"]["size"] == 250
    assert config["image"]["thumbnail"]["format"] == "webp"
    assert config["trash"] == {"enabled": True, "days": 30}
    assert config["user"] == {"deleteDelay": 7}
    assert config["passwordLogin"] == {"enabled": True}
    assert {k: v["concurrency"] for k, v in config["job"].items()} == {
        "thumbnailGeneration": 3,
        "metadataExtraction": 5,
        "videoConversion": 1,
        "smartSearch": 2,
        "faceDetection": 2,
        "backgroundTask": 5,
        "library": 5,
        "migration": 5,
        "search": 5,
        "sidecar": 5,
        "notifications": 5,
        "ocr": 1,
        "editor": 2,
        "workflow": 5,
        "integrityCheck": 1,
    }
    assert config["storageTemplate"]["template"] == "{{y}}/{{y}}-{{MM}}-{{dd}}/{{filename}}"
    assert config["notifications"]["smtp"]["from"] == ""
    assert config["metadata"]["faces"] == {"import": False}
    r = await client.get("/api/system-config/defaults", headers=admin_headers)
    assert r.status_code == 200 and r.json() == config


async def test_storage_template_options(client: httpx.AsyncClient, admin_headers: Any) -> None:
    r = await client.get("/api/system-config/storage-template-options", headers=admin_headers)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == set(SCHEMAS["SystemConfigTemplateStorageOptionDto"]["required"])
    assert body["yearOptions"] == ["y", "yy"]
    assert "{{y}}/{{y}}-{{MM}}-{{dd}}/{{filename}}" in body["presetOptions"]


async def test_auth_required_and_admin_only(client: httpx.AsyncClient, admin_headers: Any) -> None:
    pool = client._transport.app.state.ctx.db.pool  # type: ignore[attr-defined]
    await users.create(
        pool,
        {
            "email": "user@example.com",
            "name": "User",
            "password": await hash_password("user-password"),
            "isAdmin": False,
        },
    )
    r = await client.post(
        "/api/auth/login", json={"email": "user@example.com", "password": "user-password"}
    )
    client.cookies.clear()
    user_headers = {"Authorization": f"Bearer {r.json()['accessToken']}"}
    defaults = (await client.get("/api/system-config/defaults", headers=admin_headers)).json()
    for method, url in ENDPOINTS:
        body = defaults if method == "PUT" else None
        r = await client.request(method, url, json=body)
        assert r.status_code == 401, url
        assert r.json() == {"message": "Authentication required"}
        r = await client.request(method, url, json=body, headers=user_headers)
        assert r.status_code == 403, url
        assert set(r.json()) == {"message"}


async def test_update_stores_only_the_difference(
    client: httpx.AsyncClient, admin_headers: Any
) -> None:
    app = client._transport.app  # type: ignore[attr-defined]
    config = (await client.get("/api/system-config", headers=admin_headers)).json()
    config["trash"]["days"] = 10
    config["job"]["thumbnailGeneration"]["concurrency"] = 7
    config["oauth"]["defaultStorageQuota"] = 5
    config["notifications"]["smtp"]["from"] = "photos@example.com"
    r = await client.put("/api/system-config", json=config, headers=admin_headers)
    assert r.status_code == 200
    assert r.json() == config
    assert await stored(app) == {
        "trash": {"days": 10},
        "job": {"thumbnailGeneration": {"concurrency": 7}},
        "oauth": {"defaultStorageQuota": 5},
        "notifications": {"smtp": {"from": "photos@example.com"}},
    }
    r = await client.get("/api/system-config", headers=admin_headers)
    assert r.json() == config
    assert app.state.ctx.config.get()["user"]["deleteDelay"] == 7


async def test_reset_to_defaults_empties_the_stored_diff(
    client: httpx.AsyncClient, admin_headers: Any
) -> None:
    app = client._transport.app  # type: ignore[attr-defined]
    defaults = (await client.get("/api/system-config/defaults", headers=admin_headers)).json()
    changed = copy.deepcopy(defaults)
    changed["user"]["deleteDelay"] = 3
    r = await client.put("/api/system-config", json=changed, headers=admin_headers)
    assert r.status_code == 200 and await stored(app) == {"user": {"deleteDelay": 3}}
    r = await client.put("/api/system-config", json=defaults, headers=admin_headers)
    assert r.status_code == 200 and r.json() == defaults
    assert await stored(app) == {}
    assert (await client.get("/api/system-config", headers=admin_headers)).json() == defaults


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("trash", "days"), "ten", "Invalid input: expected number, received string"),
        (("job", "thumbnailGeneration", "concurrency"), 0, "Too small: expected number to be >=1"),
        (("ffmpeg", "crf"), 52, "Too big: expected number to be <=51"),
        (("image", "preview", "format"), "gif", 'expected one of "jpeg"|"webp"'),
        (("passwordLogin", "enabled"), "yes", "expected boolean, received string"),
        (("nightlyTasks", "startTime"), "25:00", "must match pattern"),
        (("map", "lightStyle"), "not a url", "Invalid URL"),
        (("machineLearning", "urls"), [], "Too small: expected array"),
        (("ffmpeg", "realtime", "resolutions"), [720, 333], "Invalid option"),
        (("user",), None, "expected object, received null"),
    ],
)
async def test_invalid_values_name_the_field(
    client: httpx.AsyncClient,
    admin_headers: Any,
    path: tuple[str, ...],
    value: Any,
    message: str,
) -> None:
    app = client._transport.app  # type: ignore[attr-defined]
    config = (await client.get("/api/system-config", headers=admin_headers)).json()
    target = config
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    r = await client.put("/api/system-config", json=config, headers=admin_headers)
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"message", "errors"} and body["message"] == "Validation failed"
    expected = list(path) + ([1] if path[-1] == "resolutions" else [])
    assert [e["path"] for e in body["errors"]] == [expected]
    assert message in body["errors"][0]["message"]
    assert await stored(app) is None


async def test_missing_section_and_bad_cron(client: httpx.AsyncClient, admin_headers: Any) -> None:
    config = (await client.get("/api/system-config", headers=admin_headers)).json()
    partial = {k: v for k, v in config.items() if k != "trash"}
    r = await client.put("/api/system-config", json=partial, headers=admin_headers)
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["trash"]
    config["library"]["scan"]["cronExpression"] = "every tuesday"
    r = await client.put("/api/system-config", json=config, headers=admin_headers)
    assert r.status_code == 400
    assert r.json() == {"message": "Invalid cron expression every tuesday"}
    config["library"]["scan"]["cronExpression"] = "*/5 * * * *"
    r = await client.put("/api/system-config", json=config, headers=admin_headers)
    assert r.status_code == 200


async def test_normalised_like_immich(client: httpx.AsyncClient, admin_headers: Any) -> None:
    config = (await client.get("/api/system-config", headers=admin_headers)).json()
    config["server"]["externalDomain"] = "https://photos.example.com/share/x"
    config["ffmpeg"]["targetVideoCodec"] = "hevc"
    r = await client.put("/api/system-config", json=config, headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["server"]["externalDomain"] == "https://photos.example.com"
    assert r.json()["ffmpeg"]["acceptedVideoCodecs"] == ["h264", "hevc"]


async def test_password_login_disabled_blocks_login(
    client: httpx.AsyncClient, admin_headers: Any
) -> None:
    config = (await client.get("/api/system-config", headers=admin_headers)).json()
    config["passwordLogin"]["enabled"] = False
    r = await client.put("/api/system-config", json=config, headers=admin_headers)
    assert r.status_code == 200
    credentials = {"email": "admin@example.com", "password": "admin-password"}
    r = await client.post("/api/auth/login", json=credentials)
    assert r.status_code == 401
    # existing sessions keep working; turning it back on allows logins again
    config["passwordLogin"]["enabled"] = True
    r = await client.put("/api/system-config", json=config, headers=admin_headers)
    assert r.status_code == 200
    r = await client.post("/api/auth/login", json=credentials)
    assert r.status_code == 201


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
async def test_config_file_overrides_and_blocks_put(
    client: httpx.AsyncClient,
    admin_headers: Any,
    db_url: str,
    media_dir: Path,
    tmp_path: Path,
    suffix: str,
) -> None:
    partial = {"trash": {"days": 2}, "job": {"smartSearch": {"concurrency": 4}}}
    path = tmp_path / f"immich{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(partial))
    else:
        path.write_text("trash:\n  days: 2\njob:\n  smartSearch:\n    concurrency: 4\n")
    async with other_app(db_url, media_dir, IMMICH_CONFIG_FILE=str(path)) as (_, other):
        r = await other.get("/api/system-config", headers=admin_headers)
        assert r.status_code == 200
        config = r.json()
        assert config["trash"] == {"enabled": True, "days": 2}
        assert config["job"]["smartSearch"] == {"concurrency": 4}
        assert config["job"]["search"] == {"concurrency": 5}
        r = await other.put("/api/system-config", json=config, headers=admin_headers)
        assert r.status_code == 400 and r.json() == FILE_IN_USE


class ToyPlugin:
    @hookimpl
    def register_config_defaults(self) -> dict[str, Any]:
        return {"toy": {"enabled": True, "level": 3, "nested": {"name": "x"}}}


async def test_plugin_section(
    client: httpx.AsyncClient, admin_headers: Any, db_url: str, media_dir: Path
) -> None:
    async with other_app(db_url, media_dir, [("toy", ToyPlugin())]) as (app, other):
        defaults = (await other.get("/api/system-config/defaults", headers=admin_headers)).json()
        assert defaults["toy"] == {"enabled": True, "level": 3, "nested": {"name": "x"}}
        config = (await other.get("/api/system-config", headers=admin_headers)).json()
        assert config["toy"] == defaults["toy"]
        config["toy"]["level"] = 5
        config["toy"]["nested"]["name"] = "y"
        r = await other.put("/api/system-config", json=config, headers=admin_headers)
        assert r.status_code == 200 and r.json()["toy"]["level"] == 5
        assert await stored(app) == {"toy": {"level": 5, "nested": {"name": "y"}}}
        config["toy"]["enabled"] = "yes"
        r = await other.put("/api/system-config", json=config, headers=admin_headers)
        assert r.status_code == 400
        assert r.json()["errors"] == [
            {
                "path": ["toy", "enabled"],
                "message": "Invalid input: expected boolean, received string",
            }
        ]
        # a replica without the plugin keeps the section's stored values when it saves
        main = client._transport.app  # type: ignore[attr-defined]
        base = (await client.get("/api/system-config", headers=admin_headers)).json()
        assert "toy" not in base
        base["trash"]["days"] = 9
        r = await client.put("/api/system-config", json=base, headers=admin_headers)
        assert r.status_code == 200
        assert await stored(main) == {
            "trash": {"days": 9},
            "toy": {"level": 5, "nested": {"name": "y"}},
        }


async def test_change_reaches_other_replica(
    client: httpx.AsyncClient, admin_headers: Any, db_url: str, media_dir: Path
) -> None:
    async with other_app(db_url, media_dir) as (app, other):
        seen: list[int] = []

        async def record(config: dict[str, Any]) -> None:
            seen.append(config["job"]["videoConversion"]["concurrency"])

        app.state.ctx.config.on_change(record)
        config = (await client.get("/api/system-config", headers=admin_headers)).json()
        config["job"]["videoConversion"]["concurrency"] = 4
        r = await client.put("/api/system-config", json=config, headers=admin_headers)
        assert r.status_code == 200
        assert await eventually(lambda: seen == [4])
        r = await other.get("/api/system-config", headers=admin_headers)
        assert r.json()["job"]["videoConversion"] == {"concurrency": 4}
