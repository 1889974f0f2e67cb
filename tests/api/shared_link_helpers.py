"""Shared steps of the shared-link tests: links made through the API, visitors' headers."""

from __future__ import annotations

from typing import Any

import httpx

Headers = dict[str, str]


async def make_link(client: httpx.AsyncClient, headers: Headers, **body: Any) -> Any:
    """A new link (``type`` from the body: INDIVIDUAL with ``assetIds``, ALBUM with
    ``albumId``); its response."""
    kind = "ALBUM" if "albumId" in body else "INDIVIDUAL"
    r = await client.post("/api/shared-links", json={"type": kind, **body}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def by_key(link: Any) -> Headers:
    return {"x-immich-share-key": link["key"]}
