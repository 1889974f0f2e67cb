"""/api/admin/users: user management for admins (create, edit, soft delete, restore, ...)."""

from __future__ import annotations

import logging

from immich import events
from immich.api.dto import UNSET, dump
from immich.api.preference_dtos import (
    UserPreferencesResponseDto,
    UserPreferencesUpdateDto,
    to_preferences,
)
from immich.api.routing import Call, Router
from immich.api.session_dtos import SessionResponseDto, to_session
from immich.api.user_dtos import (
    AssetStatsDto,
    AssetStatsResponseDto,
    UserAdminCreateDto,
    UserAdminDeleteDto,
    UserAdminResponseDto,
    UserAdminSearchDto,
    UserAdminUpdateDto,
    to_user_admin,
)
from immich.db.repos import Row, sessions
from immich.db.repos import users as users_repo
from immich.db.session import after_commit
from immich.jobs.names import JobName
from immich.jobs.types import JobRequest
from immich.services import preferences
from immich.services import users as user_service

log = logging.getLogger(__name__)
router = Router()
TAG = "Users (admin)"
USER_DELETE_CHECK = JobName.UserDeleteCheck  # removes users due for deletion


async def _answer(call: Call, user: Row) -> UserAdminResponseDto:
    return to_user_admin(user, await user_service.license_of(call.db, user["id"]))


@router.route(
    "GET",
    "/admin/users",
    operation_id="searchUsersAdmin",
    tag=TAG,
    response=list[UserAdminResponseDto],
    admin=True,
    permission="adminUser.read",
)
async def search_users_admin(call: Call[None, UserAdminSearchDto]) -> list[UserAdminResponseDto]:
    """Search users"""
    query = call.query
    pool = call.db
    rows = await users_repo.list_users(
        pool,
        with_deleted=bool(query.withDeleted),
        user_id=query.id if query.id is not UNSET else None,
        newest_first=True,
    )
    licenses = await users_repo.get_licenses(pool, [row["id"] for row in rows])
    return [to_user_admin(row, licenses.get(row["id"])) for row in rows]


@router.route(
    "POST",
    "/admin/users",
    operation_id="createUserAdmin",
    tag=TAG,
    response=UserAdminResponseDto,
    status=201,
    admin=True,
    permission="adminUser.create",
)
async def create_user_admin(call: Call[UserAdminCreateDto]) -> UserAdminResponseDto:
    """Create a user"""
    oauth = call.ctx.config.get().get("oauth", {})
    user = await user_service.create(
        call.db, dump(call.body), oauth_enabled=bool(oauth.get("enabled", False))
    )
    return to_user_admin(user)


@router.route(
    "GET",
    "/admin/users/{id}",
    operation_id="getUserAdmin",
    tag=TAG,
    response=UserAdminResponseDto,
    admin=True,
    permission="adminUser.read",
)
async def get_user_admin(call: Call) -> UserAdminResponseDto:
    """Retrieve a user"""
    user = await user_service.find_or_fail(call.db, call.path["id"], with_deleted=True)
    return await _answer(call, user)


@router.route(
    "PUT",
    "/admin/users/{id}",
    operation_id="updateUserAdmin",
    tag=TAG,
    response=UserAdminResponseDto,
    admin=True,
    permission="adminUser.update",
)
async def update_user_admin(call: Call[UserAdminUpdateDto]) -> UserAdminResponseDto:
    """Update a user"""
    user = await user_service.admin_update(call.db, call.user, call.path["id"], dump(call.body))
    return await _answer(call, user)


@router.route(
    "DELETE",
    "/admin/users/{id}",
    operation_id="deleteUserAdmin",
    tag=TAG,
    response=UserAdminResponseDto,
    admin=True,
    permission="adminUser.delete",
)
async def delete_user_admin(call: Call[UserAdminDeleteDto]) -> UserAdminResponseDto:
    """Delete a user"""
    dto = call.body
    user = await user_service.soft_delete(
        call.db, call.user, call.path["id"], force=bool(dto.force)
    )
    await events.disconnect(call.ctx, call.db, [user["id"]])  # their sockets go (every device)
    if dto.force:
        # "removing" users are due at once: a worker removes them now, not at the nightly run
        # (once the request has committed, so the worker sees the user marked)
        queues = call.ctx.queues

        async def enqueue() -> None:
            try:
                await queues.enqueue(JobRequest(USER_DELETE_CHECK))
            except (KeyError, RuntimeError) as error:  # no job registered / queues not started
                log.warning("user %s left for the nightly cleanup: %s", user["id"], error)

        await after_commit(call.db, enqueue)
    return await _answer(call, user)


@router.route(
    "POST",
    "/admin/users/{id}/restore",
    operation_id="restoreUserAdmin",
    tag=TAG,
    response=UserAdminResponseDto,
    admin=True,
    permission="adminUser.delete",
)
async def restore_user_admin(call: Call) -> UserAdminResponseDto:
    """Restore a deleted user"""
    return await _answer(call, await user_service.restore(call.db, call.path["id"]))


@router.route(
    "GET",
    "/admin/users/{id}/preferences",
    operation_id="getUserPreferencesAdmin",
    tag=TAG,
    response=UserPreferencesResponseDto,
    admin=True,
    permission="adminUser.read",
)
async def get_user_preferences_admin(call: Call) -> UserPreferencesResponseDto:
    """Retrieve user preferences"""
    pool = call.db
    user = await user_service.find_or_fail(pool, call.path["id"], with_deleted=True)
    return to_preferences(await preferences.get(pool, user["id"]))


@router.route(
    "PUT",
    "/admin/users/{id}/preferences",
    operation_id="updateUserPreferencesAdmin",
    tag=TAG,
    response=UserPreferencesResponseDto,
    admin=True,
    permission="adminUser.update",
)
async def update_user_preferences_admin(
    call: Call[UserPreferencesUpdateDto],
) -> UserPreferencesResponseDto:
    """Update user preferences"""
    pool = call.db
    user = await user_service.find_or_fail(pool, call.path["id"])
    return to_preferences(await preferences.update(pool, user["id"], dump(call.body)))


@router.route(
    "GET",
    "/admin/users/{id}/sessions",
    operation_id="getUserSessionsAdmin",
    tag=TAG,
    response=list[SessionResponseDto],
    admin=True,
    permission="adminSession.read",
)
async def get_user_sessions_admin(call: Call) -> list[SessionResponseDto]:
    """Retrieve user sessions"""
    rows = await sessions.list_for_user(call.db, call.path["id"])
    return [to_session(row) for row in rows]


@router.route(
    "GET",
    "/admin/users/{id}/statistics",
    operation_id="getUserStatisticsAdmin",
    tag=TAG,
    response=AssetStatsResponseDto,
    admin=True,
    permission="adminUser.read",
)
async def get_user_statistics_admin(call: Call[None, AssetStatsDto]) -> AssetStatsResponseDto:
    """Retrieve user statistics"""
    query = call.query
    counts = await users_repo.asset_statistics(
        call.db,
        call.path["id"],
        is_favorite=query.isFavorite if query.isFavorite is not UNSET else None,
        is_trashed=query.isTrashed if query.isTrashed is not UNSET else None,
        visibility=str(query.visibility) if query.visibility is not UNSET else None,
    )
    return AssetStatsResponseDto(**user_service.asset_stats(counts))
