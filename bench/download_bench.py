"""Download benchmark (not a test): one large ``POST /api/download/archive`` and the server's RSS.

Starts ``.venv/bin/immich-server`` from this checkout (api role, embedded PostgreSQL under a
temporary media folder) on ``--port``, signs up an admin, uploads ``--files`` small distinct
JPEG-named files, then grows each stored original in place to ``--size-mb / --files`` MiB as a
sparse file (reading it costs the server almost no disk). It asks ``getDownloadInfo`` for the
assets, then streams the archive, the client discarding the bytes, while the RSS of the server
process (PostgreSQL excluded) is sampled every 20 ms with psutil.

Prints: archive size, seconds, MB/s as the client sees them, the server's RSS before, at its
peak during the download and after, and checks that the bytes received equal Content-Length
and end with a zip end-of-central-directory record. Anchors beside the figures: the RSS
growth an archive held in memory would need (its size), and one original downloaded through
``downloadAsset`` (Starlette's FileResponse) in the same run.

    .venv/bin/python bench/download_bench.py [--size-mb 2048] [--files 8] [--port 23017]
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import threading
import time
from pathlib import Path

import _server
import httpx
import psutil
from _server import login, running_server

ROOT = Path(__file__).resolve().parents[1]
MIB = 1 << 20


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def rss(self) -> int:
        return int(self.process.memory_info().rss)

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.02)


def upload(base: str, headers: dict[str, str], index: int) -> str:
    when = "2024-01-01T00:00:00.000Z"
    data = {
        "deviceAssetId": f"bench-{index}",
        "deviceId": "bench",
        "fileCreatedAt": when,
        "fileModifiedAt": when,
    }
    content = f"download bench file {index}".encode()
    files = {"assetData": (f"IMG_{index % 3}.jpg", content, "image/jpeg")}
    r = httpx.post(f"{base}/api/assets", data=data, files=files, headers=headers, timeout=60)
    r.raise_for_status()
    return str(r.json()["id"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=2048)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--port", type=int, default=23017)
    args = parser.parse_args()
    each = args.size_mb * MIB // args.files
    _server.free_port = lambda: args.port  # the port given to this helper's servers
    env = {"IMMICH_ROLES": "api", "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="download-bench-") as tmp:
        work = Path(tmp)
        with running_server(work / "media", env) as server:
            headers = login(server.base)
            ids = [upload(server.base, headers, i) for i in range(args.files)]
            for asset_id in ids:
                r = httpx.get(f"{server.base}/api/assets/{asset_id}", headers=headers)
                r.raise_for_status()
                os.truncate(r.json()["originalPath"], each)  # sparse growth
            r = httpx.post(
                f"{server.base}/api/download/info", json={"assetIds": ids}, headers=headers
            )
            r.raise_for_status()
            planned = r.json()
            sampler = RssSampler(server.proc.pid)
            before = sampler.rss()
            sampler.start()
            received = 0
            tail = b""
            started = time.perf_counter()
            with httpx.stream(
                "POST",
                f"{server.base}/api/download/archive",
                json={"assetIds": ids},
                headers=headers,
                timeout=600,
            ) as response:
                response.raise_for_status()
                length = int(response.headers["content-length"])
                for chunk in response.iter_raw(MIB):
                    received += len(chunk)
                    tail = (tail + chunk)[-1024:]
            seconds = time.perf_counter() - started
            sampler.stop.set()
            sampler.join()
            after = sampler.rss()
            # Anchor: one original through downloadAsset (Starlette's FileResponse), same run.
            started = time.perf_counter()
            with httpx.stream(
                "GET", f"{server.base}/api/assets/{ids[0]}/original", headers=headers, timeout=600
            ) as response:
                response.raise_for_status()
                single = sum(len(c) for c in response.iter_raw(MIB))
            single_s = time.perf_counter() - started
    ok = received == length and b"PK\x05\x06" in tail
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(f"files: {args.files} x {each / MIB:.0f} MiB (sparse), info archives: "
          f"{len(planned['archives'])}, info totalSize: {planned['totalSize']} B "
          "(sizes recorded at upload, before the files grew)")  # fmt: skip
    print(
        f"archive: {received / MIB:.1f} MiB in {seconds:.2f} s = {received / MIB / seconds:.0f} MiB/s"
    )
    print(
        f"server RSS: before {before / MIB:.1f} MiB, peak during {sampler.peak / MIB:.1f} MiB "
        f"(+{(sampler.peak - before) / MIB:.1f}), after {after / MIB:.1f} MiB"
    )
    print(f"anchor: an archive built in memory would add {received / MIB:.0f} MiB")
    print(
        f"anchor: one original via downloadAsset: {single / MIB:.0f} MiB in {single_s:.2f} s "
        f"= {single / MIB / single_s:.0f} MiB/s"
    )
    print(f"bytes == Content-Length and zip trailer present: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
