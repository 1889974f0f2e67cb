"""Browser tests of our web app: Debian's Chromium driven by Playwright (``executable_path``, never a
downloaded browser) against a real ``immich-server`` subprocess (all roles, so uploads get real
thumbnails and live events) on a database of the module's own. One server and one browser per
module; screenshots go to ``test-artifacts/screenshots/<module>/`` (kept, gitignored).

Skipped, saying why, without ``/usr/bin/chromium`` (``apt-get install chromium``) or playwright.
``WEB_TEST_PORT`` picks the server's port (default: a free one).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._server import ROOT, free_port, running_server
from tests.conftest import ADMIN

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"Debian's Chromium is not installed at {CHROMIUM}: apt-get install -y chromium"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = _skip_reason()
    if reason is None:
        return
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="module")
def web_server(pg_server: Any, request: pytest.FixtureRequest) -> Iterator[str]:
    """immich-server serving web/ on a fresh database named after the test module."""
    from immich.db.engine import _ensure_database, _with_database

    _, admin_url = pg_server
    name = "immich_" + re.sub(r"\W", "_", request.module.__name__.rsplit(".", 1)[-1])
    asyncio.run(_ensure_database(admin_url, name))
    folder = Path(tempfile.mkdtemp(prefix="immich-web-"))
    env = {
        "DB_URL": _with_database(admin_url, name),
        "IMMICH_MEDIA_LOCATION": str(folder),
        "IMMICH_WEB_ROOT": str(ROOT / "web"),
        # this checkout's code, even where the venv's editable install points at another one
        "PYTHONPATH": str(ROOT),
    }
    port = int(os.environ.get("WEB_TEST_PORT") or free_port())
    try:
        with running_server(env, port=port) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        launched = await p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture(scope="module")
def shots(request: pytest.FixtureRequest) -> Path:
    """This module's screenshot folder, emptied first."""
    folder: Path = ARTIFACTS / str(request.module.__name__).rsplit(".", 1)[-1]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def admin_token(url: str) -> str:
    """Log the admin in over the API (the browser tests' side channel for checks)."""
    r = httpx.post(f"{url}/api/auth/login", json={k: ADMIN[k] for k in ("email", "password")})
    assert r.status_code == 201, r.text
    return str(r.json()["accessToken"])
