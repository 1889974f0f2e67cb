"""A failing request is logged once, with its correlation id and one traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from immich.app import CorrelationMiddleware, _server_error
from immich.cli.server import AlreadyLogged
from immich.log import correlation_id


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
