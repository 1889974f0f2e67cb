"""Named places (the reverse geocoder's data) as the core sees them, whoever provides them.

The reverse geocoder lives in a plugin (``plugins/metadata``); the api role's place search
asks for matches through the ``search_places`` provider hook and gets these records back.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class PlaceMatch:
    """One place: Immich's ``geodata_places`` row as ``searchPlaces`` answers it."""

    name: str
    latitude: float
    longitude: float
    admin1_name: str | None = None  # state / province
    admin2_name: str | None = None  # county / district
