"""Access rules for memories (Immich's MemoryService).

A memory is its owner's alone (``memory.<read|update|delete>``, Immich's ``checkOwnerAccess``,
trashed ones out of reach): naming a stranger's memory as the path id is refused whole. Putting
an asset in a memory also needs the asset's ``asset.share`` (its owner, never a locked one):
``createMemory`` drops what fails silently, ``addMemoryAssets`` answers per id
(``no_permission``), so an album member may not put the owner's shared asset in a memory of
theirs. Taking assets out of the owner's memory needs no asset check.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.access_model import (
    ANONYMOUS,
    ASSET_SHARERS,
    KEY,
    LINK_ACTORS,
    OWNER,
    Expect,
    Probe,
    Request,
    Things,
    bulk_refused,
    hidden,
    no_access,
    status,
)


def memory_body(*asset_ids: str) -> dict[str, Any]:
    return {
        "type": "on_this_day",
        "data": {"year": 2020},
        "memoryAt": "2020-05-04T00:00:00.000Z",
        "assetIds": list(asset_ids),
    }


async def _create(client: httpx.AsyncClient, headers: dict[str, str], *asset_ids: str) -> str:
    r = await client.post("/api/memories", headers=headers, json=memory_body(*asset_ids))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def _memory(world: Any, owner: Things) -> None:
    """A memory of the owner's holding the copy's asset."""
    owner.memory = await _create(world.client, owner.headers, owner.asset)


async def _everyones_memory(world: Any, owner: Things) -> None:
    """An empty memory for every signed-in actor; the owner's in the copy (which is the
    caller's things for the owner, its API key and the anonymous caller)."""
    for name, actor in world.actors.items():
        if name not in (OWNER, KEY, ANONYMOUS, *LINK_ACTORS):
            actor.memory = await _create(world.client, actor.headers)
    owner.memory = await _create(world.client, owner.headers)


MEMORY_FRESH = {"memory": _memory, "everyones_memory": _everyones_memory}


def added() -> Expect:
    """200, every entry ``success: true``."""

    def check(r: httpx.Response, _: Things) -> str | None:
        if r.status_code != 200 or not r.json() or not all(e["success"] for e in r.json()):
            return f"got {r.status_code} {r.text[:200]}"
        return None

    return Expect("200, each success=true", check)


def _memory_path(o: Things, c: Things) -> Request:
    return Request(path={"id": o.memory})


MEMORY_RULES: dict[str, list[Probe]] = {
    "getMemory": [Probe(_memory_path, no_access("memory.read"), status(200), fresh=("memory",))],
    "updateMemory": [
        Probe(
            lambda o, c: Request({"id": o.memory}, {"isSaved": True}),
            no_access("memory.update"),
            status(200),
            fresh=("memory",),
        )
    ],
    "deleteMemory": [Probe(_memory_path, no_access("memory.delete"), fresh=("memory",))],
    "createMemory": [
        # the owner's asset in a memory of the caller's: dropped silently
        Probe(
            lambda o, c: Request(json=memory_body(o.asset)),
            hidden(201),
            status(201),
            grants=ASSET_SHARERS,
            fresh=("asset",),
        ),
        # a locked asset: not its owner either
        Probe(
            lambda o, c: Request(json=memory_body(o.asset)),
            hidden(201),
            hidden(201),
            fresh=("locked_asset",),
        ),
    ],
    "addMemoryAssets": [
        # the owner's memory: refused outright
        Probe(
            lambda o, c: Request({"id": o.memory}, {"ids": [c.asset]}),
            no_access("memory.read"),
            status(200),
            fresh=("asset", "memory"),
        ),
        # the caller's own memory, the owner's asset (an album member's too): refused per id
        Probe(
            lambda o, c: Request({"id": c.memory}, {"ids": [o.asset]}),
            bulk_refused(),
            added(),
            grants=ASSET_SHARERS,
            fresh=("album_asset", "everyones_memory"),
        ),
        # a locked asset: not even its owner
        Probe(
            lambda o, c: Request({"id": c.memory}, {"ids": [o.asset]}),
            bulk_refused(),
            bulk_refused(),
            fresh=("locked_asset", "everyones_memory"),
        ),
    ],
    "removeMemoryAssets": [
        Probe(
            lambda o, c: Request({"id": o.memory}, {"ids": [o.asset]}),
            no_access("memory.update"),
            added(),
            fresh=("asset", "memory"),
        ),
        # the caller's own memory: the owner's asset is not in it
        Probe(
            lambda o, c: Request({"id": c.memory}, {"ids": [o.asset]}),
            bulk_refused("not_found"),
            bulk_refused("not_found"),
            fresh=("asset", "memory", "everyones_memory"),
        ),
    ],
}
