"""Run ``immich-server`` as a real subprocess for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SERVER = Path(sys.executable).with_name("immich-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(
    env: Mapping[str, str], *, port: int | None = None, timeout: float = 60.0
) -> Iterator[str]:
    """Start immich-server with ``env`` (on top of a clean environment); yield its base URL."""
    port = port or free_port()
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DB_", "REDIS_", "IMMICH_"))
    }
    # the hourly version check never leaves the machine (port 9 is discard: refused at once)
    full_env.update(
        {
            "IMMICH_HOST": "127.0.0.1",
            "IMMICH_PORT": str(port),
            "IMMICH_VERSION_CHECK_URL": "http://127.0.0.1:9/version",
            **env,
        }
    )
    proc = subprocess.Popen(
        [str(SERVER)],
        env=full_env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read() if proc.stdout else ""
                raise RuntimeError(f"immich-server exited {proc.returncode}:\n{out}")
            try:
                httpx.get(f"{url}/api/server/ping", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise TimeoutError("immich-server did not answer") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
