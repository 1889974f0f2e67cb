"""System metadata DTOs (Immich 3.1's names)."""

from __future__ import annotations

import attrs

from immich.api.dto import field
from immich.api.server_dtos import VersionCheckStateResponseDto  # shared with getVersionCheck

__all__ = [
    "AdminOnboardingUpdateDto",
    "ReverseGeocodingStateResponseDto",
    "VersionCheckStateResponseDto",
]


@attrs.frozen
class AdminOnboardingUpdateDto:
    """Immich documents this one DTO for both reading and writing the onboarding state."""

    isOnboarded: bool = field(description="Is admin onboarded")


@attrs.frozen
class ReverseGeocodingStateResponseDto:
    lastImportFileName: str | None = field(description="Last import file name")
    lastUpdate: str | None = field(description="Last update timestamp")
