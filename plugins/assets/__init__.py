"""Asset housekeeping jobs (Immich's, on the ``backgroundTask`` queue).

- ``FileDelete {files: [path, ...]}``: remove files of deleted assets. A path some asset row
  still uses is kept (files go only after their row), a missing file is fine: running it twice
  gives the same result.
- ``AssetDelete {id}``: delete one asset for good (row first, then its files through
  ``FileDelete``), as the trash purge needs; an asset already gone is a no-op.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from immich import hookimpl
from immich.context import AppContext
from immich.jobs.types import JobDefinition
from immich.services import assets as asset_service

QUEUE = "backgroundTask"


async def file_delete(ctx: AppContext, data: Mapping[str, Any]) -> dict[str, list[str]]:
    files = [str(f) for f in data.get("files") or [] if f]
    return await asset_service.remove_unreferenced(ctx.db.pool, files)


async def asset_delete(ctx: AppContext, data: Mapping[str, Any]) -> dict[str, list[str]]:
    async with ctx.db.transaction() as db:
        files = await asset_service.delete_permanently(db, ctx.queues, [str(data["id"])])
    return {"files": files}


@hookimpl
def register_jobs() -> Sequence[JobDefinition]:
    return [
        JobDefinition(name=asset_service.FILE_DELETE, queue=QUEUE, handler=file_delete),
        JobDefinition(name=asset_service.ASSET_DELETE, queue=QUEUE, handler=asset_delete),
    ]
