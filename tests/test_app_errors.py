"""A failing request is logged once, with its correlation id and one traceback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from immich import hookimpl
from immich.api.routing import Call, Operation, Router
from immich.app import CorrelationMiddleware, _server_error
from immich.cli.server import AlreadyLogged
from immich.log import correlation_id
from tests.conftest import EXAMPLE_PLUGIN
from tests.test_process import _fresh_database, servers  # noqa: F401 - the fixture

router = Router()


@router.route("GET", "/test/boom", operation_id="testBoom", tag="Test", auth=False)
async def boom_route(call: Call) -> None:
    """Always fails (this module is loaded as a plugin by the real-server test below)."""
    raise ValueError("bad data")


@hookimpl
def register_routes() -> Sequence[Operation]:
    return router.operations


class Lines(logging.Handler):
    """Every record with the correlation id it was written under."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[str, str, str, bool]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(
            (record.name, record.levelname, correlation_id.get(), record.exc_info is not None)
        )


@pytest.fixture
def lines() -> Iterator[Lines]:
    handler = Lines()
    root = logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(saved)


async def boom(request: Request) -> Response:
    raise ValueError("bad data")


def failing_app() -> Starlette:
    app = Starlette(routes=[Route("/boom", boom)], exception_handlers={Exception: _server_error})
    app.add_middleware(CorrelationMiddleware)
    return app


async def test_an_unhandled_error_is_one_line_with_the_request_id(lines: Lines) -> None:
    transport = httpx.ASGITransport(app=failing_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.get("/boom")
    assert r.status_code == 500
    assert r.json() == {"message": "Internal server error"}
    cid = r.headers["x-correlation-id"]
    ours = [line for line in lines.seen if line[0].startswith(("immich", "starlette", "hyper"))]
    assert ours == [("immich.app", "ERROR", cid, True)]


async def test_hypercorn_does_not_log_it_again() -> None:
    app = failing_app()
    transport = httpx.ASGITransport(app=app)  # re-raises what the app raised, as to hypercorn
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        with pytest.raises(ValueError, match="bad data") as raised:
            await client.get("/boom")
    record = logging.LogRecord(
        "hypercorn.error",
        logging.ERROR,
        "",
        0,
        "Error in ASGI Framework",
        None,
        (ValueError, raised.value, None),
    )
    assert not AlreadyLogged().filter(record)
    other = ValueError("raised outside any request")
    record.exc_info = (ValueError, other, None)
    assert AlreadyLogged().filter(record)


def test_a_real_server_logs_a_500_once(servers: Any, tmp_path: Path, pg_server: Any) -> None:  # noqa: F811
    url = asyncio.run(_fresh_database(pg_server, "errors"))
    env = {
        "DB_URL": url,
        "IMMICH_MEDIA_LOCATION": str(tmp_path / "media"),
        "IMMICH_ROLES": "api",
        "IMMICH_PLUGINS_SKIP": EXAMPLE_PLUGIN,
        "IMMICH_PLUGIN_MODULES": __name__,
    }
    server = servers(env)
    r = httpx.get(f"{server.url}/api/test/boom", timeout=10)
    assert r.status_code == 500 and r.json() == {"message": "Internal server error"}
    cid = r.headers["x-correlation-id"]
    assert httpx.get(f"{server.url}/api/server/ping", timeout=10).is_success
    output = server.output()
    assert output.count("Traceback") == 1, output
    assert output.count(cid) == 1, output
    (line,) = [x for x in output.splitlines() if cid in x]
    assert "ERROR [immich.app]" in line and "GET /api/test/boom 500" in line
    assert "Error in ASGI Framework" not in output
