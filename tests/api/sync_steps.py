"""Shared steps of the sync tests: run a stream (each line checked against Immich's schema of
its type), send its acks, and name each line by what it is about."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.api.test_sync_schema import line_errors

Headers = dict[str, str]

# Every 3.1 request type whose feature exists, in no particular order (the server orders them).
TYPES = [
    "MemoryToAssetsV1",
    "AuthUsersV1",
    "UsersV1",
    "AssetsV2",
    "AssetExifsV1",
    "AssetMetadataV1",
    "StacksV1",
    "UserMetadataV1",
    "AlbumsV2",
    "AlbumUsersV1",
    "AlbumAssetsV2",
    "AlbumToAssetsV1",
    "AlbumAssetExifsV1",
    "PartnersV1",
    "PartnerAssetsV2",
    "PartnerAssetExifsV1",
    "PartnerStacksV1",
    "MemoriesV1",
]


async def stream(
    client: httpx.AsyncClient, headers: Headers, types: list[str] | None = None, **extra: Any
) -> list[dict[str, Any]]:
    """The stream's lines, each valid for its type; all but a reset end with SyncCompleteV1."""
    body = {"types": TYPES if types is None else types, **extra}
    r = await client.post("/api/sync/stream", headers=headers, json=body)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/jsonlines+json"
    assert r.text.endswith("\n")
    lines = [json.loads(text) for text in r.text.splitlines()]
    problems = [e for line in lines for e in line_errors(line)]
    assert problems == [], problems
    if lines[0]["type"] != "SyncResetV1":
        assert lines[-1]["type"] == "SyncCompleteV1"
        assert [x["type"] for x in lines].count("SyncCompleteV1") == 1
    return lines


async def send_acks(client: httpx.AsyncClient, headers: Headers, lines: list[Any]) -> None:
    """Ack what was received, as the app does: the last ack of each type."""
    last = {line["ack"].split("|")[0]: line["ack"] for line in lines}
    r = await client.post("/api/sync/ack", headers=headers, json={"acks": list(last.values())})
    assert r.status_code == 204, r.text


async def sync_and_ack(client: httpx.AsyncClient, headers: Headers, **kw: Any) -> list[Any]:
    lines = await stream(client, headers, **kw)
    await send_acks(client, headers, lines)
    return lines


KEYS = (
    "id",
    "assetId",
    "albumId",
    "userId",
    "role",
    "memoryId",
    "stackId",
    "sharedById",
    "sharedWithId",
    "key",
)


def what(line: dict[str, Any]) -> tuple[Any, ...]:
    """``(type, ids...)``: the line's type and the ids (and key) its data is about; an ack line
    names its ack."""
    data = line["data"]
    if line["type"] == "SyncAckV1":
        return (line["type"], line["ack"])
    if not data:
        return (line["type"],)
    if "checksum" in data:  # an asset
        return (line["type"], data["id"])
    return (line["type"], *(data[k] for k in KEYS if k in data))


def summary(lines: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [what(line) for line in lines]
