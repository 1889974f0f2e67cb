"""Start and stop a real ``immich-server`` for the benchmarks that measure one over HTTP.

The server runs from ``.venv/bin/immich-server`` on a free loopback port, on its embedded
default (PostgreSQL and the job queue under ``media``), with none of the caller's ``DB_*``,
``REDIS_*`` or ``IMMICH_*`` variables; its output goes to ``server.log`` beside ``media``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / ".venv" / "bin" / "immich-server"
ADMIN = {"email": "bench@example.com", "password": "bench-password", "name": "Bench"}
START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Server:
    proc: subprocess.Popen[bytes]
    base: str  # http://127.0.0.1:PORT
    startup_s: float  # from spawning the process to the first answered ping
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(media: Path, env: Mapping[str, str] | None = None) -> Server:
    """Start immich-server (``env`` on top of a clean environment, e.g. ``IMMICH_ROLES``) and
    wait until ``GET /api/server/ping`` answers."""
    port = free_port()
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DB_", "REDIS_", "IMMICH_"))
    }
    full_env.update(env or {})
    cmd = [str(SERVER), "--host", "127.0.0.1", "--port", str(port), "--media-location", str(media)]
    log = media.parent / "server.log"
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=full_env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"immich-server exited {proc.returncode}; see {log}")
        try:
            if httpx.get(f"{base}/api/server/ping", timeout=1).is_success:
                return Server(proc, base, time.perf_counter() - started, log)
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop_server(proc)
            raise TimeoutError(f"immich-server did not answer within {START_TIMEOUT_S:.0f} s")
        time.sleep(0.1)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the server stops its embedded PostgreSQL), SIGKILL after 30 s."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def running_server(media: Path, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    server = start_server(media, env)
    try:
        yield server
    finally:
        stop_server(server.proc)


def login(base: str) -> dict[str, str]:
    """Sign up the bench admin, log in; the Bearer headers of that session."""
    httpx.post(f"{base}/api/auth/admin-sign-up", json=ADMIN, timeout=30).raise_for_status()
    creds = {"email": ADMIN["email"], "password": ADMIN["password"]}
    r = httpx.post(f"{base}/api/auth/login", json=creds, timeout=30)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['accessToken']}"}
