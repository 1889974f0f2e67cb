"""Tag rules (Immich's TagService and ``upsertTags``).

A tag is its owner's alone: reading, changing, deleting or using one needs it to be the
caller's (400 ``Not found or no tag.<read|update|delete|asset> access`` otherwise). Values are
paths: upserting ``a/b/c`` makes ``a``, ``a/b`` and ``a/b/c``, each under the one above;
``createTag`` makes one tag, under ``parentId`` when given. Deleting a tag deletes its children.

Tagging an asset needs ``asset.share`` on it (``PUT /tags/{id}/assets``, per-asset answers) or
``asset.update`` (``PUT /tags/assets``, the bulk form, which skips what the caller may not
touch). Every change of an asset's tags writes their values into ``asset_exif.tags`` and locks
that column, so a metadata refresh keeps them; otherwise the refresh reads the file's keywords
(``apply_file_keywords``) and the asset carries exactly those. Each asset whose tags changed
gets a ``SidecarWrite`` after commit (Immich's ``AssetTag``/``AssetUntag`` events), which puts
them in its XMP sidecar.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from immich.db.repos import Conn, Row
from immich.db.repos import tags as repo
from immich.errors import BadRequest
from immich.jobs.queues import JobQueues
from immich.jobs.sidecar_writes import queue_sidecar_writes
from immich.services import access
from immich.services.auth import AuthContext

BulkResult = dict[str, Any]  # BulkIdResponseDto-shaped: id, success, error?


async def get_all(db: Conn, auth: AuthContext) -> list[Row]:
    return await repo.list_for_user(db, auth.user_id)


async def _find(db: Conn, tag_id: str | uuid.UUID) -> Row:
    row = await repo.get(db, tag_id)
    if row is None:
        raise BadRequest("Tag not found")
    return row


async def get(db: Conn, auth: AuthContext, tag_id: str) -> Row:
    await access.require_tags(db, auth.user_id, "tag.read", [tag_id])
    return await _find(db, tag_id)


async def create(
    db: Conn, auth: AuthContext, name: str, parent_id: str | None, color: str | None
) -> Row:
    """One tag named ``name`` (under ``parent_id``'s value when given)."""
    parent: Row | None = None
    if parent_id:
        await access.require_tags(db, auth.user_id, "tag.read", [parent_id])
        parent = await _find(db, parent_id)
    value = f"{parent['value']}/{name}" if parent is not None else name
    if await repo.get_by_value(db, auth.user_id, value) is not None:
        raise BadRequest("A tag with that name already exists")
    return await repo.create(
        db, auth.user_id, value, color=color, parent_id=parent["id"] if parent else None
    )


async def update(db: Conn, auth: AuthContext, tag_id: str, changes: Mapping[str, Any]) -> Row:
    """Change the tag's ``color`` (None clears it); nothing else of a tag changes."""
    await access.require_tags(db, auth.user_id, "tag.update", [tag_id])
    if "color" not in changes:
        return await _find(db, tag_id)
    return await repo.update_color(db, tag_id, changes["color"])


async def upsert(db: Conn, auth: AuthContext, values: Iterable[str]) -> list[Row]:
    """Each value's tag (made with its parents where missing), in the asked order."""
    return await repo.upsert_paths(db, auth.user_id, values)


async def delete(db: Conn, auth: AuthContext, tag_id: str) -> None:
    await access.require_tags(db, auth.user_id, "tag.delete", [tag_id])
    await repo.delete(db, tag_id)


async def bulk_tag_assets(
    db: Conn,
    auth: AuthContext,
    tag_ids: Iterable[str],
    asset_ids: Iterable[str],
    *,
    queues: JobQueues | None = None,
) -> int:
    """Every allowed tag on every allowed asset; how many (asset, tag) pairs were new. Tags
    not the caller's and assets it may not update are left out silently, as Immich."""
    tags = await access.allowed_tags(db, auth.user_id, "tag.asset", tag_ids)
    wanted_assets = list(dict.fromkeys(uuid.UUID(str(i)) for i in asset_ids))
    assets = await access.allowed_assets(
        db, auth.user_id, "asset.update", wanted_assets, elevated=auth.elevated
    )
    wanted_tags = [t for t in dict.fromkeys(uuid.UUID(str(i)) for i in tag_ids) if t in tags]
    added = await repo.add_pairs(db, wanted_tags, [a for a in wanted_assets if a in assets])
    changed = [r["assetId"] for r in added]
    await repo.sync_exif_tags(db, changed)
    await queue_sidecar_writes(db, queues, changed)
    return len(added)


async def tag_assets(
    db: Conn,
    auth: AuthContext,
    tag_id: str,
    asset_ids: Iterable[str],
    *,
    queues: JobQueues | None = None,
) -> list[BulkResult]:
    """PUT /tags/{id}/assets: a result per asked id, in order (``duplicate`` when it already
    carries the tag, ``no_permission`` without ``asset.share``)."""
    await access.require_tags(db, auth.user_id, "tag.asset", [tag_id])
    ids = [uuid.UUID(str(i)) for i in asset_ids]
    present = await repo.asset_ids_with(db, tag_id, ids)
    results, added = await access.sort_additions(db, auth.user_id, ids, present)
    await repo.add_assets(db, tag_id, added)
    await repo.sync_exif_tags(db, added)
    await queue_sidecar_writes(db, queues, added)
    return results


async def untag_assets(
    db: Conn,
    auth: AuthContext,
    tag_id: str,
    asset_ids: Iterable[str],
    *,
    queues: JobQueues | None = None,
) -> list[BulkResult]:
    """DELETE /tags/{id}/assets: a result per asked id, in order (``not_found`` when it does
    not carry the tag). The tag's owner may always take it off (Immich's ``tag.delete``
    rule), so no asset check follows."""
    await access.require_tags(db, auth.user_id, "tag.asset", [tag_id])
    ids = [uuid.UUID(str(i)) for i in asset_ids]
    present = await repo.asset_ids_with(db, tag_id, ids)
    results: list[BulkResult] = []
    removed: list[uuid.UUID] = []
    for asset_id in ids:
        if asset_id not in present:
            results.append({"id": str(asset_id), "success": False, "error": "not_found"})
        else:
            present.discard(asset_id)
            removed.append(asset_id)
            results.append({"id": str(asset_id), "success": True})
    await repo.remove_assets(db, tag_id, removed)
    await repo.sync_exif_tags(db, removed)
    await queue_sidecar_writes(db, queues, removed)
    return results


async def of_asset(db: Conn, asset_id: str | uuid.UUID) -> list[Row]:
    """The tags an asset answer shows (``AssetResponseDto.tags``)."""
    return await repo.of_asset(db, asset_id)


async def apply_file_keywords(db: Conn, asset_id: uuid.UUID, owner_id: uuid.UUID) -> list[Row]:
    """After metadata extraction: the asset carries exactly the tags of its ``asset_exif.tags``
    (the file's keywords, or the owner's own tags when they locked them), made where missing
    (Immich's ``applyTagList``). Run in the job's transaction."""
    found = await repo.upsert_paths(db, owner_id, await repo.exif_tags(db, asset_id))
    await repo.replace_for_asset(db, asset_id, [t["id"] for t in found])
    return found
