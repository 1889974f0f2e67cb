"""A strict check of sync lines against Immich's document: each entity type's ``data`` against
its Sync*V* schema (every required key, no other key, types, null only where allowed, enums,
uuid and date-time patterns, integer bounds). The sync tests use ``line_errors``; the tests here
show the checker catches what it should."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

# ../shared beside the checkout, as the other spec tests find it
SPEC_PATH = Path(__file__).resolve().parents[3] / "shared/reference/immich-openapi-3.1.0.json"
SCHEMAS: dict[str, Any] = json.loads(SPEC_PATH.read_text())["components"]["schemas"]

# SyncEntityType -> the schema of its data (Immich's SyncItem)
SCHEMA_OF = {
    "AuthUserV1": "SyncAuthUserV1",
    "UserV1": "SyncUserV1",
    "UserDeleteV1": "SyncUserDeleteV1",
    "PartnerV1": "SyncPartnerV1",
    "PartnerDeleteV1": "SyncPartnerDeleteV1",
    "AssetV2": "SyncAssetV2",
    "AssetDeleteV1": "SyncAssetDeleteV1",
    "AssetExifV1": "SyncAssetExifV1",
    "AssetMetadataV1": "SyncAssetMetadataV1",
    "AssetMetadataDeleteV1": "SyncAssetMetadataDeleteV1",
    "PartnerAssetV2": "SyncAssetV2",
    "PartnerAssetBackfillV2": "SyncAssetV2",
    "PartnerAssetDeleteV1": "SyncAssetDeleteV1",
    "PartnerAssetExifV1": "SyncAssetExifV1",
    "PartnerAssetExifBackfillV1": "SyncAssetExifV1",
    "PartnerStackV1": "SyncStackV1",
    "PartnerStackBackfillV1": "SyncStackV1",
    "PartnerStackDeleteV1": "SyncStackDeleteV1",
    "AlbumV1": "SyncAlbumV1",
    "AlbumV2": "SyncAlbumV2",
    "AlbumDeleteV1": "SyncAlbumDeleteV1",
    "AlbumUserV1": "SyncAlbumUserV1",
    "AlbumUserBackfillV1": "SyncAlbumUserV1",
    "AlbumUserDeleteV1": "SyncAlbumUserDeleteV1",
    "AlbumAssetCreateV2": "SyncAssetV2",
    "AlbumAssetUpdateV2": "SyncAssetV2",
    "AlbumAssetBackfillV2": "SyncAssetV2",
    "AlbumAssetExifCreateV1": "SyncAssetExifV1",
    "AlbumAssetExifUpdateV1": "SyncAssetExifV1",
    "AlbumAssetExifBackfillV1": "SyncAssetExifV1",
    "AlbumToAssetV1": "SyncAlbumToAssetV1",
    "AlbumToAssetBackfillV1": "SyncAlbumToAssetV1",
    "AlbumToAssetDeleteV1": "SyncAlbumToAssetDeleteV1",
    "MemoryV1": "SyncMemoryV1",
    "MemoryDeleteV1": "SyncMemoryDeleteV1",
    "MemoryToAssetV1": "SyncMemoryAssetV1",
    "MemoryToAssetDeleteV1": "SyncMemoryAssetDeleteV1",
    "StackV1": "SyncStackV1",
    "StackDeleteV1": "SyncStackDeleteV1",
    "UserMetadataV1": "SyncUserMetadataV1",
    "UserMetadataDeleteV1": "SyncUserMetadataDeleteV1",
    "SyncAckV1": "SyncAckV1",
    "SyncResetV1": "SyncResetV1",
    "SyncCompleteV1": "SyncCompleteV1",
}


def _resolve(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    nullable = bool(schema.get("nullable"))
    while "$ref" in schema or "allOf" in schema:
        ref = schema["$ref"] if "$ref" in schema else schema["allOf"][0]["$ref"]
        schema = SCHEMAS[ref.rsplit("/", 1)[1]]
        nullable = nullable or bool(schema.get("nullable"))
    return schema, nullable


def schema_errors(value: Any, schema: dict[str, Any], path: str = "") -> list[str]:
    schema, nullable = _resolve(schema)
    if value is None:
        return [] if nullable else [f"{path}: null"]
    if "enum" in schema:
        return [] if value in schema["enum"] else [f"{path}: {value!r} not in enum"]
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{path}: expected an object"]
        props = schema.get("properties")
        if props is None:  # a free-form map
            return []
        errors = [f"{path}.{k}: unknown key" for k in value if k not in props]
        errors += [f"{path}.{k}: missing" for k in schema.get("required", ()) if k not in value]
        for key, item in value.items():
            if key in props:
                errors += schema_errors(item, props[key], f"{path}.{key}")
        return errors
    if kind == "array":
        if not isinstance(value, list):
            return [f"{path}: expected an array"]
        return [e for i, v in enumerate(value) for e in schema_errors(v, schema["items"], path)]
    types = {"boolean": bool, "integer": int, "number": (int, float), "string": str}
    if kind in types:
        if not isinstance(value, types[kind]) or (kind != "boolean" and isinstance(value, bool)):
            return [f"{path}: expected {kind}, got {value!r}"]
        if "minimum" in schema and value < schema["minimum"]:
            return [f"{path}: below {schema['minimum']}"]
        if "maximum" in schema and value > schema["maximum"]:
            return [f"{path}: above {schema['maximum']}"]
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return [f"{path}: {value!r} does not match its pattern"]
    return []


def line_errors(line: dict[str, Any]) -> list[str]:
    """What is wrong with one parsed sync line: its keys, its type, its data."""
    if sorted(line) != ["ack", "data", "type"]:
        return [f"keys {sorted(line)}"]
    if line["type"] not in SCHEMA_OF or line["type"] not in SCHEMAS["SyncEntityType"]["enum"]:
        return [f"type {line['type']!r}"]
    if not isinstance(line["ack"], str):
        return ["ack is not a string"]
    schema = {"$ref": f"#/components/schemas/{SCHEMA_OF[line['type']]}"}
    return schema_errors(line["data"], schema, line["type"])


ASSET = {
    "id": "2f5b3b6e-4d0c-4a5e-9f7e-1c2d3e4f5a6b",
    "ownerId": "2f5b3b6e-4d0c-4a5e-9f7e-1c2d3e4f5a6b",
    "originalFileName": "a.jpg",
    "thumbhash": None,
    "checksum": "AAAA",
    "fileCreatedAt": "2024-01-01T00:00:00.000Z",
    "fileModifiedAt": "2024-01-01T00:00:00.000Z",
    "createdAt": "2024-01-01T00:00:00.000Z",
    "localDateTime": "2024-01-01T00:00:00.000Z",
    "duration": None,
    "type": "IMAGE",
    "deletedAt": None,
    "isFavorite": False,
    "visibility": "timeline",
    "livePhotoVideoId": None,
    "stackId": None,
    "libraryId": None,
    "width": 10,
    "height": None,
    "isEdited": False,
}


def test_the_checker_accepts_a_good_line_and_names_each_mistake() -> None:
    good = {"type": "AssetV2", "data": ASSET, "ack": "AssetV2|x"}
    assert line_errors(good) == []
    assert line_errors({**good, "extra": 1}) == ["keys ['ack', 'data', 'extra', 'type']"]
    assert line_errors({**good, "type": "AssetV1"}) == ["type 'AssetV1'"]
    missing = {k: v for k, v in ASSET.items() if k != "isEdited"}
    assert line_errors({**good, "data": missing}) == ["AssetV2.isEdited: missing"]
    assert line_errors({**good, "data": {**ASSET, "more": 1}}) == ["AssetV2.more: unknown key"]
    assert line_errors({**good, "data": {**ASSET, "isFavorite": None}})
    assert line_errors({**good, "data": {**ASSET, "type": "PHOTO"}})
    assert line_errors({**good, "data": {**ASSET, "duration": "0:00:01.000000"}})
    assert line_errors({**good, "data": {**ASSET, "duration": -1}})
    assert line_errors({**good, "data": {**ASSET, "id": "not-a-uuid"}})
    assert line_errors({**good, "data": {**ASSET, "createdAt": "2024-01-01 00:00"}})
    assert line_errors({**good, "data": {**ASSET, "width": 1.5}})
    assert line_errors({"type": "SyncAckV1", "data": {}, "ack": "x"}) == []
    assert line_errors({"type": "SyncAckV1", "data": {"a": 1}, "ack": "x"})
