"""Our own web app (``web/``, the default web root) without a build step: hashed names for its
modules with a year's cache, an import map in ``index.html`` that points each plain module URL at
its hashed one, new hashes when a file changes, and 404 (not ``index.html``) for a stale name."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.api import web_assets
from immich.api.web import IMMUTABLE
from immich.app import create_app
from tests.conftest import make_settings

WEB = Path(__file__).resolve().parents[2] / "web"


@pytest.fixture(scope="module")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of web/, so a test may edit a file."""
    root = tmp_path_factory.mktemp("web") / "web"
    shutil.copytree(WEB, root)
    return root


@pytest.fixture(scope="module")
async def web_app(db_url: str, media_dir: Path, web_root: Path) -> AsyncIterator[Any]:
    application = create_app(make_settings(db_url, media_dir, IMMICH_WEB_ROOT=str(web_root)))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def web(web_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=web_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


def import_map(index: str) -> dict[str, str]:
    found = re.search(r'<script type="importmap">(.*?)</script>', index, re.S)
    assert found, index
    imports: dict[str, str] = json.loads(found.group(1))["imports"]
    return imports


async def test_index_maps_every_module_to_a_hashed_immutable_url(
    web: httpx.AsyncClient, web_root: Path
) -> None:
    r = await web.get("/photos/abc", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    imports = import_map(r.text)
    modules = sorted(
        "/" + p.relative_to(web_root).as_posix()
        for folder in ("app", "vendor")
        for p in (web_root / folder).rglob("*.js")
    )
    assert sorted(imports) == modules and "/app/main.js" in imports
    # the entry script and the stylesheet are named by their hashed URLs in the page itself
    assert f'src="{imports["/app/main.js"]}"' in r.text
    assert re.search(r'href="/app/style\.[0-9a-f]{10}\.css"', r.text)
    assert "<!-- importmap -->" not in r.text
    # the shell and the landing screen are preloaded; other screens wait until opened
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', r.text))
    assert {imports["/app/main.js"], imports["/app/views/timeline.js"]} <= preloaded
    assert imports["/app/views/viewer.js"] not in preloaded
    for plain, hashed in imports.items():
        assert re.fullmatch(re.escape(plain[:-3]) + r"\.[0-9a-f]{10}\.js", hashed)
        got = await web.get(hashed)
        assert got.status_code == 200, hashed
        assert got.headers["cache-control"] == IMMUTABLE
        assert got.headers["content-type"].startswith("text/javascript")
        assert got.content == (web_root / plain.lstrip("/")).read_bytes()
    # the plain URL still answers, revalidated rather than cached for a year
    unhashed = await web.get("/app/main.js")
    assert unhashed.status_code == 200 and "immutable" not in unhashed.headers.get(
        "cache-control", ""
    )


async def test_a_changed_file_gets_a_new_hash_and_the_old_one_404s(
    web: httpx.AsyncClient, web_root: Path
) -> None:
    before = import_map((await web.get("/")).text)["/app/dom.js"]
    path = web_root / "app" / "dom.js"
    path.write_text(path.read_text() + "\n// changed\n")
    after = import_map((await web.get("/")).text)["/app/dom.js"]
    assert after != before
    r = await web.get(after)
    assert r.status_code == 200 and r.text.endswith("// changed\n")
    stale = await web.get(before, headers={"Accept": "*/*"})
    assert stale.status_code == 404
    missing = await web.get("/app/no-such-module.js", headers={"Accept": "text/html"})
    assert missing.status_code == 404


async def test_the_default_web_root_is_our_app(client: httpx.AsyncClient) -> None:
    """With no IMMICH_WEB_ROOT, a browser opening the server gets web/index.html."""
    r = await client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and '<script type="importmap">' in r.text


def test_made_up_hashed_names_rewalk_the_folders_at_most_once_a_second(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "a.js").write_text("export {};\n")
    manifest = web_assets.Manifest(tmp_path)
    walks = 0
    real = manifest.refresh

    def counted() -> bool:
        nonlocal walks
        walks += 1
        return real()

    manifest.refresh = counted  # type: ignore[method-assign]
    for i in range(50):
        assert manifest.lookup(f"/app/a.{i:010x}.js") is None
    assert walks == 1
