"""The small vocabulary every DTO module shares: ``UNSET``, JSON names, type hints, timestamps,
and the words Immich's validator (zod 4) uses to name a value's type in its messages."""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import typing
from typing import Any

import attrs


class _Unset(enum.Enum):
    UNSET = "UNSET"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset.UNSET
"""Default of optional fields: the client did not send it."""


class _Missing(enum.Enum):
    MISSING = "MISSING"


MISSING: Any = _Missing.MISSING
"""A key absent from the input (JavaScript's ``undefined`` in Immich's messages)."""

EMAIL_RE = re.compile(
    r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"
)
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/?#]+[^\s]*$")
# zod's z.iso.datetime({offset: true}): a T, minutes required, Z or a +hh:mm offset.
ISO_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$"
)
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def json_name(f: attrs.Attribute[Any]) -> str:
    """The JSON key of a DTO field: ``field(name=...)``, else the attribute's name."""
    return str(f.metadata.get("openapi", {}).get("name") or f.alias or f.name)


_hints_cache: dict[type, dict[str, Any]] = {}


def hints(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints`` of a class, computed once."""
    found = _hints_cache.get(cls)
    if found is None:
        found = typing.get_type_hints(cls)
        _hints_cache[cls] = found
    return found


def iso(value: dt.datetime) -> str:
    """Immich's timestamp form: UTC with milliseconds and Z."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC)
    # not strftime: glibc's %Y does not pad years before 1000 ("297-12-14T...")
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:"
        f"{value.minute:02d}:{value.second:02d}.{value.microsecond // 1000:03d}Z"
    )


MAX_SAFE_INTEGER = 9007199254740991  # JavaScript's; Immich's usual bound
INT32_MAX = 2147483647
"""PostgreSQL ``integer`` (and ``make_interval``'s arguments): the tighter bound of fields
whose value lands in one. Each such tightening is listed in tests/api/test_spec.py."""

NUL = "\x00"
NUL_MESSAGE = "Invalid string: must not contain the null character (U+0000)"
"""U+0000 cannot be stored in PostgreSQL text or jsonb: refused at the edge, in Immich's
validation body, rather than failing in the database."""

# Dates we can store and give back: PostgreSQL takes more, Python's datetime does not.
EARLIEST = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC)
DATE_RANGE_MESSAGE = "Invalid date: expected a date between years 1 and 9999"


def nul_path(value: Any) -> tuple[str | int, ...] | None:
    """Where (relative path) a JSON value holds U+0000 in a string or a key; None if nowhere."""
    if isinstance(value, str):
        return () if NUL in value else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = nul_path(item)
            if found is not None:
                return (i, *found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and NUL in key:
                return (key,)
            found = nul_path(item)
            if found is not None:
                return (key, *found)
    return None


def zod_type(value: Any) -> str:
    """zod's name for a value's type (``received ...`` in its default messages)."""
    if value is MISSING:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def js_typeof(value: Any) -> str:
    """JavaScript's ``typeof`` (Immich's own messages use it: null and arrays are "object")."""
    kind = zod_type(value)
    return {"null": "object", "array": "object", "NaN": "number"}.get(kind, kind)


def js_number(value: float) -> str:
    """A bound as JavaScript prints it: 1, 0.5, 9007199254740991."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def js_value(value: Any) -> str:
    """zod's ``stringifyPrimitive``: strings quoted, others as JavaScript writes them."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)
