"""/api/system-metadata: admin onboarding and the state of background checks (admin only)."""

from __future__ import annotations

from immich.api.routing import Call, Router
from immich.api.system_metadata_dtos import (
    AdminOnboardingUpdateDto,
    ReverseGeocodingStateResponseDto,
    VersionCheckStateResponseDto,
)
from immich.services import system_metadata as service

router = Router()
TAG = "System metadata"


@router.route(
    "GET",
    "/system-metadata/admin-onboarding",
    operation_id="getAdminOnboarding",
    tag=TAG,
    response=AdminOnboardingUpdateDto,
    admin=True,
    permission="systemMetadata.read",
)
async def get_admin_onboarding(call: Call) -> AdminOnboardingUpdateDto:
    """Retrieve admin onboarding"""
    value = await service.admin_onboarding(call.db)
    return AdminOnboardingUpdateDto(isOnboarded=bool(value["isOnboarded"]))


@router.route(
    "POST",
    "/system-metadata/admin-onboarding",
    operation_id="updateAdminOnboarding",
    tag=TAG,
    status=204,
    admin=True,
    permission="systemMetadata.update",
)
async def update_admin_onboarding(call: Call[AdminOnboardingUpdateDto]) -> None:
    """Update admin onboarding"""
    body = call.body
    await service.set_admin_onboarding(call.db, body.isOnboarded)


@router.route(
    "GET",
    "/system-metadata/reverse-geocoding-state",
    operation_id="getReverseGeocodingState",
    tag=TAG,
    response=ReverseGeocodingStateResponseDto,
    admin=True,
    permission="systemMetadata.read",
)
async def get_reverse_geocoding_state(call: Call) -> ReverseGeocodingStateResponseDto:
    """Retrieve reverse geocoding state"""
    value = await service.reverse_geocoding_state(call.db)
    return ReverseGeocodingStateResponseDto(
        lastImportFileName=value["lastImportFileName"], lastUpdate=value["lastUpdate"]
    )


@router.route(
    "GET",
    "/system-metadata/version-check-state",
    operation_id="getVersionCheckState",
    tag=TAG,
    response=VersionCheckStateResponseDto,
    admin=True,
    permission="systemMetadata.read",
)
async def get_version_check_state(call: Call) -> VersionCheckStateResponseDto:
    """Retrieve version check state"""
    value = await service.version_check_state(call.db)
    return VersionCheckStateResponseDto(
        checkedAt=value["checkedAt"], releaseVersion=value["releaseVersion"]
    )
