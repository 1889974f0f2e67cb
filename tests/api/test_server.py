"""/api/server/* and /.well-known/immich: answers, auth, admin-only, permissions."""

from __future__ import annotations

import datetime as dt
import platform
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
import pyvips

from immich.api.server import as_human_readable, features, version_numbers
from immich.context import AppContext
from immich.db.repos import api_keys, system_metadata, users
from immich.services import auth as auth_service
from immich.services import server_info
from immich.services.system_config import CONFIG_KEY
from tests.api.asset_factory import make_asset
from tests.api.license_helpers import SERVER_KEY, USER_KEY, sign, use_test_keys

HUMAN = re.compile(r"^\d+(\.\d)? (B|KiB|MiB|GiB|TiB|PiB|EiB)$")


async def _user_headers(
    app: Any, client: httpx.AsyncClient, email: str
) -> tuple[Any, dict[str, str]]:
    """A non-admin user (created in the database) and its bearer headers."""
    password = "user-password"
    row = await users.create(
        app.state.ctx.db.pool,
        {
            "email": email,
            "name": email.split("@")[0],
            "password": await auth_service.hash_password(password),
            "shouldChangePassword": False,
        },
    )
    r = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert r.status_code == 201, r.text
    client.cookies.clear()
    return row, {"Authorization": f"Bearer {r.json()['accessToken']}"}


async def test_ping_needs_no_auth(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/server/ping")
    assert r.status_code == 200
    assert r.json() == {"res": "pong"}


async def test_well_known_points_at_api(client: httpx.AsyncClient) -> None:
    r = await client.get("/.well-known/immich")
    assert r.status_code == 200
    assert r.json() == {"api": {"endpoint": "/api"}}


async def test_version_is_immich_3_1(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/server/version")
    assert r.status_code == 200
    assert r.json() == {"major": 3, "minor": 1, "patch": 0, "prerelease": None}
    assert version_numbers("3.2.1-rc.4") == (3, 2, 1, 4)


async def test_version_history_records_the_version_once(client: httpx.AsyncClient) -> None:
    first = (await client.get("/api/server/version-history")).json()
    second = (await client.get("/api/server/version-history")).json()
    assert len(first) == 1
    assert first == second
    assert first[0]["version"] == "3.1.0"
    assert first[0]["createdAt"].endswith("Z")


async def test_features_follow_password_login(app: Any, client: httpx.AsyncClient) -> None:
    r = await client.get("/api/server/features")
    assert r.status_code == 200
    body = r.json()
    assert len(body) == 16
    assert body["passwordLogin"] is True
    assert body["configFile"] is False
    ctx = app.state.ctx
    await system_metadata.set(ctx.db.pool, CONFIG_KEY, {"passwordLogin": {"enabled": False}})
    await ctx.config.load()
    assert (await client.get("/api/server/features")).json()["passwordLogin"] is False


async def test_features_need_config_and_an_implementation(
    app: Any, client: httpx.AsyncClient
) -> None:
    base = app.state.ctx
    ctx = AppContext(settings=base.settings, pm=base.pm, db=base.db, config=base.config)
    nothing: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    ctx.state["server.capabilities"] = nothing
    assert not any(getattr(features(ctx), name) for name in ("smartSearch", "map", "trash"))
    ctx.state["server.capabilities"] = (
        frozenset({"searchSmart", "getMapMarkers", "emptyTrash"}),
        frozenset({"smartSearch", "facialRecognition"}),
    )
    on = features(ctx)
    assert (on.smartSearch, on.facialRecognition, on.map, on.trash) == (True, True, True, True)
    assert (on.duplicateDetection, on.ocr, on.oauth) == (False, False, False)
    off = {"machineLearning": {"enabled": False}, "trash": {"enabled": False}}
    await system_metadata.set(base.db.pool, CONFIG_KEY, off)
    await base.config.load()
    on = features(ctx)
    assert (on.smartSearch, on.facialRecognition, on.map, on.trash) == (False, False, True, False)


async def test_config_reports_initialised_and_onboarded(
    app: Any, client: httpx.AsyncClient
) -> None:
    before = (await client.get("/api/server/config")).json()
    assert before["isInitialized"] is False
    assert before["isOnboarded"] is False
    assert before["userDeleteDelay"] == 7
    assert before["trashDays"] == 30
    assert before["maintenanceMode"] is False
    r = await client.post(
        "/api/auth/admin-sign-up", json={"email": "a@example.com", "name": "A", "password": "pw"}
    )
    assert r.status_code == 201
    await system_metadata.set(app.state.ctx.db.pool, "admin-onboarding", {"isOnboarded": True})
    after = (await client.get("/api/server/config")).json()
    assert after["isInitialized"] is True
    assert after["isOnboarded"] is True


async def test_media_types_are_immich_extensions(client: httpx.AsyncClient) -> None:
    body = (await client.get("/api/server/media-types")).json()
    assert {".jpg", ".jpeg", ".heic", ".avif", ".jxl", ".dng", ".webp"} <= set(body["image"])
    assert {".mp4", ".mov", ".mkv", ".webm", ".m2ts"} <= set(body["video"])
    assert body["sidecar"] == [".xmp"]
    assert not set(body["image"]) & set(body["video"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/server/about",
        "/api/server/apk-links",
        "/api/server/storage",
        "/api/server/statistics",
        "/api/server/license",
        "/api/server/version-check",
    ],
)
async def test_protected_endpoints_need_auth(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    assert r.status_code == 401
    assert r.json() == {"message": "Authentication required"}


def _installed_exiftool() -> str:
    """``exiftool -ver`` of the exiftool on PATH ("" when there is none), asked directly."""
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        return ""
    done = subprocess.run([exiftool, "-ver"], capture_output=True, text=True, check=True)
    return done.stdout.strip()


async def test_about(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    r = await client.get("/api/server/about", headers=admin_headers)
    assert r.status_code == 200
    body = r.json()
    assert body["version"] == "v3.1.0"
    assert body["versionUrl"].endswith("/releases/tag/v3.1.0")
    assert body["licensed"] is False
    # Immich always reports its tools' versions ("" when unknown); ours are the ones really used
    assert body["exiftool"] == _installed_exiftool()
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", body["ffmpeg"])
    assert body["ffmpeg"] == av.ffmpeg_version_info
    assert body["libvips"] == f"{pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}"
    assert body["imagemagick"] == ""
    assert body["nodejs"] == f"Python {platform.python_version()}"
    # build metadata comes from Immich's image build: unknown here, so absent (as Immich)
    assert set(body) == {
        "exiftool", "ffmpeg", "imagemagick", "libvips", "licensed", "nodejs", "version",
        "versionUrl",
    }  # fmt: skip


async def test_about_asks_exiftool_once_and_survives_its_absence(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = tmp_path / "calls"
    fake = tmp_path / "exiftool"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {calls}\necho 13.01\necho second line\n')
    fake.chmod(0o755)
    monkeypatch.setattr(server_info, "EXIFTOOL", str(fake))
    server_info.forget()
    try:
        for _ in range(3):
            r = await client.get("/api/server/about", headers=admin_headers)
            assert r.status_code == 200 and r.json()["exiftool"] == "13.01"
        assert calls.read_text() == "-ver\n"  # asked once, then remembered
        monkeypatch.setattr(server_info, "EXIFTOOL", str(tmp_path / "missing"))
        server_info.forget()
        r = await client.get("/api/server/about", headers=admin_headers)
        assert r.status_code == 200 and r.json()["exiftool"] == ""
    finally:
        server_info.forget()


async def test_apk_links(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    body = (await client.get("/api/server/apk-links", headers=admin_headers)).json()
    assert set(body) == {"arm64v8a", "armeabiv7a", "universal", "x86_64"}
    assert all("/download/v3.1.0/" in url and url.endswith(".apk") for url in body.values())


async def test_storage_reports_the_media_disk(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    body = (await client.get("/api/server/storage", headers=admin_headers)).json()
    assert body["diskSizeRaw"] > 0
    assert body["diskUseRaw"] <= body["diskSizeRaw"]
    assert 0 <= body["diskAvailableRaw"] <= body["diskSizeRaw"]
    assert 0 <= body["diskUsagePercentage"] <= 100
    for key in ("diskSize", "diskUse", "diskAvailable"):
        assert HUMAN.match(body[key]), body[key]
    assert body["diskSize"] == as_human_readable(body["diskSizeRaw"])


def test_human_readable_sizes_as_immich() -> None:
    assert as_human_readable(0) == "0 B"
    assert as_human_readable(1023) == "1023 B"
    assert as_human_readable(1024) == "1.0 KiB"
    assert as_human_readable(1536) == "1.5 KiB"
    assert as_human_readable(1024**2 - 1) == "1.0 MiB"
    assert as_human_readable(5 * 1024**3 + 1024**3 // 4) == "5.3 GiB"


async def test_statistics_count_assets_per_user(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    admin = await users.get_by_email(pool, "admin@example.com")
    assert admin is not None
    user, _ = await _user_headers(app, client, "user@example.com")
    now = dt.datetime.now(dt.UTC)
    for owner, kind, size, extra in (
        (admin["id"], "IMAGE", 100, {}),
        (admin["id"], "IMAGE", 50, {"visibility": "hidden"}),  # usage, not a photo
        (admin["id"], "VIDEO", 1000, {}),
        (admin["id"], "IMAGE", 7, {"deletedAt": now}),  # trashed
        (user["id"], "IMAGE", 10, {}),
        (user["id"], "IMAGE", 20, {"libraryId": uuid.uuid4()}),  # external: no usage
    ):
        await make_asset(pool, owner, type=kind, exif={"fileSizeInByte": size}, **extra)
    await users.update(pool, user["id"], {"quotaSizeInBytes": 5000})

    r = await client.get("/api/server/statistics", headers=admin_headers)
    assert r.status_code == 200
    body = r.json()
    assert (body["photos"], body["videos"]) == (3, 1)
    assert (body["usage"], body["usagePhotos"], body["usageVideos"]) == (1160, 160, 1000)
    by_user = {u["userName"]: u for u in body["usageByUser"]}
    assert by_user["Admin"] == {
        "photos": 1,
        "quotaSizeInBytes": None,
        "usage": 1150,
        "usagePhotos": 150,
        "usageVideos": 1000,
        "userId": str(admin["id"]),
        "userName": "Admin",
        "videos": 1,
    }
    assert (by_user["user"]["photos"], by_user["user"]["usage"]) == (2, 10)
    assert by_user["user"]["quotaSizeInBytes"] == 5000


async def test_statistics_are_admin_only(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    _, headers = await _user_headers(app, client, "user@example.com")
    r = await client.get("/api/server/statistics", headers=headers)
    assert r.status_code == 403
    assert (await client.get("/api/server/license", headers=headers)).status_code == 403
    assert (await client.get("/api/server/about", headers=headers)).status_code == 200


async def test_api_key_needs_the_permission(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    pool = app.state.ctx.db.pool
    admin = await users.get_by_email(pool, "admin@example.com")
    assert admin is not None
    secret = auth_service.new_secret()
    await api_keys.create(
        pool, admin["id"], "k", auth_service.hash_secret(secret), ["server.about"]
    )
    headers = {"x-api-key": secret}
    assert (await client.get("/api/server/about", headers=headers)).status_code == 200
    r = await client.get("/api/server/storage", headers=headers)
    assert r.status_code == 403
    assert r.json() == {"message": "Missing required permission: server.storage"}


async def test_license_absent_set_and_deleted(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.get("/api/server/license", headers=admin_headers)
    assert r.status_code == 404
    assert r.json() == {"message": "Not Found"}
    stored = {
        "licenseKey": "IMSV-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH",
        "activationKey": "activation",
        "activatedAt": "2025-01-02T03:04:05.678Z",
    }
    await system_metadata.set(app.state.ctx.db.pool, "license", stored)
    r = await client.get("/api/server/license", headers=admin_headers)
    assert r.status_code == 200
    assert r.json() == stored
    about = (await client.get("/api/server/about", headers=admin_headers)).json()
    assert about["licensed"] is True
    r = await client.delete("/api/server/license", headers=admin_headers)
    assert r.status_code == 204
    assert (await client.get("/api/server/license", headers=admin_headers)).status_code == 404


async def test_set_license_checks_the_signature(
    app: Any,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys = use_test_keys(monkeypatch)

    async def put(license_key: str, activation_key: str) -> httpx.Response:
        body = {"licenseKey": license_key, "activationKey": activation_key}
        return await client.put("/api/server/license", headers=admin_headers, json=body)

    r = await put("IMSV-1234", "x")
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["licenseKey"]
    rejected = [
        (SERVER_KEY, "not-a-signature"),
        (SERVER_KEY, sign(keys.stranger, SERVER_KEY)),
        (SERVER_KEY, sign(keys.client, SERVER_KEY)),  # a server key needs the server's signature
        (SERVER_KEY, sign(keys.server, "IMSV" + "-0000" * 8)),  # signs another key
        (USER_KEY, sign(keys.server, USER_KEY)),  # a user's key never licenses the server
    ]
    for license_key, activation_key in rejected:
        r = await put(license_key, activation_key)
        assert r.status_code == 400 and r.json() == {"message": "Invalid license key"}
    assert (await client.get("/api/server/license", headers=admin_headers)).status_code == 404
    activation = sign(keys.server, SERVER_KEY)
    r = await put(SERVER_KEY, activation)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["licenseKey"], body["activationKey"]) == (SERVER_KEY, activation)
    activated = dt.datetime.fromisoformat(body["activatedAt"].replace("Z", "+00:00"))
    assert abs(dt.datetime.now(dt.UTC) - activated) < dt.timedelta(minutes=1)
    assert (await client.get("/api/server/license", headers=admin_headers)).json() == body
    about = (await client.get("/api/server/about", headers=admin_headers)).json()
    assert about["licensed"] is True
    # admin only, and an API key needs serverLicense.update
    _, user = await _user_headers(app, client, "plain@example.com")
    r = await client.put(
        "/api/server/license",
        headers=user,
        json={"licenseKey": SERVER_KEY, "activationKey": activation},
    )
    assert r.status_code == 403
    assert (await client.delete("/api/server/license", headers=admin_headers)).status_code == 204


async def test_version_check_state(
    app: Any, client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    r = await client.get("/api/server/version-check", headers=admin_headers)
    assert r.json() == {"checkedAt": None, "releaseVersion": None}
    state = {"checkedAt": "2025-01-01T00:00:00.000Z", "releaseVersion": "v3.1.1"}
    await system_metadata.set(app.state.ctx.db.pool, "version-check-state", state)
    r = await client.get("/api/server/version-check", headers=admin_headers)
    assert r.json() == state
