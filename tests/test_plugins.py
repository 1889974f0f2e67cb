"""The plugin contract: every hook documented and typed, tested, and loaded as promised."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich import hookspecs
from immich.app import create_app
from immich.plugins import PluginError, follow_ups, make_manager
from tests.conftest import make_settings, sign_up_and_login
from tests.plugins import toy_contract
from tests.plugins.toy_raising import RaisingPlugin, ThumbnailsListener

HOOKS = sorted(
    name
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, "immich_spec")
)
TESTS = Path(__file__).resolve().parent
PLUGINS = TESTS.parent / "plugins"


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


async def test_a_raising_plugin_drops_no_answer(caplog: pytest.LogCaptureFixture) -> None:
    """Event hooks go plugin by plugin: the toy asked first raises (directly, or from its
    awaitable), is logged by name, and the other plugin's answer still counts."""
    raising = RaisingPlugin()
    pm = make_manager(
        allow=(),
        extra=[
            ("toy", toy_contract.ToyPlugin()),
            ("listener", ThumbnailsListener()),
            ("raising", raising),
        ],
    )
    with pytest.raises(RuntimeError):  # what a plain pluggy call would do
        pm.hook.on_asset_uploaded(ctx=None, asset={"id": "a1"})
    uploaded = await follow_ups(pm.hook.on_asset_uploaded, ctx=None, asset={"id": "a1"})
    assert [(j.name, dict(j.data)) for j in uploaded] == [("toyFollowUp", {"id": "a1"})]
    made = await follow_ups(
        pm.hook.on_thumbnails_generated, ctx=None, asset_id="a1", asset_type="IMAGE", source=None
    )
    assert [j.name for j in made] == ["ToyAfterThumbnails"]
    assert raising.called == ["on_asset_uploaded", "on_asset_uploaded", "on_thumbnails_generated"]
    assert "plugin 'raising' failed in on_asset_uploaded" in caplog.text
    assert "plugin 'raising' failed in on_thumbnails_generated" in caplog.text
    assert "toy fails in on_thumbnails_generated (awaited)" in caplog.text


async def test_startup_and_shutdown_survive_a_raising_plugin(
    db_url: str, media_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    toy_contract.calls.clear()
    raising = RaisingPlugin()
    app = create_app(
        make_settings(db_url, media_dir),
        extra_plugins=[("toy", toy_contract.ToyPlugin()), ("raising", raising)],
    )
    async with app.router.lifespan_context(app):
        assert ("startup", 1) in toy_contract.calls  # the toy's startup ran after the failure
    assert ("shutdown", True) in toy_contract.calls  # and so did its shutdown
    assert raising.called == ["startup", "shutdown"]
    assert "plugin 'raising' failed in startup" in caplog.text
    assert "plugin 'raising' failed in shutdown" in caplog.text


def _plugin_imports(source: str, module: tuple[str, ...]) -> set[str]:
    """The ``plugins.<name>`` packages that ``source`` (the file ``module``, e.g.
    ``("plugins", "video", "poster.py")``) imports: absolute, or relative up and across."""
    package = list(module[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = [*base, *(node.module.split(".") if node.module else [])]
            names = [".".join(target), *(".".join([*target, a.name]) for a in node.names)]
        for name in names:
            parts = name.split(".")
            if parts[0] == "plugins" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_no_plugin_imports_another_plugin() -> None:
    """DESIGN: a plugin is a package that could be published on its own; what two plugins
    need goes through a hook or a core module (``immich.media``), never an import."""
    offenders = []
    for path in sorted(PLUGINS.rglob("*.py")):
        module = path.relative_to(PLUGINS.parent).parts
        if len(module) == 2:
            continue  # plugins/__init__.py
        own = module[1].removesuffix(".py")
        for other in sorted(_plugin_imports(path.read_text(), module) - {own}):
            offenders.append(f"{'/'.join(module)} imports plugins.{other}")
    assert offenders == []


def test_the_import_check_sees_imports() -> None:
    """The check above catches absolute, from- and relative imports of another plugin."""
    module = ("plugins", "video", "poster.py")
    cases = {
        "import plugins.thumbnails._jobs": {"thumbnails"},
        "from plugins.thumbnails import generate": {"thumbnails"},
        "from plugins import thumbnails": {"thumbnails"},
        "from ..thumbnails import generate": {"thumbnails"},
        "from .. import thumbnails": {"thumbnails"},
        "from .poster import make_poster": {"video"},
        "from . import _repo": {"video"},
        "from immich.media.renditions import render": set(),
    }
    for source, expected in cases.items():
        assert _plugin_imports(source, module) == expected, source
    package = ("plugins", "nightly", "__init__.py")
    assert _plugin_imports("from . import x", package) == {"nightly"}
