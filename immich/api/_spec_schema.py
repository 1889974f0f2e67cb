"""JSON schemas (OpenAPI 3.0 dialect) from attrs DTOs and Python types.

Each attrs class and each ``enum.Enum`` becomes a component named after the class and is
referenced with ``$ref``; other types are inlined. A field's ``dto.field`` metadata supplies
description, format, bounds and ``deprecated``; fields without a default are ``required``.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args, get_origin

import attrs

from immich.api.dto import UNSET, hints

Schema = dict[str, Any]

_SCALARS: dict[Any, Schema] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number", "format": "double"},
    bool: {"type": "boolean"},
    dt.datetime: {"type": "string", "format": "date-time"},
    dt.date: {"type": "string", "format": "date"},
    uuid.UUID: {"type": "string", "format": "uuid"},
    bytes: {"type": "string", "format": "binary"},
}
_META_KEYS = (
    "format",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
)
_ARRAY_KEYS = frozenset({"minItems", "maxItems"})
_SEQUENCES = (list, tuple, set, frozenset, Sequence)
_MAPPINGS = (dict, Mapping)


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _literal_type(values: tuple[Any, ...]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    return "string"


class SchemaBuilder:
    """Turns types into schemas, collecting the named components it meets on the way."""

    def __init__(self) -> None:
        self.components: dict[str, Schema] = {}
        self._owners: dict[str, type] = {}

    def _name(self, cls: type) -> str | None:
        """The component name of ``cls``; None when it is already (being) built."""
        name = cls.__name__
        owner = self._owners.get(name)
        if owner is not None:
            if owner is not cls:
                raise TypeError(f"two DTO classes named {name}: {owner!r} and {cls!r}")
            return None
        self._owners[name] = cls
        return name

    def schema(self, tp: Any) -> Schema:
        """Schema of a type: scalars, Literal, Enum, lists, dicts, attrs classes, X | None."""
        if tp is Any or tp is object:
            return {}
        origin = get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            return self._union(get_args(tp))
        if origin is Literal:
            values = get_args(tp)
            return {"type": _literal_type(values), "enum": list(values)}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self._enum(tp)
        if tp in _SCALARS:
            return dict(_SCALARS[tp])
        if origin in _SEQUENCES or tp in _SEQUENCES:
            args = get_args(tp)
            item = args[0] if args else Any
            return {"type": "array", "items": self.schema(item)}
        if origin in _MAPPINGS or tp in _MAPPINGS:
            args = get_args(tp)
            out: Schema = {"type": "object"}
            if len(args) == 2 and args[1] is not Any:
                out["additionalProperties"] = self.schema(args[1])
            return out
        if isinstance(tp, type) and attrs.has(tp):
            return self.object_ref(tp)
        raise TypeError(f"no OpenAPI schema for type {tp!r}")

    def _union(self, args: tuple[Any, ...]) -> Schema:
        options = [a for a in args if a is not type(None)]
        nullable = len(options) < len(args)
        if len(options) == 1:
            inner = self.schema(options[0])
        else:
            inner = {"oneOf": [self.schema(a) for a in options]}
        if not nullable:
            return inner
        if "$ref" in inner:
            return {"allOf": [inner], "nullable": True}
        return {**inner, "nullable": True}

    def _enum(self, cls: type[enum.Enum]) -> Schema:
        name = self._name(cls)
        if name is not None:
            values = [m.value for m in cls]
            schema: Schema = {"type": _literal_type(tuple(values)), "enum": values}
            doc = (cls.__doc__ or "").strip()
            if doc and doc != enum.Enum.__doc__:
                schema["description"] = doc.split("\n")[0]
            self.components[name] = schema
        return ref(cls.__name__)

    def object_ref(self, cls: type) -> Schema:
        name = self._name(cls)
        if name is not None:
            self.components[name] = {}  # placeholder: a class may refer to itself
            self.components[name] = self.object_schema(cls)
        return ref(cls.__name__)

    def object_schema(self, cls: type) -> Schema:
        """``{"type": "object", "properties": ..., "required": [...]}`` of an attrs class."""
        types_ = hints(cls)
        properties: dict[str, Schema] = {}
        required: list[str] = []
        for f in attrs.fields(cls):
            key = json_name(f)
            properties[key] = self.field_schema(types_[f.name], f.metadata.get("openapi", {}))
            if f.default is attrs.NOTHING:
                required.append(key)
            elif _is_json_default(f.default):
                properties[key].setdefault("default", f.default)
        out: Schema = {"type": "object", "properties": properties}
        if required:
            out["required"] = sorted(required)
        doc = (cls.__doc__ or "").strip()
        if doc and not doc.startswith(f"{cls.__name__}("):  # attrs' generated repr-doc
            out["description"] = doc.split("\n")[0]
        return out

    def field_schema(self, tp: Any, meta: Mapping[str, Any]) -> Schema:
        """A property's schema: the type's, plus the field's documented facts."""
        schema = self.schema(tp)
        if "$ref" in schema:
            return schema  # OpenAPI 3.0 ignores siblings of $ref
        # A list's item facts (format, bounds) describe its items; minItems the list.
        items = schema.get("items") if schema.get("type") == "array" else None
        for key in _META_KEYS:
            value = meta.get(key)
            if value is None:
                continue
            target = items if items is not None and key not in _ARRAY_KEYS else schema
            if target is not None and "$ref" not in target and "allOf" not in target:
                target[key] = value
        if meta.get("description"):
            schema["description"] = meta["description"]
        if meta.get("deprecated"):
            schema["deprecated"] = True
        return schema


def json_name(f: Any) -> str:
    """The JSON key of a DTO field: ``field(name=...)``, else its alias or name."""
    return str(f.metadata.get("openapi", {}).get("name") or f.alias or f.name)


def _is_json_default(value: Any) -> bool:
    if value is UNSET or value is None or isinstance(value, attrs.Factory):  # type: ignore[arg-type]
        return False
    return isinstance(value, str | int | float | bool)
