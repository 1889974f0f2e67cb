"""The device a session is recorded with, read from a request's User-Agent as Immich reads it.

Immich (``utils/request.ts getUserAgentDetails``) runs ua-parser-js on the User-Agent and stores
``deviceType`` = the browser's name, else the device type, else the ``deviceModel`` header, else
""; ``deviceOS`` = the OS name, else the ``deviceType`` header, else ""; ``appVersion`` = the
version in the phone app's ``immich-android/3.1.0`` (or legacy ``Immich_Android_3.1.0``) agent.

We parse with ``ua-parser`` (uap-core's regexes, the Python port used by most Python projects) and
translate its names where ua-parser-js 2.x (Immich 3.1's) spells them differently, so the web's
session list shows the same words either server. Two differences are bridged by rule:

- uap-core names HTTP libraries (``curl``, ``okhttp``, ``axios``...) and crawlers as browsers;
  ua-parser-js reports no browser for them. A browser is only taken from an agent that looks like
  a browser's (starts with ``Mozilla/`` or ``Opera``) and is no crawler, so a script's session
  falls through to the headers, as with Immich.
- uap-core has no device type: "tablet" (an iPad, a tablet brand) or "mobile" (any other named
  phone) is derived from its device, ignoring its "Generic" guesses outside browsers (the phone
  app's legacy ``Immich_Android_...`` agent has no device type in ua-parser-js either). Agents
  without a browser name are where the two parsers may still differ (ua-parser-js knows more
  tablet models); every agent in tests/services/test_user_agent.py reads the same in both.
- ua-parser-js finds the OS "android" anywhere in an agent (its pattern is unanchored), so the
  phone app's ``immich-android/3.1.0`` reads as OS ``android``: mirrored where uap finds no OS.

Plain strings in and out: no HTTP here (the api passes the header values).
"""

from __future__ import annotations

import re

import attrs
import ua_parser

# uap-core name -> ua-parser-js 2.x name, for the browsers and systems clients commonly send.
_BROWSERS: dict[str, str | None] = {
    "Chrome Mobile": "Mobile Chrome",
    "Chrome Mobile iOS": "Mobile Chrome",
    "Chrome Mobile WebView": "Chrome WebView",
    "Firefox Mobile": "Mobile Firefox",
    "Firefox iOS": "Mobile Firefox",
    "Electron": "Chrome",
    "Mobile Safari UI/WKWebView": None,  # an app's web view: ua-parser-js names no browser
}
_SYSTEMS = {"Mac OS X": "macOS"}
_NO_DEVICE = frozenset({"Other", "Spider", "Mac"})
_BROWSER_LIKE = re.compile(r"^(Mozilla/|Opera)")
_ANDROID = re.compile(r"android", re.IGNORECASE)
_APP_VERSION = (
    re.compile(r"^immich-(?:android|ios|unknown)/(?P<v>.+)$"),
    re.compile(r"^Immich_(?:Android|iOS|Unknown)_(?P<v>.+)$"),  # the app's legacy agent
)


@attrs.frozen
class DeviceDetails:
    """What a new session records: ``session."deviceType"``, ``"deviceOS"``, ``"appVersion"``."""

    device_type: str
    device_os: str
    app_version: str | None


def app_version(user_agent: str) -> str | None:
    """The phone app's version from its agent (``immich-ios/3.1.0`` -> ``3.1.0``), else None."""
    for pattern in _APP_VERSION:
        found = pattern.match(user_agent)
        if found:
            return found.group("v")
    return None


def _browser(result: ua_parser.Result, agent: str) -> str | None:
    """ua-parser-js's browser name: only for a browser's agent, in ua-parser-js's spelling."""
    found = result.user_agent
    if found is None or not _BROWSER_LIKE.match(agent) or _is_crawler(result):
        return None
    if found.family == "Android":  # uap's name for the stock browser, and its guess for any
        return "Android Browser" if "Safari/" in agent else None  # agent with an Android token
    return _BROWSERS.get(found.family, found.family)


def _is_crawler(result: ua_parser.Result) -> bool:
    return result.device is not None and result.device.family == "Spider"


def _device_kind(result: ua_parser.Result, agent: str) -> str | None:
    """ua-parser-js's device type ("mobile"/"tablet") from uap's device, which has no type."""
    device = result.device
    if device is None or device.family in _NO_DEVICE:
        return None
    if not _BROWSER_LIKE.match(agent) and (device.brand or "").startswith("Generic"):
        return None
    tablet = device.family == "iPad" or "Tablet" in (device.brand or "")
    return "tablet" if tablet else "mobile"


def device_details(
    user_agent: str | None, device_model: str | None = None, device_type: str | None = None
) -> DeviceDetails:
    """The session device of a request with this agent and ``deviceModel``/``deviceType`` headers."""
    agent = user_agent or ""
    result = ua_parser.parse(agent)
    system = _SYSTEMS.get(result.os.family, result.os.family) if result.os else None
    if system is None:
        android = _ANDROID.search(agent)
        system = android.group(0) if android else None
    return DeviceDetails(
        device_type=_browser(result, agent) or _device_kind(result, agent) or device_model or "",
        device_os=system or device_type or "",
        app_version=app_version(agent),
    )
