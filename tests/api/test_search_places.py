"""GET /api/search/places: the reverse geocoder's places through the ``search_places``
provider hook (the metadata plugin's)."""

from __future__ import annotations

from typing import Any

import httpx

from immich.places import PlaceMatch

Headers = dict[str, str]


async def test_places_by_name_accent_blind_exact_first(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    r = await client.get("/api/search/places", params={"name": "zurich"}, headers=admin_headers)
    assert r.status_code == 200, r.text
    places = r.json()
    assert places and len(places) <= 20
    first = places[0]
    assert first["name"] == "Zürich"
    assert abs(first["latitude"] - 47.37) < 0.1 and abs(first["longitude"] - 8.55) < 0.1
    assert first["admin1name"] == "Zurich"
    assert all("zurich" in p["name"].lower().replace("ü", "u") for p in places)


async def test_places_needs_a_name(client: httpx.AsyncClient, admin_headers: Headers) -> None:
    r = await client.get("/api/search/places", headers=admin_headers)
    assert r.status_code == 400
    assert r.json()["errors"][0]["path"] == ["name"]
    r = await client.get("/api/search/places", params={"name": "qxzqxzq"}, headers=admin_headers)
    assert r.json() == []


async def test_hook_search_places(app: Any) -> None:
    """The provider hook answers PlaceMatch records (the metadata plugin's)."""
    ctx = app.state.ctx
    found = ctx.hook.search_places(ctx=ctx, name="Oslo")
    assert found is not None
    places = list(await found)
    assert isinstance(places[0], PlaceMatch) and places[0].name == "Oslo"
