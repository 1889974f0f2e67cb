"""The web serving contract through the real app: files, precompressed variants, cache headers,
the index.html fallback for deep links (406 for non-HTML clients), /custom.css."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.api.web import IMMUTABLE, accepts_html
from immich.app import create_app
from tests.conftest import make_settings, reset_database, sign_up_and_login

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "web_root"
APP_JS = "_app/immutable/entry/app.3f9a2c1b.js"
FAKE_BROTLI = b"\x0b\x02\x80not-really-brotli"


@pytest.fixture(scope="module")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture web root, plus precompressed siblings and files that must stay private."""
    folder = tmp_path_factory.mktemp("web")
    root = folder / "www"
    shutil.copytree(FIXTURE, root)
    js = (root / APP_JS).read_bytes()
    (root / f"{APP_JS}.gz").write_bytes(gzip.compress(js))
    (root / f"{APP_JS}.br").write_bytes(FAKE_BROTLI)  # only its bytes are compared
    (root / ".env").write_text("SECRET=1\n")
    (folder / "outside.txt").write_text("outside the web root\n")
    return root


@pytest.fixture(scope="module")
async def web_app(db_url: str, media_dir: Path, web_root: Path) -> AsyncIterator[Any]:
    application = create_app(make_settings(db_url, media_dir, IMMICH_WEB_ROOT=str(web_root)))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def web(web_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    await reset_database(web_app.state.ctx.db.pool)
    await web_app.state.ctx.config.load()
    transport = httpx.ASGITransport(app=web_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def raw(client: httpx.AsyncClient, path: str, **headers: str) -> tuple[httpx.Response, bytes]:
    """The answer and its body as sent (no Content-Encoding decoding)."""
    async with client.stream("GET", path, headers=headers) as r:
        body = b"".join([chunk async for chunk in r.aiter_raw()])
    return r, body


async def test_deep_links_answer_index_html(web: httpx.AsyncClient, web_root: Path) -> None:
    index = (web_root / "index.html").read_bytes()
    for path in ("/", "/photos", "/albums/8a5c/photos/1f2e", "/user-settings?isOpen=1", "/x/"):
        r = await web.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert r.status_code == 200, path
        assert r.content == index, path
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert r.headers["cache-control"] == "no-store"
    # the file itself is never cached either
    r = await web.get("/index.html")
    assert r.content == index and r.headers["cache-control"] == "no-store"
    # HEAD: the same headers, no body; a matching ETag: 304
    head = await web.head("/photos")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(index))
    assert head.headers["etag"] == r.headers["etag"]
    r = await web.get("/photos", headers={"If-None-Match": r.headers["etag"]})
    assert r.status_code == 304 and r.content == b""


@pytest.mark.parametrize(
    "accept",
    ["application/json", "image/webp", "text/html;q=0, */*", "text/plain", ""],
)
async def test_non_html_clients_get_406(web: httpx.AsyncClient, accept: str) -> None:
    r = await web.get("/photos?x=1", headers={"Accept": accept})
    assert r.status_code == 406
    assert r.json() == {
        "message": f"The route /photos was requested as {accept}, but only returns text/html"
    }


@pytest.mark.parametrize(
    ("accept", "ok"),
    [
        (None, True),
        ("*/*", True),
        ("text/*", True),
        ("application/json, text/plain, */*", True),  # axios' default
        ("TEXT/HTML;q=0.1", True),
        ("text/html;q=0, text/*", False),  # the most specific range decides
        ("*/*;q=0", False),
        ("text/html;level=1", False),
        ("text/html;q=abc", False),
        ("", False),
    ],
)
def test_accepts_html_as_express(accept: str | None, ok: bool) -> None:
    assert accepts_html(accept) is ok


async def test_cache_headers(web: httpx.AsyncClient) -> None:
    r = await web.get(f"/{APP_JS}")
    assert r.status_code == 200
    assert r.headers["cache-control"] == IMMUTABLE
    assert r.headers["content-type"].startswith("text/javascript")
    r = await web.get("/theme.0f3a9c2e.css")  # our own hashed name
    assert r.headers["cache-control"] == IMMUTABLE
    assert r.headers["content-type"].startswith("text/css")
    r = await web.get("/robots.txt")  # a plain name: revalidated through its ETag
    assert r.status_code == 200 and "cache-control" not in r.headers
    tag = r.headers["etag"]
    r = await web.get("/robots.txt", headers={"If-None-Match": tag})
    assert r.status_code == 304 and r.content == b""
    # ranges, as Starlette's FileResponse serves them
    r = await web.get("/robots.txt", headers={"Range": "bytes=0-3"})
    assert r.status_code == 206 and r.content == b"User"


async def test_precompressed_variants(web: httpx.AsyncClient, web_root: Path) -> None:
    original = (web_root / APP_JS).read_bytes()
    r, body = await raw(web, f"/{APP_JS}", **{"Accept-Encoding": "gzip, deflate, br"})
    assert r.headers["content-encoding"] == "br" and body == FAKE_BROTLI
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.headers["vary"] == "Accept-Encoding"
    assert r.headers["cache-control"] == IMMUTABLE
    r, body = await raw(web, f"/{APP_JS}", **{"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and gzip.decompress(body) == original
    assert r.headers["content-length"] == str(len(body))
    r, body = await raw(web, f"/{APP_JS}", **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in r.headers and body == original
    # a file without a precompressed sibling is sent as it is
    r, body = await raw(web, "/robots.txt", **{"Accept-Encoding": "br, gzip"})
    assert "content-encoding" not in r.headers
    assert body == (web_root / "robots.txt").read_bytes()


async def test_custom_css_follows_the_config(web: httpx.AsyncClient) -> None:
    r = await web.get("/custom.css", headers={"Accept": "text/css,*/*;q=0.1"})
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-type"] == "text/css; charset=utf-8"
    headers = await sign_up_and_login(web)
    config = (await web.get("/api/system-config", headers=headers)).json()
    config["theme"]["customCss"] = "body { background: #123456; }"
    r = await web.put("/api/system-config", json=config, headers=headers)
    assert r.status_code == 200, r.text
    r = await web.get("/custom.css")  # no auth needed, as Immich
    assert r.text == "body { background: #123456; }"
    assert r.headers["content-type"] == "text/css; charset=utf-8"


async def test_api_and_files_are_never_shadowed(web: httpx.AsyncClient, web_root: Path) -> None:
    r = await web.get("/api/server/ping", headers={"Accept": "text/html"})
    assert r.json() == {"res": "pong"}
    for path in ("/api/no-such-thing", "/api", "/apiary", "/favicon.ico", "/custom.css/x"):
        r = await web.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 404, path
        assert r.json() == {"message": f"Cannot GET {path}"}
    r = await web.get("/.well-known/immich", headers={"Accept": "text/html"})
    assert r.json() == {"api": {"endpoint": "/api"}}
    # only GET and HEAD fall back
    r = await web.post("/photos", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.json() == {"message": "Cannot POST /photos"}
    # a real file is served whatever the client accepts
    r = await web.get("/robots.txt", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.content == (web_root / "robots.txt").read_bytes()
    # dotfiles and paths out of the root are never files: the app's page answers them
    index = (web_root / "index.html").read_bytes()
    weird = ("/%00", "/" + "x" * 5000, "/_app/%2e%2e/%2e%2e/outside.txt")
    for path in ("/.env", "/_app/../.env", "/..%2Foutside.txt", "/%2e%2e/outside.txt", *weird):
        r = await web.get(path)
        assert (r.status_code, r.content) == (200, index), path


async def test_without_a_web_app_only_the_api_answers(
    db_url: str, media_dir: Path, tmp_path: Path
) -> None:
    """No index.html in the web root: today's answers, and the stylesheet Immich serves even so."""
    settings = make_settings(db_url, media_dir, IMMICH_WEB_ROOT=str(tmp_path))
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            r = await client.get("/photos", headers={"Accept": "text/html"})
            assert r.status_code == 404 and r.json() == {"message": "Cannot GET /photos"}
            r = await client.get("/custom.css")
            assert r.status_code == 200
            assert r.headers["content-type"] == "text/css; charset=utf-8"
