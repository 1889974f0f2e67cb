"""/api/sessions: the caller's login sessions (list, child sessions, lock, log out)."""

from __future__ import annotations

from immich import events
from immich.api.dto import UNSET, dump
from immich.api.routing import Call, Router
from immich.api.session_dtos import (
    SessionCreateDto,
    SessionCreateResponseDto,
    SessionResponseDto,
    SessionUpdateDto,
    to_created_session,
    to_session,
)
from immich.db.repos import sessions
from immich.services import sessions as session_service
from immich.services.auth import AuthContext

router = Router()
TAG = "Sessions"


def _auth(call: Call) -> AuthContext:
    assert call.auth is not None
    return call.auth


@router.route(
    "GET",
    "/sessions",
    operation_id="getSessions",
    tag=TAG,
    response=list[SessionResponseDto],
    permission="session.read",
)
async def get_sessions(call: Call) -> list[SessionResponseDto]:
    """Retrieve sessions"""
    auth = _auth(call)
    rows = await sessions.list_for_user(call.db, auth.user_id)
    return [to_session(row, auth.session_id) for row in rows]


@router.route(
    "POST",
    "/sessions",
    operation_id="createSession",
    tag=TAG,
    response=SessionCreateResponseDto,
    status=201,
    permission="session.create",
)
async def create_session(call: Call[SessionCreateDto]) -> SessionCreateResponseDto:
    """Create a session"""
    dto = call.body
    row, token = await session_service.create_child(
        call.db,
        _auth(call),
        device_type=dto.deviceType if dto.deviceType is not UNSET else "",
        device_os=dto.deviceOS if dto.deviceOS is not UNSET else "",
        duration=dto.duration if dto.duration is not UNSET else None,
    )
    return to_created_session(row, token)


@router.route(
    "DELETE",
    "/sessions",
    operation_id="deleteAllSessions",
    tag=TAG,
    status=204,
    permission="session.delete",
)
async def delete_all_sessions(call: Call) -> None:
    """Delete all sessions"""
    auth = _auth(call)
    others = [r["id"] for r in await sessions.list_for_user(call.db, auth.user_id)]
    await session_service.delete_others(call.db, auth)
    await events.end_sessions(call.ctx, call.db, [i for i in others if i != auth.session_id])


@router.route(
    "PUT",
    "/sessions/{id}",
    operation_id="updateSession",
    tag=TAG,
    response=SessionResponseDto,
    permission="session.update",
)
async def update_session(call: Call[SessionUpdateDto]) -> SessionResponseDto:
    """Update a session"""
    auth = _auth(call)
    row = await session_service.update(call.db, auth, call.path["id"], dump(call.body))
    return to_session(row, auth.session_id)


@router.route(
    "DELETE",
    "/sessions/{id}",
    operation_id="deleteSession",
    tag=TAG,
    status=204,
    permission="session.delete",
)
async def delete_session(call: Call) -> None:
    """Delete a session"""
    await session_service.delete(call.db, _auth(call), call.path["id"])
    await events.end_sessions(call.ctx, call.db, [call.path["id"]])


@router.route(
    "POST",
    "/sessions/{id}/lock",
    operation_id="lockSession",
    tag=TAG,
    status=204,
    permission="session.lock",
)
async def lock_session(call: Call) -> None:
    """Lock a session"""
    await session_service.lock(call.db, _auth(call), call.path["id"])
