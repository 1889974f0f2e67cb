"""What each sync request type sends (Immich's sync.service handlers): deletes first, then
changes, each in change-id order; the album and partner types also backfill the older rows of an
album or partner the user got since their last sync, and the album asset types tell assets new
to the client (creates) from changes to ones it has (updates)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from immich.db.repos import sync as repo
from immich.db.repos import sync_shared as shared
from immich.db.repos._query import Compiled
from immich.db.repos.sync import Window
from immich.services.sync import BACKFILLS, COMPLETE_ID, Line, Plan, to_ack
from immich.services.sync_types import SyncEntityType as E
from immich.services.sync_types import SyncRequestType as R

Query = Callable[[Window], Compiled]
EntityQuery = Callable[[Window, uuid.UUID], Compiled]
Lines = AsyncIterator[Line]


class Run:
    """One stream in progress: its connection and plan."""

    def __init__(self, conn: Any, plan: Plan) -> None:
        assert plan.now_id is not None
        self.conn = conn
        self.plan = plan
        self.user_id = plan.user_id
        self.now_id: uuid.UUID = plan.now_id

    def window(self, type_: E) -> Window:
        """Changes of ``type_`` the client has not acked."""
        mark = self.plan.checkpoints.get(type_)
        return Window(self.user_id, self.now_id, after=mark.update_id if mark else None)

    async def rows(self, type_: E, query: Compiled) -> Lines:
        async for row in repo.stream(self.conn, query):
            yield Line(type_, row["data"], to_ack(type_, row["_id"]))

    async def changes(self, type_: E, query: Query) -> Lines:
        async for line in self.rows(type_, query(self.window(type_))):
            yield line

    async def backfill(self, request: R, query: EntityQuery) -> Lines:
        """The older rows of each album or partner the user got since their last sync, up to
        the gate type's checkpoint; each entity ends with an ack marking it complete."""
        rule = BACKFILLS[request]
        gate = self.plan.checkpoints.get(rule.gate)
        if gate is None:
            return
        mark = self.plan.checkpoints.get(rule.type)
        for entity_id, create_id in self.plan.backfills.get(rule.type, []):
            current = mark is not None and mark.update_id == create_id
            if current and mark is not None and mark.extra_id == COMPLETE_ID:
                continue
            start = uuid.UUID(mark.extra_id) if current and mark and mark.extra_id else None
            w = Window(self.user_id, self.now_id, after=start, before=gate.update_id)
            async for row in repo.stream(self.conn, query(w, entity_id)):
                yield Line(rule.type, row["data"], to_ack(rule.type, create_id, row["_id"]))
            yield Line(E.SyncAckV1, {}, to_ack(rule.type, create_id, COMPLETE_ID))


def simple(delete_type: E | None, deletes: Query | None, upsert_type: E, upserts: Query) -> Any:
    """A type that sends its deletes, then its changes."""

    async def handler(run: Run) -> Lines:
        if delete_type is not None and deletes is not None:
            async for line in run.changes(delete_type, deletes):
                yield line
        async for line in run.changes(upsert_type, upserts):
            yield line

    return handler


def with_backfill(
    request: R, delete_type: E | None, deletes: Query | None, upsert_type: E, upserts: Query,
    backfill: EntityQuery,
) -> Any:  # fmt: skip
    async def handler(run: Run) -> Lines:
        if delete_type is not None and deletes is not None:
            async for line in run.changes(delete_type, deletes):
                yield line
        async for line in run.backfill(request, backfill):
            yield line
        async for line in run.changes(upsert_type, upserts):
            yield line

    return handler


def album_assets(
    request: R,
    update_type: E,
    create_type: E,
    backfill: EntityQuery,
    updates: Callable[[Window, uuid.UUID], Compiled],
    creates: Query,
) -> Any:
    """AlbumAssetsV2 and AlbumAssetExifsV1: backfill, then changes to rows the client has,
    then rows new to it (the first preceded by an ack moving the update checkpoint to now:
    the new rows are current, so their older changes need not be sent again)."""

    async def handler(run: Run) -> Lines:
        async for line in run.backfill(request, backfill):
            yield line
        created = run.plan.checkpoints.get(create_type)
        if created is not None:
            query = updates(run.window(update_type), created.update_id)
            async for line in run.rows(update_type, query):
                yield line
        first = True
        async for line in run.changes(create_type, creates):
            if first:
                yield Line(E.SyncAckV1, {}, to_ack(update_type, run.now_id))
                first = False
            yield line

    return handler


HANDLERS: dict[R, Callable[[Run], Lines]] = {
    R.AuthUsersV1: simple(None, None, E.AuthUserV1, repo.auth_user_upserts),
    R.UsersV1: simple(E.UserDeleteV1, repo.user_deletes, E.UserV1, repo.user_upserts),
    R.PartnersV1: simple(
        E.PartnerDeleteV1, shared.partner_deletes, E.PartnerV1, shared.partner_upserts
    ),
    R.AssetsV2: simple(E.AssetDeleteV1, repo.asset_deletes, E.AssetV2, repo.asset_upserts),
    R.StacksV1: simple(E.StackDeleteV1, repo.stack_deletes, E.StackV1, repo.stack_upserts),
    R.PartnerAssetsV2: with_backfill(
        R.PartnerAssetsV2,
        E.PartnerAssetDeleteV1,
        shared.partner_asset_deletes,
        E.PartnerAssetV2,
        shared.partner_asset_upserts,
        shared.partner_asset_backfill,
    ),
    R.PartnerStacksV1: with_backfill(
        R.PartnerStacksV1,
        E.PartnerStackDeleteV1,
        shared.partner_stack_deletes,
        E.PartnerStackV1,
        shared.partner_stack_upserts,
        shared.partner_stack_backfill,
    ),
    R.AlbumAssetsV2: album_assets(
        R.AlbumAssetsV2,
        E.AlbumAssetUpdateV2,
        E.AlbumAssetCreateV2,
        shared.album_asset_backfill,
        shared.album_asset_updates,
        shared.album_asset_creates,
    ),
    R.AlbumsV1: simple(
        E.AlbumDeleteV1,
        shared.album_deletes,
        E.AlbumV1,
        lambda w: shared.album_upserts(w, with_owner=True),
    ),
    R.AlbumsV2: simple(E.AlbumDeleteV1, shared.album_deletes, E.AlbumV2, shared.album_upserts),
    R.AlbumUsersV1: with_backfill(
        R.AlbumUsersV1,
        E.AlbumUserDeleteV1,
        shared.album_user_deletes,
        E.AlbumUserV1,
        shared.album_user_upserts,
        shared.album_user_backfill,
    ),
    R.AlbumToAssetsV1: with_backfill(
        R.AlbumToAssetsV1,
        E.AlbumToAssetDeleteV1,
        shared.album_to_asset_deletes,
        E.AlbumToAssetV1,
        shared.album_to_asset_upserts,
        shared.album_to_asset_backfill,
    ),
    R.AssetExifsV1: simple(None, None, E.AssetExifV1, repo.asset_exif_upserts),
    R.AlbumAssetExifsV1: album_assets(
        R.AlbumAssetExifsV1,
        E.AlbumAssetExifUpdateV1,
        E.AlbumAssetExifCreateV1,
        shared.album_exif_backfill,
        shared.album_exif_updates,
        shared.album_exif_creates,
    ),
    R.PartnerAssetExifsV1: with_backfill(
        R.PartnerAssetExifsV1,
        None,
        None,
        E.PartnerAssetExifV1,
        shared.partner_exif_upserts,
        shared.partner_exif_backfill,
    ),
    R.MemoriesV1: simple(E.MemoryDeleteV1, repo.memory_deletes, E.MemoryV1, repo.memory_upserts),
    R.MemoryToAssetsV1: simple(
        E.MemoryToAssetDeleteV1,
        repo.memory_asset_deletes,
        E.MemoryToAssetV1,
        repo.memory_asset_upserts,
    ),
    R.UserMetadataV1: simple(
        E.UserMetadataDeleteV1,
        repo.user_metadata_deletes,
        E.UserMetadataV1,
        repo.user_metadata_upserts,
    ),
    R.AssetMetadataV1: simple(
        E.AssetMetadataDeleteV1,
        repo.asset_metadata_deletes,
        E.AssetMetadataV1,
        repo.asset_metadata_upserts,
    ),
}
