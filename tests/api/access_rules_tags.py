"""Access rules for tags (Immich's TagService).

A tag is its owner's alone (``tag.<read|update|delete|asset>``, Immich's ``checkOwnerAccess``):
naming a stranger's tag, as the path id or a new tag's ``parentId``, is refused whole. Putting a
tag on an asset also needs the asset: ``asset.share`` for ``PUT /tags/{id}/assets`` (per-id
``no_permission``, so an album member may not tag a shared asset, nor the owner a locked one),
``asset.update`` for the bulk ``PUT /tags/assets``, which drops what fails silently (``count``
0). Taking the owner's tag off needs no asset check, and only assets carrying it are found.
"""

from __future__ import annotations

import uuid

import httpx

from tests.api.access_model import (
    OWNER,
    PARTNER,
    Expect,
    Probe,
    Request,
    Things,
    bulk_refused,
    no_access,
    status,
)


def counted(n: int) -> Expect:
    """``PUT /tags/assets``: 200 with ``count`` n (what was tagged)."""

    def check(r: httpx.Response, _: Things) -> str | None:
        if r.status_code != 200 or r.json() != {"count": n}:
            return f"got {r.status_code} {r.text[:200]}"
        return None

    return Expect(f"200 count={n}", check)


def _tag(o: Things, c: Things) -> Request:
    return Request(path={"id": o.tag})


TAG_RULES: dict[str, list[Probe]] = {
    "getTagById": [Probe(_tag, no_access("tag.read"), status(200))],
    "createTag": [
        Probe(
            lambda o, c: Request(json={"name": uuid.uuid4().hex[:12], "parentId": o.tag}),
            no_access("tag.read"),
            status(201),
        )
    ],
    "updateTag": [
        Probe(
            lambda o, c: Request({"id": o.tag}, {"color": "#ff0000"}),
            no_access("tag.update"),
            status(200),
        )
    ],
    "deleteTag": [Probe(_tag, no_access("tag.delete"), fresh=("tag",))],
    "tagAssets": [
        # the owner's tag on the caller's asset: refused outright
        Probe(
            lambda o, c: Request({"id": o.tag}, {"ids": [c.asset]}),
            no_access("tag.asset"),
            status(200),
            fresh=("tag", "asset"),
        ),
        # the caller's own tag on the owner's asset (an album member's too): refused per id;
        # the owner's partner holds asset.share on it
        Probe(
            lambda o, c: Request({"id": c.tag}, {"ids": [o.asset]}),
            bulk_refused(),
            status(200),
            grants=frozenset({OWNER, PARTNER}),
            fresh=("tag", "album_asset"),
        ),
        # a locked asset: not even its owner (asset.share never passes for one)
        Probe(
            lambda o, c: Request({"id": c.tag}, {"ids": [o.asset]}),
            bulk_refused(),
            bulk_refused(),
            fresh=("tag", "locked_asset"),
        ),
    ],
    "untagAssets": [
        Probe(
            lambda o, c: Request({"id": o.tag}, {"ids": [o.asset]}),
            no_access("tag.asset"),
            status(200),
            fresh=("tagged_asset",),
        ),
        # the caller's own tag, the owner's tagged asset: it does not carry the caller's tag
        Probe(
            lambda o, c: Request({"id": c.tag}, {"ids": [o.asset]}),
            bulk_refused("not_found"),
            status(200),
            fresh=("tagged_asset",),
        ),
    ],
    "bulkTagAssets": [
        # the owner's tag on the caller's asset, the caller's tag on the owner's asset: each
        # dropped silently
        Probe(
            lambda o, c: Request(json={"tagIds": [o.tag], "assetIds": [c.asset]}),
            counted(0),
            counted(1),
            fresh=("tag", "asset"),
        ),
        Probe(
            lambda o, c: Request(json={"tagIds": [c.tag], "assetIds": [o.asset]}),
            counted(0),
            counted(1),
            fresh=("tag", "album_asset"),
        ),
        # a locked asset: not its owner either without an unlocked PIN
        Probe(
            lambda o, c: Request(json={"tagIds": [c.tag], "assetIds": [o.asset]}),
            counted(0),
            counted(0),
            fresh=("tag", "locked_asset"),
        ),
    ],
}
