"""The layers hold: the core below the HTTP edge never imports it, nor Starlette's routing.

Services, repositories, jobs and storage take and return plain values and raise domain errors
(``immich.errors``); only ``immich.api`` knows requests, DTOs and error bodies. Plugins reach
the core through the hooks and its plain modules, never through ``immich.api``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BELOW_THE_API = ("immich/services", "immich/db", "immich/jobs", "immich/storage")


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _imported(path: Path) -> set[str]:
    """Every module an import statement in ``path`` names (``from a import b``: a and a.b)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _api_imports(folders: tuple[str, ...]) -> list[str]:
    found = []
    for folder in folders:
        for path in _modules(folder):
            for name in sorted(_imported(path)):
                if name == "immich.api" or name.startswith("immich.api."):
                    found.append(f"{path.relative_to(ROOT)}: {name}")
    return found


def test_imports_are_found() -> None:
    """The walker itself: it sees plain, ``from``, nested and TYPE_CHECKING imports."""
    names = _imported(ROOT / "immich" / "api" / "routing.py")
    assert "immich.api._auth.authorize" in names  # an import inside a function
    assert "immich.services.auth.AuthContext" in names  # an import under TYPE_CHECKING
    assert "immich.api.dto" in names and "json" in names


def test_nothing_below_the_api_imports_it() -> None:
    for folder in BELOW_THE_API:
        assert _modules(folder), folder
    assert _api_imports(BELOW_THE_API) == []


# A plugin's HTTP edge: its routes (and their DTOs) use the api's routing, DTOs and error
# bodies, and its hook module hands the routes over (``register_routes``). Its jobs and rules,
# like the core's services, never import the api.
PLUGIN_EDGE = ("routes.py", "dtos.py", "plugin.py")


def test_no_plugin_imports_the_api_outside_its_routes() -> None:
    assert _modules("plugins")
    found = _api_imports(("plugins",))
    edge = [line for line in found if line.split(":")[0].endswith(PLUGIN_EDGE)]
    assert edge, "the video plugin's routes are expected to use immich.api.routing"
    assert [line for line in found if line not in edge] == []


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_storage_and_services_load_without_starlette_routing() -> None:
    """The issue's check, verbatim: importing a storage or service module is cheap."""
    code = "import sys, immich.storage.mime, immich.services.assets; "
    code += "print('starlette.routing' in sys.modules)"
    assert _run(code) == "False"


@pytest.mark.parametrize("folder", BELOW_THE_API)
def test_every_module_below_the_api_loads_without_it(folder: str) -> None:
    """Each module of the layer, imported in a fresh interpreter, loads neither
    ``immich.api`` nor Starlette's routing (lazy imports included, once they ran at import)."""
    names = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in _modules(folder)
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = [m for m in sys.modules if m == 'starlette.routing' or m == 'immich.api'"
        " or m.startswith('immich.api.')]\n"
        "print(sorted(loaded))"
    )
    assert _run(code) == "[]"
