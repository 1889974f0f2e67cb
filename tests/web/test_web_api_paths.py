"""Every API call the web app makes exists in our OpenAPI document, with that method.

web/app/api.js takes literal OpenAPI path templates (``api.get('/assets/{id}', {path: {id}})``),
so the calls can be read straight from the source; nothing else in web/app may build an ``/api``
URL or call ``fetch`` itself."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

WEB_APP = Path(__file__).resolve().parents[2] / "web" / "app"
CALL = re.compile(r"\bapi\.(get|post|put|patch|del|upload|url)\(\s*(['\"`])(/[^'\"`]*)\2")
METHODS = {"get": "get", "post": "post", "put": "put", "patch": "patch", "del": "delete"}
METHODS |= {"upload": "post", "url": "get"}
# the one URL that is not a REST operation: socket.io's endpoint
NOT_REST = {"/api/socket.io"}
# calls the app makes only when /server/features says so, for operations served only then
FEATURE_GATED = {("post", "/search/smart"): "smartSearch"}


def calls() -> list[tuple[str, str, str]]:
    """(file, method, path template) for every api.<method>('/...') in the web app."""
    found = []
    for file in sorted(WEB_APP.rglob("*.js")):
        for m in CALL.finditer(file.read_text()):
            found.append((file.relative_to(WEB_APP).as_posix(), METHODS[m.group(1)], m.group(3)))
    return found


def test_the_scanner_finds_the_calls() -> None:
    found = {(method, path) for _, method, path in calls()}
    assert ("post", "/auth/login") in found and ("get", "/server/config") in found


async def test_every_call_is_in_the_openapi_document(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    spec = (await client.get("/api/spec.json")).json()
    features = (await client.get("/api/server/features", headers=admin_headers)).json()
    missing = [
        f"{file}: {method.upper()} {path}"
        for file, method, path in calls()
        if method not in spec["paths"].get(path.split("?")[0], {})
        and not ((gate := FEATURE_GATED.get((method, path))) and features[gate] is False)
    ]
    assert not missing, missing


def test_no_call_bypasses_api_js() -> None:
    """Only api.js talks HTTP, so the scan above sees every call."""
    offenders = []
    for file in sorted(WEB_APP.rglob("*.js")):
        if file.name == "api.js":
            continue
        text = file.read_text()
        for m in re.finditer(r"\bfetch\(|XMLHttpRequest|['\"`]/api/[^'\"`]+", text):
            if m.group(0).strip("'\"`") not in NOT_REST:
                offenders.append(f"{file.relative_to(WEB_APP)}: {m.group(0)}")
    assert not offenders, offenders
