"""Process settings: precedence, validation (one message naming the variable), URL building."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from immich.settings import (
    NOT_APPLYING,
    VARIABLE_NAMES,
    RedisSettings,
    SettingsError,
    load_settings,
    parse_redis_url,
    parse_roles,
)
from tests.conftest import SHARED


def ioredis(options: Any) -> str:
    return "ioredis://" + base64.b64encode(json.dumps(options).encode()).decode()


def load(
    environ: dict[str, str] | None = None,
    cli: dict[str, str | None] | None = None,
    env_file: Path | None = None,
) -> Any:
    return load_settings(cli=cli, environ=environ or {}, env_file=env_file)


@pytest.fixture(autouse=True)
def _no_dotenv_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty folder, so a developer's ./.env never leaks into these tests."""
    monkeypatch.chdir(tmp_path)


def test_defaults() -> None:
    s = load()
    assert s.port == 2283
    assert s.host == "0.0.0.0"
    assert s.roles == {"api", "worker", "scheduler"}
    assert s.log_level == "log"
    assert s.db_url is None  # embedded PostgreSQL
    assert s.redis is None  # queues on PostgreSQL
    assert s.db_skip_migrations is False
    assert s.media_location == (Path.cwd() / "data").resolve()
    assert s.embedded_db_path == s.media_location / "postgres"


def _value(settings: Any, attribute: str) -> str:
    got = getattr(settings, attribute)
    return ",".join(sorted(got)) if isinstance(got, frozenset) else str(got)


@pytest.mark.parametrize(
    ("variable", "attribute", "values", "default"),
    [
        ("IMMICH_PORT", "port", ("3001", "3002", "3003"), "2283"),
        ("IMMICH_HOST", "host", ("10.0.0.1", "10.0.0.2", "10.0.0.3"), "0.0.0.0"),
        ("IMMICH_ROLES", "roles", ("api", "worker", "scheduler"), "api,scheduler,worker"),
        ("IMMICH_MEDIA_LOCATION", "media_location", ("/m/cli", "/m/env", "/m/file"), None),
        ("LOG_LEVEL", "log_level", ("debug", "warn", "error"), "log"),
        ("DB_SKIP_MIGRATIONS", "db_skip_migrations", ("true", "false", "true"), "False"),
        (
            "IMMICH_IGNORE_MOUNT_CHECK_ERRORS",
            "ignore_mount_check_errors",
            ("true", "false", "true"),
            "False",
        ),
    ],
)
def test_precedence_cli_env_dotenv_default(
    tmp_path: Path, variable: str, attribute: str, values: tuple[str, ...], default: str | None
) -> None:
    cli, env, dotenv = values
    env_file = tmp_path / "custom.env"
    env_file.write_text(f"{variable}={dotenv}\n")
    as_read = {"true": "True", "false": "False"}
    assert _value(load({variable: env}, {variable: cli}, env_file), attribute) == as_read.get(
        cli, cli
    )
    assert _value(load({variable: env}, {}, env_file), attribute) == as_read.get(env, env)
    assert _value(load({}, {}, env_file), attribute) == as_read.get(dotenv, dotenv)
    assert _value(load({variable: env}, {variable: None}), attribute) == as_read.get(env, env)
    if default is not None:
        assert _value(load(), attribute) == default


def test_dotenv_in_working_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("IMMICH_PORT=4000\nUNRELATED=1\n")
    s = load()
    assert s.port == 4000
    assert s.env_file == Path(".env")


def test_missing_env_file_flag_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="--env-file"):
        load(env_file=tmp_path / "nope.env")


def test_immich_log_level_wins_over_log_level() -> None:
    assert load({"LOG_LEVEL": "error", "IMMICH_LOG_LEVEL": "VERBOSE"}).log_level == "verbose"


# --- every invalid value stops with one clear message naming the variable -----------------


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"IMMICH_ROLES": "api,bogus"}, "IMMICH_ROLES"),
        ({"IMMICH_ROLES": " , "}, "IMMICH_ROLES"),
        ({"IMMICH_WORKERS_INCLUDE": "web"}, "IMMICH_WORKERS_INCLUDE"),
        ({"IMMICH_WORKERS_EXCLUDE": "api,microservices"}, "IMMICH_WORKERS_EXCLUDE"),
        ({"IMMICH_PORT": "http"}, "IMMICH_PORT"),
        ({"IMMICH_PORT": "70000"}, "IMMICH_PORT"),
        ({"IMMICH_PORT": "0"}, "IMMICH_PORT"),
        ({"DB_HOSTNAME": "db", "DB_PORT": "x"}, "DB_PORT"),
        ({"DB_PASSWORD_FILE": "/nonexistent/secret"}, "DB_PASSWORD_FILE"),
        ({"REDIS_PASSWORD_FILE": "/"}, "REDIS_PASSWORD_FILE"),
        ({"DB_URL": "mysql://db/immich"}, "DB_URL"),
        ({"REDIS_URL": "ioredis://not base64!"}, "REDIS_URL"),
        ({"REDIS_URL": "ioredis://" + base64.b64encode(b"{not json").decode()}, "REDIS_URL"),
        ({"REDIS_URL": ioredis([1, 2])}, "REDIS_URL"),
        ({"REDIS_URL": ioredis({"sentinels": [{"host": "s", "port": 1}]})}, "REDIS_URL"),
        ({"REDIS_URL": ioredis({"sentinels": [{"host": "s"}], "name": "m"})}, "REDIS_URL"),
        ({"REDIS_URL": ioredis({"sentinels": "s:1", "name": "m"})}, "REDIS_URL"),
        ({"REDIS_URL": ioredis({"host": "r", "port": "x"})}, "REDIS_URL"),
        ({"REDIS_URL": ioredis({"db": True})}, "REDIS_URL"),
        ({"REDIS_URL": "http://redis"}, "REDIS_URL"),
        ({"REDIS_HOSTNAME": "r", "REDIS_PORT": "-1"}, "REDIS_PORT"),
        ({"REDIS_HOSTNAME": "r", "REDIS_DBINDEX": "one"}, "REDIS_DBINDEX"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"IMMICH_LOG_LEVEL": "trace", "LOG_LEVEL": "log"}, "IMMICH_LOG_LEVEL"),
        ({"DB_SKIP_MIGRATIONS": "maybe"}, "DB_SKIP_MIGRATIONS"),
        ({"IMMICH_IGNORE_MOUNT_CHECK_ERRORS": "y"}, "IMMICH_IGNORE_MOUNT_CHECK_ERRORS"),
        ({"DB_POOL_SIZE": "0"}, "DB_POOL_SIZE"),
        ({"MACHINE_LEARNING_MODEL_TTL": "5m"}, "MACHINE_LEARNING_MODEL_TTL"),
        ({"MACHINE_LEARNING_DEVICE_IDS": "0,gpu"}, "MACHINE_LEARNING_DEVICE_IDS"),
        ({"MACHINE_LEARNING_PORT": "0"}, "MACHINE_LEARNING_PORT"),
        ({"MACHINE_LEARNING_WORKERS": "two"}, "MACHINE_LEARNING_WORKERS"),
        ({"MACHINE_LEARNING_WORKER_TIMEOUT": "0"}, "MACHINE_LEARNING_WORKER_TIMEOUT"),
        ({"SERVER_PORT": "http"}, "SERVER_PORT"),
        ({"DB_VECTOR_EXTENSION": "pgvecto.rs"}, "DB_VECTOR_EXTENSION"),
        ({"DB_VECTOR_EXTENSION": "vectorchord"}, "DB_VECTOR_EXTENSION"),
        ({"IMMICH_REVERSE_GEOCODING_ROOT": "/nonexistent"}, "IMMICH_REVERSE_GEOCODING_ROOT"),
    ],
)
def test_invalid_value_names_the_variable(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as info:
        load(environ)
    message = str(info.value)
    assert message.startswith(f"{variable}:"), message
    assert "\n" not in message


def test_invalid_cli_value_names_the_variable() -> None:
    with pytest.raises(SettingsError, match=r"^IMMICH_PORT:"):
        load({"IMMICH_PORT": "2283"}, {"IMMICH_PORT": "port"})


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("TRUE", True), ("1", True), ("false", False)]
)
def test_db_skip_migrations(value: str, expected: bool) -> None:
    assert load({"DB_SKIP_MIGRATIONS": value}).db_skip_migrations is expected


# --- roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("include", "exclude", "roles"),
    [
        (None, None, {"api", "worker", "scheduler"}),
        ("api", None, {"api"}),
        ("microservices", None, {"worker", "scheduler"}),
        ("api,microservices", None, {"api", "worker", "scheduler"}),
        (None, "api", {"worker", "scheduler"}),
        (None, "microservices", {"api"}),
        ("api,microservices", "api", {"worker", "scheduler"}),
    ],
)
def test_immich_workers_include_exclude(
    include: str | None, exclude: str | None, roles: set[str]
) -> None:
    assert parse_roles(None, include, exclude) == roles
    environ = {k: v for k, v in [("IMMICH_WORKERS_INCLUDE", include)] if v}
    environ.update({k: v for k, v in [("IMMICH_WORKERS_EXCLUDE", exclude)] if v})
    assert load(environ).roles == roles


def test_immich_roles_wins_over_workers_include() -> None:
    s = load({"IMMICH_ROLES": "worker, scheduler", "IMMICH_WORKERS_INCLUDE": "api"})
    assert s.roles == {"worker", "scheduler"}


# --- Redis -------------------------------------------------------------------------------


def test_ioredis_host_port_db_password() -> None:
    r = parse_redis_url(
        ioredis({"host": "cache", "port": 6380, "db": 3, "username": "u", "password": "p@ss/w:rd"})
    )
    parts = urlsplit(r.url)
    assert (parts.scheme, parts.hostname, parts.port, parts.path) == ("redis", "cache", 6380, "/3")
    assert (parts.username, unquote(parts.password or "")) == ("u", "p@ss/w:rd")


def test_ioredis_defaults_tls_and_lenient_base64() -> None:
    encoded = base64.urlsafe_b64encode(json.dumps({"tls": {}}).encode()).decode().rstrip("=")
    assert parse_redis_url("ioredis://" + encoded).url == "redis://localhost:6379/0"
    assert parse_redis_url(ioredis({"tls": True, "host": "::1"})).url == "rediss://[::1]:6379/0"


def test_ioredis_socket_path() -> None:
    r = parse_redis_url(ioredis({"path": "/run/redis.sock", "db": 2, "password": "pw"}))
    assert r.url == "unix://:pw@/run/redis.sock?db=2"


def test_ioredis_sentinels() -> None:
    options = {
        "sentinels": [
            {"host": "redis-sentinel-node-0", "port": 26379},
            {"host": "redis-sentinel-node-1", "port": "26380"},
        ],
        "name": "redis-sentinel",
        "db": 1,
        "password": "pw",
    }
    r = parse_redis_url(ioredis(options))
    assert r.sentinels == (("redis-sentinel-node-0", 26379), ("redis-sentinel-node-1", 26380))
    assert r.sentinel_name == "redis-sentinel"
    assert r.url == "redis://:pw@/1"


def test_plain_redis_urls_pass_through() -> None:
    for url in ("redis://h:1/2", "rediss://h", "unix:///tmp/r.sock"):
        assert load({"REDIS_URL": url}).redis == RedisSettings(url=url)


def test_redis_parts() -> None:
    s = load({"REDIS_HOSTNAME": "r", "REDIS_PORT": "6390", "REDIS_DBINDEX": "4"})
    assert s.redis == RedisSettings(url="redis://r:6390/4")
    s = load({"REDIS_HOSTNAME": "r", "REDIS_USERNAME": "me", "REDIS_PASSWORD": "a b"})
    assert s.redis == RedisSettings(url="redis://me:a%20b@r:6379/0")
    s = load({"REDIS_SOCKET": "/run/r.sock", "REDIS_HOSTNAME": "ignored"})
    assert s.redis == RedisSettings(url="unix:///run/r.sock?db=0")
    url = ioredis({"host": "from-url"})
    assert load({"REDIS_URL": url, "REDIS_HOSTNAME": "r"}).redis.url.startswith("redis://from-url")


# --- database ----------------------------------------------------------------------------


def test_db_parts_make_a_quoted_url() -> None:
    s = load(
        {
            "DB_HOSTNAME": "db.local",
            "DB_PORT": "5433",
            "DB_USERNAME": "im mich",
            "DB_PASSWORD": "p@ss/w:rd?#%",
            "DB_DATABASE_NAME": "photos/2",
        }
    )
    assert s.db_url is not None
    parts = urlsplit(s.db_url)
    assert (parts.scheme, parts.hostname, parts.port) == ("postgresql", "db.local", 5433)
    assert unquote(parts.username or "") == "im mich"
    assert unquote(parts.password or "") == "p@ss/w:rd?#%"
    assert unquote(parts.path[1:]) == "photos/2"
    assert parts.query == ""


def test_db_defaults_and_socket_host() -> None:
    assert load({"DB_HOSTNAME": "db"}).db_url == "postgresql://postgres:postgres@db:5432/immich"
    url = load({"DB_HOSTNAME": "/run/postgresql"}).db_url
    assert url == "postgresql://postgres:postgres@/immich?host=/run/postgresql&port=5432"


def test_db_url_wins_over_parts() -> None:
    s = load({"DB_URL": "postgres://u:p@h/d", "DB_HOSTNAME": "other"})
    assert s.db_url == "postgres://u:p@h/d"


def test_file_variants_win_and_are_stripped(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("s3cr/et \n")
    (tmp_path / "user").write_text("reader\r\n")
    (tmp_path / "redis").write_text("rpw\n")
    s = load(
        {
            "DB_HOSTNAME": "db",
            "DB_PASSWORD": "plain",
            "DB_PASSWORD_FILE": str(tmp_path / "pw"),
            "DB_USERNAME_FILE": str(tmp_path / "user"),
            "REDIS_HOSTNAME": "r",
            "REDIS_PASSWORD_FILE": str(tmp_path / "redis"),
        }
    )
    assert s.db_url is not None
    parts = urlsplit(s.db_url)
    assert unquote(parts.password or "") == "s3cr/et "  # only the line ending goes
    assert parts.username == "reader"
    assert s.redis == RedisSettings(url="redis://:rpw@r:6379/0")


def test_file_variant_follows_source_precedence(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("from-file\n")
    env_file = tmp_path / "x.env"
    env_file.write_text(f"DB_PASSWORD_FILE={tmp_path / 'pw'}\n")
    # the environment's plain value beats the .env file's _FILE value ...
    s = load({"DB_HOSTNAME": "db", "DB_PASSWORD": "from-env"}, env_file=env_file)
    assert s.db_url is not None and ":from-env@" in s.db_url
    # ... and the .env file's _FILE value beats the default
    s = load({"DB_HOSTNAME": "db"}, env_file=env_file)
    assert s.db_url is not None and ":from-file@" in s.db_url


def test_unknown_variables_are_ignored() -> None:
    s = load({"IMMICH_PORTT": "x", "PATH": "/bin"})
    assert s.port == 2283


def test_machine_learning_variables_are_kept() -> None:
    s = load({"MACHINE_LEARNING_URL": "http://ml:3003", "MACHINE_LEARNING_MODEL_TTL": "0"})
    assert s.ml_url == "http://ml:3003"
    assert s.ml["MACHINE_LEARNING_MODEL_TTL"] == "0"
    assert s.ml["MACHINE_LEARNING_MODEL_INTRA_OP_THREADS"] == "2"


# --- Immich's variables --------------------------------------------------------------------

REFERENCE = SHARED / "reference" / "immich-environment-variables.md"
ROOT = Path(__file__).resolve().parents[1]


def reference_names() -> set[str]:
    """Every variable name in the tables of Immich's environment-variables page."""
    names: set[str] = set()
    for line in REFERENCE.read_text().splitlines():
        if line.startswith("|"):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", line))
    return names


def test_every_immich_variable_is_handled_or_documented_as_not_applying() -> None:
    names = reference_names()
    assert len(names) > 40 and {"DB_VECTOR_EXTENSION", "REDIS_PASSWORD_FILE"} <= names
    not_applying = {v.name for v in NOT_APPLYING}
    assert not not_applying & VARIABLE_NAMES
    assert names - VARIABLE_NAMES - not_applying == set()
    readme = (ROOT / "README.md").read_text().split("<!-- settings:start -->", 1)[1]
    example = (ROOT / "config" / "env.example").read_text()
    for var in NOT_APPLYING:  # each with what to do instead
        assert f"| `{var.name}` | {var.doc} |" in readme
        assert f"# {var.name}: {var.doc}" in example


def test_not_applying_variables_change_nothing() -> None:
    env = {"PORT": "3000", "MICROSERVICES_PORT": "3002", "NODE_ENV": "development"}
    env |= {"UPLOAD_LOCATION": "/srv/photos", "IMMICH_VERSION": "v3.1.0"}
    assert load(env) == load()


@pytest.mark.parametrize(
    ("environ", "dotenv", "cli", "port"),
    [
        ({"SERVER_PORT": "3001"}, "", {}, 3001),
        ({"SERVER_PORT": "3001", "IMMICH_PORT": "3002"}, "", {}, 3002),
        ({"SERVER_PORT": "3001"}, "IMMICH_PORT=3003\n", {}, 3003),  # IMMICH_PORT from any source
        ({}, "SERVER_PORT=3004\n", {}, 3004),
        ({"SERVER_PORT": "3001"}, "", {"IMMICH_PORT": "3005"}, 3005),  # --port
        ({"SERVER_PORT": ""}, "", {}, 2283),
    ],
)
def test_server_port_is_an_alias_of_immich_port(
    tmp_path: Path, environ: dict[str, str], dotenv: str, cli: dict[str, str | None], port: int
) -> None:
    env_file = tmp_path / "custom.env"
    env_file.write_text(dotenv)
    assert load(environ, cli, env_file).port == port


@pytest.mark.parametrize("value", ["pgvector", "PGVector", ""])
def test_db_vector_extension_pgvector_is_accepted(value: str) -> None:
    assert load({"DB_VECTOR_EXTENSION": value}) == load()


def test_db_vector_extension_message() -> None:
    with pytest.raises(SettingsError) as info:
        load({"DB_VECTOR_EXTENSION": "pgvecto.rs"})
    assert str(info.value) == (
        "DB_VECTOR_EXTENSION: 'pgvecto.rs' is not supported, only pgvector "
        "(set DB_VECTOR_EXTENSION=pgvector or leave it unset)"
    )


def test_machine_learning_role_variables_are_parsed() -> None:
    ml = load().ml
    assert ml["MACHINE_LEARNING_HOST"] == "0.0.0.0" and ml["MACHINE_LEARNING_PORT"] == "3003"
    assert ml["MACHINE_LEARNING_WORKERS"] == "1"
    assert ml["MACHINE_LEARNING_WORKER_TIMEOUT"] == "120"
    ml = load({"MACHINE_LEARNING_HOST": "::", "MACHINE_LEARNING_WORKERS": "2"}).ml
    assert ml["MACHINE_LEARNING_HOST"] == "::" and ml["MACHINE_LEARNING_WORKERS"] == "2"


def test_reverse_geocoding_root_needs_immich_geonames_files(tmp_path: Path) -> None:
    assert load().reverse_geocoding_root is None
    (tmp_path / "cities500.txt").write_text("")
    with pytest.raises(SettingsError, match="no admin1CodesASCII.txt in"):
        load({"IMMICH_REVERSE_GEOCODING_ROOT": str(tmp_path)})
    (tmp_path / "admin1CodesASCII.txt").write_text("")
    assert load({"IMMICH_REVERSE_GEOCODING_ROOT": str(tmp_path)}).reverse_geocoding_root == tmp_path
