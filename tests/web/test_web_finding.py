"""Finding photos in the web app, in real Chromium against an immich-server process: search by
file name (the top bar) and by city (the filter panel), camera suggestions narrowed by each
other, explore's places, the offline map's markers (no request leaves the machine), memories
and their player. Photos with GPS and dates come from the shared test assets, uploaded through
the REST API; screenshots go to test-artifacts/screenshots/test_web_finding/."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

from tests.conftest import ADMIN, SHARED
from tests.web.conftest import ARTIFACTS, CHROMIUM, FLAGS, admin_token

ASSETS = SHARED / "testdata" / "immich-test-assets"
PHOTOS = {
    "sf": ASSETS / "metadata" / "dates" / "gps-datetime.jpg",  # 37.77, -122.42
    "colorado": ASSETS / "metadata" / "gps-position" / "thompson-springs.jpg",  # 39.1, -108.4
    "falcon": ASSETS / "albums" / "nature" / "prairie_falcon.jpg",  # Canon EOS R5, no GPS
    "rocks": ASSETS / "albums" / "nature" / "el_torcal_rocks.jpg",  # SONY DSLR-A550
}
SHOTS = ARTIFACTS / Path(__file__).stem
WAIT_S = 60.0


def _wait(probe: Any, what: str) -> Any:
    deadline = time.monotonic() + WAIT_S
    while not (value := probe()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen in {WAIT_S} s")
        time.sleep(0.2)
    return value


@pytest.fixture(scope="module")
def site(web_server: str, shots: Path) -> dict[str, Any]:
    """The photos uploaded and read, a memory, and the admin's bearer headers (the server is
    tests/web/conftest.py's; WEB_TEST_PORT=23007 puts it on a fixed port)."""
    url = web_server
    assert httpx.post(f"{url}/api/auth/admin-sign-up", json=ADMIN, timeout=10).status_code == 201
    headers = {"Authorization": f"Bearer {admin_token(url)}"}
    ids: dict[str, str] = {}
    for name, path in PHOTOS.items():
        data = {
            "fileCreatedAt": "2022-03-31T11:31:56.000Z",
            "fileModifiedAt": "2022-03-31T11:31:56.000Z",
        }
        files = {"assetData": (path.name, path.read_bytes(), "image/jpeg")}
        r = httpx.post(f"{url}/api/assets", headers=headers, data=data, files=files, timeout=30)
        assert r.status_code == 201, r.text
        ids[name] = r.json()["id"]

    def read(asset_id: str, key: str) -> Any:
        body = httpx.get(f"{url}/api/assets/{asset_id}", headers=headers, timeout=10).json()
        return body["thumbhash"] and (body.get("exifInfo") or {}).get(key)

    city = _wait(lambda: read(ids["sf"], "city"), "reverse geocoding")
    _wait(lambda: read(ids["colorado"], "latitude"), "GPS extraction")
    _wait(lambda: read(ids["falcon"], "make"), "metadata extraction")
    _wait(lambda: read(ids["rocks"], "make"), "metadata extraction")
    memory = httpx.post(
        f"{url}/api/memories",
        headers=headers,
        json={
            "type": "on_this_day",
            "data": {"year": 2022},
            "memoryAt": "2026-03-31T00:00:00.000Z",
            "assetIds": [ids["falcon"], ids["rocks"]],
        },
        timeout=10,
    )
    assert memory.status_code == 201, memory.text
    return {
        "url": url,
        "headers": headers,
        "ids": ids,
        "city": city,
        "memory": memory.json()["id"],
    }


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Playwright's sync API here (this module's tests are plain functions)."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(site: dict[str, Any], browser: Browser) -> Iterator[Page]:
    """A logged-in page that may reach only our server: anything else is refused (offline)."""
    context = browser.new_context(base_url=site["url"], viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    outside: list[str] = []

    def only_ours(route: Any) -> None:
        if route.request.url.startswith(site["url"]):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_ours)
    creds = {"email": ADMIN["email"], "password": ADMIN["password"]}
    assert context.request.post("/api/auth/login", data=creds).ok
    tab = context.new_page()
    tab.on("pageerror", lambda e: errors.append(str(e)))

    def console(message: ConsoleMessage) -> None:
        # errors, less the refused requests to elsewhere (the map's style, when offline)
        if message.type == "error" and "ERR_FAILED" not in message.text:
            errors.append(message.text)

    tab.on("console", console)
    yield tab
    context.close()
    assert not errors, errors


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def tile_ids(page: Page, selector: str = ".grid-view .thumb") -> list[str]:
    return [str(t.get_attribute("data-id")) for t in page.locator(selector).all()]


def test_search_by_file_name_from_the_top_bar(site: dict[str, Any], page: Page) -> None:
    page.goto("/photos")
    page.fill("#search-box", "prairie")
    page.press("#search-box", "Enter")
    page.wait_for_url("**/search?*")
    assert "/search?query=prairie" in page.url  # Immich's spelling, the one the search view reads
    page.locator(".grid-view .thumb").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert tile_ids(page) == [site["ids"]["falcon"]]
    assert "prairie" in page.locator(".filter-chips").inner_text()


def test_search_by_city_through_the_filter_panel(site: dict[str, Any], page: Page) -> None:
    page.goto("/search")
    city = page.locator("#filter-city")
    page.wait_for_function("document.querySelector('#filter-city')?.dataset.loaded === 'true'")
    options = city.locator("option").all_inner_texts()
    assert site["city"] in options
    city.select_option(site["city"])
    shot(page, "search-filters")
    page.click("#filter-apply")
    page.wait_for_url("**city=*")
    page.locator(".grid-view .thumb").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert tile_ids(page) == [site["ids"]["sf"]]
    page.wait_for_function("document.querySelector('.grid-view .thumb img')?.naturalWidth > 0")
    shot(page, "search")


def test_results_page_in_as_the_grid_asks(site: dict[str, Any], page: Page) -> None:
    """One asset a request: the grid's placeholder month pulls the next page until the last."""
    pages: list[int] = []

    def request(r: Request) -> None:
        if r.url.endswith("/api/search/metadata"):
            pages.append((r.post_data_json or {})["page"])

    page.on("request", request)
    page.goto("/search?type=IMAGE&size=1")
    page.wait_for_function("document.querySelector('.result-count')?.textContent === '4 results'")
    assert sorted(tile_ids(page)) == sorted(site["ids"].values())
    assert pages == [1, 2, 3, 4]
    # the viewer steps through the results, in their order
    body = {"type": "IMAGE", "visibility": "timeline"}
    found = httpx.post(
        f"{site['url']}/api/search/metadata", headers=site["headers"], json=body, timeout=10
    )
    order = [a["id"] for a in found.json()["assets"]["items"]]
    page.click(f".thumb[data-id='{order[1]}'] a.open")
    page.wait_for_url(f"**/photos/{order[1]}")
    page.wait_for_selector(f"#viewer[data-asset-id='{order[1]}'] img.full")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"location.pathname === '/photos/{order[2]}'")
    page.wait_for_selector(f"#viewer[data-asset-id='{order[2]}'] img.full")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"location.pathname === '/photos/{order[0]}'")


def test_camera_suggestions_narrow_each_other(page: Page) -> None:
    page.goto("/search")
    # each list loads on its own: wait for both before reading them
    page.wait_for_function(
        "['#filter-make', '#filter-model'].every("
        "s => document.querySelector(s)?.dataset.loaded === 'true')"
    )
    makes = page.locator("#filter-make option").all_inner_texts()
    assert "Canon" in makes and "SONY" in makes
    models = page.locator("#filter-model option").all_inner_texts()
    assert "DSLR-A550" in models
    page.select_option("#filter-make", "Canon")
    page.wait_for_function(
        "![...document.querySelectorAll('#filter-model option')].some(o => o.value === 'DSLR-A550')"
    )
    assert "Canon EOS R5" in page.locator("#filter-model option").all_inner_texts()


def test_explore_shows_a_place_linking_to_its_search(site: dict[str, Any], page: Page) -> None:
    page.goto("/explore")
    place = page.locator(".place-card", has_text=site["city"])
    place.wait_for()
    page.wait_for_load_state("networkidle")
    shot(page, "explore")
    place.click()
    page.wait_for_url("**/search?*city=*")
    page.locator(".grid-view .thumb").first.wait_for()
    assert tile_ids(page) == [site["ids"]["sf"]]


def test_map_shows_markers_offline(site: dict[str, Any], page: Page) -> None:
    markers = httpx.get(
        f"{site['url']}/api/map/markers", headers=site["headers"], timeout=10
    ).json()
    assert len(markers) == 2
    page.goto("/map")
    page.locator(".map-marker").first.wait_for()
    page.wait_for_function(
        "[...document.querySelectorAll('.map-marker')].reduce((n, b) => n + Number(b.dataset.count), 0) === 2"
    )
    # framed on them, San Francisco and western Colorado (1000 km apart) are two markers
    assert page.locator(".map-marker").count() == 2
    assert "2 photos" in page.locator(".map-status").inner_text()
    shot(page, "map")
    # zoomed out to the whole world they are one cluster of two
    for _ in range(6):
        page.click("button[aria-label='Zoom out']")
    page.wait_for_function("document.querySelectorAll('.map-marker').length === 1")
    assert page.locator(".map-marker").get_attribute("data-count") == "2"
    page.reload()  # framed on them again
    page.wait_for_function("document.querySelectorAll('.map-marker').length === 2")
    # a marker lists its photos
    sf = next(m for m in markers if m["id"] == site["ids"]["sf"])
    page.locator(f".map-marker[aria-label*='{sf['city']}']").first.click()
    page.locator(".map-panel .result-tile").first.wait_for()
    assert tile_ids(page, ".map-panel .result-tile") == [site["ids"]["sf"]]
    assert "tiled" not in (page.locator(".world-map").get_attribute("class") or "")


def test_memories_list_player_and_seen(site: dict[str, Any], page: Page) -> None:
    page.goto("/memory")
    card = page.locator(".memory-card")
    card.wait_for()
    assert card.count() == 1
    assert "4 years ago" in card.inner_text()
    page.wait_for_load_state("networkidle")
    shot(page, "memories")
    card.click()
    page.wait_for_url("**/memory?id=*")
    counter = page.locator(".memory-counter")
    counter.wait_for()
    assert counter.inner_text() == "1 / 2"
    page.click("#memory-play")  # pause, so the step below is the keyboard's
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.memory-counter').textContent === '2 / 2'")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("document.querySelector('.memory-counter').textContent === '1 / 2'")
    page.locator(".memory-media img").evaluate("i => i.decode()")
    shot(page, "memory-player")
    memory = httpx.get(
        f"{site['url']}/api/memories/{site['memory']}", headers=site["headers"], timeout=10
    )
    assert memory.json()["seenAt"] is not None


def test_memory_lane_above_the_timeline(site: dict[str, Any], page: Page) -> None:
    page.goto("/photos")
    card = page.locator(".timeline-memories .memory-card")
    card.wait_for()
    assert "4 years ago" in card.inner_text()
    # the months start below the lane: the first month's header is not hidden under it
    lane = page.locator(".timeline-memories").bounding_box()
    month = page.locator(".grid-canvas h2.month").first.bounding_box()
    assert lane is not None and month is not None
    assert month["y"] >= lane["y"] + lane["height"] - 1
    shot(page, "timeline-memory-lane")
    card.click()
    page.wait_for_url("**/memory?id=*")


def test_phone_viewport_and_dark_mode(site: dict[str, Any], page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/search?city={site['city']}")
    page.locator(".grid-view .thumb").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(page, "search-phone")
    page.goto("/map")
    page.locator(".map-marker").first.wait_for()
    shot(page, "map-phone")
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/memory")
    page.locator(".memory-card img").evaluate("i => i.decode()")
    shot(page, "memories-dark")
    page.goto("/map")
    page.locator(".map-marker").first.wait_for()
    shot(page, "map-dark")


def test_map_uses_raster_tiles_when_configured_and_reachable(
    site: dict[str, Any], page: Page
) -> None:
    """A raster tile template in map.lightStyle: the map switches to its tiles once one loads."""
    url, headers = site["url"], site["headers"]
    config = httpx.get(f"{url}/api/system-config", headers=headers, timeout=10).json()
    before = dict(config["map"])
    config["map"]["lightStyle"] = config["map"]["darkStyle"] = "https://tiles.test/{z}/{x}/{y}.png"
    assert httpx.put(
        f"{url}/api/system-config", headers=headers, json=config, timeout=10
    ).is_success
    tiles: list[str] = []

    def tile(route: Any) -> None:
        tiles.append(route.request.url)
        route.fulfill(body=PNG, content_type="image/png")

    try:
        page.route("https://tiles.test/**", tile)
        page.goto("/map")
        page.wait_for_selector(".world-map.tiled")
        page.wait_for_function("document.querySelectorAll('.map-marker').length === 2")
        assert "https://tiles.test/0/0/0.png" in tiles and len(tiles) > 1
        shot(page, "map-tiles")
    finally:
        config["map"] = before
        httpx.put(f"{url}/api/system-config", headers=headers, json=config, timeout=10)


# a 1x1 light-green PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6338f1ece47f00086803774792c3b70000000049454e44ae426082"
)


MAP_BENCH = """async () => {
  const { worldMap } = await import('/app/finding/worldmap.js');
  const map = worldMap({ onCluster: () => {} });
  map.el.style.cssText = 'position: fixed; inset: 0; z-index: 99';
  document.body.append(map.el);
  let seed = 1;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const markers = Array.from({ length: 100000 }, (_, i) => ({
    id: String(i), lat: rnd() * 140 - 70, lon: rnd() * 360 - 180, city: null, state: null, country: null }));
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
  await frame();
  let t = performance.now();
  map.setMarkers(markers, true);
  await frame();
  const first = performance.now() - t;
  const zooms = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    map.el.querySelector('button[aria-label="Zoom in"]').click();
    await frame();
    zooms.push(performance.now() - t);
  }
  const buttons = map.el.querySelectorAll('.map-marker').length;
  map.destroy();
  map.el.remove();
  return { first, worstZoom: Math.max(...zooms), buttons };
}"""


def test_map_with_100k_markers_stays_interactive(page: Page) -> None:
    """100k markers: the first draw and each zoom step (a frame each) stay well under a second,
    and the DOM holds one button per cluster, not per marker."""
    page.goto("/map")
    page.locator(".map-marker").first.wait_for()
    figures = page.evaluate(MAP_BENCH)
    print(f"map, 100k markers: {figures}")
    assert 0 < figures["buttons"] < 2000
    assert figures["first"] < 1000 and figures["worstZoom"] < 1000, figures
