"""A stalled upload, over a real socket to a real ``immich-server``: half a body, then silence.

The request ends after ``IMMICH_UPLOAD_READ_TIMEOUT`` with a 408 and its partial file removed,
and the server answers others meanwhile; a client that never finishes its headers is
disconnected (``immich.cli.server.hypercorn_config``).
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import EXAMPLE_PLUGIN
from tests.test_process import _fresh_database, login, servers, sign_up  # noqa: F401

TIMEOUT_S = 2
BOUNDARY = b"stall-boundary"


def partials(media: Path) -> list[str]:
    return [
        os.path.join(root, name)
        for root, _, names in os.walk(media / "upload")
        for name in names
        if name.endswith(".partial")
    ]


def test_a_stalled_upload_ends_with_408_and_leaves_no_file(
    servers: Any,  # noqa: F811
    tmp_path: Path,
    pg_server: Any,
) -> None:
    url = asyncio.run(_fresh_database(pg_server, "stall"))
    media = tmp_path / "media"
    env = {
        "DB_URL": url,
        "IMMICH_MEDIA_LOCATION": str(media),
        "IMMICH_ROLES": "api",
        "IMMICH_UPLOAD_READ_TIMEOUT": str(TIMEOUT_S),
        "IMMICH_PLUGINS_SKIP": EXAMPLE_PLUGIN,
    }
    server = servers(env)
    sign_up(server.url)
    token = login(server.url).json()["accessToken"]

    head = (
        b"--" + BOUNDARY + b"\r\n"
        b'Content-Disposition: form-data; name="fileCreatedAt"\r\n\r\n2024-01-01T00:00:00Z\r\n'
        b"--" + BOUNDARY + b"\r\n"
        b'Content-Disposition: form-data; name="fileModifiedAt"\r\n\r\n2024-01-01T00:00:00Z\r\n'
        b"--" + BOUNDARY + b"\r\n"
        b'Content-Disposition: form-data; name="assetData"; filename="big.jpg"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n"
    )
    half = b"\xff\xd8\xff\xe0" + os.urandom(3 << 20)
    request = (
        b"POST /api/assets HTTP/1.1\r\nHost: x\r\n"
        b"Authorization: Bearer " + token.encode() + b"\r\n"
        b"Content-Type: multipart/form-data; boundary=" + BOUNDARY + b"\r\n"
        b"Content-Length: " + str(len(head) + 2 * len(half)).encode() + b"\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request + head + half)
        started = time.monotonic()
        deadline = started + 10
        while not partials(media) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert partials(media), "the upload never started writing"
        # while it stalls, the server answers others
        assert httpx.get(f"{server.url}/api/server/ping", timeout=5).json() == {"res": "pong"}
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408"), (answer[:200], server.output())
    assert b"x-correlation-id" in answer.lower()
    assert TIMEOUT_S - 0.5 <= waited <= TIMEOUT_S + 5, waited
    deadline = time.monotonic() + 5
    while partials(media) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert partials(media) == []
    assert httpx.get(f"{server.url}/api/server/ping", timeout=5).json() == {"res": "pong"}
    assert "Traceback" not in server.output()

    # slow headers (slowloris): the connection is closed after hypercorn's keep-alive timeout
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"GET /api/server/ping HTTP/1.1\r\nHost: x\r\nX-Slow: a")
        started = time.monotonic()
        assert sock.recv(65536) == b""  # closed, no answer
        assert time.monotonic() - started < 15
