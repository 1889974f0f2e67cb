"""A DTO as the plain values a service takes: the fields the client sent, nothing else."""

from __future__ import annotations

from typing import Any

import attrs

from immich.api.dto import UNSET


def given(dto: Any) -> dict[str, Any]:
    """``{field: value}`` for every field of ``dto`` the client sent (``UNSET`` ones left out);
    values stay as parsed (enums, datetimes, nested DTOs). An explicit ``null`` is kept as
    ``None``: services tell "clear it" from "leave it" by the key being there."""
    return {
        a.name: value
        for a in attrs.fields(type(dto))
        if (value := getattr(dto, a.name)) is not UNSET
    }


def or_none(value: Any) -> Any:
    """One optional field or query parameter: its value, or ``None`` when the client left it out."""
    return None if value is UNSET else value
