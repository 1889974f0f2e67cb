"""The share pages (``/share/<key>``, ``/s/<slug>``): Immich's web app's ``index.html`` with
the link's Open Graph tags at the ``<!-- metadata:tags -->`` marker, 404 for no live link."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.app import create_app
from tests.api.asset_factory import make_album, make_asset, user_id
from tests.api.shared_link_helpers import make_link
from tests.conftest import make_settings, reset_database, sign_up_and_login

INDEX = b"<html><head><!-- metadata:tags --></head><body>app</body></html>"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
async def share_app(db_url: str, media_dir: Path, tmp_path_factory: Any) -> AsyncIterator[Any]:
    root = tmp_path_factory.mktemp("share-web")
    (root / "index.html").write_bytes(INDEX)
    application = create_app(make_settings(db_url, media_dir, IMMICH_WEB_ROOT=str(root)))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def web(share_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    await reset_database(share_app.state.ctx.db.pool)
    await share_app.state.ctx.config.load()
    transport = httpx.ASGITransport(app=share_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://photos.test") as c:
        yield c


async def test_album_page_tags(web: httpx.AsyncClient, share_app: Any) -> None:
    pool = share_app.state.ctx.db.pool
    headers = await sign_up_and_login(web)
    me = await user_id(pool)
    a = await make_asset(pool, me)
    b = await make_asset(pool, me)
    album = await make_album(pool, me, [a["id"], b["id"]])
    await pool.execute(
        'UPDATE "album" SET "albumName" = $2, "albumThumbnailAssetId" = $3 WHERE "id" = $1',
        album,
        'Summer <"2024">',
        b["id"],
    )
    link = await make_link(web, headers, albumId=str(album), slug="summer")
    for path in (f"/share/{link['key']}", "/s/summer"):
        r = await web.get(path, headers=HTML)
        assert r.status_code == 200, path
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert r.headers["cache-control"] == "no-store"
        page = r.text
        assert "<!-- metadata:tags -->" not in page and page.endswith("<body>app</body></html>")
        assert '<meta property="og:title" content="Summer &lt;&quot;2024&quot;&gt;" />' in page
        assert '<meta property="og:description" content="2 shared photos &amp; videos" />' in page
        image = f"http://photos.test/api/assets/{b['id']}/thumbnail?key={link['key']}"
        assert f'<meta property="og:image" content="{image}" />' in page
        assert '<meta property="og:type" content="website" />' in page


async def test_individual_page_external_domain_and_description(
    web: httpx.AsyncClient, share_app: Any
) -> None:
    pool = share_app.state.ctx.db.pool
    headers = await sign_up_and_login(web)
    me = await user_id(pool)
    a = await make_asset(pool, me)
    r = await web.put(
        "/api/system-config",
        headers=headers,
        json={
            **(await web.get("/api/system-config", headers=headers)).json(),
            "server": {
                "externalDomain": "https://share.example.org",
                "loginPageMessage": "",
                "publicUsers": True,
            },
        },
    )
    assert r.status_code == 200, r.text
    link = await make_link(web, headers, assetIds=[str(a["id"])], description="Our trip")
    r = await web.get(f"/share/{link['key']}", headers=HTML)
    assert r.status_code == 200
    assert '<meta property="og:title" content="Public Share" />' in r.text
    assert '<meta property="og:description" content="Our trip" />' in r.text
    image = f"https://share.example.org/api/assets/{a['id']}/thumbnail?key={link['key']}"
    assert f'content="{image}"' in r.text
    # the link's URL as the API gives it
    r = await web.get("/api/server/config")
    assert r.json()["externalDomain"] == "https://share.example.org"


async def test_password_unknown_and_expired_pages(web: httpx.AsyncClient, share_app: Any) -> None:
    pool = share_app.state.ctx.db.pool
    headers = await sign_up_and_login(web)
    me = await user_id(pool)
    a = await make_asset(pool, me)
    # a password-protected link's page tells nothing (no tags), still 200
    locked = await make_link(web, headers, assetIds=[str(a["id"])], password="pw")
    r = await web.get(f"/share/{locked['key']}", headers=HTML)
    assert r.status_code == 200 and r.content == INDEX
    # unknown key or slug, expired link: 404 with the page (the web app shows the error)
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    expired = await make_link(web, headers, assetIds=[str(a["id"])], expiresAt=past, slug="old")
    for path in ("/share/unknown-key", "/s/nothing", f"/share/{expired['key']}", "/s/old"):
        r = await web.get(path, headers=HTML)
        assert r.status_code == 404, path
        assert r.content == INDEX, path
        assert r.headers["cache-control"] == "no-store"
    # a client that does not take HTML: Immich's 406
    r = await web.get(f"/share/{locked['key']}", headers={"Accept": "application/json"})
    assert r.status_code == 406
