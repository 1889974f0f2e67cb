"""DTOs as attrs classes: parse + validate request input, serialise answers, describe in OpenAPI.

A request DTO is an attrs class whose fields are declared with :func:`field` (OpenAPI facts in
the metadata). ``parse(Cls, data)`` checks types, formats, enums and bounds and raises
:class:`ValidationFailed` with every problem and its path; ``UNSET`` marks an optional field the
client left out (distinct from an explicit ``null``). ``dump(obj)`` turns DTOs into JSON-ready data.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs

from immich.api.errors import ValidationFailed

T = TypeVar("T")


class _Unset(enum.Enum):
    UNSET = "UNSET"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset.UNSET
"""Default of optional fields: the client did not send it."""

EMAIL_RE = re.compile(
    r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"
)
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/?#]+[^\s]*$")


def field(
    *,
    default: Any = attrs.NOTHING,
    description: str = "",
    format: str | None = None,  # noqa: A002 - OpenAPI's word
    minimum: float | None = None,
    maximum: float | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    deprecated: bool = False,
    factory: Callable[[], Any] | None = None,
    pattern: str | None = None,
    min_items: int | None = None,
    name: str | None = None,
) -> Any:
    """An attrs field with its OpenAPI facts (used by ``parse`` and by the spec).

    ``name`` is the JSON key when it cannot be the attribute's name (``from``, ``import``).
    """
    meta = {
        "description": description,
        "format": format,
        "minimum": minimum,
        "maximum": maximum,
        "minLength": min_length,
        "maxLength": max_length,
        "deprecated": deprecated,
        "pattern": pattern,
        "minItems": min_items,
        "name": name,
    }
    if factory is not None:
        return attrs.field(factory=factory, metadata={"openapi": meta})
    return attrs.field(default=default, metadata={"openapi": meta})


def json_name(f: attrs.Attribute[Any]) -> str:
    """The JSON key of a DTO field: ``field(name=...)``, else the attribute's name."""
    return str(f.metadata.get("openapi", {}).get("name") or f.alias or f.name)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_hints_cache: dict[type, dict[str, Any]] = {}


def hints(cls: type) -> dict[str, Any]:
    found = _hints_cache.get(cls)
    if found is None:
        found = typing.get_type_hints(cls)
        _hints_cache[cls] = found
    return found


def is_optional(tp: Any) -> tuple[bool, Any]:
    """(nullable, inner type) for ``X | None``."""
    if get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) < len(get_args(tp)):
            return True, args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007
    return False, tp


class _Parser:
    def __init__(self, coerce: bool) -> None:
        self.coerce = coerce  # query strings: "1" -> 1, "true" -> True
        self.errors: list[dict[str, Any]] = []

    def fail(self, path: tuple[str | int, ...], message: str) -> Any:
        self.errors.append({"path": list(path), "message": message})
        return None

    def value(
        self, tp: Any, value: Any, path: tuple[str | int, ...], meta: Mapping[str, Any]
    ) -> Any:
        nullable, tp = is_optional(tp)
        if value is None:
            if nullable:
                return None
            return self.fail(path, f"Invalid input: expected {_expected(tp)}, received null")
        origin = get_origin(tp)
        if tp is Any:
            return value
        if origin is Literal:
            options = get_args(tp)
            if value in options:
                return value
            joined = "|".join(f'"{o}"' for o in options)
            return self.fail(path, f"Invalid option: expected one of {joined}")
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            try:
                return tp(value)
            except ValueError:
                joined = "|".join(f'"{m.value}"' for m in tp)
                return self.fail(path, f"Invalid option: expected one of {joined}")
        if origin is list:
            if self.coerce and isinstance(value, str):
                value = value.split(",") if value else []
            if not isinstance(value, list):
                return self.fail(
                    path, f"Invalid input: expected array, received {_type_name(value)}"
                )
            (item,) = get_args(tp)
            least = meta.get("minItems")
            if least is not None and len(value) < least:
                return self.fail(path, f"Too small: expected array to have >={least} items")
            # A list's facts other than minItems describe its items (as in the spec).
            facts = {k: v for k, v in meta.items() if k not in ("minItems", "description")}
            return [self.value(item, v, (*path, i), facts) for i, v in enumerate(value)]
        if origin is dict or tp is dict:
            if not isinstance(value, dict):
                return self.fail(
                    path, f"Invalid input: expected object, received {_type_name(value)}"
                )
            return value
        if attrs.has(tp):
            if not isinstance(value, dict):
                return self.fail(
                    path, f"Invalid input: expected object, received {_type_name(value)}"
                )
            return self.object(tp, value, path)
        return self.scalar(tp, value, path, meta)

    def scalar(
        self, tp: Any, value: Any, path: tuple[str | int, ...], meta: Mapping[str, Any]
    ) -> Any:
        if tp is bytes:  # a multipart file part: the endpoint received it, passes it through
            return value
        if tp is bool:
            if self.coerce and isinstance(value, str) and value in ("true", "false"):
                return value == "true"
            if not isinstance(value, bool):
                return self.fail(
                    path, f"Invalid input: expected boolean, received {_type_name(value)}"
                )
            return value
        if tp is int or tp is float:
            if self.coerce and isinstance(value, str):
                try:
                    value = float(value) if tp is float else int(value)
                except ValueError:
                    return self.fail(path, "Invalid input: expected number, received NaN")
            if isinstance(value, bool) or not isinstance(value, int | float):
                return self.fail(
                    path, f"Invalid input: expected number, received {_type_name(value)}"
                )
            if tp is int and not float(value).is_integer():
                return self.fail(path, "Invalid input: expected int, received number")
            lo, hi = meta.get("minimum"), meta.get("maximum")
            if lo is not None and value < lo:
                return self.fail(path, f"Too small: expected number to be >={lo:g}")
            if hi is not None and value > hi:
                return self.fail(path, f"Too big: expected number to be <={hi:g}")
            return tp(value)
        if tp is str or tp is dt.datetime or tp is uuid.UUID:
            if not isinstance(value, str):
                return self.fail(
                    path, f"Invalid input: expected string, received {_type_name(value)}"
                )
            return self.string(tp, value, path, meta)
        raise TypeError(f"unsupported DTO type {tp!r}")

    def string(
        self, tp: Any, value: str, path: tuple[str | int, ...], meta: Mapping[str, Any]
    ) -> Any:
        fmt = meta.get("format")
        if fmt == "email" and not EMAIL_RE.match(value):
            return self.fail(path, "Invalid email address")
        if (fmt == "uuid" or tp is uuid.UUID) and not UUID_RE.match(value):
            return self.fail(path, "Invalid UUID")
        if fmt == "uri" and not URL_RE.match(value):
            return self.fail(path, "Invalid URL")
        pattern = meta.get("pattern")
        if pattern is not None and not re.search(pattern, value):
            return self.fail(path, f"Invalid string: must match pattern /{pattern}/")
        if fmt == "date-time" or tp is dt.datetime:
            try:
                parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return self.fail(path, "Invalid ISO datetime")
            return parsed if tp is dt.datetime else value
        lo, hi = meta.get("minLength"), meta.get("maxLength")
        if lo is not None and len(value) < lo:
            return self.fail(path, f"Too small: expected string to have >={lo} characters")
        if hi is not None and len(value) > hi:
            return self.fail(path, f"Too big: expected string to have <={hi} characters")
        return value

    def object(self, cls: type[T], data: Mapping[str, Any], path: tuple[str | int, ...]) -> T:
        kwargs: dict[str, Any] = {}
        types_ = hints(cls)
        for f in attrs.fields(cls):  # type: ignore[arg-type]
            key = json_name(f)
            meta = f.metadata.get("openapi", {})
            if key not in data:
                if f.default is attrs.NOTHING:
                    expected = _expected(types_[f.name])
                    self.fail(
                        (*path, key), f"Invalid input: expected {expected}, received undefined"
                    )
                continue
            kwargs[f.name] = self.value(types_[f.name], data[key], (*path, key), meta)
        if self.errors:
            return None  # type: ignore[return-value]
        return cls(**kwargs)


def _expected(tp: Any) -> str:
    _, tp = is_optional(tp)
    if tp is bool:
        return "boolean"
    if tp in (int, float):
        return "number"
    if tp in (str, dt.datetime, uuid.UUID) or get_origin(tp) is Literal:
        return "string"
    if get_origin(tp) is list:
        return "array"
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "string"
    return "object"


def parse(cls: type[T], data: Any, *, coerce: bool = False) -> T:
    """Validate ``data`` into ``cls``; raise ValidationFailed listing every problem."""
    parser = _Parser(coerce)
    if not isinstance(data, dict):
        raise ValidationFailed(
            [
                {
                    "path": [],
                    "message": f"Invalid input: expected object, received {_type_name(data)}",
                }
            ]
        )
    result = parser.object(cls, data, ())
    if parser.errors:
        raise ValidationFailed(parser.errors)
    return result


def iso(value: dt.datetime) -> str:
    """Immich's timestamp form: UTC with milliseconds and Z."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def dump(value: Any) -> Any:
    """JSON-ready data from DTOs, lists, enums, datetimes and UUIDs; UNSET fields left out."""
    if attrs.has(type(value)):
        out = {}
        for f in attrs.fields(type(value)):
            item = getattr(value, f.name)
            if item is UNSET:
                continue
            out[json_name(f)] = dump(item)
        return out
    if isinstance(value, list | tuple):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value
