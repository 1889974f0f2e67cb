"""HTTP API: one module per resource, each with a ``router``; collected here."""

from __future__ import annotations

import importlib

import pluggy
from starlette.routing import BaseRoute

from immich.api.routing import Operation, to_route
from immich.plugins import flatten

# Resource modules, each defining ``router = Router()``. Add new resources here.
MODULES: tuple[str, ...] = (
    "auth",
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
)


def collect_operations(pm: pluggy.PluginManager | None = None) -> list[Operation]:
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
    # Static paths before parameterised ones so /users/me wins over /users/{id}.
    ordered = sorted(ops, key=lambda op: ("{" in op.path, op.path))
    return [to_route(op) for op in ordered]
