"""The albums, sharing and library screens in a real browser (Debian's chromium through
Playwright) against an immich-server subprocess: an album made and filled through the UI, a
password-protected shared link opened logged out, the trash restored, favorites, the locked
folder's PIN. Photos are uploaded through the REST API; screenshots go to
test-artifacts/screenshots/test_web_sharing/."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from immich.db.engine import _ensure_database, _with_database
from tests.conftest import ADMIN, SHARED
from tests.test_process import Server

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PORT = int(os.environ.get("WEB_TEST_PORT") or 23006)
DB_NAME = "immich_web_sharing"
PHOTOS = SHARED / "testdata" / "immich-test-assets" / "albums" / "nature"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "test_web_sharing"
PASSWORD = "open-sesame"
PIN = "123456"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium")


async def _fresh_database(admin_url: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    finally:
        await conn.close()
    await _ensure_database(admin_url, DB_NAME)


class Site:
    """The running server, the admin's token and the uploaded photos' ids."""

    def __init__(self, url: str, token: str, photos: list[str]) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.token = token
        self.photos = photos

    def api(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return httpx.request(
            method, f"{self.url}/api{path}", headers=self.headers, timeout=20, **kw
        )


def _upload(url: str, headers: dict[str, str], file: Path) -> str:
    with file.open("rb") as f:
        r = httpx.post(
            f"{url}/api/assets",
            headers=headers,
            data={
                "deviceAssetId": file.name,
                "deviceId": "test",
                "fileCreatedAt": "2024-05-01T10:00:00.000Z",
                "fileModifiedAt": "2024-05-01T10:00:00.000Z",
            },
            files={"assetData": (file.name, f, "image/jpeg")},
            timeout=30,
        )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.fixture(scope="module")
def site(pg_server: Any) -> Iterator[Site]:
    _, admin_url = pg_server
    asyncio.run(_fresh_database(admin_url))
    folder = Path(tempfile.mkdtemp(prefix="immich-web-sharing-"))
    env = {
        "DB_URL": _with_database(admin_url, DB_NAME),
        "IMMICH_MEDIA_LOCATION": str(folder / "media"),
        "IMMICH_PORT": str(PORT),
        "IMMICH_HOST": "127.0.0.1",
        "IMMICH_PLUGINS_SKIP": "example",
        "IMMICH_WEB_ROOT": str(Path(__file__).resolve().parents[2] / "web"),
    }
    server = Server(env, folder)
    try:
        server.wait_ready()
        r = httpx.post(f"{server.url}/api/auth/admin-sign-up", json=ADMIN, timeout=10)
        assert r.status_code == 201, r.text
        creds = {"email": ADMIN["email"], "password": ADMIN["password"]}
        token = httpx.post(f"{server.url}/api/auth/login", json=creds, timeout=10).json()[
            "accessToken"
        ]
        headers = {"Authorization": f"Bearer {token}"}
        photos = [_upload(server.url, headers, f) for f in sorted(PHOTOS.glob("*.jpg"))[:4]]
        # thumbnails come from the jobs: wait for them so the screenshots show photos
        deadline = time.monotonic() + 30
        for pid in photos:
            while time.monotonic() < deadline:
                t = httpx.get(f"{server.url}/api/assets/{pid}/thumbnail", headers=headers)
                if t.status_code == 200:
                    break
                time.sleep(0.3)
        yield Site(server.url, token, photos)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(site: Site, browser: Any) -> Iterator[Any]:
    """A logged-in page (the login's cookies in a fresh context)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    r = context.request.post(
        f"{site.url}/api/auth/login",
        data={"email": ADMIN["email"], "password": ADMIN["password"]},
    )
    assert r.status == 201
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def tile_ids(page: Any, selector: str = ".al-tile") -> set[str]:
    """The asset ids shown: the grid's ``.thumb`` cells or the asset list's ``.al-tile``."""
    return set(page.eval_on_selector_all(selector, "els => els.map(e => e.dataset.id)"))


def test_album_made_in_the_ui_is_shared_by_a_password_link(
    site: Site, page: Any, browser: Any
) -> None:
    chosen = site.photos[:3]
    page.goto(f"{site.url}/albums")
    page.click("#create-album")
    page.wait_for_url("**/albums/*")
    album_id = page.url.split("/albums/")[1].split("?")[0]
    page.fill("#album-name", "Nature walk")
    page.press("#album-name", "Enter")
    page.fill("#album-description", "Spring flowers")
    page.locator("#album-description").blur()
    page.wait_for_function("document.title.startsWith('Nature walk')")

    page.click("#add-photos")
    dialog = page.locator("dialog.modal")
    for pid in chosen:
        dialog.locator(f'.al-tile[data-id="{pid}"] .al-open').click()
    assert dialog.locator("#add-chosen").inner_text() == "Add 3"
    shot(page, "add-photos")
    dialog.locator("#add-chosen").click()
    page.wait_for_function("document.querySelectorAll('.grid-area .thumb').length === 3")
    assert tile_ids(page, ".grid-area .thumb") == set(chosen)
    album = site.api("GET", f"/albums/{album_id}").json()
    assert album["albumName"] == "Nature walk"
    assert album["description"] == "Spring flowers"
    assert album["assetCount"] == 3
    shot(page, "album")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "album-phone")
    page.set_viewport_size({"width": 1280, "height": 860})

    page.click("#share-link")
    page.fill('dialog.modal input[name="password"]', PASSWORD)
    shot(page, "shared-link-form")
    page.click("#save-link")
    url = page.locator("#shared-link-url").input_value()
    assert "/share/" in url
    page.locator("dialog.modal button.primary").click()
    links = site.api("GET", "/shared-links", params={"albumId": album_id}).json()
    assert len(links) == 1 and links[0]["password"] == PASSWORD

    page.goto(f"{site.url}/albums")
    card = page.locator(f'.album-card[data-id="{album_id}"]')
    assert "Nature walk" in card.inner_text()
    assert "3 items" in card.inner_text()
    shot(page, "albums")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "albums-phone")
    page.goto(f"{site.url}/albums/{album_id}")
    page.emulate_media(color_scheme="dark")
    page.wait_for_selector(".grid-area .thumb img.loaded")
    shot(page, "album-phone-dark")

    # logged in, a password link still asks for its password (its 401 is not a lost session)
    page.goto(url)
    page.wait_for_selector("#share-login")
    assert page.url.startswith(f"{site.url}/share/")

    # a visitor: a fresh context, logged out
    visitor = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        v = visitor.new_page()
        v.set_default_timeout(10_000)
        v.goto(url)
        v.fill("#share-password", "wrong")
        v.click("#share-login button[type=submit]")
        v.wait_for_selector("#share-password-error:not([hidden])")
        assert "Invalid password" in v.inner_text("#share-password-error")
        v.fill("#share-password", PASSWORD)
        v.click("#share-login button[type=submit]")
        v.wait_for_selector("#share-title")
        assert v.inner_text("#share-title") == "Nature walk"
        v.wait_for_function("document.querySelectorAll('.al-tile').length > 0")
        assert tile_ids(v) == set(chosen)
        v.wait_for_function(
            "[...document.querySelectorAll('.al-tile img')].every(i => i.complete && i.naturalWidth > 0)"
        )
        assert v.locator("#share-download-all").count() == 1  # allowDownload by default
        assert v.locator("#share-upload").count() == 0
        shot(v, "shared-link")
        v.locator(".al-tile .al-open").first.click()
        v.wait_for_selector("#lightbox")
        v.keyboard.press("Escape")
        assert v.locator("#lightbox").count() == 0
    finally:
        visitor.close()


def test_trash_screen_restores_what_was_trashed(site: Site, page: Any) -> None:
    victim = site.photos[3]
    assert site.api("DELETE", "/assets", json={"ids": [victim]}).status_code == 204
    page.goto(f"{site.url}/trash")
    page.wait_for_selector(f'.thumb[data-id="{victim}"] img.loaded')
    assert tile_ids(page, ".thumb") == {victim}
    shot(page, "trash")
    page.hover(f'.thumb[data-id="{victim}"]')  # the check shows on hover
    page.click(f'.thumb[data-id="{victim}"] .check')
    page.click(".select-bar button[aria-label=Restore]")
    page.wait_for_selector(".empty:not([hidden])")
    assert site.api("GET", f"/assets/{victim}").json()["isTrashed"] is False


def test_favorites_shows_a_favorited_photo(site: Site, page: Any) -> None:
    fav = site.photos[1]
    assert site.api("PUT", "/assets", json={"ids": [fav], "isFavorite": True}).status_code == 204
    page.goto(f"{site.url}/favorites")
    page.wait_for_selector(f'.thumb[data-id="{fav}"]')
    assert tile_ids(page, ".thumb") == {fav}


def test_locked_folder_asks_for_the_pin(site: Site, page: Any) -> None:
    page.goto(f"{site.url}/locked")
    page.wait_for_selector("#pin-new")
    shot(page, "locked-pin")
    page.fill("#pin-new", PIN)
    page.fill("#pin-confirm", PIN)
    page.click("#pin-form button[type=submit]")
    page.wait_for_selector("#pin-unlock")  # set up, still locked: asks for it
    page.fill("#pin-unlock", "000000")
    page.click("#pin-form button[type=submit]")
    page.wait_for_selector("#pin-error:not([hidden])")
    page.fill("#pin-unlock", PIN)
    page.click("#pin-form button[type=submit]")
    page.wait_for_selector("#locked-assets")
    assert "Nothing locked yet" in page.inner_text("#locked-assets")


def test_sharing_screen_partners_links_and_album_members(
    site: Site, page: Any, browser: Any
) -> None:
    r = site.api(
        "POST",
        "/admin/users",
        json={"email": "friend@example.com", "password": "friend-pass", "name": "Friend"},
    )
    assert r.status_code == 201, r.text
    friend = r.json()["id"]
    link = site.api(
        "POST", "/shared-links", json={"type": "INDIVIDUAL", "assetIds": [site.photos[0]]}
    ).json()

    page.goto(f"{site.url}/sharing")
    page.select_option("#partner-user", friend)
    page.click("#add-partner button[type=submit]")
    page.wait_for_selector(f'#partners li[data-id="{friend}"]')
    partners = site.api("GET", "/partners", params={"direction": "shared-by"}).json()
    assert [p["id"] for p in partners] == [friend]

    row = page.locator(f'#shared-links li[data-id="{link["id"]}"]')
    assert "1 individual item" in row.inner_text()
    shot(page, "sharing")
    row.locator("button[aria-label='Edit link']").click()
    page.check('dialog.modal input[name="allowUpload"]')
    page.click("#save-link")
    page.wait_for_selector("dialog.modal", state="detached")
    assert site.api("GET", f"/shared-links/{link['id']}").json()["allowUpload"] is True

    # the visitor of an individual link that allows uploads
    visitor = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        v = visitor.new_page()
        v.set_default_timeout(10_000)
        v.goto(f"{site.url}/share/{link['key']}")
        v.wait_for_function("document.querySelectorAll('.al-tile').length === 1")
        assert tile_ids(v) == {site.photos[0]}
        assert v.locator("#share-upload").count() == 1
        shot(v, "shared-link-phone")
        extra = sorted(PHOTOS.glob("*.jpg"))[5]
        v.set_input_files("#share-upload-input", str(extra))
        v.wait_for_function("document.querySelectorAll('.al-tile').length === 2")
        shared = site.api("GET", f"/shared-links/{link['id']}").json()
        assert len(shared["assets"]) == 2
    finally:
        visitor.close()

    page.goto(f"{site.url}/sharing")
    page.locator(
        f'#shared-links li[data-id="{link["id"]}"] button[aria-label="Delete link"]'
    ).click()
    page.locator("dialog.modal button.primary").click()
    page.wait_for_selector(f'#shared-links li[data-id="{link["id"]}"]', state="detached")
    assert site.api("GET", f"/shared-links/{link['id']}").status_code == 400

    # an album shared with the friend through the members dialog, then a comment
    album = site.api(
        "POST", "/albums", json={"albumName": "Trip", "assetIds": site.photos[:2]}
    ).json()
    page.goto(f"{site.url}/albums/{album['id']}")
    page.click("#share-users")
    page.select_option("#member-user", friend)
    page.select_option("#member-role", "viewer")
    page.click("#add-member")
    page.wait_for_selector(f'dialog.modal li[data-id="{friend}"]')
    page.locator(f'dialog.modal li[data-id="{friend}"] select').select_option("editor")
    page.wait_for_function("document.querySelector('.toast')?.textContent.includes('editor')")
    users = site.api("GET", f"/albums/{album['id']}").json()["albumUsers"]
    assert {u["user"]["id"]: u["role"] for u in users}[friend] == "editor"
    page.locator("dialog.modal .actions button").click()
    page.click("#toggle-activity")
    page.fill("#comment-text", "Lovely light")
    page.click(".comment-form button[type=submit]")
    page.wait_for_selector(".activity-comment")
    assert page.inner_text(".activity-comment") == "Lovely light"
    shot(page, "album-activity")


def test_archive_partner_album_removal_and_empty_trash(site: Site, page: Any) -> None:
    # archive: shown there, unarchived from the selection bar
    arch = site.photos[2]
    site.api("PUT", "/assets", json={"ids": [arch], "visibility": "archive"})
    page.goto(f"{site.url}/archive")
    page.hover(f'.thumb[data-id="{arch}"]')
    page.click(f'.thumb[data-id="{arch}"] .check')
    page.click(".select-bar button[aria-label=Unarchive]")
    page.wait_for_selector(".empty:not([hidden])")
    assert site.api("GET", f"/assets/{arch}").json()["visibility"] == "timeline"

    # a partner's photos: another user shares their library with the admin
    creds = {"email": "partner@example.com", "password": "partner-pass", "name": "Pat"}
    assert site.api("POST", "/admin/users", json=creds).status_code == 201
    login = httpx.post(f"{site.url}/api/auth/login", json=creds, timeout=10).json()
    pat = {"Authorization": f"Bearer {login['accessToken']}"}
    pat_photo = _upload(site.url, pat, sorted(PHOTOS.glob("*.jpg"))[6])
    me = site.api("GET", "/users/me").json()["id"]
    r = httpx.post(f"{site.url}/api/partners", headers=pat, json={"sharedWithId": me})
    assert r.status_code == 201, r.text
    page.goto(f"{site.url}/sharing")
    page.click(f'#partners a[href="/partners/{login["userId"]}"]')
    page.wait_for_selector(f'.thumb[data-id="{pat_photo}"]')
    assert page.inner_text("#partner h1") == "Pat"

    # an album: one photo removed from the selection bar, then the album deleted
    album = site.api(
        "POST", "/albums", json={"albumName": "Short-lived", "assetIds": site.photos[:2]}
    ).json()
    page.goto(f"{site.url}/albums/{album['id']}")
    page.click("#album-options")
    page.select_option("#album-order", "asc")
    page.click("#save-options")
    page.wait_for_function(  # the grid again, oldest month first
        "(() => { const m = [...document.querySelectorAll('.month')].map(e => e.dataset.bucket);"
        " return m.length === 2 && m[0] < m[1]; })()"
    )
    assert site.api("GET", f"/albums/{album['id']}").json()["order"] == "asc"
    months = page.eval_on_selector_all(".month", "els => els.map(e => e.dataset.bucket)")
    assert months == sorted(months)  # oldest first
    gone = site.photos[0]
    page.hover(f'.thumb[data-id="{gone}"]')
    page.click(f'.thumb[data-id="{gone}"] .check')
    page.click(".select-bar button[aria-label='Remove from album']")
    page.locator("dialog.modal button.primary").click()
    page.wait_for_selector(f'.thumb[data-id="{gone}"]', state="detached")
    assert site.api("GET", f"/albums/{album['id']}").json()["assetCount"] == 1
    page.click("#album-options")
    page.click("#delete-album")
    page.locator("dialog.modal button.primary").click()
    page.wait_for_url("**/albums")
    assert site.api("GET", f"/albums/{album['id']}").status_code == 400

    # the trash emptied after confirming
    doomed = site.photos[3]
    site.api("DELETE", "/assets", json={"ids": [doomed]})
    page.goto(f"{site.url}/trash")
    page.wait_for_selector(f'.thumb[data-id="{doomed}"]')
    page.click("#empty-trash")
    page.locator("dialog.modal button.primary").click()
    page.wait_for_selector(".empty:not([hidden])")


def test_timeline_selection_goes_to_an_album_and_a_shared_link(site: Site, page: Any) -> None:
    chosen = site.photos[:2]
    page.goto(f"{site.url}/photos")
    for pid in chosen:
        page.hover(f'.thumb[data-id="{pid}"]')
        page.click(f'.thumb[data-id="{pid}"] .check')
    page.click(".select-bar button[aria-label='Add to album']")
    dialog = page.locator("dialog.modal")
    dialog.locator("input[type=search]").fill("From the timeline")
    dialog.locator(".picker-new").click()
    page.wait_for_selector(".select-bar", state="hidden")
    albums = [a for a in site.api("GET", "/albums").json() if a["albumName"] == "From the timeline"]
    assert len(albums) == 1 and albums[0]["assetCount"] == 2

    for pid in chosen:
        page.hover(f'.thumb[data-id="{pid}"]')
        page.click(f'.thumb[data-id="{pid}"] .check')
    page.click(".select-bar button[aria-label=Share]")
    page.fill('dialog.modal input[name="description"]', "Two from the timeline")
    page.click("#save-link")
    url = page.locator("#shared-link-url").input_value()
    assert "/share/" in url
    shot(page, "timeline-share-link")
    page.locator("dialog.modal button.primary").click()
    link = next(
        x
        for x in site.api("GET", "/shared-links").json()
        if x["description"] == "Two from the timeline"
    )
    assert link["type"] == "INDIVIDUAL"
    assert {a["id"] for a in link["assets"]} == set(chosen)
    assert url.endswith(link["key"])


def test_a_user_who_must_change_the_password_gets_in(site: Site, browser: Any) -> None:
    r = site.api(
        "POST",
        "/admin/users",
        json={
            "email": "newbie@example.com",
            "password": "first-pass",
            "name": "Newbie",
            "shouldChangePassword": True,
        },
    )
    assert r.status_code == 201, r.text
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        pg = context.new_page()
        pg.set_default_timeout(10_000)
        pg.goto(f"{site.url}/auth/login")
        pg.fill("#login-form input[name=email]", "newbie@example.com")
        pg.fill("#login-form input[name=password]", "first-pass")
        pg.click("#login-form button[type=submit]")
        pg.wait_for_selector("#change-password-form")
        pg.fill("#new-password", "second-pass")
        pg.fill("#confirm-password", "other-pass")
        pg.click("#change-password-form button[type=submit]")
        pg.wait_for_selector("#change-password-error:not([hidden])")
        shot(pg, "change-password")
        pg.fill("#confirm-password", "second-pass")
        pg.click("#change-password-form button[type=submit]")
        pg.wait_for_url("**/photos")
    finally:
        context.close()
    login = httpx.post(
        f"{site.url}/api/auth/login",
        json={"email": "newbie@example.com", "password": "second-pass"},
        timeout=10,
    )
    assert login.status_code == 201 and login.json()["shouldChangePassword"] is False


def _tiny_mp4(path: Path, codec: str = "libx264") -> None:
    """Three seconds of video (H.264 by default) made with PyAV."""
    import av
    import numpy as np

    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=10)
        stream.width, stream.height, stream.pix_fmt = 128, 96, "yuv420p"
        for i in range(30):
            img = np.zeros((96, 128, 3), dtype=np.uint8)
            img[:, :, 0] = i * 8
            img[: i * 3, :, 1] = 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def _upload_video(site: Site, clip: Path) -> str:
    with clip.open("rb") as f:
        r = httpx.post(
            f"{site.url}/api/assets",
            headers=site.headers,
            data={
                "deviceAssetId": clip.name,
                "deviceId": "test",
                "fileCreatedAt": "2024-05-02T10:00:00.000Z",
                "fileModifiedAt": "2024-05-02T10:00:00.000Z",
            },
            files={"assetData": (clip.name, f, "video/mp4")},
            timeout=30,
        )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_viewer_plays_and_seeks_a_video(site: Site, page: Any, tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    _tiny_mp4(clip)
    vid = _upload_video(site, clip)
    page.goto(f"{site.url}/photos/{vid}")
    video = page.locator("video.full")
    video.wait_for()
    page.wait_for_function("document.querySelector('video.full').readyState >= 2", timeout=30_000)
    duration = video.evaluate("v => v.duration")
    assert 2.5 < duration < 3.5
    seeked = video.evaluate(
        """v => new Promise((ok) => {
            v.pause();
            v.addEventListener('seeked', () => ok(v.currentTime), { once: true });
            v.currentTime = 2.0;
        })"""
    )
    assert abs(seeked - 2.0) < 0.2
    # and it plays: time moves on from a seek back to the start
    video.evaluate("v => { v.muted = true; v.currentTime = 0; return v.play(); }")
    page.wait_for_function("document.querySelector('video.full').currentTime > 0.3")
    page.wait_for_function("document.querySelector('video.full').readyState >= 2")
    shot(page, "viewer-video")


def test_a_video_chromium_cannot_play_is_encoded_and_plays(
    site: Site, page: Any, tmp_path: Path
) -> None:
    """MPEG-4 Part 2 is not a codec Chromium plays: the video plugin encodes it (H.264), and
    /video/playback serves the encoded file once it is there."""
    clip = tmp_path / "part2.mp4"
    _tiny_mp4(clip, "mpeg4")
    vid = _upload_video(site, clip)
    original = clip.read_bytes()
    deadline = time.monotonic() + 60
    while True:
        served = site.api("GET", f"/assets/{vid}/video/playback").content
        if served and served != original:
            break
        assert time.monotonic() < deadline, "the video plugin did not encode the video in 60 s"
        time.sleep(0.5)
    page.goto(f"{site.url}/photos/{vid}")
    page.wait_for_function("document.querySelector('video.full')?.readyState >= 2", timeout=30_000)
    assert page.locator(".video-unplayable").count() == 0
