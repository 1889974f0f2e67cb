"""Upload benchmark (not a test): MB/s and the server's peak RSS for one large POST /api/assets.

Starts ``.venv/bin/immich-server`` (api role, embedded PostgreSQL under a temporary media
folder) on a free loopback port, signs up an admin, makes a file of ``--size-mb`` (sparse by
default, ``--random`` for random bytes), and uploads it as the Immich CLI does: one multipart
body streamed from the file in 1 MiB chunks with a known Content-Length. While it runs, the RSS
of the server process (PostgreSQL excluded) is sampled every 20 ms with psutil.

Prints: size, seconds, MB/s (wall time of the request as the client sees it), the server's RSS
before and at its peak during the upload, and checks the stored file's size (``--verify``: the
SHA-1 too, computed by the client while sending, which costs client CPU on the same machine).

    .venv/bin/python bench/upload_bench.py [--size-mb 1024] [--random] [--verify]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import shlex
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
from _server import login, running_server

CHUNK = 1 << 20
BOUNDARY = "----immich-upload-bench"


def make_file(path: Path, size: int, random: bool) -> None:
    with path.open("wb") as f:
        if not random:
            f.truncate(size)  # sparse: reading it costs the client almost nothing
            return
        left = size
        while left:
            n = min(8 * CHUNK, left)
            f.write(os.urandom(n))
            left -= n


class Body:
    """The multipart body, streamed from the file; SHA-1 of the file part on request."""

    def __init__(self, path: Path, verify: bool) -> None:
        when = "2024-01-01T00:00:00.000Z"
        fields = {"fileCreatedAt": when, "fileModifiedAt": when, "isFavorite": "false"}
        head = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
            for k, v in {**fields, "fileSize": str(path.stat().st_size)}.items()
        )
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="assetData"; '
            f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        self.head, self.tail = head.encode(), f"\r\n--{BOUNDARY}--\r\n".encode()
        self.path = path
        self.sha1 = hashlib.sha1(usedforsecurity=False) if verify else None
        self.length = len(self.head) + path.stat().st_size + len(self.tail)

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        with self.path.open("rb") as f:
            while chunk := f.read(CHUNK):
                if self.sha1 is not None:
                    self.sha1.update(chunk)
                yield chunk
        yield self.tail


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.samples = 0
        self.stop = threading.Event()

    def rss(self) -> int:
        return int(self.process.memory_info().rss)

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.rss())
            self.samples += 1
            time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--random", action="store_true", help="random bytes, not a sparse file")
    parser.add_argument("--verify", action="store_true", help="compare SHA-1 with the server's")
    args = parser.parse_args()
    size = args.size_mb * 2**20
    with tempfile.TemporaryDirectory(prefix="immich-upload-bench-") as tmp:
        work = Path(tmp)
        source = work / "big-video.mp4"
        make_file(source, size, args.random)
        with running_server(work / "media", {"IMMICH_ROLES": "api"}) as server:
            base = server.base
            headers = login(base)
            sampler = RssSampler(server.proc.pid)
            before = sampler.rss()
            body = Body(source, args.verify)
            form = {
                **headers,
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "Content-Length": str(body.length),
            }
            sampler.start()
            started = time.perf_counter()
            r = httpx.post(f"{base}/api/assets", headers=form, content=body, timeout=None)
            seconds = time.perf_counter() - started
            sampler.stop.set()
            sampler.join()
            if r.status_code != 201:
                print(f"upload failed: {r.status_code} {r.text}", file=sys.stderr)
                return 1
            info = httpx.get(f"{base}/api/assets/{r.json()['id']}", headers=headers).json()
            stored = Path(info["originalPath"]).stat().st_size
    if stored != size:
        print(f"stored file has {stored} bytes, sent {size}", file=sys.stderr)
        return 1
    print("command: " + shlex.join([".venv/bin/python", "bench/upload_bench.py", *sys.argv[1:]]))
    kind = "random" if args.random else "sparse (zeros)"
    print(f"file: {args.size_mb} MiB, {kind}; server: immich-server api role, embedded PostgreSQL")
    print(f"upload: {seconds:.2f} s, {size / 2**20 / seconds:.0f} MiB/s (client wall time)")
    print(
        f"server RSS: {before / 2**20:.0f} MiB before, {sampler.peak / 2**20:.0f} MiB peak "
        f"during the upload (+{(sampler.peak - before) / 2**20:.0f} MiB; {sampler.samples} samples)"
    )
    print(f"stored file: {stored} bytes (as sent)")
    if body.sha1 is not None:
        ours = base64.b64encode(body.sha1.digest()).decode()
        match = "matches" if ours == info["checksum"] else f"DIFFERS ({info['checksum']})"
        print(f"SHA-1: {ours} {match}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
