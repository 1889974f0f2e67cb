"""The core screens in a real browser, as a newcomer uses them, one scenario in order: the first
visit creates the admin; the login page shows the admin's message; files dropped on the page
upload with progress (a duplicate reported) and appear in the timeline with real thumbnails, in
a second tab too, live; a deep link opens the viewer, the arrow keys step, 'f' favorites; trash
and restore; a permanent delete; custom CSS; the shortcut overlay; a phone viewport."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ADMIN, SHARED
from tests.web.conftest import admin_token

NATURE = SHARED / "testdata" / "immich-test-assets" / "albums" / "nature"
PHOTOS = sorted(NATURE.glob("*.jpg"))
MESSAGE = "Welcome to the family photo server"
CUSTOM_CSS = ".brand { color: rgb(1, 2, 3); }"
TOKENS: dict[str, str] = {}
SLOW = 90_000  # ms: uploads wait for the worker's thumbnails on a busy CI box


@pytest.fixture(scope="module")
async def pages(browser: Any, web_server: str) -> AsyncIterator[tuple[Any, Any]]:
    """Two tabs of one browser profile (shared cookies); page errors fail the module."""
    # tall enough that the few test photos' months are all within the grid's drawn range
    context = await browser.new_context(viewport={"width": 1280, "height": 1100})
    first, second = await context.new_page(), await context.new_page()
    errors: list[str] = []
    for page in (first, second):
        page.on("pageerror", lambda e: errors.append(str(e)))
    yield first, second
    await context.close()
    assert not errors, errors


async def api(url: str, method: str, path: str, status: int | None = None, **kwargs: Any) -> Any:
    """The admin's API call (the side channel the checks use), asserting its status."""
    if url not in TOKENS:
        TOKENS[url] = await asyncio.to_thread(admin_token, url)
    headers = {"Authorization": f"Bearer {TOKENS[url]}"}
    async with httpx.AsyncClient(base_url=f"{url}/api", headers=headers) as client:
        r = await client.request(method, path, **kwargs)
    assert r.status_code == status if status else r.status_code < 300, r.text
    return r.json() if r.content else None


async def timeline_ids(url: str, **query: Any) -> list[str]:
    """Asset ids in timeline order, from the API."""
    ids: list[str] = []
    for bucket in await api(url, "GET", "/timeline/buckets", params=query):
        params = {**query, "timeBucket": bucket["timeBucket"]}
        ids.extend((await api(url, "GET", "/timeline/bucket", params=params))["id"])
    return ids


async def loaded_thumbs(page: Any) -> int:
    return int(await page.locator(".thumb img.loaded").count())


async def wait_thumbs(page: Any, count: int) -> None:
    await page.wait_for_function(
        f"document.querySelectorAll('.thumb').length === {count} && "
        f"document.querySelectorAll('.thumb img.loaded').length === {count}",
        timeout=SLOW,
    )


async def drop_files(page: Any, files: list[Path]) -> None:
    """Drag-and-drop as the browser does it: a DataTransfer with File objects, dragenter,
    dragover and drop on the page."""
    payload = [{"name": f.name, "data": base64.b64encode(f.read_bytes()).decode()} for f in files]
    await page.evaluate(
        """(files) => {
          const dt = new DataTransfer();
          files.forEach((f, i) => {
            const bytes = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
            // a day apart: photos without an EXIF date have distinct dates (a defined order)
            const lastModified = 1600000000000 + i * 86400000;
            dt.items.add(new File([bytes], f.name, { type: 'image/jpeg', lastModified }));
          });
          for (const type of ['dragenter', 'dragover', 'drop']) {
            document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
          }
        }""",
        payload,
    )


async def test_first_visit_creates_the_admin(
    pages: tuple[Any, Any], web_server: str, shots: Path
) -> None:
    page, _ = pages
    await page.goto(web_server)
    await page.wait_for_url("**/auth/register")
    await page.screenshot(path=shots / "01-register.png")
    await page.fill("input[name=email]", ADMIN["email"])
    await page.fill("input[name=password]", ADMIN["password"])
    await page.fill("input[name=confirm]", "not the same")
    await page.fill("input[name=name]", ADMIN["name"])
    await page.click("#register-form button[type=submit]")
    assert await page.text_content("#register-error") == "Passwords do not match"
    await page.fill("input[name=confirm]", ADMIN["password"])
    await page.click("#register-form button[type=submit]")
    await page.wait_for_url("**/photos")
    await page.wait_for_selector(".empty:not([hidden])")
    config = await api(web_server, "GET", "/server/config")
    assert config["isInitialized"] is True


async def test_login_message_custom_css_and_logout(
    pages: tuple[Any, Any], web_server: str, shots: Path
) -> None:
    page, _ = pages
    config = await api(web_server, "GET", "/system-config")
    config["server"]["loginPageMessage"] = MESSAGE
    config["theme"]["customCss"] = CUSTOM_CSS
    await api(web_server, "PUT", "/system-config", json=config)
    await page.click("#account")
    await page.click("#logout")
    await page.wait_for_url("**/auth/login")
    await page.wait_for_selector("#login-message")
    assert await page.text_content("#login-message") == MESSAGE
    await page.screenshot(path=shots / "02-login.png")
    # a wrong password shows Immich's message; a deep link survives the login
    await page.goto(f"{web_server}/trash")
    await page.wait_for_url("**/auth/login?continue=%2Ftrash")
    await page.fill("input[name=email]", ADMIN["email"])
    await page.fill("input[name=password]", "wrong")
    await page.click("#login-form button[type=submit]")
    await page.wait_for_selector("#login-error:not([hidden])")
    assert await page.text_content("#login-error") == "Incorrect email or password"
    await page.fill("input[name=password]", ADMIN["password"])
    await page.click("#login-form button[type=submit]")
    await page.wait_for_url("**/trash")
    color = await page.eval_on_selector(".brand", "e => getComputedStyle(e).color")
    assert color == "rgb(1, 2, 3)"


async def test_dropped_files_upload_and_appear_live_in_both_tabs(
    pages: tuple[Any, Any], web_server: str, shots: Path
) -> None:
    page, other = pages
    await page.goto(f"{web_server}/photos")
    await other.goto(f"{web_server}/photos")
    await other.wait_for_selector(".empty:not([hidden])")
    await drop_files(page, PHOTOS)
    await page.wait_for_selector("#upload-panel")
    await page.wait_for_function(
        f"document.querySelector('.upload-summary').textContent.startsWith('{len(PHOTOS)} of {len(PHOTOS)}')",
        timeout=SLOW,
    )
    await page.screenshot(path=shots / "03-uploaded.png")
    # both tabs get the new photos from the socket, with the worker's thumbnails
    await wait_thumbs(page, len(PHOTOS))
    await wait_thumbs(other, len(PHOTOS))
    sources = await page.eval_on_selector_all(
        ".thumb img", "imgs => imgs.map(i => [i.naturalWidth, new URL(i.src).pathname])"
    )
    ids = await timeline_ids(web_server, visibility="timeline")
    assert sorted(p for _, p in sources) == sorted(f"/api/assets/{i}/thumbnail" for i in ids)
    assert all(width > 0 for width, _ in sources)
    # the page lays them out in the API's order
    shown = await page.eval_on_selector_all(
        ".thumb",
        """ts => ts.map(t => [t.getBoundingClientRect(), t.dataset.id])
                  .sort((a, b) => a[0].top - b[0].top || a[0].left - b[0].left).map(x => x[1])""",
    )
    assert shown == ids, (shown, ids)
    # the same file again: reported as a duplicate, nothing new in the timeline
    await drop_files(page, PHOTOS[:1])
    await page.wait_for_function(
        "document.querySelector('.upload-summary').textContent.includes('1 duplicate')",
        timeout=SLOW,
    )
    await page.reload()
    await wait_thumbs(page, len(PHOTOS))
    await page.screenshot(path=shots / "04-timeline.png")


async def test_deep_link_viewer_arrow_keys_and_favorite(
    pages: tuple[Any, Any], web_server: str, shots: Path
) -> None:
    page, _ = pages
    ids = await timeline_ids(web_server, visibility="timeline")
    await page.goto(f"{web_server}/photos/{ids[1]}")
    viewer = page.locator("#viewer")
    await page.wait_for_selector(f"#viewer[data-asset-id='{ids[1]}'] img.full")
    await page.wait_for_function("document.querySelector('#viewer img.full').naturalWidth > 0")
    await page.keyboard.press("ArrowRight")
    await page.wait_for_url(f"**/photos/{ids[2]}")
    assert await viewer.get_attribute("data-asset-id") == ids[2]
    await page.keyboard.press("ArrowLeft")
    await page.keyboard.press("ArrowLeft")
    await page.wait_for_url(f"**/photos/{ids[0]}")
    await page.keyboard.press("f")
    await page.wait_for_selector("#viewer-favorite[aria-pressed=true]")
    assert (await api(web_server, "GET", f"/assets/{ids[0]}"))["isFavorite"] is True
    await page.keyboard.press("i")
    await page.wait_for_selector("#info-panel .info-row")
    assert (
        "PENTAX" in (await page.text_content("#info-panel") or "")
        or await page.locator(".info-row").count() >= 2
    )
    await page.screenshot(path=shots / "05-viewer.png")
    await page.keyboard.press("i")
    await page.keyboard.press("Escape")
    await page.wait_for_url("**/photos")
    await page.wait_for_selector(f".thumb[data-id='{ids[0]}'] .badge.fav")


async def select(page: Any, asset_id: str) -> None:
    # the front tab: a background tab's animation frames are throttled, and Playwright waits
    # for two of them before each hover and click (5 s a selection, measured)
    await page.bring_to_front()
    cell = page.locator(f".thumb[data-id='{asset_id}']")
    await cell.hover()
    await cell.locator(".check").click()


async def test_trash_restore_and_delete_permanently(
    pages: tuple[Any, Any], web_server: str, shots: Path
) -> None:
    page, other = pages
    ids = await timeline_ids(web_server, visibility="timeline")
    await page.goto(f"{web_server}/photos")
    await wait_thumbs(page, len(ids))
    # shift-click selects a range; Escape clears
    await select(page, ids[0])
    await page.locator(f".thumb[data-id='{ids[3]}']").click(modifiers=["Shift"])
    assert await page.locator(".thumb.selected").count() == 4
    await page.screenshot(path=shots / "06-selection.png")
    await page.keyboard.press("Escape")
    assert await page.locator(".thumb.selected").count() == 0
    # trash one: gone here and, live, in the other tab
    await select(page, ids[2])
    await page.keyboard.press("Delete")
    await page.wait_for_selector(f".thumb[data-id='{ids[2]}']", state="detached")
    await other.wait_for_selector(f".thumb[data-id='{ids[2]}']", state="detached", timeout=SLOW)
    assert await timeline_ids(web_server, isTrashed="true") == [ids[2]]
    # restore it from the trash screen
    await page.click("nav a[href='/trash']")
    await page.wait_for_url("**/trash")
    await wait_thumbs(page, 1)
    await page.screenshot(path=shots / "07-trash.png")
    await select(page, ids[2])
    await page.keyboard.press("r")
    await page.wait_for_selector(".thumb", state="detached")
    assert await timeline_ids(web_server, isTrashed="true") == []
    await page.click("nav a[href='/photos']")
    await wait_thumbs(page, len(ids))
    # Ctrl+Delete deletes for good, after a confirmation
    await select(page, ids[-1])
    await page.keyboard.press("Control+Delete")
    await page.click("dialog.modal button.danger")
    await page.wait_for_selector(f".thumb[data-id='{ids[-1]}']", state="detached")
    await api(web_server, "GET", f"/assets/{ids[-1]}", status=400)  # Immich's answer: gone


async def test_scrubber_download_shortcuts_overlay_and_phone_layout(
    pages: tuple[Any, Any], web_server: str, shots: Path
) -> None:
    page, _ = pages
    await page.bring_to_front()  # the grid draws in animation frames, throttled in a background tab
    await page.goto(f"{web_server}/photos")
    await page.wait_for_selector(".thumb img.loaded")
    # the scrubber moves through the months from the keyboard
    await page.set_viewport_size({"width": 1280, "height": 500})
    await page.focus(".scrubber")
    await page.keyboard.press("End")
    buckets = await api(web_server, "GET", "/timeline/buckets", params={"visibility": "timeline"})
    last = buckets[-1]["timeBucket"]
    await page.wait_for_function(
        f"""() => {{ const m = document.querySelector(".month[data-bucket='{last}']");
            const s = document.querySelector('.grid-scroll').getBoundingClientRect();
            return s.top <= m.getBoundingClientRect().top && m.getBoundingClientRect().top < s.bottom; }}"""
    )
    await page.keyboard.press("Home")
    await page.wait_for_function("document.querySelector('.grid-scroll').scrollTop === 0")
    await page.set_viewport_size({"width": 1280, "height": 1100})
    # download: one selected photo comes down as its original file
    first = await page.eval_on_selector(".thumb", "t => t.dataset.id")
    await select(page, first)
    async with page.expect_download() as download:
        await page.keyboard.press("d")
    assert (await download.value).suggested_filename.endswith(".jpg")
    await page.keyboard.press("Escape")
    await page.keyboard.press("?")
    dialog = page.locator("dialog.modal[open]")
    await dialog.wait_for()
    text = await dialog.text_content() or ""
    assert "Show keyboard shortcuts" in text and "Move to trash" in text
    await page.screenshot(path=shots / "08-shortcuts.png")
    await page.keyboard.press("Escape")
    await dialog.wait_for(state="detached")
    await page.set_viewport_size({"width": 390, "height": 844})
    # the side nav becomes a drawer, closed until the menu button opens it
    await page.wait_for_function(
        "document.querySelector('.sidenav').getBoundingClientRect().right <= 1"
    )
    await page.click(".menu-toggle")
    await page.wait_for_function(
        "document.querySelector('.sidenav').getBoundingClientRect().left >= 0"
    )
    await page.screenshot(path=shots / "09-phone-nav.png")
    await page.click("nav a[href='/photos']")
    await page.wait_for_function(
        "document.querySelector('.sidenav').getBoundingClientRect().right <= 1"
    )
    await page.wait_for_selector(".thumb img.loaded")
    await page.screenshot(path=shots / "10-phone-timeline.png")
