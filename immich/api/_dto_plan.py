"""One walk of a DTO type: ``plan_of(tp, facts)`` gives the object that parses, dumps and
describes (OpenAPI) values of that type, so the three can never disagree.

A plan is made once per (type, field facts) and cached. ``facts`` are a field's checks
(format, bounds, pattern, minItems...) as a sorted tuple; a list's facts other than its own
(minItems, maxItems) go to its items, as in Immich's document. Leaves (scalars, string
formats, enums) are in ``immich.api._dto_scalars``.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import enum
import types
import typing
import uuid
from collections.abc import Callable
from typing import Any, Literal, get_args, get_origin

import attrs

from immich.api._dto_base import MISSING, UNSET, hints, json_name
from immich.api._dto_scalars import (
    ARRAY_KEYS,
    PLAIN,
    BoolPlan,
    Builder,
    BytesPlan,
    ChoicePlan,
    DatePlan,
    DateTimePlan,
    EmailPlan,
    Errors,
    Facts,
    NumberPlan,
    Path,
    Plan,
    Schema,
    StringPlan,
    UrlPlan,
    UuidPlan,
    dump_any,
    facts_of,
)

__all__ = ["Errors", "ObjectPlan", "Plan", "Schema", "dump_any", "facts_of", "plan_of"]


class ListPlan(Plan):
    expected = "array"

    def __init__(self, origin: Any, item: Plan, facts: Facts) -> None:
        self.item = item
        self.make: Callable[[list[Any]], Any] = (
            origin if origin in (tuple, set, frozenset) else lambda items: items
        )
        found = dict(facts)
        self.min_items: int | None = found.get("minItems")
        self.max_items: int | None = found.get("maxItems")

    def parse(self, value: Any, path: Path, errors: Errors) -> Any:
        if errors.coerce and isinstance(value, str):
            value = value.split(",") if value else []
        if not isinstance(value, list):
            return errors.fail(path, self.invalid(value))
        if self.min_items is not None and len(value) < self.min_items:
            return errors.fail(path, f"Too small: expected array to have >={self.min_items} items")
        if self.max_items is not None and len(value) > self.max_items:
            return errors.fail(path, f"Too big: expected array to have <={self.max_items} items")
        item = self.item
        return self.make([item.parse(v, (*path, i), errors) for i, v in enumerate(value)])

    def dump(self, value: Any) -> Any:
        if value.__class__ not in (list, tuple, set, frozenset):
            return dump_any(value)
        dump_item = self.item.dump
        return [v if v.__class__ in PLAIN else dump_item(v) for v in value]

    def schema(self, builder: Builder) -> Schema:
        out: Schema = {"type": "array", "items": self.item.schema(builder)}
        if self.min_items is not None:
            out["minItems"] = self.min_items
        if self.max_items is not None:
            out["maxItems"] = self.max_items
        return out


class DictPlan(Plan):
    """``dict[str, X]``: zod's ``z.record``."""

    expected = "record"

    def __init__(self, value: Plan | None) -> None:
        self.value = value  # None: any JSON value

    def parse(self, value: Any, path: Path, errors: Errors) -> Any:
        if not isinstance(value, dict):
            return errors.fail(path, self.invalid(value))
        plan = self.value
        if plan is None:  # any JSON: still no U+0000 (jsonb cannot store it)
            return super().parse(value, path, errors)
        return {k: plan.parse(v, (*path, k), errors) for k, v in value.items()}

    def dump(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return dump_any(value)
        dump_value = self.value.dump if self.value is not None else dump_any
        return {k: v if v.__class__ in PLAIN else dump_value(v) for k, v in value.items()}

    def schema(self, builder: Builder) -> Schema:
        out: Schema = {"type": "object"}
        if self.value is not None:
            out["additionalProperties"] = self.value.schema(builder)
        return out


class NullablePlan(Plan):
    """``X | None``: null is a value; everything else is X's business."""

    def __init__(self, inner: Plan) -> None:
        self.inner = inner
        self.expected = inner.expected

    def invalid(self, value: Any) -> str:
        return self.inner.invalid(value)

    def parse(self, value: Any, path: Path, errors: Errors) -> Any:
        return None if value is None else self.inner.parse(value, path, errors)

    def dump(self, value: Any) -> Any:
        return self.inner.dump(value)

    def schema(self, builder: Builder) -> Schema:
        inner = self.inner.schema(builder)
        if "$ref" in inner:
            return {"allOf": [inner], "nullable": True}
        return {**inner, "nullable": True}


class UnionPlan(Plan):
    """``A | B``: the first option that takes the value; zod's "Invalid input" otherwise."""

    def __init__(self, options: list[Plan]) -> None:
        self.options = options

    def invalid(self, value: Any) -> str:
        return "Invalid input"

    def parse(self, value: Any, path: Path, errors: Errors) -> Any:
        for option in self.options:
            scratch = Errors(errors.coerce)
            parsed = option.parse(value, path, scratch)
            if not scratch:
                return parsed
        return errors.fail(path, self.invalid(value))

    def schema(self, builder: Builder) -> Schema:
        return {"oneOf": [option.schema(builder) for option in self.options]}


@attrs.frozen
class FieldPlan:
    name: str  # attribute
    alias: str  # __init__ argument
    key: str  # JSON key
    plan: Plan
    required: bool
    default: Any
    description: str
    deprecated: bool


class ObjectPlan(Plan):
    """An attrs class: a JSON object, one key per field; UNSET fields are left out."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self._fields: list[FieldPlan] | None = None  # late: a class may refer to itself
        self._dumpers: list[tuple[str, str, Callable[[Any], Any]]] = []

    @property
    def fields(self) -> list[FieldPlan]:
        if self._fields is None:
            types_ = hints(self.cls)
            found = []
            for f in attrs.fields(self.cls):
                meta = f.metadata.get("openapi", {})
                plan = plan_of(types_[f.name], facts_of(meta))
                found.append(
                    FieldPlan(
                        name=f.name,
                        alias=f.alias or f.name,
                        key=json_name(f),
                        plan=plan,
                        required=f.default is attrs.NOTHING,
                        default=f.default,
                        description=meta.get("description") or "",
                        deprecated=bool(meta.get("deprecated")),
                    )
                )
            self._dumpers = [(fp.name, fp.key, fp.plan.dump) for fp in found]
            self._fields = found
        return self._fields

    def parse(self, value: Any, path: Path, errors: Errors) -> Any:
        if not isinstance(value, dict):
            return errors.fail(path, self.invalid(value))
        before = len(errors)
        kwargs: dict[str, Any] = {}
        for fp in self.fields:
            item = value.get(fp.key, MISSING)
            if item is MISSING:
                if fp.required:
                    errors.fail((*path, fp.key), fp.plan.invalid(MISSING))
                continue
            kwargs[fp.alias] = fp.plan.parse(item, (*path, fp.key), errors)
        if len(errors) > before:
            return None
        return self.cls(**kwargs)

    def dump(self, value: Any) -> Any:
        if value.__class__ is not self.cls:
            return dump_any(value)
        if self._fields is None:
            self.fields  # noqa: B018 - builds the dumpers
        out = {}
        for name, key, dump_field in self._dumpers:
            item = getattr(value, name)
            if item is UNSET:
                continue
            out[key] = item if item.__class__ in PLAIN else dump_field(item)
        return out

    def schema(self, builder: Builder) -> Schema:
        if getattr(self.cls, "__inline_schema__", False):  # Immich's anonymous nested objects
            return self.object_schema(builder)
        return builder.component(self.cls, lambda: self.object_schema(builder))

    def object_schema(self, builder: Builder) -> Schema:
        """``{"type": "object", "properties": ..., "required": [...]}``."""
        properties: dict[str, Schema] = {}
        required: list[str] = []
        for fp in self.fields:
            prop = fp.plan.schema(builder)
            if "$ref" not in prop:  # OpenAPI 3.0 ignores siblings of $ref
                prop = {**prop}
                if fp.description:
                    prop["description"] = fp.description
                if fp.deprecated:
                    prop["deprecated"] = True
            properties[fp.key] = prop
            if fp.required:
                required.append(fp.key)
            elif _is_json_default(fp.default) and "$ref" not in prop:
                prop.setdefault("default", fp.default)
        out: Schema = {"type": "object", "properties": properties}
        if required:
            out["required"] = sorted(required)
        doc = (self.cls.__doc__ or "").strip()
        if doc and not doc.startswith(f"{self.cls.__name__}("):  # attrs' generated repr-doc
            out["description"] = doc.split("\n")[0]
        return out


def _is_json_default(value: Any) -> bool:
    if value is UNSET or value is None or isinstance(value, attrs.Factory):  # type: ignore[arg-type]
        return False
    return isinstance(value, str | int | float | bool)


_SEQUENCES = (list, tuple, set, frozenset, cabc.Sequence, cabc.Set)
_MAPPINGS = (dict, cabc.Mapping)
_STRING_FORMATS: dict[str, type[StringPlan]] = {
    "email": EmailPlan,
    "uuid": UuidPlan,
    "uri": UrlPlan,
    "date-time": DateTimePlan,
    "date": DatePlan,
}
_plans: dict[tuple[Any, Facts], Plan] = {}


def plan_of(tp: Any, facts: Facts = ()) -> Plan:
    """The plan of a type with a field's checks; TypeError for a type no DTO may use."""
    key = (tp, facts)
    found = _plans.get(key)
    if found is None:
        found = _plans[key] = _make(tp, facts)
    return found


def _make(tp: Any, facts: Facts) -> Plan:
    if tp is Any or tp is object:
        return Plan()
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = get_args(tp)
        options = [a for a in args if a is not type(None)]
        inner = (
            plan_of(options[0], facts)
            if len(options) == 1
            else UnionPlan([plan_of(a, facts) for a in options])
        )
        return NullablePlan(inner) if len(options) < len(args) else inner
    if origin is Literal:
        return ChoicePlan(get_args(tp), None)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return ChoicePlan(tuple(m.value for m in tp), tp)
    if origin in _SEQUENCES or tp in _SEQUENCES:
        items = [a for a in get_args(tp) if a is not Ellipsis]
        if origin is tuple and len(items) > 1:
            raise TypeError(f"no DTO plan for fixed-length tuple {tp!r}")
        item_facts = tuple((k, v) for k, v in facts if k not in ARRAY_KEYS)
        list_facts = tuple((k, v) for k, v in facts if k in ARRAY_KEYS)
        item = plan_of(items[0] if items else Any, item_facts)
        return ListPlan(origin or tp, item, list_facts)
    if origin in _MAPPINGS or tp in _MAPPINGS:
        args = get_args(tp)
        if args and args[0] is not str:
            raise TypeError(f"JSON object keys are strings: {tp!r}")
        value = args[1] if len(args) == 2 else Any
        return DictPlan(None if value is Any else plan_of(value))
    if isinstance(tp, type) and attrs.has(tp):
        return ObjectPlan(tp)
    fmt = dict(facts).get("format")
    if tp is bool:
        return BoolPlan()
    if tp is int or tp is float:
        return NumberPlan(tp, facts)
    if tp is bytes:
        return BytesPlan()
    if tp is dt.datetime:
        return DateTimePlan(tp, facts)
    if tp is dt.date:
        return DatePlan(tp, facts)
    if tp is uuid.UUID:
        return UuidPlan(tp, facts)
    if tp is str:
        return _STRING_FORMATS.get(fmt or "", StringPlan)(tp, facts)
    raise TypeError(f"no DTO plan for type {tp!r}")
