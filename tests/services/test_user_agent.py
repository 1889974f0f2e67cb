"""immich.services.user_agent against ua-parser-js 2.0.10 (Immich 3.1's parser).

The expected (browser name or device type, OS name) pairs were recorded by running ua-parser-js
2.0.10 from npm on each agent (``UAParser(ua).browser.name || UAParser(ua).device.type`` and
``.os.name``); None where it found nothing.
"""

from __future__ import annotations

import pytest

from immich.services.user_agent import app_version, device_details

# (agent, browser name or else device type, OS name), as ua-parser-js 2.0.10 reads them
UA_PARSER_JS = [
    ('node', None, None),
    ('immich-android/3.1.0', None, 'android'),
    ('immich-ios/3.1.0', None, None),
    ('Immich_Android_1.2.3', None, 'Android'),
    ('Immich_iOS_1.2.3', None, None),
    ('Dart/3.5 (dart:io)', None, None),
    ('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome', 'Linux'),
    ('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 'Safari', 'macOS'),
    ('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome', 'macOS'),
    ('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox', 'Windows'),
    ('Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox', 'Ubuntu'),
    ('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', 'Mobile Safari', 'iOS'),
    ('Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', 'Mobile Safari', 'iOS'),
    ('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'Mobile Chrome', 'Android'),
    ('Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0', 'Mobile Firefox', 'Android'),
    ('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge', 'Windows'),
    ('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1', 'Mobile Chrome', 'iOS'),
    ('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15', 'Mobile Firefox', 'iOS'),
    ('Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome', 'Chrome OS'),
    ('Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36', 'Samsung Internet', 'Android'),
    ('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/114.0.0.0', 'Opera', 'Windows'),
    ('Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.0.0 Mobile Safari/537.36', 'Chrome WebView', 'Android'),
    ('Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome', 'Android'),
    ('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Electron/33.0.0 Chrome/130.0 Safari/537.36', 'Chrome', 'Windows'),
    ('curl/8.5.0', None, None),
    ('python-httpx/0.27', None, None),
    ('Wget/1.21', None, None),
    ('okhttp/4.12.0', None, None),
    ('immich-cli/2.2.0', None, None),
    ('Go-http-client/1.1', None, None),
    ('axios/1.7.0', None, None),
    ('PostmanRuntime/7.39.0', None, None),
    ('', None, None),
    ('Mozilla/5.0 (Linux; Android 14; Pixel 8)', 'mobile', 'Android'),
    ('Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X)', 'tablet', 'iOS'),
    ('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)', 'mobile', 'iOS'),
    ('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', None, None),
    ('Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP1A)', 'mobile', 'Android'),
    ('Mozilla/5.0 (Linux; U; Android 4.0.3; ko-kr; LG-L160L Build/IML74K) AppleWebkit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30', 'Android Browser', 'Android'),
]  # fmt: skip


@pytest.mark.parametrize(("agent", "kind", "system"), UA_PARSER_JS)
def test_reads_agents_as_ua_parser_js(agent: str, kind: str | None, system: str | None) -> None:
    found = device_details(agent, "MODEL", "TYPE")
    assert found.device_type == (kind or "MODEL")
    assert found.device_os == (system or "TYPE")


def test_headers_fill_in_and_default_to_empty() -> None:
    phone = device_details("immich-ios/3.1.0", "iPhone 15", "ios")
    assert (phone.device_type, phone.device_os, phone.app_version) == ("iPhone 15", "ios", "3.1.0")
    bare = device_details("node")
    assert (bare.device_type, bare.device_os, bare.app_version) == ("", "", None)
    assert device_details(None) == bare


@pytest.mark.parametrize(
    ("agent", "version"),
    [
        ("immich-android/3.1.0", "3.1.0"),
        ("immich-ios/3.1.0-rc.1", "3.1.0-rc.1"),
        ("immich-unknown/2.0.0", "2.0.0"),
        ("Immich_Android_1.135.3", "1.135.3"),
        ("Immich_iOS_1.2", "1.2"),
        ("immich-cli/2.2.0", None),
        ("xx immich-android/3.1.0", None),
        ("immich-android/", None),
        ("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36", None),
    ],
)
def test_app_version(agent: str, version: str | None) -> None:
    assert app_version(agent) == version
    assert device_details(agent).app_version == version
