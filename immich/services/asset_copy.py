"""``PUT /api/assets/copy`` (Immich's AssetService.copy): move what belongs to one asset onto
another, e.g. from an edited export to its re-uploaded original.

Both assets must be the caller's (``asset.copy``, 400 otherwise) and distinct. Each part is on
unless asked off: ``albums`` (the target joins the source's albums), ``sharedLinks`` (no shared
links exist yet: nothing to do), ``stack`` (the target joins the source's stack; when it already
has one, the source's stack is merged into it), ``favorite`` (the target takes the source's
flag) and ``sidecar`` (the source's XMP file is copied to ``<target original>.xmp``, written to
a temporary name and renamed, then ``AssetExtractMetadata`` re-reads the target). Running it
twice gives the same result.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any

from immich.db.repos import Conn
from immich.db.repos import asset_copy as repo
from immich.db.repos import assets as assets_repo
from immich.db.repos import stacks as stacks_repo
from immich.db.session import after_commit
from immich.errors import BadRequest
from immich.jobs.names import JobName
from immich.jobs.queues import JobQueues, UnknownJob
from immich.jobs.types import JobRequest
from immich.services import access
from immich.storage.files import write_atomic

log = logging.getLogger(__name__)

EXTRACT_METADATA = JobName.AssetExtractMetadata


async def copy(
    db: Conn,
    queues: JobQueues,
    user_id: Any,
    source_id: str,
    target_id: str,
    *,
    albums: bool = True,
    shared_links: bool = True,
    stack: bool = True,
    favorite: bool = True,
    sidecar: bool = True,
    elevated: bool = False,
) -> None:
    await access.require_assets(
        db, user_id, "asset.copy", [source_id, target_id], elevated=elevated
    )
    source = await repo.get_for_copy(db, uuid.UUID(source_id))
    target = await repo.get_for_copy(db, uuid.UUID(target_id))
    if source is None or target is None:
        raise BadRequest("Both assets must exist")
    if source["id"] == target["id"]:
        raise BadRequest("Source and target id must be distinct")
    if albums:
        await repo.copy_albums(db, source["id"], target["id"])
    # shared_links: no shared links exist yet, so there is nothing to copy.
    if stack and source["stackId"] is not None and source["stackId"] != target["stackId"]:
        if target["stackId"] is not None:
            await stacks_repo.merge_into(db, source["stackId"], target["stackId"])
        else:
            await repo.set_stack(db, target["id"], source["stackId"])
    if favorite:
        await repo.set_favorite(db, target["id"], bool(source["isFavorite"]))
    if sidecar and source["sidecar"]:
        await _copy_sidecar(
            db, queues, Path(source["sidecar"]), target["id"], target["originalPath"]
        )


async def _copy_sidecar(
    db: Conn, queues: JobQueues, source: Path, target_id: uuid.UUID, original: str
) -> None:
    destination = Path(f"{original}.xmp")
    try:
        data = await asyncio.to_thread(source.read_bytes)
    except FileNotFoundError:
        raise BadRequest("Sidecar file not found") from None
    await asyncio.to_thread(write_atomic, destination, data)
    await assets_repo.add_file(db, target_id, "sidecar", str(destination))

    async def enqueue() -> None:
        try:
            await queues.enqueue(JobRequest(EXTRACT_METADATA, {"id": str(target_id)}))
        except UnknownJob:
            log.warning("no %s job registered: %s not re-read", EXTRACT_METADATA, target_id)

    await after_commit(db, enqueue)
