"""Starlette application factory and lifespan: starts the roles a process was asked for."""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from immich import api
from immich.api import socket, web
from immich.api._read_timeout import timed_receive
from immich.api.errors import ApiError, NotFound, error_body, error_status
from immich.api.routing import json_response
from immich.api.system_config import check_core
from immich.context import AppContext
from immich.db.engine import Database
from immich.db.migrate import migrate
from immich.jobs.queues import JobQueues
from immich.jobs.roles import start_roles, stop_roles
from immich.log import correlation_id
from immich.plugins import call_each, make_manager
from immich.services.system_config import SystemConfigService
from immich.settings import Settings
from immich.storage.markers import verify_media_folders

log = logging.getLogger(__name__)
access_log = logging.getLogger("immich.access")


class CorrelationMiddleware:
    """Give each request an id: ``X-Correlation-ID`` header and the log lines it causes.

    It is also where a request fails for good: an unhandled error is logged here once, with
    its traceback and the request's id, and answered 500; the error goes on up marked as
    logged (``immich_logged``), so neither Starlette's handler nor hypercorn's error log
    (``immich.cli.server.AlreadyLogged``) writes it again. A body that stalls for ``read_timeout`` seconds ends the request
    (``immich.api._read_timeout``), whose readers remove what they had written.
    """

    def __init__(
        self, app: ASGIApp, read_timeout: float = 0, min_rate: tuple[float, float] = (0, 30)
    ) -> None:
        self.app = app
        self.read_timeout = read_timeout
        self.min_rate = min_rate  # (bytes/s, grace s): immich.api._read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cid = uuid.uuid4().hex
        token = correlation_id.set(cid)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-correlation-id", cid.encode()))
                message["headers"] = headers
            await send(message)

        if self.read_timeout > 0 or self.min_rate[0] > 0:
            receive = timed_receive(receive, self.read_timeout, *self.min_rate)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            log.exception(
                "%s %s 500 %.1fms: unhandled error",
                scope["method"],
                scope["path"],
                (time.perf_counter() - started) * 1000,
            )
            if not status:  # nothing sent yet: Immich's 500 body, with the id
                await json_response({"message": "Internal server error"}, 500)(
                    scope, receive, send_with_id
                )
            status = -1  # logged above: no access line
            exc.immich_logged = True  # type: ignore[attr-defined]  # hypercorn's log skips it
            raise  # for test clients; Starlette's outer handler sends nothing more
        finally:
            # Successful requests are logged at debug (as Immich: per-request lines are verbose);
            # error answers at log level, so their correlation id is in the log by default.
            level = logging.DEBUG if 0 <= status < 400 else logging.INFO
            if status >= 0 and access_log.isEnabledFor(level):
                access_log.log(
                    level,
                    "%s %s %s %.1fms",
                    scope["method"],
                    scope["path"],
                    status,
                    (time.perf_counter() - started) * 1000,
                )
            correlation_id.reset(token)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return json_response(error_body(exc), error_status(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    messages = {404: f"Cannot {request.method} {request.url.path}", 405: "Method Not Allowed"}
    return json_response({"message": messages.get(status, str(getattr(exc, "detail", "")))}, status)


async def _server_error(request: Request, exc: Exception) -> Response:
    if not getattr(exc, "immich_logged", False):  # raised outside CorrelationMiddleware
        log.exception("unhandled error on %s %s", request.method, request.url.path)
    return json_response({"message": "Internal server error"}, 500)


async def _not_found(request: Request) -> Response:
    raise NotFound(f"Cannot {request.method} {request.url.path}")


async def _well_known(request: Request) -> Response:
    """Where clients find the API when given only the server's address (as Immich)."""
    return json_response({"api": {"endpoint": "/api"}})


def _routes(ctx: AppContext) -> list[BaseRoute]:
    operations = api.collect_operations(ctx.pm)
    routes: list[BaseRoute] = api.build_routes(operations)
    if "api" in ctx.settings.roles:
        routes.insert(0, socket.mount(ctx))  # live events: /api/socket.io
    routes.append(Route("/.well-known/immich", _well_known, methods=["GET"]))
    routes.extend(web.routes(ctx.settings))  # after the API: files and fallback never shadow it
    return routes


async def start_context(ctx: AppContext) -> None:
    """Connect, migrate, load config, start queues and the roles asked for."""
    ctx.db = await Database.connect(ctx.settings)
    if not ctx.settings.db_skip_migrations:
        applied = await migrate(ctx.db.pool, ctx.pm)
        if applied:
            log.info("migrations applied: %s", ", ".join(applied))
    await verify_media_folders(  # .immich markers
        ctx.settings.media_location,
        ctx.db.pool,
        ignore_errors=ctx.settings.ignore_mount_check_errors,
    )
    ctx.config = SystemConfigService(ctx, check_core=check_core)
    await ctx.config.start()
    ctx.queues = JobQueues(ctx)
    await ctx.queues.start()
    await start_roles(ctx)
    await socket.start(ctx)
    await call_each(ctx.hook.startup, ctx=ctx)


async def stop_context(ctx: AppContext) -> None:
    with contextlib.suppress(Exception):
        await call_each(ctx.hook.shutdown, ctx=ctx)
    with contextlib.suppress(Exception):
        await stop_roles(ctx)
    with contextlib.suppress(Exception):
        await socket.stop(ctx)
    if ctx.queues is not None:
        await ctx.queues.close()
    if ctx.config is not None:
        await ctx.config.stop()
    if ctx.db is not None:
        await ctx.db.close()


def create_app(
    settings: Settings, *, extra_plugins: Iterable[tuple[str, object]] = ()
) -> Starlette:
    pm = make_manager(
        settings.plugins, settings.plugins_skip, extra_plugins, settings.plugin_modules
    )
    ctx = AppContext(settings=settings, pm=pm)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await start_context(ctx)
        try:
            yield
        finally:
            await stop_context(ctx)

    handlers: dict[Any, Any] = {ApiError: _api_error, Exception: _server_error}
    from starlette.exceptions import HTTPException

    handlers[HTTPException] = _http_error
    app = Starlette(routes=_routes(ctx), lifespan=lifespan, exception_handlers=handlers)
    app.state.ctx = ctx
    app.add_middleware(
        CorrelationMiddleware,
        read_timeout=settings.upload_read_timeout,
        min_rate=(settings.upload_min_rate, settings.upload_min_rate_grace),
    )
    return app
