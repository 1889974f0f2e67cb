"""The official Immich CLI uploads the shared test library into a real server process, one album
per folder; a second run finds every file a duplicate."""

from __future__ import annotations

import asyncio
import collections
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._server import running_server
from tests.conftest import ADMIN, SHARED
from tests.test_immich_cli import CLI, NODE

LIBRARY = SHARED / "testdata" / "immich-test-assets"
MEDIA_EXTENSIONS = {".jpg", ".jpeg", ".heic", ".avif", ".jxl", ".png", ".webp"}


@pytest.fixture(scope="module")
def upload_db_url(pg_server: Any) -> str:
    from immich.db.engine import _ensure_database, _with_database

    _, admin_url = pg_server
    asyncio.run(_ensure_database(admin_url, "immich_cli_upload"))
    return _with_database(admin_url, "immich_cli_upload")


def cli(config_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(NODE), str(CLI), *args],
        env={
            "IMMICH_CONFIG_DIR": str(config_dir),
            "PATH": "/usr/bin:/bin",
            "HOME": str(config_dir),
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def expected_albums(library: Path) -> dict[str, int]:
    """Files per album as the CLI names them (the folder's name)."""
    counts: collections.Counter[str] = collections.Counter()
    for path in library.rglob("*"):
        if path.is_file() and path.suffix.lower() in MEDIA_EXTENSIONS:
            counts[path.parent.name] += 1
    return dict(counts)


def test_cli_uploads_library_into_albums_then_finds_duplicates(
    upload_db_url: str, tmp_path: Path
) -> None:
    if not (NODE.exists() and CLI.exists()):
        pytest.skip("Immich CLI not installed: run scripts/install-immich-cli (scripts/test does)")
    if not LIBRARY.is_dir():
        pytest.skip(f"test media not found in {LIBRARY}")
    library = tmp_path / "immich-test-assets"
    shutil.copytree(LIBRARY, library)
    albums = expected_albums(library)
    files = sum(albums.values())
    media = tmp_path / "media"
    env = {"DB_URL": upload_db_url, "IMMICH_MEDIA_LOCATION": str(media), "IMMICH_ROLES": "api"}
    with running_server(env) as url, httpx.Client(base_url=url) as http:
        assert http.post("/api/auth/admin-sign-up", json=ADMIN).status_code == 201
        token = http.post("/api/auth/login", json=ADMIN).json()["accessToken"]
        http.cookies.clear()
        auth = {"Authorization": f"Bearer {token}"}
        r = http.post("/api/api-keys", json={"name": "cli", "permissions": ["all"]}, headers=auth)
        assert r.status_code == 201, r.text
        cli(tmp_path, "login", f"{url}/api", r.json()["secret"])

        first = cli(tmp_path, "upload", "--recursive", "--album", str(library)).stdout
        assert f"Found {files} new files and 0 duplicates" in first, first
        unique = len({p.read_bytes() for p in library.rglob("*") if p.suffix in MEDIA_EXTENSIONS})
        assert f"Successfully uploaded {unique} new assets" in first, first
        assert f"Skipped {files - unique} duplicate asset" in first, first
        assert f"Successfully created {len(albums)} new albums" in first, first

        stats = http.get("/api/assets/statistics", headers=auth).json()
        assert stats == {"images": unique, "videos": 0, "total": unique}
        listed = http.get("/api/albums", headers=auth).json()
        assert {a["albumName"]: a["assetCount"] for a in listed} == albums
        stored = [p for p in (media / "upload").rglob("*") if p.is_file() and p.name != ".immich"]
        assert len(stored) == unique

        second = cli(tmp_path, "upload", "--recursive", "--album", str(library)).stdout
        assert f"Found 0 new files and {files} duplicates" in second, second
        assert "All assets were already uploaded, nothing to do." in second, second
        assert "Successfully created 0 new albums" in second, second
        again = http.get("/api/albums", headers=auth).json()
        assert {a["albumName"]: a["assetCount"] for a in again} == albums
        assert http.get("/api/assets/statistics", headers=auth).json() == stats
