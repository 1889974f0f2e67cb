"""The answer of every "add/remove these assets" endpoint (albums, memories, tags): the
services' per-id results (``{"id", "success", "error"?}``, as ``access.sort_additions`` and the
removals build them) as Immich's ``BulkIdResponseDto`` list, in the asked order. One place, so
the three resources cannot drift apart in how they report a refused id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from immich.api.asset_dtos import BulkIdErrorReason, BulkIdResponseDto
from immich.api.dto import UNSET


def bulk_id_responses(results: Iterable[Mapping[str, Any]]) -> list[BulkIdResponseDto]:
    """One ``BulkIdResponseDto`` per result; ``error`` only where the result names one."""
    return [
        BulkIdResponseDto(
            id=r["id"],
            success=r["success"],
            error=BulkIdErrorReason(r["error"]) if "error" in r else UNSET,
        )
        for r in results
    ]
