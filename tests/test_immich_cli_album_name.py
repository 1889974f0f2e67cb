"""The official Immich CLI's ``upload --album-name``: every file of every folder goes into one
album of that name; a re-run adds nothing twice, a new file joins the same album."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._server import running_server
from tests.conftest import ADMIN, SHARED
from tests.test_immich_cli import CLI, NODE
from tests.test_immich_cli_upload import cli

META = SHARED / "testdata" / "immich-test-assets" / "metadata"
PICKED = ("rating/mongolels.jpg", "gps-position/thompson-springs.jpg", "faces/portrait.jpg")


@pytest.fixture(scope="module")
def album_name_db_url(pg_server: Any) -> str:
    from immich.db.engine import _ensure_database, _with_database

    _, admin_url = pg_server
    asyncio.run(_ensure_database(admin_url, "immich_cli_album_name"))
    return _with_database(admin_url, "immich_cli_album_name")


def _albums(http: httpx.Client, auth: dict[str, str]) -> dict[str, int]:
    return {a["albumName"]: a["assetCount"] for a in http.get("/api/albums", headers=auth).json()}


def test_cli_album_name_collects_every_folder_once(album_name_db_url: str, tmp_path: Path) -> None:
    if not (NODE.exists() and CLI.exists()):
        pytest.skip("Immich CLI not installed: run scripts/install-immich-cli (scripts/test does)")
    if not all((META / p).is_file() for p in PICKED):
        pytest.skip(f"test media not found in {META}")
    library = tmp_path / "library"
    for picked in PICKED[:2]:  # two folders
        (library / Path(picked).parent).mkdir(parents=True)
        shutil.copy(META / picked, library / picked)
    env = {
        "DB_URL": album_name_db_url,
        "IMMICH_MEDIA_LOCATION": str(tmp_path / "media"),
        "IMMICH_ROLES": "api",
    }
    with running_server(env) as url, httpx.Client(base_url=url) as http:
        assert http.post("/api/auth/admin-sign-up", json=ADMIN).status_code == 201
        token = http.post("/api/auth/login", json=ADMIN).json()["accessToken"]
        http.cookies.clear()
        auth = {"Authorization": f"Bearer {token}"}
        r = http.post("/api/api-keys", json={"name": "cli", "permissions": ["all"]}, headers=auth)
        assert r.status_code == 201, r.text
        cli(tmp_path, "login", f"{url}/api", r.json()["secret"])

        args = ("upload", "--recursive", "--album-name", "Holiday", str(library))
        first = cli(tmp_path, *args).stdout
        assert "Successfully created 1 new album" in first, first
        assert _albums(http, auth) == {"Holiday": 2}

        again = cli(tmp_path, *args).stdout
        assert "Found 0 new files and 2 duplicates" in again, again
        assert _albums(http, auth) == {"Holiday": 2}

        # a new file in a third folder joins the same album, nothing else changes
        (library / "faces").mkdir()
        shutil.copy(META / PICKED[2], library / PICKED[2])
        third = cli(tmp_path, *args).stdout
        assert "Found 1 new files and 2 duplicates" in third, third
        assert _albums(http, auth) == {"Holiday": 3}
        stats = http.get("/api/assets/statistics", headers=auth).json()
        assert stats["total"] == 3
