"""HTTP benchmark (not a test): requests/s and latency of two endpoints, and idle memory.

Starts ``.venv/bin/immich-server`` with all roles on its embedded default (PostgreSQL and the
job queue under a temporary media folder) on a free loopback port, signs up an admin, logs in,
then measures ``GET /api/server/ping`` (no auth, no database) and ``GET /api/users/me``
(bearer token: session lookup + user row), falling back to ``POST /api/auth/validateToken``
when /users/me is not served. Load comes from ``wrk`` (Debian's package) when installed, else
from an httpx client: a fixed number of requests over N keep-alive connections.

Memory: RSS of the server process with its children except PostgreSQL, and separately of the
PostgreSQL processes (postmaster + backends; their RSS counts shared buffers in every process,
so PSS is printed too). Measured idle: after start-up, before load, and again after load.

    .venv/bin/python bench/http_bench.py [--connections 32] [--duration 10] [--requests 20000]
                                         [--tool wrk|httpx]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
from _server import Server, running_server
from _server import login as sign_up_and_login


def _tree(proc: psutil.Process) -> Iterator[psutil.Process]:
    yield proc
    yield from proc.children(recursive=True)


def postgres_processes(media: Path) -> list[psutil.Process]:
    """The embedded postmaster (from its postmaster.pid under the media folder) + its backends."""
    for pid_file in media.rglob("postmaster.pid"):
        try:
            pid = int(pid_file.read_text().split("\n", 1)[0])
            return list(_tree(psutil.Process(pid)))
        except (ValueError, OSError, psutil.Error):
            continue
    return []


def memory(proc: subprocess.Popen[bytes], media: Path) -> dict[str, float]:
    """MiB: server (+ children but PostgreSQL) RSS; PostgreSQL RSS and PSS; process counts."""
    pg = postgres_processes(media)
    pg_pids = {p.pid for p in pg}
    server = [p for p in _tree(psutil.Process(proc.pid)) if p.pid not in pg_pids]

    def total(procs: list[psutil.Process], kind: str) -> float:
        out = 0
        for p in procs:
            try:
                info = p.memory_full_info() if kind == "pss" else p.memory_info()
                out += getattr(info, kind)
            except psutil.Error:
                continue
        return out / 2**20

    return {
        "server_rss": total(server, "rss"),
        "server_procs": len(server),
        "pg_rss": total(pg, "rss"),
        "pg_pss": total(pg, "pss"),
        "pg_procs": len(pg),
    }


# --- load generators -------------------------------------------------------------------------


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def run_wrk(
    method: str, url: str, headers: dict[str, str], conns: int, duration: int
) -> tuple[dict[str, float], str]:
    cmd = ["wrk", "-t", "1", "-c", str(conns), "-d", f"{duration}s", "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    if method != "GET":
        cmd += ["-s", str(_wrk_method_script(method))]
    cmd.append(url)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    pct = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)$", out, re.M))
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    shown = " ".join(
        shlex.quote(c) if "Bearer" not in c else "'Authorization: Bearer …'" for c in cmd
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(pct["50"]),
        "p99": _ms(pct["99"]),
        "requests": total,
        "errors": int(bad.group(1)) if bad else 0,
    }, shown


def _wrk_method_script(method: str) -> Path:
    script = Path(tempfile.gettempdir()) / f"wrk-{method.lower()}.lua"
    script.write_text(f'wrk.method = "{method}"\n')
    return script


async def _httpx_load(
    method: str, url: str, headers: dict[str, str], conns: int, total: int
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    remaining = total
    limits = httpx.Limits(max_connections=conns, max_keepalive_connections=conns)
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=30) as client:

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0:
                remaining -= 1
                t0 = time.perf_counter()
                r = await client.request(method, url)
                latencies.append(time.perf_counter() - t0)
                errors += not r.is_success

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(conns)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "requests": len(latencies),
        "errors": errors,
    }


def measure(
    tool: str, method: str, url: str, headers: dict[str, str], args: argparse.Namespace
) -> tuple[dict[str, float], str]:
    if tool == "wrk":
        run_wrk(method, url, headers, args.connections, 2)  # warm-up: pools, prepared statements
        return run_wrk(method, url, headers, args.connections, args.duration)
    asyncio.run(_httpx_load(method, url, headers, args.connections, 500))
    figures = asyncio.run(_httpx_load(method, url, headers, args.connections, args.requests))
    return figures, f"httpx: {args.requests} x {method} {url}, {args.connections} connections"


def run(
    server: Server, media: Path, tool: str, args: argparse.Namespace
) -> tuple[list[tuple[str, dict[str, float], str]], dict[str, float], dict[str, float]]:
    """Log in, measure idle memory, load both endpoints, measure memory again."""
    base, proc = server.base, server.proc
    auth = sign_up_and_login(base)
    time.sleep(args.idle_seconds)
    idle = memory(proc, media)
    me = httpx.get(f"{base}/api/users/me", headers=auth, timeout=10)
    if me.status_code == 200:
        authed = ("GET", "/api/users/me")
    else:
        authed = ("POST", "/api/auth/validateToken")
        print(f"note: GET /api/users/me answered {me.status_code}; measuring {authed}")
    results = []
    for method, path, headers in (("GET", "/api/server/ping", {}), (*authed, auth)):
        figures, how = measure(tool, method, base + path, headers, args)
        results.append((f"{method} {path}", figures, how))
    time.sleep(args.idle_seconds)
    return results, idle, memory(proc, media)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--requests", type=int, default=20000, help="requests per httpx run")
    parser.add_argument("--tool", choices=["wrk", "httpx"], default=None)
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    args = parser.parse_args()
    tool = args.tool or ("wrk" if shutil.which("wrk") else "httpx")

    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    folder = Path(tempfile.mkdtemp(prefix="immich-bench-"))
    media = folder / "media"
    try:
        with running_server(media) as server:
            results, idle, after = run(server, media, tool, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    cpu = f"{os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.1f} GiB"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print("\nimmich-server, all roles, embedded PostgreSQL, default log level (access log on)")
    print(f"machine: {cpu}; load average before/after: {load_before} / {load}; tool: {tool}")
    print(f"start-up to first ping: {server.startup_s:.2f} s")
    print(f"{'endpoint':34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>6}")
    for name, f, _ in results:
        print(
            f"{name:34} {f['rps']:9.0f} {f['p50']:8.2f} {f['p99']:8.2f} "
            f"{f['requests']:9.0f} {f['errors']:6.0f}"
        )
    for label, m in (("idle after start-up", idle), ("idle after the load", after)):
        print(
            f"memory, {label}: server {m['server_rss']:.0f} MiB RSS ({m['server_procs']:.0f} "
            f"procs); PostgreSQL {m['pg_rss']:.0f} MiB RSS / {m['pg_pss']:.0f} MiB PSS "
            f"({m['pg_procs']:.0f} procs)"
        )
    print("\ncommand: " + " ".join(shlex.quote(a) for a in [".venv/bin/python", *sys.argv]))
    for name, _, how in results:
        print(f"  {name}: {how}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
