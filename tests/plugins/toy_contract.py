"""A toy plugin implementing hooks for the contract tests; it records what the core asked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from immich import hookimpl
from immich.api.dto import field
from immich.api.routing import Call, Operation, Router
from immich.context import AppContext
from immich.jobs.types import JobRequest

calls: list[tuple[str, Any]] = []
router = Router()


@attrs.frozen
class ToyEchoDto:
    word: str = field(description="A word to echo")


@router.route("POST", "/toy/echo", operation_id="toyEcho", tag="Toy", response=ToyEchoDto)
async def echo(call: Call[ToyEchoDto]) -> ToyEchoDto:
    """Echo a word back (signed-in users only)."""
    return ToyEchoDto(word=call.body.word.upper())


class ToyPlugin:
    @hookimpl
    def register_routes(self) -> Sequence[Operation]:
        return router.operations

    @hookimpl
    def on_asset_uploaded(self, ctx: AppContext, asset: Mapping[str, Any]) -> Sequence[JobRequest]:
        calls.append(("on_asset_uploaded", asset["id"]))
        return [JobRequest(name="toyFollowUp", data={"id": asset["id"]})]

    @hookimpl
    def startup(self, ctx: AppContext) -> Any:
        async def started() -> None:
            calls.append(("startup", await ctx.db.pool.fetchval("SELECT 1")))

        return started()

    @hookimpl
    def shutdown(self, ctx: AppContext) -> None:
        calls.append(("shutdown", ctx.db is not None))


class MisspeltPlugin:
    @hookimpl
    def register_jbos(self) -> list[Any]:  # not in the contract
        return []
