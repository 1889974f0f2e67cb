"""A real browser (Debian's Chromium, driven by Playwright) against ``immich-server`` serving the
fixture web root over HTTP: a deep link loads the app, its API calls succeed with the session
cookie, the stylesheets (``/custom.css`` from the config, a hashed one) apply, and the gzip
variant of the entry script is what the browser decodes.

Needs ``apt-get install chromium`` (``scripts/setup --dev``) and the ``playwright`` package; never
downloads a browser. Skipped, saying why, when either is missing.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._server import ROOT, running_server
from tests.conftest import ADMIN

CHROMIUM = Path("/usr/bin/chromium")
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "web_root"
APP_JS = "_app/immutable/entry/app.3f9a2c1b.js"
CUSTOM_CSS = "#status { color: rgb(1, 2, 3); }"

if not CHROMIUM.exists():
    pytest.skip(
        f"Debian's Chromium is not installed at {CHROMIUM}: apt-get install -y chromium "
        "(scripts/setup --dev installs it)",
        allow_module_level=True,
    )
async_api = pytest.importorskip(
    "playwright.async_api", reason="playwright is not installed (pip install -e '.[dev]')"
)


@pytest.fixture(scope="module")
def server(pg_server: Any) -> Iterator[str]:
    """immich-server (api role) on a database of its own, serving a copy of the fixture root
    with a gzip sibling of the entry script."""
    from immich.db.engine import _ensure_database, _with_database

    _, admin_url = pg_server
    asyncio.run(_ensure_database(admin_url, "immich_browser"))
    folder = Path(tempfile.mkdtemp(prefix="immich-browser-"))
    root = folder / "www"
    shutil.copytree(FIXTURE, root)
    (root / f"{APP_JS}.gz").write_bytes(gzip.compress((root / APP_JS).read_bytes()))
    (folder / "media").mkdir()
    env = {
        "DB_URL": _with_database(admin_url, "immich_browser"),
        "IMMICH_MEDIA_LOCATION": str(folder / "media"),
        "IMMICH_WEB_ROOT": str(root),
        "IMMICH_ROLES": "api",
        # this checkout's code, even where the venv's editable install points at another one
        "PYTHONPATH": str(ROOT),
    }
    try:
        with running_server(env) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def prepare(url: str) -> None:
    """The admin exists and has a custom stylesheet before the browser comes."""
    with httpx.Client(base_url=url) as c:
        r = c.post("/api/auth/admin-sign-up", json=ADMIN)
        assert r.status_code == 201, r.text
        r = c.post("/api/auth/login", json={k: ADMIN[k] for k in ("email", "password")})
        headers = {"Authorization": f"Bearer {r.json()['accessToken']}"}
        config = c.get("/api/system-config", headers=headers).json()
        config["theme"]["customCss"] = CUSTOM_CSS
        r = c.put("/api/system-config", json=config, headers=headers)
        assert r.status_code == 200, r.text


async def test_deep_link_loads_and_calls_the_api(server: str) -> None:
    await asyncio.to_thread(prepare, server)
    async with async_api.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = await browser.new_page()
            responses: dict[str, Any] = {}
            failed: list[str] = []
            errors: list[str] = []
            page.on("response", lambda r: responses.__setitem__(r.url.removeprefix(server), r))
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))

            first = await page.goto(f"{server}/albums/8a5c/photos?at=1")
            assert first is not None and first.status == 200
            assert (await first.all_headers())["cache-control"] == "no-store"
            await page.wait_for_function(
                "document.getElementById('status').textContent !== 'loading'"
            )
            assert await page.text_content("#status") == "done", errors
            assert await page.text_content("#path") == "/albums/8a5c/photos"
            results = json.loads(await page.text_content("#results") or "{}")
            statuses = {name: result["status"] for name, result in results.items()}
            assert statuses == {
                "wellKnown": 200,
                "ping": 200,
                "login": 201,
                "before": 200,
                "onboard": 204,
                "after": 200,
                "serverConfig": 200,
            }
            assert results["before"]["body"] == {"isOnboarded": False}
            assert results["after"]["body"] == {"isOnboarded": True}
            assert results["serverConfig"]["body"]["isOnboarded"] is True

            # the stylesheets loaded and apply: the config's and the hashed one
            color = await page.eval_on_selector("#status", "e => getComputedStyle(e).color")
            assert color == "rgb(1, 2, 3)"
            font = await page.eval_on_selector("#path", "e => getComputedStyle(e).fontFamily")
            assert font == "monospace"
            css = responses["/custom.css"]
            assert css.status == 200 and (await css.text()) == CUSTOM_CSS
            script = await responses[f"/{APP_JS}"].all_headers()
            assert script["content-encoding"] == "gzip"
            assert script["cache-control"] == "public, max-age=31536000, immutable"
            assert not failed and not errors

            # a reload of the deep link is the same page again
            again = await page.reload()
            assert again is not None and again.status == 200
            await page.wait_for_function("document.getElementById('status').textContent === 'done'")
        finally:
            await browser.close()
