"""DTOs as attrs classes: parse + validate request input, serialise answers, describe in OpenAPI.

A request DTO is an attrs class whose fields are declared with :func:`field` (OpenAPI facts in
the metadata). ``parse(Cls, data)`` checks types, formats, enums and bounds and raises
:class:`ValidationFailed` with every problem and its path, in Immich's (zod's) words; ``UNSET``
marks an optional field the client left out (distinct from an explicit ``null``).
``dump(obj)`` turns DTOs into JSON-ready data. Parsing, dumping and the OpenAPI schema all come
from one walk of the type (``immich.api._dto_plan.plan_of``), so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from immich.api._dto_base import (
    EMAIL_RE,
    INT32_MAX,
    MAX_SAFE_INTEGER,
    MISSING,
    UNSET,
    URL_RE,
    UUID_RE,
    hints,
    iso,
    json_name,
    zod_type,
)
from immich.api._dto_plan import Errors, ObjectPlan, dump_any, plan_of
from immich.api.errors import ValidationFailed

T = TypeVar("T")

__all__ = [
    "EMAIL_RE",
    "INT32_MAX",
    "MAX_SAFE_INTEGER",
    "MISSING",
    "UNSET",
    "URL_RE",
    "UUID_RE",
    "dump",
    "field",
    "hints",
    "iso",
    "json_name",
    "parse",
]


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
    max_items: int | None = None,
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
        "maxItems": max_items,
        "name": name,
    }
    if factory is not None:
        return attrs.field(factory=factory, metadata={"openapi": meta})
    return attrs.field(default=default, metadata={"openapi": meta})


def parse(cls: type[T], data: Any, *, coerce: bool = False) -> T:
    """Validate ``data`` into ``cls``; raise ValidationFailed listing every problem.

    ``coerce``: the values are query (or form) strings: numbers, booleans and comma lists are
    read from them as Immich's query DTOs do.
    """
    plan = plan_of(cls)
    if not isinstance(data, dict):
        message = f"Invalid input: expected object, received {zod_type(data)}"
        raise ValidationFailed([{"path": [], "message": message}])
    errors = Errors(coerce)
    result = plan.parse(data, (), errors)
    if errors:
        raise ValidationFailed(list(errors))
    return result  # type: ignore[no-any-return]


def dump(value: Any) -> Any:
    """JSON-ready data from DTOs, lists, enums, datetimes and UUIDs; UNSET fields left out."""
    return dump_any(value)


def object_plan(cls: type) -> ObjectPlan:
    """The plan of a DTO class (its fields, JSON keys and checks)."""
    plan = plan_of(cls)
    if not isinstance(plan, ObjectPlan):
        raise TypeError(f"{cls!r} is not an attrs DTO class")
    return plan
