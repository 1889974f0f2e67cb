"""/api/users: the caller's account, preferences, license and onboarding; other users."""

from __future__ import annotations

from immich.api.dto import dump
from immich.api.errors import NotFound
from immich.api.preference_dtos import (
    UserPreferencesResponseDto,
    UserPreferencesUpdateDto,
    to_preferences,
)
from immich.api.routing import Call, Router
from immich.api.user_dtos import (
    LicenseKeyDto,
    LicenseResponseDto,
    OnboardingDto,
    OnboardingResponseDto,
    UserAdminResponseDto,
    UserResponseDto,
    UserUpdateMeDto,
    to_license,
    to_user,
    to_user_admin,
)
from immich.db.repos import users as users_repo
from immich.services import preferences
from immich.services import users as user_service

router = Router()
TAG = "Users"


@router.route(
    "GET",
    "/users",
    operation_id="searchUsers",
    tag=TAG,
    response=list[UserResponseDto],
    permission="user.read",
)
async def search_users(call: Call) -> list[UserResponseDto]:
    """Get all users"""
    server = call.ctx.config.get().get("server", {})
    rows = await user_service.search(
        call.db, call.user, public_users=bool(server.get("publicUsers", True))
    )
    return [to_user(row) for row in rows]


@router.route(
    "GET",
    "/users/me",
    operation_id="getMyUser",
    tag=TAG,
    response=UserAdminResponseDto,
    permission="user.read",
)
async def get_my_user(call: Call) -> UserAdminResponseDto:
    """Get current user"""
    user = call.user  # the row auth just read (sessions and keys of deleted users fail there)
    return to_user_admin(user, await user_service.license_of(call.db, user["id"]))


@router.route(
    "PUT",
    "/users/me",
    operation_id="updateMyUser",
    tag=TAG,
    response=UserAdminResponseDto,
    permission="user.update",
)
async def update_my_user(call: Call[UserUpdateMeDto]) -> UserAdminResponseDto:
    """Update current user"""
    pool = call.db
    user = await user_service.update_me(pool, call.user["id"], dump(call.body))
    return to_user_admin(user, await user_service.license_of(pool, user["id"]))


@router.route(
    "GET",
    "/users/me/preferences",
    operation_id="getMyPreferences",
    tag=TAG,
    response=UserPreferencesResponseDto,
    permission="userPreference.read",
)
async def get_my_preferences(call: Call) -> UserPreferencesResponseDto:
    """Get my preferences"""
    return to_preferences(await preferences.get(call.db, call.user["id"]))


@router.route(
    "PUT",
    "/users/me/preferences",
    operation_id="updateMyPreferences",
    tag=TAG,
    response=UserPreferencesResponseDto,
    permission="userPreference.update",
)
async def update_my_preferences(call: Call[UserPreferencesUpdateDto]) -> UserPreferencesResponseDto:
    """Update my preferences"""
    prefs = await preferences.update(call.db, call.user["id"], dump(call.body))
    return to_preferences(prefs)


@router.route(
    "GET",
    "/users/me/license",
    operation_id="getUserLicense",
    tag=TAG,
    response=LicenseResponseDto,
    permission="userLicense.read",
)
async def get_user_license(call: Call) -> LicenseResponseDto:
    """Retrieve user product key"""
    license = await user_service.license_of(call.db, call.user["id"])
    if license is None:
        raise NotFound("Not Found")
    return to_license(license)


@router.route(
    "PUT",
    "/users/me/license",
    operation_id="setUserLicense",
    tag=TAG,
    response=LicenseResponseDto,
    permission="userLicense.update",
)
async def set_user_license(call: Call[LicenseKeyDto]) -> LicenseResponseDto:
    """Set user product key"""
    dto = call.body
    value = await user_service.set_license(
        call.db, call.user["id"], dto.licenseKey, dto.activationKey
    )
    return to_license(value)


@router.route(
    "DELETE",
    "/users/me/license",
    operation_id="deleteUserLicense",
    tag=TAG,
    status=204,
    permission="userLicense.delete",
)
async def delete_user_license(call: Call) -> None:
    """Delete user product key"""
    await users_repo.delete_metadata(call.db, call.user["id"], user_service.LICENSE_KEY)


@router.route(
    "GET",
    "/users/me/onboarding",
    operation_id="getUserOnboarding",
    tag=TAG,
    response=OnboardingResponseDto,
    permission="userOnboarding.read",
)
async def get_user_onboarding(call: Call) -> OnboardingResponseDto:
    """Retrieve user onboarding"""
    done = await user_service.get_onboarding(call.db, call.user["id"])
    return OnboardingResponseDto(isOnboarded=done)


@router.route(
    "PUT",
    "/users/me/onboarding",
    operation_id="setUserOnboarding",
    tag=TAG,
    response=OnboardingResponseDto,
    permission="userOnboarding.update",
)
async def set_user_onboarding(call: Call[OnboardingDto]) -> OnboardingResponseDto:
    """Update user onboarding"""
    dto = call.body
    done = await user_service.set_onboarding(call.db, call.user["id"], dto.isOnboarded)
    return OnboardingResponseDto(isOnboarded=done)


@router.route(
    "DELETE",
    "/users/me/onboarding",
    operation_id="deleteUserOnboarding",
    tag=TAG,
    status=204,
    permission="userOnboarding.delete",
)
async def delete_user_onboarding(call: Call) -> None:
    """Delete user onboarding"""
    await users_repo.delete_metadata(call.db, call.user["id"], user_service.ONBOARDING_KEY)


@router.route(
    "GET",
    "/users/{id}",
    operation_id="getUser",
    tag=TAG,
    response=UserResponseDto,
    permission="user.read",
)
async def get_user(call: Call) -> UserResponseDto:
    """Retrieve a user"""
    return to_user(await user_service.find_or_fail(call.db, call.path["id"]))
