"""HTTP API: one module per resource, each with a ``router``; collected here with the routes
the loaded plugins add (``register_routes``)."""

from __future__ import annotations

import importlib

import pluggy
from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import Receive, Scope, Send

from immich.api.errors import NotFound
from immich.api.routing import Operation, to_route
from immich.plugins import flatten

# Resource modules, each defining ``router = Router()``. Add new resources here. Plugins add
# theirs through ``register_routes`` (collected after these; a route defined twice stops start-up).
MODULES: tuple[str, ...] = (
    "auth",
    "auth_pin",
    "server",
    "spec",
    "system_config",
    "users",
    "admin_users",
    "api_keys",
    "sessions",
    "queues",
    "jobs",
    "assets",
    "albums",
    "activities",
    "asset_media",
    "asset_jobs",
    "timeline",
    "trash",
    "asset_metadata",
    "stacks",
    "asset_copy",
    "profile_images",
    "system_metadata",
    "notifications",
    "tags",
    "download",
    "map",
    "view",
    "search",
    "memories",
    "shared_links",
    "partners",
    "sync",
)


def collect_operations(pm: pluggy.PluginManager | None = None) -> list[Operation]:
    """The core's operations, then those of ``pm``'s plugins: a skipped plugin's are absent
    (from the routes and from ``/api/spec.json``, which is built from this list)."""
    ops: list[Operation] = []
    for name in MODULES:
        module = importlib.import_module(f"immich.api.{name}")
        ops.extend(module.router.operations)
    if pm is not None:
        ops.extend(flatten(pm.hook.register_routes()))
    seen: set[tuple[str, str]] = set()
    for op in ops:
        key = (op.method, op.path)
        if key in seen:
            raise RuntimeError(f"route defined twice: {op.method} {op.path}")
        seen.add(key)
    return ops


def build_routes(ops: list[Operation]) -> list[BaseRoute]:
    """One ``/api`` mount that dispatches on the first path segment (``/api/users/...`` ->
    the users routes) with a dict look-up, instead of Starlette trying ~200 regexes in turn."""
    # Static paths before parameterised ones so /users/me wins over /users/{id}.
    ordered = sorted(ops, key=lambda op: ("{" in op.path, op.path))
    groups: dict[str, list[BaseRoute]] = {}
    for op in ordered:
        groups.setdefault(op.path.split("/")[1], []).append(to_route(op))
    return [Mount("/api", app=_SegmentDispatch(groups))]


class _SegmentDispatch:
    def __init__(self, groups: dict[str, list[BaseRoute]]) -> None:
        self.routers = {segment: Router(routes=routes) for segment, routes in groups.items()}
        self.fallback = Router(routes=[Route("/{rest:path}", _not_found, methods=_METHODS)])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        segment = get_route_path(scope).split("/", 2)[1] if scope["type"] == "http" else ""
        router = self.routers.get(segment, self.fallback)
        await router(scope, receive, send)


_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


async def _not_found(request: Request) -> Response:
    raise NotFound(f"Cannot {request.method} {request.url.path}")
