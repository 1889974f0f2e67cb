"""DTO of ``PUT /api/assets/copy`` (Immich 3.1's name)."""

from __future__ import annotations

import attrs

from immich.api.dto import field


@attrs.frozen
class AssetCopyDto:
    sourceId: str = field(description="Source asset ID", format="uuid")
    targetId: str = field(description="Target asset ID", format="uuid")
    albums: bool = field(default=True, description="Copy album associations")
    favorite: bool = field(default=True, description="Copy favorite status")
    sharedLinks: bool = field(default=True, description="Copy shared links")
    sidecar: bool = field(default=True, description="Copy sidecar file")
    stack: bool = field(default=True, description="Copy stack association")
