"""Thumbnails per second: ours (plugins.thumbnails.generate) beside sharp doing Immich's work.

Not a test. Both make, per image, Immich's default outputs (preview 1440 px JPEG q80 +
thumbnail 250 px WebP q80 + thumbhash) from the same files in the same run, one image at a time
and two at once, each image with one libvips thread (Immich: sharp.concurrency(1)). sharp
(npm, its prebuilt libvips) reads JPEG, PNG, WebP and AVIF but not HEIC or JPEG XL, so the
side-by-side figures use the files both can read; ours is also timed on every file.
Also checks that our ThumbHash encoder gives the npm reference's bytes on each photo's pixels.

    .venv/bin/python bench/thumbnails_bench.py [--passes 3] [--dir FOLDER ...] [--vips-threads 1]

sharp and thumbhash are installed with the machine's npm into a cache folder
(~/.cache/immich-py-bench, or $IMMICH_BENCH_CACHE) the first time.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARP_VERSION = "0.35.5"
THUMBHASH_VERSION = "0.1.1"
SHARED = ROOT.parent / "shared" / "testdata" / "immich-test-assets"
OURS_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".avif", ".heic", ".jxl"}
SHARP_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".avif"}
CACHE = Path(os.environ.get("IMMICH_BENCH_CACHE", Path.home() / ".cache" / "immich-py-bench"))


def find_files(folders: list[Path]) -> list[Path]:
    files = [
        p for d in folders for p in sorted(d.rglob("*")) if p.suffix.lower() in OURS_EXTENSIONS
    ]
    return [p for p in files if p.is_file()]


def ensure_sharp() -> Path:
    """node_modules with the pinned sharp and thumbhash, installed on first use."""
    marker = CACHE / "node_modules" / "sharp" / "package.json"
    if not marker.exists() or json.loads(marker.read_text())["version"] != SHARP_VERSION:
        CACHE.mkdir(parents=True, exist_ok=True)
        cmd = ["npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(CACHE),
               f"sharp@{SHARP_VERSION}", f"thumbhash@{THUMBHASH_VERSION}"]  # fmt: skip
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return CACHE / "node_modules"


def node(modules: Path, job: dict[str, object]) -> dict[str, object]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(job, fh)
    try:
        script = ROOT / "bench" / "js" / "sharp_thumbs.mjs"
        out = subprocess.run(["node", str(script), str(modules), fh.name], check=True,
                             capture_output=True, text=True).stdout  # fmt: skip
    finally:
        os.unlink(fh.name)
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def colorspace(path: Path) -> str:
    """Immich's choice per image (sRGB sources stay sRGB, others go to p3), ours too."""
    import pyvips

    from immich.media.renditions import source_is_srgb

    return "srgb" if source_is_srgb(pyvips.Image.new_from_file(str(path))) else "p3"


def run_sharp(modules: Path, files: list[Path], parallel: int, passes: int) -> list[float]:
    with tempfile.TemporaryDirectory() as out:
        job = {"files": [{"path": str(p), "colorspace": colorspace(p)} for p in files],
               "out": out, "parallel": parallel, "passes": passes}  # fmt: skip
        result = node(modules, job)
    if result["errors"]:
        print("sharp errors:", *result["errors"], sep="\n  ", file=sys.stderr)  # type: ignore[misc]
    return [float(x) for x in result["passes"]]  # type: ignore[attr-defined]


def _init_worker(vips_threads: int) -> None:
    import pyvips

    pyvips.concurrency_set(vips_threads)


def _ours_one(args: tuple[str, str, int]) -> None:
    from plugins.thumbnails import ImageConfig, generate

    src, out, index = args
    generate(Path(src), Path(out) / f"{index}-p.jpeg", Path(out) / f"{index}-t.webp", ImageConfig())


def run_ours(
    files: list[Path], parallel: int, passes: int, pool: str, vips_threads: int
) -> list[float]:
    _init_worker(vips_threads)
    times = []
    with tempfile.TemporaryDirectory() as out:
        jobs = [(str(p), out, i) for i, p in enumerate(files)]
        executor: Executor
        if pool == "processes":
            # spawn, not fork: a forked child inherits libvips' thread-pool locks and hangs
            executor = ProcessPoolExecutor(
                parallel,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(vips_threads,),
            )
            list(executor.map(_ours_one, jobs[:parallel]))  # start the workers, import everything
        else:
            executor = ThreadPoolExecutor(parallel)
        with executor:
            for _ in range(passes):
                start = time.perf_counter()
                if parallel == 1 and pool == "threads":
                    for job in jobs:
                        _ours_one(job)
                else:
                    list(executor.map(_ours_one, jobs))
                times.append(time.perf_counter() - start)
    return times


def thumbhash_check(modules: Path, files: list[Path]) -> tuple[int, int]:
    """Our encoder vs the npm reference on each photo's 100 px RGBA pixels."""
    import numpy as np
    import pyvips

    from immich.media.renditions import rgba_to_thumbhash
    from plugins.thumbnails import ImageConfig, generate

    ours, jobs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i, src in enumerate(files):
            thumb = Path(tmp) / f"{i}.webp"
            generate(src, Path(tmp) / f"{i}.jpeg", thumb, ImageConfig())
            small = pyvips.Image.thumbnail(str(thumb), 100, height=100)
            small = small if small.hasalpha() else small.bandjoin(255)
            raw = small.write_to_memory()
            (Path(tmp) / f"{i}.rgba").write_bytes(raw)
            jobs.append(
                {"path": str(Path(tmp) / f"{i}.rgba"), "width": small.width, "height": small.height}
            )
            ours.append(
                rgba_to_thumbhash(small.width, small.height, np.frombuffer(raw, np.uint8)).hex()
            )
        theirs = node(modules, {"rgba": jobs})["hashes"]
    same = sum(a == b for a, b in zip(ours, theirs, strict=True))  # type: ignore[call-overload]
    return same, len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dir", type=Path, action="append", help="photo folder (default: shared test photos)"
    )
    parser.add_argument(
        "--passes", type=int, default=3, help="timed rounds over the files (median shown)"
    )
    parser.add_argument(
        "--vips-threads", type=int, default=1, help="libvips threads per image for ours"
    )
    args = parser.parse_args()
    folders: list[Path] = args.dir or [SHARED]
    for folder in folders:
        if not folder.is_dir():
            sys.exit(f"no such folder: {folder}")
    files = find_files(folders)
    common = [p for p in files if p.suffix.lower() in SHARP_EXTENSIONS]
    modules = ensure_sharp()

    def kinds(paths: list[Path]) -> str:
        counts = Counter(p.suffix.lower().lstrip(".").replace("jpg", "jpeg") for p in paths)
        return ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))

    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(f"files: {len(common)} read by both ({kinds(common)}); "
          f"{len(files)} by ours ({kinds(files)})")  # fmt: skip
    print(f"cores: {os.cpu_count()}, passes: {args.passes} (interleaved: every row once per "
          f"round, so load from other processes hits all rows alike), libvips threads per "
          f"image: 1 (sharp), {args.vips_threads} (ours)\n")  # fmt: skip
    sharp = f"sharp {SHARP_VERSION}"
    vt = args.vips_threads
    rows: list[tuple[str, str, str, list[Path], Callable[[], list[float]]]] = [
        (sharp, "common", "1", common, lambda: run_sharp(modules, common, 1, 1)),
        ("ours", "common", "1", common, lambda: run_ours(common, 1, 1, "threads", vt)),
        (sharp, "common", "2", common, lambda: run_sharp(modules, common, 2, 1)),
        ("ours", "common", "2 threads", common, lambda: run_ours(common, 2, 1, "threads", vt)),
        ("ours", "common", "2 processes", common,
         lambda: run_ours(common, 2, 1, "processes", vt)),
        ("ours", "all", "1", files, lambda: run_ours(files, 1, 1, "threads", vt)),
        ("ours", "all", "2 threads", files, lambda: run_ours(files, 2, 1, "threads", vt)),
    ]  # fmt: skip
    times: list[list[float]] = [[] for _ in rows]
    for round_ in range(args.passes):
        for i, row in enumerate(rows):
            times[i] += row[4]()
        print(f"round {round_ + 1}/{args.passes} done", file=sys.stderr, flush=True)

    print(f"{'engine':<14} {'files':<7} {'at once':<12} {'imgs':>4} {'median s':>8} "
          f"{'img/s (median)':>14} {'img/s (best)':>12}")  # fmt: skip
    rate: dict[tuple[str, str, str], tuple[float, float]] = {}
    for (engine, subset, mode, paths, _), t in zip(rows, times, strict=True):
        n, median = len(paths), statistics.median(t)
        rate[(engine.split()[0], subset, mode)] = (n / median, n / min(t))
        print(f"{engine:<14} {subset:<7} {mode:<12} {n:>4} {median:>8.2f} {n / median:>14.2f} "
              f"{n / min(t):>12.2f}")  # fmt: skip

    def ratio(ours: str, theirs: str) -> str:
        a, b = rate[("ours", "common", ours)], rate[("sharp", "common", theirs)]
        return f"{a[0] / b[0]:.2f}x (best {a[1] / b[1]:.2f}x)"

    print(
        f"\nours / sharp, common files: one at a time {ratio('1', '1')}; two at once "
        f"{ratio('2 threads', '2')} with threads, {ratio('2 processes', '2')} with processes"
    )
    same, total = thumbhash_check(modules, files)
    print(f"thumbhash: ours == npm thumbhash@{THUMBHASH_VERSION} on {same}/{total} photos' pixels")


if __name__ == "__main__":
    main()
