"""Process settings: CLI flag > environment > ``.env`` file > default.

Every variable the server reads is declared in ``VARIABLES`` (``immich/_variables.py``, the
table), with its default and a line of documentation; nothing else in the code reads
``os.environ``. ``config/env.example`` and the README list the same names (a test checks it).
``*_FILE`` variants read secrets from files (Docker secrets) for the variables in
``FILE_VARIANTS``. Immich's variables that mean nothing here are in ``NOT_APPLYING``, documented.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import attrs
from dotenv import dotenv_values

from immich._variables import FILE_VARIANTS, NOT_APPLYING, VARIABLES, Variable

__all__ = [
    "FILE_VARIANTS",
    "NOT_APPLYING",
    "VARIABLES",
    "VARIABLE_NAMES",
    "RedisSettings",
    "Settings",
    "SettingsError",
    "Variable",
    "cli_overrides",
    "describe",
    "load_settings",
    "parse_redis_url",
    "parse_roles",
]


class SettingsError(ValueError):
    """A setting has an invalid value; the message names the variable."""


VARIABLE_NAMES = frozenset(v.name for v in VARIABLES) | {f"{n}_FILE" for n in FILE_VARIANTS}
ROLES = ("api", "worker", "scheduler")
LOG_LEVELS = ("verbose", "debug", "log", "warn", "error")
VERSION_CHECK_URL = "https://version.immich.cloud/version"  # Immich's production endpoint
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


@attrs.frozen
class RedisSettings:
    url: str  # a redis:// or unix:// URL that redis-py understands
    sentinels: tuple[tuple[str, int], ...] = ()
    sentinel_name: str | None = None


@attrs.frozen
class Settings:
    media_location: Path
    config_file: Path | None
    log_level: str
    host: str
    port: int
    roles: frozenset[str]
    plugins: tuple[str, ...] | None
    plugins_skip: tuple[str, ...]
    web_root: Path | None
    tz: str | None
    db_url: str | None  # None = embedded PostgreSQL under media_location
    db_skip_migrations: bool
    db_pool_size: int
    redis: RedisSettings | None  # None = job queues on PostgreSQL
    ml_url: str
    ml: Mapping[str, str | None]
    env_file: Path | None = None
    plugin_modules: tuple[str, ...] = ()  # importable modules loaded as plugins, by path
    ignore_mount_check_errors: bool = False  # .immich marker failures logged, not fatal
    reverse_geocoding_root: Path | None = None  # Immich's GeoNames files; None = bundled data
    job_lease_s: int = 60  # a running job's lease (immich.jobs.lease)
    upload_read_timeout: float = 60.0  # seconds a request body may stall; 0 = no limit
    upload_min_rate: int = 1024  # bytes/s a body must average after the grace; 0 = no limit
    upload_min_rate_grace: int = 30  # seconds before upload_min_rate applies
    send_timeout: float = 60.0  # seconds one response write may wait on the client; 0 = no limit
    version_check_url: str = VERSION_CHECK_URL  # the latest release
    keep_alive_timeout: int = 5  # seconds an idle connection (or unfinished headers) stays open
    max_header_bytes: int = 16 * 1024  # largest request line + headers hypercorn will buffer

    @property
    def embedded_db_path(self) -> Path:
        return self.media_location / "postgres"


def _parse_bool(name: str, value: str) -> bool:
    low = value.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise SettingsError(f"{name}: expected true or false, got {value!r}")


def _parse_int(name: str, value: str, lo: int, hi: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise SettingsError(f"{name}: expected a whole number, got {value!r}") from None
    if not lo <= number <= hi:
        raise SettingsError(f"{name}: must be between {lo} and {hi}, got {number}")
    return number


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def parse_roles(
    roles: str | None, include: str | None = None, exclude: str | None = None
) -> frozenset[str]:
    """IMMICH_ROLES wins; else Immich's IMMICH_WORKERS_INCLUDE / _EXCLUDE; else all roles."""
    if roles is not None and roles.strip():
        chosen = _split(roles)
        bad = [r for r in chosen if r not in ROLES]
        if bad:
            raise SettingsError(
                f"IMMICH_ROLES: unknown role {bad[0]!r} (expected {', '.join(ROLES)})"
            )
        if not chosen:
            raise SettingsError(f"IMMICH_ROLES: no role given (expected {', '.join(ROLES)})")
        return frozenset(chosen)
    immich_workers = {"api": {"api"}, "microservices": {"worker", "scheduler"}}
    result: set[str] = set(ROLES)
    for var, value in (("IMMICH_WORKERS_INCLUDE", include), ("IMMICH_WORKERS_EXCLUDE", exclude)):
        names = _split(value)
        bad = [n for n in names if n not in immich_workers]
        if bad:
            raise SettingsError(f"{var}: unknown worker {bad[0]!r} (expected api, microservices)")
        if names and var == "IMMICH_WORKERS_INCLUDE":
            result = set().union(*(immich_workers[n] for n in names))
        for n in names if var == "IMMICH_WORKERS_EXCLUDE" else []:
            result -= immich_workers[n]
    if not result:
        raise SettingsError("IMMICH_WORKERS_EXCLUDE: no role left to run")
    return frozenset(result)


def _auth(username: str | None, password: str | None) -> str:
    """The ``user:password@`` part of a URL, every character that needs it %-quoted."""
    if not username and not password:
        return ""
    user = quote(username or "", safe="")
    return f"{user}:{quote(password, safe='')}@" if password else f"{user}@"


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _b64decode(name: str, text: str) -> bytes:
    """Base64 as Node's Buffer reads it: standard or URL-safe alphabet, padding optional."""
    text = text.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise SettingsError(f"{name}: ioredis:// must be followed by base64 JSON") from None


def _option_int(options: Mapping[str, Any], key: str, default: int, lo: int, hi: int) -> int:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SettingsError(f"REDIS_URL: {key!r} must be a whole number, got {value!r}")
    return _parse_int(f"REDIS_URL: {key!r}", str(value), lo, hi)


def parse_redis_url(url: str) -> RedisSettings:
    """Accept redis://, rediss://, unix:// and Immich's ``ioredis://<base64 JSON>`` form."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisSettings(url=url)
    if not url.startswith("ioredis://"):
        raise SettingsError("REDIS_URL: expected redis://, rediss://, unix:// or ioredis://")
    try:
        options = json.loads(_b64decode("REDIS_URL", url[len("ioredis://") :]))
    except ValueError:  # includes UnicodeDecodeError and JSONDecodeError
        raise SettingsError("REDIS_URL: ioredis:// must be followed by base64 JSON") from None
    if not isinstance(options, dict):
        raise SettingsError("REDIS_URL: ioredis:// JSON must be an object")
    db = _option_int(options, "db", 0, 0, 1 << 16)
    auth = _auth(_opt_str(options, "username"), _opt_str(options, "password"))
    scheme = "rediss" if options.get("tls") else "redis"
    if options.get("sentinels"):
        sentinels = options["sentinels"]
        try:
            if not isinstance(sentinels, list):
                raise TypeError
            pairs = tuple((str(s["host"]), int(s["port"])) for s in sentinels)
        except (KeyError, TypeError, ValueError):
            raise SettingsError("REDIS_URL: each sentinel needs host and port") from None
        name = options.get("name")
        if not name or not isinstance(name, str):
            raise SettingsError("REDIS_URL: sentinel configuration needs a name")
        return RedisSettings(url=f"{scheme}://{auth}/{db}", sentinels=pairs, sentinel_name=name)
    if options.get("path"):
        return RedisSettings(url=f"unix://{auth}{options['path']}?db={db}")
    host = _opt_str(options, "host") or "localhost"
    port = _option_int(options, "port", 6379, 1, 65535)
    return RedisSettings(url=f"{scheme}://{auth}{_host(host)}:{port}/{db}")


def _opt_str(options: Mapping[str, Any], key: str) -> str | None:
    value = options.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str | int):
        raise SettingsError(f"REDIS_URL: {key!r} must be a string, got {value!r}")
    return str(value)


@attrs.frozen
class _FromFile:
    """A value still to be read from the file a ``*_FILE`` variable names."""

    variable: str
    path: str


def _layer(source: Mapping[str, str | None]) -> dict[str, str | _FromFile]:
    """The known variables of one source; there, ``X_FILE`` wins over ``X``."""
    layer: dict[str, str | _FromFile] = {
        k: v for k, v in source.items() if k in VARIABLE_NAMES and v is not None
    }
    for name in FILE_VARIANTS:
        path = layer.pop(f"{name}_FILE", None)
        if isinstance(path, str) and path:
            layer[name] = _FromFile(f"{name}_FILE", path)
    return layer


def _read_file(ref: _FromFile) -> str:
    """A secret file's content without the trailing newline (as ``$(cat file)`` reads it)."""
    try:
        return Path(ref.path).read_text().rstrip("\r\n")
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise SettingsError(f"{ref.variable}: cannot read {ref.path}: {reason}") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{ref.variable}: {ref.path} is not UTF-8 text") from None


def _db_url(env: Mapping[str, str | None]) -> str | None:
    if url := env.get("DB_URL"):
        if not url.startswith(("postgres://", "postgresql://")):
            raise SettingsError("DB_URL: expected a postgresql:// or postgres:// URL")
        return url
    host = env.get("DB_HOSTNAME")
    if not host:
        return None
    port = _parse_int("DB_PORT", env.get("DB_PORT") or "5432", 1, 65535)
    auth = _auth(env.get("DB_USERNAME") or "postgres", env.get("DB_PASSWORD"))
    name = quote(env.get("DB_DATABASE_NAME") or "immich", safe="")
    if host.startswith("/"):  # a unix socket folder
        return f"postgresql://{auth}/{name}?host={quote(host)}&port={port}"
    return f"postgresql://{auth}{_host(host)}:{port}/{name}"


def _redis(env: Mapping[str, str | None]) -> RedisSettings | None:
    if env.get("REDIS_URL"):
        return parse_redis_url(env["REDIS_URL"] or "")
    db = _parse_int("REDIS_DBINDEX", env.get("REDIS_DBINDEX") or "0", 0, 1 << 16)
    auth = _auth(env.get("REDIS_USERNAME"), env.get("REDIS_PASSWORD"))
    if env.get("REDIS_SOCKET"):
        return RedisSettings(url=f"unix://{auth}{env['REDIS_SOCKET']}?db={db}")
    host = env.get("REDIS_HOSTNAME")
    if not host:
        return None
    port = _parse_int("REDIS_PORT", env.get("REDIS_PORT") or "6379", 1, 65535)
    return RedisSettings(url=f"redis://{auth}{_host(host)}:{port}/{db}")


def load_settings(
    cli: Mapping[str, str | None] | None = None,
    environ: Mapping[str, str] | None = None,
    env_file: str | Path | None = None,
) -> Settings:
    """Merge CLI overrides (keyed by variable name), the environment, a .env file and defaults."""
    environ = os.environ if environ is None else environ
    env_path = Path(env_file) if env_file else Path(".env")
    file_values: dict[str, str | None] = {}
    if env_path.is_file():
        file_values = dict(dotenv_values(env_path))
    elif env_file:
        raise SettingsError(f"--env-file: cannot read {env_file}")
    merged: dict[str, str | _FromFile | None] = {v.name: v.default for v in VARIABLES}
    given: set[str] = set()
    for source in (file_values, environ, cli or {}):
        layer = _layer(source)
        given |= layer.keys()
        merged.update(layer)
    env = {k: _read_file(v) if isinstance(v, _FromFile) else v for k, v in merged.items()}
    _check_ml(env)
    _check_vector_extension(env.get("DB_VECTOR_EXTENSION"))
    # Immich's older SERVER_PORT counts only where IMMICH_PORT (or --port) was not given
    port_var = (
        "IMMICH_PORT" if "IMMICH_PORT" in given or not env.get("SERVER_PORT") else "SERVER_PORT"
    )

    level = (env.get("IMMICH_LOG_LEVEL") or env.get("LOG_LEVEL") or "log").lower()
    if level not in LOG_LEVELS:
        var = "IMMICH_LOG_LEVEL" if env.get("IMMICH_LOG_LEVEL") else "LOG_LEVEL"
        raise SettingsError(f"{var}: expected one of {', '.join(LOG_LEVELS)}, got {level!r}")
    plugins = _split(env.get("IMMICH_PLUGINS"))
    return Settings(
        media_location=Path(env.get("IMMICH_MEDIA_LOCATION") or "./data").resolve(),
        config_file=Path(cf) if (cf := env.get("IMMICH_CONFIG_FILE")) else None,
        log_level=level,
        host=env.get("IMMICH_HOST") or "0.0.0.0",
        port=_parse_int(port_var, env.get(port_var) or "2283", 1, 65535),
        roles=parse_roles(
            env.get("IMMICH_ROLES"),
            env.get("IMMICH_WORKERS_INCLUDE"),
            env.get("IMMICH_WORKERS_EXCLUDE"),
        ),
        plugins=tuple(plugins) if plugins else None,
        plugins_skip=tuple(_split(env.get("IMMICH_PLUGINS_SKIP"))),
        plugin_modules=tuple(_split(env.get("IMMICH_PLUGIN_MODULES"))),
        web_root=Path(wr) if (wr := env.get("IMMICH_WEB_ROOT")) else None,
        reverse_geocoding_root=_geodata_root(env.get("IMMICH_REVERSE_GEOCODING_ROOT")),
        tz=env.get("TZ") or None,
        db_url=_db_url(env),
        db_skip_migrations=_parse_bool("DB_SKIP_MIGRATIONS", env.get("DB_SKIP_MIGRATIONS") or ""),
        db_pool_size=_parse_int("DB_POOL_SIZE", env.get("DB_POOL_SIZE") or "10", 1, 1000),
        redis=_redis(env),
        ml_url=env.get("MACHINE_LEARNING_URL") or "local:",
        ml={k: v for k, v in env.items() if k.startswith("MACHINE_LEARNING_")},
        env_file=env_path if env_path.is_file() else None,
        upload_read_timeout=_parse_int(
            "IMMICH_UPLOAD_READ_TIMEOUT", env.get("IMMICH_UPLOAD_READ_TIMEOUT") or "60", 0, 86400
        ),
        upload_min_rate=_parse_int(
            "IMMICH_UPLOAD_MIN_RATE", env.get("IMMICH_UPLOAD_MIN_RATE") or "1024", 0, 1 << 30
        ),
        upload_min_rate_grace=_parse_int(
            "IMMICH_UPLOAD_MIN_RATE_GRACE",
            env.get("IMMICH_UPLOAD_MIN_RATE_GRACE") or "30",
            1,
            86400,
        ),
        send_timeout=_parse_int(
            "IMMICH_SEND_TIMEOUT", env.get("IMMICH_SEND_TIMEOUT") or "60", 0, 86400
        ),
        keep_alive_timeout=_parse_int(
            "IMMICH_KEEP_ALIVE_TIMEOUT", env.get("IMMICH_KEEP_ALIVE_TIMEOUT") or "5", 1, 3600
        ),
        max_header_bytes=_parse_int(
            "IMMICH_MAX_HEADER_BYTES", env.get("IMMICH_MAX_HEADER_BYTES") or "16384", 1024, 1 << 20
        ),
        ignore_mount_check_errors=_parse_bool(
            "IMMICH_IGNORE_MOUNT_CHECK_ERRORS", env.get("IMMICH_IGNORE_MOUNT_CHECK_ERRORS") or ""
        ),
        version_check_url=env.get("IMMICH_VERSION_CHECK_URL") or VERSION_CHECK_URL,
        job_lease_s=_parse_int(
            "IMMICH_JOB_LEASE_SECONDS", env.get("IMMICH_JOB_LEASE_SECONDS") or "60", 1, 86400
        ),
    )


# (name, smallest, largest): <= 0 disables the TTLs and the thread pool, as in Immich
_ML_INTS = (
    ("MACHINE_LEARNING_MODEL_TTL", -(1 << 31), 1 << 31),
    ("MACHINE_LEARNING_MODEL_TTL_POLL_S", -(1 << 31), 1 << 31),
    ("MACHINE_LEARNING_REQUEST_THREADS", -(1 << 31), 1 << 31),
    ("MACHINE_LEARNING_MODEL_INTER_OP_THREADS", -(1 << 31), 1 << 31),
    ("MACHINE_LEARNING_MODEL_INTRA_OP_THREADS", -(1 << 31), 1 << 31),
    ("MACHINE_LEARNING_PORT", 1, 65535),
    ("MACHINE_LEARNING_WORKERS", 1, 1024),
    ("MACHINE_LEARNING_WORKER_TIMEOUT", 1, 1 << 31),
)
GEODATA_FILES = ("cities500.txt", "admin1CodesASCII.txt")
"""What IMMICH_REVERSE_GEOCODING_ROOT must hold: Immich's GeoNames dump (places, state names)."""


def _check_ml(env: Mapping[str, str | None]) -> None:
    """The numeric MACHINE_LEARNING_* variables must be whole numbers in range."""
    for name, lo, hi in _ML_INTS:
        if value := env.get(name):
            _parse_int(name, value, lo, hi)
    for device in _split(env.get("MACHINE_LEARNING_DEVICE_IDS")):
        _parse_int("MACHINE_LEARNING_DEVICE_IDS", device, 0, 1 << 16)


def _check_vector_extension(value: str | None) -> None:
    """Immich 3.1 takes pgvector or vectorchord (its older docs: pgvecto.rs); we run on
    pgvector only, so any other choice stops start-up rather than being silently ignored."""
    if value and value.strip().lower() != "pgvector":
        raise SettingsError(
            f"DB_VECTOR_EXTENSION: {value.strip()!r} is not supported, only pgvector "
            "(set DB_VECTOR_EXTENSION=pgvector or leave it unset)"
        )


def _geodata_root(value: str | None) -> Path | None:
    if not value:
        return None
    root = Path(value)
    for name in GEODATA_FILES:
        if not (root / name).is_file():
            raise SettingsError(f"IMMICH_REVERSE_GEOCODING_ROOT: no {name} in {root}")
    return root


def describe(settings: Settings) -> dict[str, Any]:
    """A loggable summary with secrets left out."""
    return {
        "roles": sorted(settings.roles),
        "media": str(settings.media_location),
        "database": "embedded" if settings.db_url is None else "external",
        "queue": "redis" if settings.redis else "postgres",
    }


def cli_overrides(pairs: Sequence[tuple[str, Any]]) -> dict[str, str | None]:
    """Map CLI flag values onto variable names, leaving out flags that were not given."""
    return {name: str(value) for name, value in pairs if value is not None}
