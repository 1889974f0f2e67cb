"""Start and stop the worker and scheduler roles (FOUNDATION SLICE: being built)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from immich.context import AppContext


async def start_roles(ctx: AppContext) -> None:
    return None


async def stop_roles(ctx: AppContext) -> None:
    return None
