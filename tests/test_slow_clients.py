"""A slow or silent client cannot hold a connection forever (issue 9): a real immich-server
(hypercorn, as deployed) with short limits, spoken to over raw sockets.

- headers sent one byte at a time (slowloris): closed once ``IMMICH_KEEP_ALIVE_TIMEOUT`` has
  passed since the connection opened, however steadily the bytes come;
- an idle keep-alive connection: closed after the same time;
- a request head over ``IMMICH_MAX_HEADER_BYTES``: 431, closed;
- a body (of any request, not only uploads) that stops arriving: 408 after
  ``IMMICH_UPLOAD_READ_TIMEOUT``;
- a client that requests a large download and stops reading: dropped after
  ``IMMICH_SEND_TIMEOUT``, the request's file closed;
- an upload trickled in just inside that timeout: 408 once it has averaged under
  ``IMMICH_UPLOAD_MIN_RATE`` after ``IMMICH_UPLOAD_MIN_RATE_GRACE``, its partial file removed;
and the server answers normally afterwards.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from immich.settings import Settings, SettingsError, load_settings
from tests._server import ROOT, free_port, running_server

PORT = 23012  # this test's own port; another free one if it is taken
KEEP_ALIVE = 2
READ_TIMEOUT = 2
MIN_RATE = 1000  # bytes/s
GRACE = 3
SEND_TIMEOUT = 2
BIG = 32 << 20  # more than the kernel's socket buffers on both sides hold
MAX_HEADER = 4096
SLACK = 3.0  # seconds allowed beyond a limit (a busy CI machine)


def _port() -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", PORT))
        except OSError:
            return free_port()
    return PORT


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("slow") / "media"


@pytest.fixture(scope="module")
def server(db_url: str, media: Path) -> Iterator[tuple[str, int]]:
    env = {
        "DB_URL": db_url,
        "IMMICH_MEDIA_LOCATION": str(media),
        "IMMICH_UPLOAD_MIN_RATE": str(MIN_RATE),
        "IMMICH_UPLOAD_MIN_RATE_GRACE": str(GRACE),
        "IMMICH_SEND_TIMEOUT": str(SEND_TIMEOUT),
        "IMMICH_ROLES": "api",
        "IMMICH_PLUGINS_SKIP": "example",
        "IMMICH_KEEP_ALIVE_TIMEOUT": str(KEEP_ALIVE),
        "IMMICH_UPLOAD_READ_TIMEOUT": str(READ_TIMEOUT),
        "IMMICH_MAX_HEADER_BYTES": str(MAX_HEADER),
        "PYTHONPATH": str(ROOT),
    }
    with running_server(env, port=_port()) as url:
        parts = urlsplit(url)
        assert parts.hostname is not None and parts.port is not None
        yield parts.hostname, parts.port


@contextlib.contextmanager
def connection(address: tuple[str, int]) -> Iterator[socket.socket]:
    sock = socket.create_connection(address, timeout=10)
    try:
        yield sock
    finally:
        sock.close()


def closed_by_server(sock: socket.socket) -> bytes | None:
    """What the server sent before closing, once it has closed (else None, without waiting)."""
    got = b""
    while select.select([sock], [], [], 0)[0]:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return got
        if not chunk:
            return got
        got += chunk
    return None


def wait_closed(sock: socket.socket, within: float) -> tuple[bytes, float]:
    """Read until the server closes; what it sent and when (seconds from now)."""
    start = time.monotonic()
    got = b""
    sock.settimeout(within)
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            got += chunk
    return got, time.monotonic() - start


def test_headers_one_byte_at_a_time_are_cut_off(server: tuple[str, int]) -> None:
    with connection(server) as sock:
        opened = time.monotonic()
        sock.sendall(b"GET /api/server/ping HTTP/1.1\r\nHost: x\r\n")
        trickle = b"X-Slow: " + b"a" * 1000
        sent = 0
        result = None
        while result is None and time.monotonic() - opened < KEEP_ALIVE + SLACK:
            try:
                sock.sendall(trickle[sent : sent + 1])  # a byte every 0.2 s, never the end
            except (BrokenPipeError, ConnectionResetError):
                result = b""
                break
            sent += 1
            time.sleep(0.2)
            result = closed_by_server(sock)
        took = time.monotonic() - opened
    assert result is not None, f"still open after {took:.1f} s ({sent} bytes trickled)"
    assert KEEP_ALIVE - 0.5 <= took <= KEEP_ALIVE + SLACK, took
    assert sent >= 5  # the bytes kept coming, and did not keep it open


def test_an_idle_keep_alive_connection_is_closed(server: tuple[str, int]) -> None:
    with connection(server) as sock:
        sock.sendall(b"GET /api/server/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        got, took = wait_closed(sock, KEEP_ALIVE + SLACK + 5)
    assert got.startswith(b"HTTP/1.1 200"), got[:100]
    assert b'{"res":"pong"}' in got
    assert took <= KEEP_ALIVE + SLACK, took


def test_headers_over_the_limit_answer_431(server: tuple[str, int]) -> None:
    with connection(server) as sock:
        head = b"GET /api/server/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * MAX_HEADER * 2
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head)
        got, took = wait_closed(sock, KEEP_ALIVE + SLACK)
    assert got.startswith(b"HTTP/1.1 431"), got[:100]
    assert took < KEEP_ALIVE + SLACK


def test_a_stalled_json_body_ends_its_request(server: tuple[str, int]) -> None:
    with connection(server) as sock:
        sock.sendall(
            b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"email": '
        )
        started = time.monotonic()
        got, _ = wait_closed(sock, READ_TIMEOUT + KEEP_ALIVE + SLACK + 5)
        took = time.monotonic() - started
    assert got.startswith(b"HTTP/1.1 408"), got[:200]
    assert b"Request body stalled" in got
    assert READ_TIMEOUT - 0.5 <= took <= READ_TIMEOUT + KEEP_ALIVE + SLACK, took


@pytest.fixture(scope="module")
def token(server: tuple[str, int]) -> str:
    """An admin's access token (signed up here unless the shared database has one)."""
    from tests.conftest import ADMIN

    base = f"http://{server[0]}:{server[1]}/api/auth"
    httpx.post(f"{base}/admin-sign-up", json=ADMIN, timeout=10)
    creds = {"email": ADMIN["email"], "password": ADMIN["password"]}
    r = httpx.post(f"{base}/login", json=creds, timeout=10)
    assert r.status_code == 201, r.text
    return str(r.json()["accessToken"])


def partials(media: Path) -> list[Path]:
    return sorted((media / "upload").rglob("*.partial"))


def test_an_upload_trickled_inside_the_read_timeout_is_cut_off(
    server: tuple[str, int], token: str, media: Path
) -> None:
    date = "2024-05-01T10:20:30.000Z"
    head = "".join(
        f"--b0undary\r\nContent-Disposition: form-data; name={name}\r\n\r\n{date}\r\n"
        for name in ("fileCreatedAt", "fileModifiedAt")
    )
    head += (
        '--b0undary\r\nContent-Disposition: form-data; name=assetData; filename="slow.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    )
    with connection(server) as sock:
        sock.sendall(
            b"POST /api/assets HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Bearer {token}\r\n".encode()
            + b"Content-Type: multipart/form-data; boundary=b0undary\r\n"
            + b"Content-Length: 1000000\r\n\r\n"
            + head.encode()
            + b"\xff\xd8" * 200
        )
        started = time.monotonic()
        result = None
        seen_partial = False
        while result is None and time.monotonic() - started < GRACE + READ_TIMEOUT + SLACK:
            time.sleep(READ_TIMEOUT / 2)  # always inside the read timeout
            seen_partial = seen_partial or bool(partials(media))
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(b"x" * 10)
            result = closed_by_server(sock)
            if result is None and select.select([sock], [], [], 0)[0]:
                result = sock.recv(65536)  # the answer, the connection not closed yet
        took = time.monotonic() - started
    assert result is not None, f"still open after {took:.1f} s"
    assert result.startswith(b"HTTP/1.1 408"), result[:200]
    assert b"Request body too slow" in result
    assert GRACE - 0.5 <= took <= GRACE + READ_TIMEOUT + SLACK, took
    assert seen_partial  # the body was being written ...
    deadline = time.monotonic() + 5
    while partials(media) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert partials(media) == []  # ... and its partial file is gone


def holders(path: Path) -> list[str]:
    """The /proc/<pid>/fd entries (of processes we may read) that have ``path`` open."""
    found = []
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        with contextlib.suppress(OSError):
            if os.readlink(fd) == str(path):
                found.append(str(fd))
    return found


def test_a_client_that_stops_reading_is_dropped(
    server: tuple[str, int], token: str, media: Path
) -> None:
    base = f"http://{server[0]}:{server[1]}/api"
    auth = {"Authorization": f"Bearer {token}"}
    date = "2024-05-01T10:20:30.000Z"
    r = httpx.post(
        f"{base}/assets",
        headers=auth,
        data={"fileCreatedAt": date, "fileModifiedAt": date},
        files={"assetData": ("big.mp4", os.urandom(BIG), "video/mp4")},
        timeout=60,
    )
    assert r.status_code == 201, r.text
    asset_id = r.json()["id"]
    original = next((media / "upload").rglob(f"{asset_id}.mp4"))
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(server)
    try:
        sock.sendall(
            f"GET /api/assets/{asset_id}/original HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {token}\r\n\r\n".encode()
        )
        time.sleep(0.5)
        assert holders(original)  # the response is stuck with its file open ...
        deadline = time.monotonic() + SEND_TIMEOUT + SLACK
        while holders(original) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert holders(original) == []  # ... and let go within the limit
        got, _ = wait_closed(sock, 10)  # what had reached the buffers, then the end
    finally:
        sock.close()
    assert got.startswith(b"HTTP/1.1 200"), got[:100]
    assert len(got) < BIG  # cut off, not the whole file
    r = httpx.request(
        "DELETE", f"{base}/assets", headers=auth, json={"ids": [asset_id], "force": True}
    )
    assert r.status_code == 204, r.text


def test_the_server_is_healthy_after_slow_clients(server: tuple[str, int]) -> None:
    host, port = server
    r = httpx.get(f"http://{host}:{port}/api/server/ping", timeout=5)
    assert r.status_code == 200 and r.json() == {"res": "pong"}


def load(environ: dict[str, str]) -> Settings:
    return load_settings(environ=environ)


def test_the_limits_are_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no developer's ./.env
    assert (load({}).keep_alive_timeout, load({}).max_header_bytes) == (5, 16384)
    defaults = load({})
    assert (defaults.upload_min_rate, defaults.upload_min_rate_grace) == (1024, 30)
    assert defaults.send_timeout == 60
    assert (
        load(
            {"IMMICH_UPLOAD_MIN_RATE": "0", "IMMICH_SEND_TIMEOUT": str(SEND_TIMEOUT)}
        ).upload_min_rate
        == 0
    )
    s = load({"IMMICH_KEEP_ALIVE_TIMEOUT": "9", "IMMICH_MAX_HEADER_BYTES": "2048"})
    assert (s.keep_alive_timeout, s.max_header_bytes) == (9, 2048)
    from immich.cli.server import hypercorn_config

    config = hypercorn_config(s)
    assert (config.keep_alive_timeout, config.h11_max_incomplete_size) == (9, 2048)
    for bad in ({"IMMICH_KEEP_ALIVE_TIMEOUT": "0"}, {"IMMICH_MAX_HEADER_BYTES": "10"}):
        with pytest.raises(SettingsError, match=rf"^{next(iter(bad))}:"):
            load(bad)
