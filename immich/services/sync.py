"""The phone app's sync (Immich's SyncService): checkpoints per session and entity type, and the
stream of changes since them.

A stream is made in two steps. ``plan_stream`` (in the request's short transaction) applies a
reset, answers a pending or too old one, reads the checkpoints, fixes the upper bound ``now_id``
and, as Immich, records the backfill checkpoints a first sync starts from. ``run_stream`` then
reads the rows on one connection of its own, type after type in Immich's order, yielding lines
``(type, data, ack)`` that the API writes as JSON lines; it ends with SyncCompleteV1.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

import attrs

from immich.db.repos import Conn, Row, sync_audit, sync_shared
from immich.db.repos import sync_checkpoints as checkpoints_repo
from immich.errors import BadRequest, Forbidden
from immich.services.auth import AuthContext
from immich.services.sync_types import SyncEntityType as E
from immich.services.sync_types import SyncRequestType as R

COMPLETE_ID = "complete"
MAX_DAYS = 30  # Immich's: a client whose last complete sync is older starts over
SESSION_REQUIRED = "Sync endpoints cannot be used with API keys"

DEPRECATED = {
    R.AssetsV1: R.AssetsV2,
    R.PartnerAssetsV1: R.PartnerAssetsV2,
    R.AlbumAssetsV1: R.AlbumAssetsV2,
    R.AssetFacesV1: R.AssetFacesV2,
}

# Immich's SYNC_TYPES_ORDER (the deprecated types are refused before a stream starts).
ORDER = (
    R.AuthUsersV1,
    R.UsersV1,
    R.PartnersV1,
    R.AssetsV2,
    R.StacksV1,
    R.PartnerAssetsV2,
    R.PartnerStacksV1,
    R.AlbumAssetsV2,
    R.AlbumsV1,
    R.AlbumsV2,
    R.AlbumUsersV1,
    R.AlbumToAssetsV1,
    R.AssetExifsV1,
    R.AlbumAssetExifsV1,
    R.AssetOcrV1,
    R.PartnerAssetExifsV1,
    R.MemoriesV1,
    R.MemoryToAssetsV1,
    R.PeopleV1,
    R.AssetFacesV2,
    R.UserMetadataV1,
    R.AssetMetadataV1,
    R.AssetEditsV1,
)


@attrs.frozen
class Backfill:
    """A request type that sends, once, the older rows of an album or partner the user got
    after their first sync: its backfill type, the type whose checkpoint marks "synced
    before", and whose entities it is about."""

    type: E
    gate: E
    of: str  # "albums" or "partners"


BACKFILLS = {
    R.PartnerAssetsV2: Backfill(E.PartnerAssetBackfillV2, E.PartnerAssetV2, "partners"),
    R.PartnerStacksV1: Backfill(E.PartnerStackBackfillV1, E.PartnerStackV1, "partners"),
    R.PartnerAssetExifsV1: Backfill(E.PartnerAssetExifBackfillV1, E.PartnerAssetExifV1, "partners"),
    R.AlbumUsersV1: Backfill(E.AlbumUserBackfillV1, E.AlbumUserV1, "albums"),
    R.AlbumAssetsV2: Backfill(E.AlbumAssetBackfillV2, E.AlbumAssetCreateV2, "albums"),
    R.AlbumAssetExifsV1: Backfill(E.AlbumAssetExifBackfillV1, E.AlbumAssetExifCreateV1, "albums"),
    R.AlbumToAssetsV1: Backfill(E.AlbumToAssetBackfillV1, E.AlbumToAssetV1, "albums"),
}


@attrs.frozen
class Ack:
    """A parsed ack ``"<type>|<updateId>[|<extraId>]"``."""

    type: str
    update_id: uuid.UUID
    extra_id: str | None = None


@attrs.frozen
class Line:
    """One line of the stream; ``data`` is JSON text made by the database, or a mapping."""

    type: str
    data: str | Mapping[str, Any]
    ack: str


def to_ack(type_: str, update_id: Any, extra_id: Any = None) -> str:
    return "|".join(str(v) for v in (type_, update_id, extra_id) if v is not None)


def _split(ack: str) -> tuple[str, str | None, str | None]:
    """Immich's fromAck: ``ack.split('|', 3)`` (JavaScript's: parts past the third dropped)."""
    parts = ack.split("|")[:3]
    parts += [None] * (3 - len(parts))  # type: ignore[list-item]
    return parts[0], parts[1], parts[2]


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def parse_ack(ack: str) -> Ack | None:
    type_, update_id, extra_id = _split(ack)
    parsed = _uuid(update_id)
    if parsed is None or (extra_id not in (None, COMPLETE_ID) and _uuid(extra_id) is None):
        return None
    return Ack(type_, parsed, extra_id)


def _session(auth: AuthContext) -> uuid.UUID:
    if auth.session_id is None:
        raise Forbidden(SESSION_REQUIRED)
    return auth.session_id


# --- acks --------------------------------------------------------------------------------------


async def get_acks(db: Conn, auth: AuthContext) -> list[Row]:
    return await checkpoints_repo.get_all(db, _session(auth))


async def set_acks(db: Conn, auth: AuthContext, acks: Iterable[str]) -> None:
    """Store each ack as its type's checkpoint (the last one per type wins, as Immich's); a
    SyncResetV1 ack starts the session's sync over instead."""
    session_id = _session(auth)
    found: dict[str, str] = {}
    for ack in acks:
        type_ = _split(ack)[0]
        if type_ == E.SyncResetV1:
            await checkpoints_repo.reset_progress(db, session_id)
            return
        if type_ not in E.__members__:
            raise BadRequest(f"Invalid ack type: {type_}")
        if parse_ack(ack) is None:  # beyond Immich, whose next stream would fail on it
            raise BadRequest(f"Invalid ack: {ack}")
        found[type_] = ack
    await checkpoints_repo.upsert_all(db, session_id, found.items())


async def delete_acks(db: Conn, auth: AuthContext, types: Iterable[str] | None) -> None:
    await checkpoints_repo.delete_all(db, _session(auth), types)


async def prune_audit(db: Conn) -> int:
    """Immich's AuditTableCleanup: recorded deletes older than MAX_DAYS + 1 days go (a client
    that last synced before then gets SyncResetV1 instead); how many went."""
    return await sync_audit.prune(db, MAX_DAYS + 1)


# --- the stream --------------------------------------------------------------------------------


@attrs.frozen
class Plan:
    """What ``run_stream`` sends: only SyncResetV1 (``reset``), or the requested types."""

    reset: bool
    user_id: uuid.UUID
    now_id: uuid.UUID | None = None
    types: tuple[R, ...] = ()
    checkpoints: Mapping[str, Ack] = attrs.field(factory=dict)
    # per backfill type: (entity id, createId) of the albums or partners to backfill
    backfills: Mapping[str, list[tuple[uuid.UUID, uuid.UUID]]] = attrs.field(factory=dict)


def _too_old(checkpoints: Mapping[str, Ack]) -> bool:
    """Immich's needsFullSync: the last complete sync is older than MAX_DAYS (the audit rows
    it would need may be gone)."""
    complete = checkpoints.get(E.SyncCompleteV1)
    if complete is None:
        return False
    millis = int(complete.update_id.hex[:12], 16)
    at = dt.datetime.fromtimestamp(millis / 1000, dt.UTC)
    return at < dt.datetime.now(dt.UTC) - dt.timedelta(days=MAX_DAYS)


async def plan_stream(db: Conn, auth: AuthContext, types: Iterable[str], reset: bool) -> Plan:
    session_id = _session(auth)
    wanted = {R(t) for t in types}
    for old, new in DEPRECATED.items():
        if old in wanted:
            raise BadRequest(
                f"SyncRequestType.{old} is deprecated, use SyncRequestType.{new} instead"
            )
    if reset:
        await checkpoints_repo.reset_progress(db, session_id)
    if await checkpoints_repo.is_pending_reset(db, session_id):
        return Plan(reset=True, user_id=auth.user_id)
    found = {}
    for row in await checkpoints_repo.get_all(db, session_id):
        ack = parse_ack(row["ack"])
        if ack is not None:
            found[row["type"]] = ack
    if _too_old(found):
        return Plan(reset=True, user_id=auth.user_id)

    now_id = await checkpoints_repo.now_id(db)
    user_id = auth.user_id
    backfills: dict[str, list[tuple[uuid.UUID, uuid.UUID]]] = {}
    for request, rule in BACKFILLS.items():
        if request not in wanted:
            continue
        mark = found.get(rule.type)
        after = mark.update_id if mark else None
        created_after = (
            sync_shared.albums_created_after
            if rule.of == "albums"
            else sync_shared.partners_created_after
        )
        entities = await created_after(db, user_id, now_id, after)
        if rule.gate in found:
            backfills[rule.type] = entities
        elif entities:  # a first sync sends everything: later ones backfill what came after
            first = to_ack(rule.type, entities[-1][1], COMPLETE_ID)
            await checkpoints_repo.upsert_all(db, session_id, [(rule.type, first)])
    return Plan(
        reset=False,
        user_id=user_id,
        now_id=now_id,
        types=tuple(t for t in ORDER if t in wanted),
        checkpoints=found,
        backfills=backfills,
    )


async def run_stream(conn: Any, plan: Plan) -> AsyncIterator[Line]:
    """The plan's lines, read on ``conn`` (an asyncpg connection in a transaction)."""
    from immich.services.sync_handlers import HANDLERS, Run

    if plan.reset:
        yield Line(E.SyncResetV1, {}, to_ack(E.SyncResetV1, "reset"))
        return
    assert plan.now_id is not None
    run = Run(conn, plan)
    for request in plan.types:
        handler = HANDLERS.get(request)
        if handler is None:  # people, faces, OCR, edits: no such rows here yet
            continue
        async for line in handler(run):
            yield line
    yield Line(E.SyncCompleteV1, {}, to_ack(E.SyncCompleteV1, plan.now_id))


__all__ = [
    "Ack",
    "Line",
    "Plan",
    "delete_acks",
    "get_acks",
    "plan_stream",
    "prune_audit",
    "run_stream",
    "set_acks",
    "to_ack",
]
