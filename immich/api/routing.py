"""Routes as typed operations: auth, permission, body/query/path validation, JSON answers.

Each API module makes a ``router = Router()`` and declares endpoints with ``@router.route``;
``immich.api.collect_routes`` gathers them. The same ``Operation`` records drive the OpenAPI
document (``immich.api.spec``).

An endpoint declares its input once, in its signature: ``async def create_album(call:
Call[CreateAlbumDto])`` (a JSON body), ``Call[None, GetAlbumsDto]`` (a query),
``Call[Multipart[AssetMediaCreateDto]]`` (a form the endpoint reads itself). The router reads
that annotation, parses the input into ``call.body`` / ``call.query``, and the spec describes it.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, get_args, get_origin

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from typing_extensions import TypeVar

from immich.api._dto_base import NUL_MESSAGE
from immich.api.dto import UUID_RE, dump, parse
from immich.api.errors import ApiError, ValidationFailed

if TYPE_CHECKING:
    from immich.context import AppContext
    from immich.services.auth import AuthContext


# Defaults are Any so that a helper taking a bare ``Call`` accepts every route's call.
Body = TypeVar("Body", default=Any)
Query = TypeVar("Query", default=Any)
Form = TypeVar("Form")


class Multipart(Generic[Form]):
    """``Call[Multipart[Dto]]``: a multipart body described by ``Dto``, read by the endpoint."""


@attrs.define
class Call(Generic[Body, Query]):
    """What an endpoint gets: the request, app context, caller, parsed input.

    ``Call[Body, Query]`` declares the route's JSON body and query DTOs (``None``: none);
    a bare ``Call`` declares neither.
    """

    request: Request
    ctx: AppContext
    auth: AuthContext | None
    body: Body = attrs.field(default=None)
    query: Query = attrs.field(default=None)
    path: dict[str, str] = attrs.field(factory=dict)

    @property
    def user(self) -> Any:
        assert self.auth is not None
        return self.auth.user


Endpoint = Callable[[Call[Any, Any]], Awaitable[Any]]
E = TypeVar("E", bound=Endpoint)


@attrs.frozen
class Inputs:
    """What an endpoint's ``Call[...]`` annotation declares."""

    body: type | None = None
    query: type | None = None
    body_type: str = "application/json"


def declared_inputs(fn: Callable[..., Any]) -> Inputs:
    """The body and query DTOs of an endpoint, read from its first parameter's annotation."""
    name = next(iter(fn.__code__.co_varnames[: fn.__code__.co_argcount]), None)
    raw = fn.__annotations__.get(name or "", None)
    if raw is None:
        return Inputs()
    holder = types.SimpleNamespace(__annotations__={"call": raw})
    hint = typing.get_type_hints(holder, globalns=fn.__globals__)["call"]
    if get_origin(hint) is not Call:
        return Inputs()
    body, query = (None if a in (None, type(None), Any) else a for a in get_args(hint))
    if get_origin(body) is Multipart:
        return Inputs(body=get_args(body)[0], query=query, body_type="multipart/form-data")
    return Inputs(body=body, query=query)


@attrs.frozen
class Operation:
    method: str
    path: str  # OpenAPI form, without the /api prefix: /users/{id}
    endpoint: Endpoint
    operation_id: str
    tag: str
    body: type | None = None
    query: type | None = None
    response: Any = None  # DTO class, list[DTO], dict, or None (no content)
    status: int = 200
    auth: bool = True
    admin: bool = False
    permission: str | None = None
    summary: str = ""
    content_type: str = "application/json"
    # Request body media type; anything but JSON is left for the endpoint to read (multipart).
    body_type: str = "application/json"
    # More success statuses documented with the same response (uploadAsset: 200 and 201).
    other_statuses: tuple[int, ...] = ()


class Router:
    def __init__(self) -> None:
        self.operations: list[Operation] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        operation_id: str,
        tag: str,
        response: Any = None,
        status: int = 200,
        auth: bool = True,
        admin: bool = False,
        permission: str | None = None,
        summary: str = "",
        content_type: str = "application/json",
        other_statuses: tuple[int, ...] = (),
    ) -> Callable[[E], E]:
        def decorate(fn: E) -> E:
            inputs = declared_inputs(fn)
            self.operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    endpoint=fn,
                    operation_id=operation_id,
                    tag=tag,
                    body=inputs.body,
                    query=inputs.query,
                    response=response,
                    status=status,
                    auth=auth,
                    admin=admin,
                    permission=permission,
                    summary=summary or (fn.__doc__ or "").strip().split("\n")[0],
                    content_type=content_type,
                    body_type=inputs.body_type,
                    other_statuses=other_statuses,
                )
            )
            return fn

        return decorate


def json_response(data: Any, status: int = 200) -> Response:
    body = json.dumps(dump(data), separators=(",", ":"), ensure_ascii=False).encode()
    return Response(body, status_code=status, media_type="application/json")


async def _read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError("Invalid JSON body", 400) from None


def _check_path(params: dict[str, str]) -> None:
    errors = [
        {"path": [name], "message": "Invalid UUID"}
        for name, value in params.items()
        if name in ("id", "userId", "assetId", "albumId", "personId") and not UUID_RE.match(value)
    ]
    errors += [{"path": [n], "message": NUL_MESSAGE} for n, v in params.items() if "\0" in v]
    if errors:
        raise ValidationFailed(errors)


def to_route(op: Operation) -> Route:
    from immich.api._auth import authorize

    async def handle(request: Request) -> Response:
        ctx: AppContext = request.app.state.ctx
        auth = await authorize(ctx, request, op)
        params = dict(request.path_params)
        _check_path(params)
        call: Call[Any, Any] = Call(request=request, ctx=ctx, auth=auth, path=params)
        if op.query is not None:
            call.query = parse(op.query, dict(request.query_params), coerce=True)
        if op.body is not None and op.body_type == "application/json":
            call.body = parse(op.body, await _read_json(request))
        result = await op.endpoint(call)
        if isinstance(result, Response):
            return result
        if result is None and op.response is None:
            return Response(status_code=204 if op.status == 200 else op.status)
        return json_response(result, op.status)

    return Route(op.path, handle, methods=[op.method], name=op.operation_id)


__all__ = [
    "Call",
    "JSONResponse",
    "Multipart",
    "Operation",
    "Router",
    "declared_inputs",
    "json_response",
    "to_route",
]
