"""Web timeline benchmark (not a test): our web app's Photos screen on 100k assets in Chromium.

An embedded PostgreSQL in a temporary folder gets bench/timeline_bench.py's synthetic library
(its ``add_assets``: ~3,000 assets a month back from October 2026, one huge June 2020, videos,
archived/trashed/hidden ones), every asset a thumbnail file (a handful of small WebP images made
here, shared), then a real ``immich-server`` (api role, ``web/`` as web root) serves it to
Debian's Chromium (Playwright, ``executable_path``; flags as the browser tests').

Measured in the page (``performance.now()`` from navigation start; long tasks from a
``PerformanceObserver('longtask')``; frames as the gaps between ``requestAnimationFrame``
callbacks):
- first paint of Photos on a fresh tab: the first month laid out (thumbhash placeholders), the
  first real thumbnail loaded; long tasks and the longest frame until then;
- a jump to the oldest month (the scrubber dragged to the bottom): time until its thumbnails
  are loaded, longest long task and frame meanwhile;
- a wheel scroll through 40 screens: longest frame, long tasks, the most thumbnails in the DOM.
The issue's aims: first paint < 1 s, no frame over 100 ms.

    .venv/bin/python bench/web_timeline_bench.py [--assets 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timeline_bench import add_assets  # noqa: E402

from immich.db.engine import EmbeddedPostgres, _ensure_database, _with_database  # noqa: E402
from tests._server import running_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ADMIN = {"email": "bench@example.com", "password": "bench-password", "name": "Bench"}
COLOURS = ["#7a9e7e", "#c98b5e", "#5e7fc9", "#b3b35a", "#9e6fa8", "#5aa6a6", "#c96262", "#888"]

# installed before the app's scripts: long tasks, frame gaps, first thumbnail times
PROBE = """
window.__bench = { long: [], frames: [], marks: {} };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.long.push(e.duration);
}).observe({ type: 'longtask', buffered: true });
let last = 0;
const tick = (t) => {
  if (last) window.__bench.frames.push(t - last);
  last = t;
  const m = window.__bench.marks;
  if (!m.thumb && document.querySelector('.thumb')) m.thumb = performance.now();
  if (!m.img && document.querySelector('.thumb img.loaded')) m.img = performance.now();
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
"""
RESET = "window.__bench.long = []; window.__bench.frames = [];"
STATS = """() => {
  const b = window.__bench;
  const sorted = [...b.frames].sort((x, y) => x - y);
  return { long: b.long.length, longest: Math.max(0, ...b.long), frame: Math.max(0, ...b.frames),
           p95: sorted.length ? sorted[Math.floor(sorted.length * 0.95)] : 0,
           over50: b.frames.filter((f) => f > 50).length, over100: b.frames.filter((f) => f > 100).length,
           frames: b.frames.length, thumbs: document.querySelectorAll('.thumb').length, marks: b.marks };
}"""


def thumbnails(folder: Path) -> list[Path]:
    """A few small WebP thumbnails (every asset points at one of them)."""
    import pyvips

    folder.mkdir(parents=True)
    paths = []
    for i, colour in enumerate(COLOURS):
        r, g, b = (int(colour[k : k + 2], 16) if len(colour) == 7 else 136 for k in (1, 3, 5))
        image = (pyvips.Image.black(250, 250) + [r, g, b]).cast("uchar")
        path = folder / f"thumb-{i}.webp"
        image.webpsave(str(path), Q=70)
        paths.append(path)
    return paths


async def build(db_url: str, owner: str, count: int, thumbs: list[Path]) -> float:
    """The synthetic library, and a thumbnail row for every asset; seconds taken."""
    pool = await asyncpg.create_pool(db_url, min_size=1, max_size=2)
    try:
        took = await add_assets(pool, owner, 1, count)
        started = time.perf_counter()
        await pool.execute(
            """INSERT INTO "asset_file" ("assetId", "type", "path")
               SELECT "id", 'thumbnail', ($1::text[])[1 + abs(hashtext("id"::text)) % $2]
               FROM "asset" """,
            [str(p) for p in thumbs],
            len(thumbs),
        )
        return took + time.perf_counter() - started
    finally:
        await pool.close()


def print_profile(profile: dict[str, Any]) -> None:
    """The wheel scroll's main-thread CPU by function (self time), from a CDP sampling profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    deltas = dict.fromkeys(nodes, 0.0)
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=False):
        deltas[sample] += delta / 1000
    by_name: dict[str, float] = {}
    for node_id, ms in deltas.items():
        f = nodes[node_id]["callFrame"]
        where = f["url"].rsplit("/", 1)[-1]
        name = f"{f['functionName'] or '(anonymous)'} {where}:{f['lineNumber'] + 1}".strip()
        by_name[name] = by_name.get(name, 0.0) + ms
    total = sum(by_name.values())
    print(f"  main-thread profile of the wheel scroll ({total:.0f} ms sampled), top self time:")
    for name, ms in sorted(by_name.items(), key=lambda kv: -kv[1])[:12]:
        print(f"    {ms:7.1f} ms  {name}")


async def measure(url: str, profile_js: bool = False) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = await browser.new_context(viewport={"width": 1440, "height": 900})
        await context.add_init_script(PROBE)
        page = await context.new_page()
        await page.goto(f"{url}/auth/login")
        await page.fill("input[name=email]", ADMIN["email"])
        await page.fill("input[name=password]", ADMIN["password"])
        await page.click("#login-form button[type=submit]")
        await page.wait_for_selector(".thumb img.loaded", timeout=60_000)

        for run in ("fresh tab", "fresh tab again"):
            tab = await context.new_page()
            await tab.goto(f"{url}/photos")
            await tab.wait_for_selector(".thumb img.loaded", timeout=60_000)
            s = await tab.evaluate(STATS)
            m = s["marks"]
            print(
                f"  first paint ({run}): months laid out + placeholders {m['thumb']:.0f} ms, "
                f"first thumbnail {m['img']:.0f} ms; long tasks {s['long']} (longest "
                f"{s['longest']:.0f} ms), longest frame {s['frame']:.0f} ms"
            )
            await tab.close()

        await page.evaluate(RESET)
        started = await page.evaluate("performance.now()")
        oldest = await page.evaluate(
            """() => { const s = document.querySelector('.grid-scroll');
                       s.scrollTop = s.scrollHeight; return s.scrollHeight; }"""
        )
        await page.wait_for_function(
            """() => { const s = document.querySelector('.grid-scroll');
              const view = s.getBoundingClientRect();
              return [...document.querySelectorAll('.thumb img.loaded')].some((i) => {
                const r = i.getBoundingClientRect(); return r.top < view.bottom && r.bottom > view.top; })
                && s.scrollTop + s.clientHeight >= s.scrollHeight - 2; }""",
            timeout=60_000,
        )
        took = await page.evaluate("performance.now()") - started
        s = await page.evaluate(STATS)
        print(
            f"  jump to the oldest month ({oldest / 1e6:.1f} M px of grid): thumbnails in "
            f"{took:.0f} ms; long tasks {s['long']} (longest {s['longest']:.0f} ms), longest "
            f"frame {s['frame']:.0f} ms, {s['thumbs']} thumbnails in the DOM"
        )

        await page.evaluate("document.querySelector('.grid-scroll').scrollTop = 0")
        await page.wait_for_timeout(500)
        await page.evaluate(RESET)
        cdp = None
        if profile_js:
            cdp = await context.new_cdp_session(page)
            await cdp.send("Profiler.enable")
            await cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            await cdp.send("Profiler.start")
        await page.mouse.move(700, 450)
        most = 0
        for _ in range(40):
            await page.mouse.wheel(0, 900)
            await page.wait_for_timeout(50)
            most = max(most, await page.locator(".thumb").count())
        s = await page.evaluate(STATS)
        print(
            f"  wheel scroll, 40 screens: longest frame {s['frame']:.0f} ms, 95th percentile "
            f"{s['p95']:.0f} ms, frames over 50/100 ms {s['over50']}/{s['over100']} of "
            f"{s['frames']}; long tasks {s['long']} (longest {s['longest']:.0f} ms), at most "
            f"{most} thumbnails in the DOM"
        )
        if cdp is not None:
            profile = (await cdp.send("Profiler.stop"))["profile"]
            print_profile(profile)
        await browser.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument(
        "--profile", action="store_true", help="CPU-profile the wheel scroll (top functions)"
    )
    args = parser.parse_args()
    print(
        "command:", shlex.join([".venv/bin/python", "bench/web_timeline_bench.py", *sys.argv[1:]])
    )
    folder = Path(tempfile.mkdtemp(prefix="immich-web-bench-"))
    pg = EmbeddedPostgres(folder / "pg")
    admin_url = pg.start()
    try:
        await _ensure_database(admin_url, "bench")
        db_url = _with_database(admin_url, "bench")
        env = {
            "DB_URL": db_url,
            "IMMICH_MEDIA_LOCATION": str(folder / "media"),
            "IMMICH_ROLES": "api",
            "IMMICH_WEB_ROOT": str(ROOT / "web"),
            "PYTHONPATH": str(ROOT),
        }
        with running_server(env, timeout=120) as url:
            async with httpx.AsyncClient(timeout=30) as client:
                r = await client.post(f"{url}/api/auth/admin-sign-up", json=ADMIN)
                r.raise_for_status()
            took = await build(db_url, r.json()["id"], args.assets, thumbnails(folder / "thumbs"))
            print(f"\n{args.assets:,} assets (built in {took:.0f} s), Chromium 1440x900:")
            await measure(url, args.profile)
    finally:
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
