"""The plugin contract: every hook documented and typed, tested, and loaded as promised."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich import hookspecs
from immich.app import create_app
from immich.plugins import PluginError, make_manager
from tests.conftest import make_settings, sign_up_and_login
from tests.plugins import toy_contract

HOOKS = sorted(
    name
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, "immich_spec")
)
TESTS = Path(__file__).resolve().parent


def test_contract_has_hooks() -> None:
    assert {"register_jobs", "register_cron_jobs", "register_routes", "startup", "shutdown"} <= set(
        HOOKS
    )


@pytest.mark.parametrize("name", HOOKS)
def test_plugin_hooks_are_documented(name: str) -> None:
    fn = getattr(hookspecs, name)
    doc = inspect.getdoc(fn) or ""
    assert len(doc) > 40, f"hook {name} needs a docstring saying when it fires and what it returns"
    sig = inspect.signature(fn)
    assert sig.return_annotation is not inspect.Signature.empty, f"{name}: return type missing"
    for param in sig.parameters.values():
        assert param.annotation is not inspect.Parameter.empty, f"{name}({param.name}) untyped"
    readme = (TESTS.parent / "immich" / "hookspecs.py").read_text()
    assert f"def {name}(" in readme


@pytest.mark.parametrize("name", HOOKS)
def test_plugin_hooks_have_tests(name: str) -> None:
    """Datasette's rule: a test named test_hook_<name> exists somewhere under tests/."""
    pattern = re.compile(rf"def test_hook_{name}\b")
    found = any(pattern.search(p.read_text()) for p in TESTS.rglob("test_*.py"))
    assert found, f"no test_hook_{name} under tests/"


def test_misspelt_hook_fails_loudly() -> None:
    with pytest.raises(PluginError, match="register_jbos"):
        make_manager(extra=[("bad", toy_contract.MisspeltPlugin())])


def test_allow_and_skip_lists() -> None:
    pm = make_manager(allow=["nightly"])
    assert "nightly" in dict(pm.list_name_plugin())
    pm = make_manager(skip=["nightly"])
    assert "nightly" not in dict(pm.list_name_plugin())
    with pytest.raises(PluginError, match="no installed plugin named 'nope'"):
        make_manager(allow=["nope"])


async def _toy_app(db_url: str, media: Path) -> Any:
    return create_app(
        make_settings(db_url, media), extra_plugins=[("toy", toy_contract.ToyPlugin())]
    )


async def test_hook_register_routes(
    db_url: str, media_dir: Path, client: httpx.AsyncClient
) -> None:
    app = await _toy_app(db_url, media_dir)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as toy:
            r = await toy.post("/api/toy/echo", json={"word": "hi"})
            assert r.status_code == 401  # plugin routes get the same auth as the core's
            headers = await sign_up_and_login(toy)
            r = await toy.post("/api/toy/echo", json={"word": "hi"}, headers=headers)
            assert r.status_code == 200 and r.json() == {"word": "HI"}
            r = await toy.post("/api/toy/echo", json={"word": 1}, headers=headers)
            assert r.status_code == 400 and r.json()["errors"][0]["path"] == ["word"]


async def test_hook_startup(db_url: str, media_dir: Path) -> None:
    toy_contract.calls.clear()
    app = await _toy_app(db_url, media_dir)
    async with app.router.lifespan_context(app):
        assert ("startup", 1) in toy_contract.calls  # awaited, with a live database


async def test_hook_shutdown(db_url: str, media_dir: Path) -> None:
    toy_contract.calls.clear()
    app = await _toy_app(db_url, media_dir)
    async with app.router.lifespan_context(app):
        assert not any(c[0] == "shutdown" for c in toy_contract.calls)
    assert ("shutdown", True) in toy_contract.calls  # before the database closed


def test_hook_on_asset_uploaded() -> None:
    # only the toy (installed plugins, e.g. metadata, answer this event too)
    pm = make_manager(allow=(), extra=[("toy", toy_contract.ToyPlugin())])
    answers = pm.hook.on_asset_uploaded(ctx=None, asset={"id": "a1"})
    follow_ups = [job for answer in answers if answer for job in answer]
    assert [(j.name, dict(j.data)) for j in follow_ups] == [("toyFollowUp", {"id": "a1"})]
