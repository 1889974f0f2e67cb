"""immich/api/__init__.py: the core's operations plus the loaded plugins' (register_routes)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from immich import hookimpl
from immich.api import collect_operations
from immich.api.routing import Call, Operation, Router
from immich.plugins import make_manager

clash = Router()


@clash.route("GET", "/server/ping", operation_id="pingServer", tag="Server", auth=False)
async def _ping(call: Call) -> None:
    """A second ping"""


class _Clashing:
    @hookimpl
    def register_routes(self) -> Sequence[Operation]:
        return clash.operations


def test_plugin_routes_follow_the_core_and_leave_with_the_plugin() -> None:
    core = collect_operations()
    with_video = collect_operations(make_manager(allow=["video"]))
    assert with_video[: len(core)] == core
    added = {op.operation_id for op in with_video[len(core) :]}
    assert {"playAssetVideo", "getMainPlaylist", "getSegment"} <= added
    assert not added & {op.operation_id for op in core}
    assert collect_operations(make_manager(allow=())) == core


def test_a_route_defined_twice_stops_start_up() -> None:
    with pytest.raises(RuntimeError, match="route defined twice: GET /server/ping"):
        collect_operations(make_manager(allow=(), extra=[("clash", _Clashing())]))
