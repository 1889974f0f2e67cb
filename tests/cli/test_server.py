"""``immich-server`` as real processes on one media folder: the embedded PostgreSQL has one owner.

A second server on the same folder refuses to start (one line, exit 1) and leaves the first
server's PostgreSQL running; a one-off command shares it; once the first server has stopped,
the folder is free again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests._server import SERVER, free_port, running_server
from tests.conftest import ADMIN

OUR_PREFIXES = ("DB_", "REDIS_", "IMMICH_")


@pytest.fixture
def media() -> Iterator[Path]:
    """Not under pytest's basetemp: when we are root the embedded PostgreSQL runs as another
    user, and a pytest starting meanwhile resets basetemp's parent to mode 0700."""
    folder = Path(tempfile.mkdtemp(prefix="immich-test-cli-"))
    yield folder / "media"
    shutil.rmtree(folder, ignore_errors=True)


def run_server(media: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_PREFIXES)}
    env.update(IMMICH_MEDIA_LOCATION=str(media), IMMICH_HOST="127.0.0.1")
    env["IMMICH_PORT"] = str(free_port())
    return subprocess.run(
        [str(SERVER), *args],
        env=env,
        cwd=media.parent,  # no stray ./.env
        capture_output=True,
        text=True,
        timeout=60,
    )


def postmaster_pid(media: Path) -> int:
    return int((media / "postgres" / "postmaster.pid").read_text().split()[0])


def login(url: str) -> int:
    creds = {"email": ADMIN["email"], "password": ADMIN["password"]}
    return httpx.post(f"{url}/api/auth/login", json=creds, timeout=10).status_code


def test_second_server_on_the_same_media_folder_refuses(media: Path) -> None:
    env = {"IMMICH_MEDIA_LOCATION": str(media)}
    with running_server(env) as url:
        r = httpx.post(f"{url}/api/auth/admin-sign-up", json=ADMIN, timeout=10)
        assert r.status_code == 201, r.text
        pid = postmaster_pid(media)

        second = run_server(media)
        assert second.returncode == 1
        assert second.stdout == ""
        assert second.stderr == f"immich-server: another immich-server is using {media}\n"

        # the first server's PostgreSQL is untouched and still serves it
        assert psutil.pid_exists(pid) and postmaster_pid(media) == pid
        assert login(url) == 201

        # a one-off command shares it and leaves it running
        migrate = run_server(media, "migrate")
        assert migrate.returncode == 0, migrate.stderr
        assert migrate.stdout.startswith("applied 0 migration(s)")
        assert postmaster_pid(media) == pid and login(url) == 201

    assert not (media / "postgres" / "postmaster.pid").exists()  # the owner stopped it
    with running_server(env) as url:  # the folder is free again; the data is still there
        assert login(url) == 201
