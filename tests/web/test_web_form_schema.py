"""web/app/admin/form-schema.js (the settings editors' enum choices, nullable numbers and bounds)
is generated from Immich's OpenAPI document and current: regenerate it with
``.venv/bin/python -m tests.web.gen_form_schema``."""

from __future__ import annotations

import httpx

from tests.web.gen_form_schema import TARGET, build


def test_the_form_schema_is_current() -> None:
    assert TARGET.read_text() == build(), "run .venv/bin/python -m tests.web.gen_form_schema"


def test_it_knows_the_enums_and_nullables_the_editor_needs() -> None:
    text = build()
    assert (
        '"ffmpeg.transcode": {"t": "string", "e": ["all", "optimal", "bitrate", "required", "disabled"]'
        in text
    )
    assert '"oauth.defaultStorageQuota": {"t": "integer", "n": true, "min": 0' in text
    assert '"albums.defaultAssetOrder": {"t": "string", "e": ["asc", "desc"]' in text


async def test_every_leaf_of_our_config_has_an_entry(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """The editor builds its inputs from the served config: every core leaf it shows is one the
    schema describes (so enums are selects, not free text)."""
    config = (await client.get("/api/system-config", headers=admin_headers)).json()
    text = build()

    def leaves(value: object, path: str) -> list[str]:
        if isinstance(value, dict):
            return [p for k, v in value.items() for p in leaves(v, f"{path}.{k}" if path else k)]
        return [path]

    missing = [p for p in leaves(config, "") if f'"{p}":' not in text]
    assert not missing, missing
