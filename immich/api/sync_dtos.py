"""Sync DTOs (Immich 3.1's names) and the stream's JSON lines."""

from __future__ import annotations

import json

import attrs

from immich.api.dto import UNSET, field
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


def encode_line(line: Line) -> str:
    """``{"type", "data", "ack"}`` and a newline (Immich's mapJsonLine); the data of a row comes
    as JSON text from the database, type and ack need no escaping."""
    data = line.data if isinstance(line.data, str) else json.dumps(line.data)
    return f'{{"type":"{line.type}","data":{data},"ack":"{line.ack}"}}\n'
