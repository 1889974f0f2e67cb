"""docs/events.md lists every live event the code raises (and Immich 3.1's that are pending)."""

from __future__ import annotations

import re

from tests._server import ROOT

DOC = (ROOT / "docs" / "events.md").read_text()
# an event name as the code passes it to immich.events or socket.io: "on_..." or "...V<n>"
NAME = re.compile(r'"(on_[a-z_]+|[A-Z][A-Za-z]+V\d)"')
NOT_EVENTS = {"on_change"}


def _raised() -> set[str]:
    names: set[str] = set()
    for folder in ("immich", "plugins"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text()
            if "events.emit" not in text and "sio.emit" not in text and "_message(" not in text:
                continue
            names |= set(NAME.findall(text))
    return names - NOT_EVENTS


def _documented() -> set[str]:
    return set(re.findall(r"^\| `([A-Za-z_0-9]+)` \|", DOC, flags=re.MULTILINE))


def test_every_raised_event_is_documented() -> None:
    raised = _raised()
    assert {"on_upload_success", "on_asset_delete", "on_new_release"} <= raised  # finder works
    assert raised - _documented() == set()


def test_every_documented_event_is_raised_or_pending() -> None:
    pending = {name for name in _documented() if f"`{name}` | **pending**" in DOC}
    assert pending == {"on_person_thumbnail"}
    assert _documented() - pending - _raised() == set()
