"""Sync DTOs (Immich 3.1's names) and the stream's JSON lines."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from typing import Any

import attrs

from immich.api.asset_dtos import duration_ms
from immich.api.dto import UNSET, field, iso
from immich.services.sync import Line
from immich.services.sync_types import SyncEntityType, SyncRequestType


@attrs.frozen
class SyncStreamDto:
    types: list[SyncRequestType] = field(description="Sync request types")
    reset: bool = field(default=UNSET, description="Reset sync state")


@attrs.frozen
class SyncAckSetDto:
    acks: list[str] = field(description="Acknowledgment IDs (max 1000)", max_items=1000)


@attrs.frozen
class SyncAckDeleteDto:
    types: list[SyncEntityType] = field(
        default=UNSET, description="Sync entity types to delete acks for"
    )


@attrs.frozen
class SyncAckDto:
    ack: str = field(description="Acknowledgment ID")
    type: SyncEntityType = field()


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):  # checksums and thumbhashes, as Immich: base64
        return base64.b64encode(value).decode()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def encode_line(line: Line) -> str:
    """``{"type", "data", "ack"}`` and a newline (Immich's mapJsonLine)."""
    data = dict(line.data)
    data.pop("_id", None)
    if "duration" in data:  # stored as Immich's "H:MM:SS.ffffff"; SyncAssetV2 has milliseconds
        data["duration"] = duration_ms(data["duration"])
    item = {"type": line.type, "data": data, "ack": line.ack}
    return json.dumps(item, default=_json_value, separators=(",", ":"), ensure_ascii=False) + "\n"
