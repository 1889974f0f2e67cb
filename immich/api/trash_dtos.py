"""Trash DTOs (Immich 3.1's names)."""

from __future__ import annotations

import attrs

from immich.api.dto import field
from immich.api.user_dtos import MAX_SAFE_INTEGER


@attrs.frozen
class TrashResponseDto:
    count: int = field(
        description="Number of items in trash", minimum=-MAX_SAFE_INTEGER, maximum=MAX_SAFE_INTEGER
    )
