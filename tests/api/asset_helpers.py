"""Shared steps for the asset and album tests: uploads, rows, files on disk."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import httpx

from immich.db.repos import users

DATE = "2024-05-01T10:20:30.000Z"
UNKNOWN_ID = "4a1b0a7e-5c1d-4c1e-9d2a-0b7c3e5f6a11"


def sha1(data: bytes) -> bytes:
    return hashlib.sha1(data, usedforsecurity=False).digest()


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes,
    name: str = "photo.jpg",
    *,
    sidecar: bytes | None = None,
    sidecar_name: str = "photo.xmp",
    **fields: str,
) -> httpx.Response:
    """POST /api/assets as the Immich CLI does (dates, size, favourite, then the file)."""
    data = {
        "fileCreatedAt": DATE,
        "fileModifiedAt": DATE,
        "fileSize": str(len(content)),
        "isFavorite": "false",
        **fields,
    }
    files: dict[str, Any] = {"assetData": (name, content, "application/octet-stream")}
    if sidecar is not None:
        files["sidecarData"] = (sidecar_name, sidecar, "application/octet-stream")
    return await client.post("/api/assets", headers=headers, data=data, files=files)


async def uploaded(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes, filename: str = "a.jpg"
) -> str:
    r = await upload(client, headers, content, filename)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def files_under(folder: Path) -> list[str]:
    """Every file below ``folder`` (relative paths, sorted), markers left out."""
    if not folder.exists():
        return []
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            if name != ".immich":
                found.append(str(Path(root, name).relative_to(folder)))
    return sorted(found)


async def user_id(app: Any, email: str = "admin@example.com") -> Any:
    row = await users.get_by_email(app.state.ctx.db.pool, email)
    assert row is not None
    return row["id"]


def upload_dir(app: Any, owner: Any) -> Path:
    return Path(app.state.ctx.settings.media_location) / "upload" / str(owner)


def exists(*paths: Path) -> list[bool]:
    """Whether each file exists (a plain function: async tests must not touch files)."""
    return [p.exists() for p in paths]


def read(path: Path) -> bytes:
    return path.read_bytes()


async def shared_album(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    asset_ids: list[str],
    user_id: str,
    role: str = "viewer",
) -> str:
    """POST /api/albums: a new album of these assets, shared with one user in ``role``; its id."""
    body = {
        "albumName": "shared",
        "assetIds": asset_ids,
        "albumUsers": [{"userId": user_id, "role": role}],
    }
    r = await client.post("/api/albums", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])
