"""Routes as typed operations: auth, permission, body/query/path validation, JSON answers.

Each API module makes a ``router = Router()`` and declares endpoints with ``@router.route``;
``immich.api.collect_routes`` gathers them. The same ``Operation`` records drive the OpenAPI
document (``immich.api.spec``).

An endpoint declares its input once, in its signature: ``async def create_album(call:
Call[CreateAlbumDto])`` (a JSON body), ``Call[None, GetAlbumsDto]`` (a query),
``Call[Multipart[AssetMediaCreateDto]]`` (a form the endpoint reads itself). The router reads
that annotation, parses the input into ``call.body`` / ``call.query``, and the spec describes it.

The transaction boundary (DESIGN: the request owns the transaction; services never commit):
``call.db`` is the database handle an endpoint passes to services and repositories.

- POST/PUT/PATCH/DELETE: ``call.db`` is a transaction handle (``immich.db.session.Tx``) that
  begins on its first statement (a request that fails auth or validation, or never touches the
  database, holds no connection for it and sends no BEGIN), commits when the endpoint returns and rolls
  back when it raises (the error then answers Immich's error body as usual). From the moment
  the request runs it is piccolo's current transaction in the request's task, so piccolo
  ``.run()`` calls and nested ``ctx.db.transaction()`` blocks join it. Side effects wait for the
  commit: ``call.db.after_commit(cb)`` (services: ``await session.after_commit(db, cb)``) runs
  ``cb()`` once committed, never after a rollback: jobs are enqueued and files deleted then.
- GET/HEAD: ``call.db`` is the pool: reads run autocommit, a statement per pooled connection.
  Reads need no transaction, a read-only request then holds no connection between statements,
  and queries that run in parallel on several pooled connections (the timeline's large month
  runs its two halves at once) keep doing so; one transaction would force them onto one
  connection, one after the other. ``after_commit`` on the pool runs at once.
- ``transaction=True`` gives a GET the transaction (one that records something on first use).
- ``transaction=False`` on a mutating route that streams (``POST /assets``, ``POST
  /users/profile-image``): no request transaction (``call.db`` is the pool), so none stays open
  while bytes flow; the endpoint (or the upload service) opens a short one itself with ``async
  with call.ctx.db.transaction() as db`` around its database steps. File and video answers are
  GETs: on the pool already, and their bytes flow after the endpoint has returned anyway.

Authentication runs before, on the pool (a session's "last used" touch is kept even when the
request fails). The transaction ends before the response is sent: a streamed body and
Starlette background tasks run after the commit, outside it.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, Literal, get_args, get_origin

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
    from immich.db.repos import Conn
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
    # The request's database handle (see the module docstring): the transaction of a mutating
    # request, else the pool.
    db: Conn = attrs.field(default=None)

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
    # What an API key must hold: None is Immich's default, ``all``; False: any key will do.
    permission: str | Literal[False] | None = None
    summary: str = ""
    content_type: str = "application/json"
    # Request body media type; anything but JSON is left for the endpoint to read (multipart).
    body_type: str = "application/json"
    # More success statuses documented with the same response (uploadAsset: 200 and 201).
    other_statuses: tuple[int, ...] = ()
    # None: a transaction for POST/PUT/PATCH/DELETE; False: none (streaming endpoints open
    # short ones themselves); True: one whatever the method (a GET that records something).
    transaction: bool | None = None
    # Immich's ``@Authenticated({ sharedLink: true })``: a share key or slug may call it (a
    # link's visitor gets 403 everywhere else).
    shared_link: bool = False

    @property
    def in_transaction(self) -> bool:
        """Whether the boundary runs this operation in one transaction."""
        return self.method in MUTATING if self.transaction is None else self.transaction


MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


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
        permission: str | Literal[False] | None = None,
        summary: str = "",
        content_type: str = "application/json",
        other_statuses: tuple[int, ...] = (),
        transaction: bool | None = None,
        shared_link: bool = False,
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
                    transaction=transaction,
                    shared_link=shared_link,
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
        if name in ("id", "assetId", "albumId", "personId") and not UUID_RE.match(value)
    ]
    errors += [{"path": [n], "message": NUL_MESSAGE} for n, v in params.items() if "\0" in v]
    # the only {userId} path (album members) also takes "me", in Immich's words
    if params.get("userId", "me") != "me" and not UUID_RE.match(params["userId"]):
        errors.append({"path": ["userId"], "message": 'Must be a UUID v4 or "me"'})
    if errors:
        raise ValidationFailed(errors)


def to_route(op: Operation) -> Route:
    from immich.api._auth import authorize

    in_transaction = op.in_transaction

    async def handle(request: Request) -> Response:
        ctx: AppContext = request.app.state.ctx
        auth = await authorize(ctx, request, op)
        params = dict(request.path_params)
        _check_path(params)
        call: Call[Any, Any] = Call(
            request=request, ctx=ctx, auth=auth, path=params, db=ctx.db.pool
        )
        if op.query is not None:
            call.query = parse(op.query, dict(request.query_params), coerce=True)
        if op.body is not None and op.body_type == "application/json":
            call.body = parse(op.body, await _read_json(request))
        if in_transaction:
            async with ctx.db.transaction() as call.db:
                result = await op.endpoint(call)
        else:
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
