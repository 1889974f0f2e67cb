"""The leaves of the DTO type walk (``immich.api._dto_plan``): the plan base class, scalar
and string-format plans, enums and literals, and the run-time dumper.

Messages are zod 4's, the validator Immich 3.1 uses (``zod/v4/locales/en.ts``), and Immich's own
for email and ISO dates (``server/src/validation.ts``).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import typing
import uuid
from collections.abc import Callable
from typing import Any

import attrs

from immich.api._dto_base import (
    DATE_RANGE_MESSAGE,
    EARLIEST,
    EMAIL_RE,
    ISO_DATE_RE,
    ISO_DATETIME_RE,
    LATEST,
    MISSING,
    NUL,
    NUL_MESSAGE,
    URL_RE,
    UUID_RE,
    iso,
    js_number,
    js_typeof,
    js_value,
    nul_path,
    zod_type,
)

Schema = dict[str, Any]
Facts = tuple[tuple[str, Any], ...]
Path = tuple[str | int, ...]
FACT_KEYS = ("format", "pattern", "minimum", "maximum", "minLength", "maxLength")
ARRAY_KEYS = ("minItems", "maxItems")
ADDITIONS_KEY = "x-immich-py-additions"
# Values that are their own JSON form (dump returns them as they are).
PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def facts_of(meta: typing.Mapping[str, Any]) -> Facts:
    """A field's checks from its ``dto.field`` metadata, hashable for the plan cache."""
    return tuple(sorted((k, meta[k]) for k in (*FACT_KEYS, *ARRAY_KEYS) if meta.get(k) is not None))


class Errors(list[dict[str, Any]]):
    """The problems met while parsing one input, in Immich's ``{path, message}`` form."""

    def __init__(self, coerce: bool) -> None:
        super().__init__()
        self.coerce = coerce  # query strings: "1" -> 1, "true" -> True, "a,b" -> ["a", "b"]

    def fail(self, path: Path, message: str) -> None:
        self.append({"path": list(path), "message": message})


class Builder(typing.Protocol):
    """What a plan needs from the OpenAPI builder: a home for named components."""

    def component(self, cls: type, make: Callable[[], Schema]) -> Schema: ...


class Plan:
    """Parse, dump and schema of one type. Subclasses override what differs."""

    expected = "object"  # zod's word for the type in "Invalid input: expected ..."

    def invalid(self, value: Any) -> str:
        """The message for a value of the wrong kind (``None``, ``MISSING``, a number...)."""
        return f"Invalid input: expected {self.expected}, received {zod_type(value)}"

    def parse(self, value: Any, path: Path, errors: Errors) -> Any:
        """Any JSON value (``Any`` fields, free-form maps): taken as it is, unless a string in
        it holds U+0000, which no text or jsonb column can store."""
        found = nul_path(value)
        if found is not None:
            return errors.fail((*path, *found), NUL_MESSAGE)
        return value

    def dump(self, value: Any) -> Any:
        return dump_any(value)

    def schema(self, builder: Builder) -> Schema:
        return {}


def _with_facts(schema: Schema, facts: Facts) -> Schema:
    for key, value in facts:
        schema[key] = value
    return schema


class BoolPlan(Plan):
    expected = "boolean"

    def parse(self, value: Any, path: Path, errors: Errors) -> Any:
        if value is True or value is False:
            return value
        if errors.coerce and isinstance(value, str):  # Immich's stringToBool (z.stringbool)
            if value in ("true", "false"):
                return value == "true"
            return errors.fail(path, 'Invalid option: expected one of "true"|"false"')
        return errors.fail(path, self.invalid(value))

    def schema(self, builder: Builder) -> Schema:
        return {"type": "boolean"}


class NumberPlan(Plan):
    expected = "number"

    def __init__(self, tp: type, facts: Facts) -> None:
        self.tp = tp
        self.facts = facts
        found = dict(facts)
        self.lo: float | None = found.get("minimum")
        self.hi: float | None = found.get("maximum")

    def parse(self, value: Any, path: Path, errors: Errors) -> Any:
        if errors.coerce and isinstance(value, str):  # z.coerce.number()
            try:
                value = float(value)
            except ValueError:
                return errors.fail(path, "Invalid input: expected number, received NaN")
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            return errors.fail(path, self.invalid(value))
        if self.tp is int and not float(value).is_integer():
            return errors.fail(path, "Invalid input: expected int, received number")
        if self.lo is not None and value < self.lo:
            return errors.fail(path, f"Too small: expected number to be >={js_number(self.lo)}")
        if self.hi is not None and value > self.hi:
            return errors.fail(path, f"Too big: expected number to be <={js_number(self.hi)}")
        return self.tp(value)

    def schema(self, builder: Builder) -> Schema:
        base = {"type": "integer"} if self.tp is int else {"type": "number", "format": "double"}
        return _with_facts(base, self.facts)


class StringPlan(Plan):
    """``str``, and the string formats: email, uuid, uri, date-time, date."""

    expected = "string"
    base: Schema = {"type": "string"}  # noqa: RUF012 - read only

    def __init__(self, tp: Any, facts: Facts) -> None:
        self.tp = tp
        self.facts = facts
        found = dict(facts)
        self.pattern: str | None = found.get("pattern")
        self.min_length: int | None = found.get("minLength")
        self.max_length: int | None = found.get("maxLength")

    def parse(self, value: Any, path: Path, errors: Errors) -> Any:
        if not isinstance(value, str):
            return errors.fail(path, self.invalid(value))
        if NUL in value:
            return errors.fail(path, NUL_MESSAGE)
        problem = self.problem(value)
        if problem is not None:
            return errors.fail(path, problem)
        if self.pattern is not None and not re.search(self.pattern, value):
            return errors.fail(path, f"Invalid string: must match pattern /{self.pattern}/")
        if self.min_length is not None and len(value) < self.min_length:
            return errors.fail(
                path, f"Too small: expected string to have >={self.min_length} characters"
            )
        if self.max_length is not None and len(value) > self.max_length:
            return errors.fail(
                path, f"Too big: expected string to have <={self.max_length} characters"
            )
        return self.convert(value)

    def problem(self, value: str) -> str | None:
        """The format's message when ``value`` does not have it."""
        return None

    def convert(self, value: str) -> Any:
        return value

    def schema(self, builder: Builder) -> Schema:
        return _with_facts(dict(self.base), self.facts)


class EmailPlan(StringPlan):
    """Immich's ``toEmail``: one message for every failure, naming JavaScript's typeof."""

    def invalid(self, value: Any) -> str:
        return f"Invalid input: expected email, received {js_typeof(value)}"

    def problem(self, value: str) -> str | None:
        return None if EMAIL_RE.match(value) else self.invalid(value)


class UuidPlan(StringPlan):
    base: Schema = {"type": "string", "format": "uuid"}  # noqa: RUF012

    def problem(self, value: str) -> str | None:
        return None if UUID_RE.match(value) else "Invalid UUID"

    def convert(self, value: str) -> Any:
        return uuid.UUID(value) if self.tp is uuid.UUID else value

    def dump(self, value: Any) -> Any:
        return str(value) if isinstance(value, uuid.UUID) else dump_any(value)


class UrlPlan(StringPlan):
    def problem(self, value: str) -> str | None:
        return None if URL_RE.match(value) else "Invalid URL"


class DateTimePlan(StringPlan):
    """Immich's ``isoDatetimeToDate``: ISO 8601 with Z or an offset."""

    base: Schema = {"type": "string", "format": "date-time"}  # noqa: RUF012

    def invalid(self, value: Any) -> str:
        return f"Invalid input: expected ISO 8601 datetime string, received {js_typeof(value)}"

    def problem(self, value: str) -> str | None:
        if ISO_DATETIME_RE.match(value):
            try:
                moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return self.invalid(value)
            if not EARLIEST <= moment <= LATEST:
                return DATE_RANGE_MESSAGE
            return None
        return self.invalid(value)

    def convert(self, value: str) -> Any:
        if self.tp is dt.datetime:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return value

    def dump(self, value: Any) -> Any:
        return iso(value) if isinstance(value, dt.datetime) else dump_any(value)


class DatePlan(StringPlan):
    """Immich's ``isoDateToDate``: YYYY-MM-DD."""

    base: Schema = {"type": "string", "format": "date"}  # noqa: RUF012

    def invalid(self, value: Any) -> str:
        return f"Invalid input: expected ISO date string (YYYY-MM-DD), received {js_typeof(value)}"

    def problem(self, value: str) -> str | None:
        if ISO_DATE_RE.match(value):
            try:
                dt.date.fromisoformat(value)
                return None
            except ValueError:
                pass
        return self.invalid(value)

    def convert(self, value: str) -> Any:
        return dt.date.fromisoformat(value) if self.tp is dt.date else value


class BytesPlan(Plan):
    """A multipart file part: the endpoint reads it; described as binary."""

    def schema(self, builder: Builder) -> Schema:
        return {"type": "string", "format": "binary"}


class ChoicePlan(Plan):
    """``Literal[...]`` and ``enum.Enum``: zod's ``invalid_value`` for anything else, null too."""

    def __init__(self, values: tuple[Any, ...], enum_cls: type[enum.Enum] | None) -> None:
        self.values = values
        self.enum_cls = enum_cls
        self.by_value = {(type(v), v): (enum_cls(v) if enum_cls else v) for v in values}

    def invalid(self, value: Any) -> str:
        if len(self.values) == 1:
            return f"Invalid input: expected {js_value(self.values[0])}"
        return "Invalid option: expected one of " + "|".join(js_value(v) for v in self.values)

    def parse(self, value: Any, path: Path, errors: Errors) -> Any:
        kind = type(value)
        found = self.by_value.get((kind, value), MISSING) if kind in PLAIN else MISSING
        if found is MISSING and errors.coerce and isinstance(value, str):
            for (kind, option), member in self.by_value.items():  # "720" in a query
                if kind is int and value == str(option):
                    found = member
        if found is MISSING:
            return errors.fail(path, self.invalid(value))
        return found

    def dump(self, value: Any) -> Any:
        return value.value if isinstance(value, enum.Enum) else dump_any(value)

    def schema(self, builder: Builder) -> Schema:
        values = list(self.values)
        if all(isinstance(v, bool) for v in values):
            kind = "boolean"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            kind = "integer"
        else:
            kind = "string"
        out: Schema = {"type": kind, "enum": values}
        if self.enum_cls is None:
            return out
        additions = getattr(self.enum_cls, "__additions__", ())
        if additions:  # values beyond Immich's (its clients may not know them)
            out[ADDITIONS_KEY] = list(additions)
        doc = (self.enum_cls.__doc__ or "").strip()
        if doc and doc != enum.Enum.__doc__:
            out["description"] = doc.split("\n")[0]
        return builder.component(self.enum_cls, lambda: out)


# Runtime dispatch: for Any fields, top-level answers and values of an unexpected class.
_by_class: dict[type, Callable[[Any], Any]] = {}


def _same(value: Any) -> Any:
    return value


def _dumper(cls: type) -> Callable[[Any], Any]:
    if attrs.has(cls):
        from immich.api._dto_plan import plan_of  # once per class: the plans import us

        return plan_of(cls).dump
    if issubclass(cls, list | tuple | set | frozenset):
        return lambda value: [v if v.__class__ in PLAIN else dump_any(v) for v in value]
    if issubclass(cls, dict):
        return lambda value: {
            k: v if v.__class__ in PLAIN else dump_any(v) for k, v in value.items()
        }
    if issubclass(cls, dt.datetime):
        return iso
    if issubclass(cls, dt.date):
        return lambda value: value.isoformat()
    if issubclass(cls, uuid.UUID):
        return str
    if issubclass(cls, enum.Enum):
        return lambda value: value.value
    return _same


def dump_any(value: Any) -> Any:
    """JSON-ready data of any value, dispatched on its class (one dict look-up)."""
    cls = value.__class__
    if cls in PLAIN:
        return value
    found = _by_class.get(cls)
    if found is None:
        found = _by_class[cls] = _dumper(cls)
    return found(value)
