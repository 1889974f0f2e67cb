"""JSON schemas (OpenAPI 3.0 dialect) from attrs DTOs and Python types.

The schema of a type is its DTO plan's (``immich.api._dto_plan``), the same object that parses
and dumps it. Each attrs class and each ``enum.Enum`` becomes a component named after the class
and is referenced with ``$ref``; other types are inlined. A field's ``dto.field`` metadata
supplies description, format, bounds and ``deprecated``; fields without a default are
``required`` (``ObjectPlan.object_schema``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from immich.api._dto_plan import Schema, plan_of

__all__ = ["Schema", "SchemaBuilder", "ref"]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


class SchemaBuilder:
    """Turns types into schemas, collecting the named components it meets on the way."""

    def __init__(self) -> None:
        self.components: dict[str, Schema] = {}
        self._owners: dict[str, type] = {}

    def component(self, cls: type, make: Callable[[], Schema]) -> Schema:
        """A ``$ref`` to ``cls``'s component, built by ``make`` the first time it is met."""
        name = cls.__name__
        owner = self._owners.get(name)
        if owner is None:
            self._owners[name] = cls
            self.components[name] = {}  # placeholder: a class may refer to itself
            self.components[name] = make()
        elif owner is not cls:
            raise TypeError(f"two DTO classes named {name}: {owner!r} and {cls!r}")
        return ref(name)

    def schema(self, tp: Any) -> Schema:
        """Schema of a type: scalars, Literal, Enum, lists, dicts, attrs classes, X | None."""
        return plan_of(tp).schema(self)
