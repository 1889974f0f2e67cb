"""docs/plugins.md, the plugin author's guide: every hook of immich/hookspecs.py documented with
its exact signature (decorator, parameters, return type), and its complete example plugin the
very package that tests/test_example_plugin.py installs and runs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "plugins.md"
HOOKSPECS = ROOT / "immich" / "hookspecs.py"
BLOCK = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="([^"]+)"')


def signature(node: ast.FunctionDef) -> str:
    """``@decorators def name(params) -> return`` as one normalised line."""
    decorators = " ".join(f"@{ast.unparse(d)}" for d in node.decorator_list)
    returns = ast.unparse(node.returns) if node.returns is not None else "<missing>"
    return f"{decorators} def {node.name}({ast.unparse(node.args)}) -> {returns}"


def functions(source: str) -> dict[str, str]:
    tree = ast.parse(source)
    return {n.name: signature(n) for n in tree.body if isinstance(n, ast.FunctionDef)}


def specs() -> dict[str, str]:
    return {
        name: sig
        for name, sig in functions(HOOKSPECS.read_text()).items()
        if sig.startswith("@hookspec")
    }


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def documented(guide: str) -> dict[str, str]:
    """The signatures shown in the guide's hook reference (its Python code blocks)."""
    found: dict[str, str] = {}
    for lang, _, body in BLOCK.findall(section(guide, "Hook reference")):
        if lang == "python":
            for name, sig in functions(body).items():
                assert name not in found, f"{name} documented twice"
                found[name] = sig
    return found


def test_hookspecs_are_found() -> None:
    assert {"register_jobs", "register_migrations", "startup", "make_video_poster"} <= set(specs())
    assert specs()["make_video_poster"].startswith("@hookspec(firstresult=True) def ")


@pytest.mark.parametrize("name", sorted(specs()))
def test_hook_is_in_the_guide_with_its_signature(name: str) -> None:
    guide = GUIDE.read_text()
    shown = documented(guide)
    assert name in shown, f"docs/plugins.md: hook {name} is missing from the hook reference"
    assert shown[name] == specs()[name], f"docs/plugins.md: {name}'s signature differs"
    assert f"\n### {name}\n" in guide, f"docs/plugins.md: no '### {name}' heading"


def test_guide_documents_no_hook_that_does_not_exist() -> None:
    assert set(documented(GUIDE.read_text())) <= set(specs())


def test_signature_check_catches_a_wrong_signature() -> None:
    right = specs()["on_job_failed"]
    wrong = functions(
        "@hookspec\ndef on_job_failed(ctx: AppContext, name: str, data: dict, error: str)"
        " -> None: ...\n"
    )["on_job_failed"]
    assert wrong != right
    undecorated = functions("def register_jobs() -> Sequence[JobDefinition]: ...\n")
    assert undecorated["register_jobs"] != specs()["register_jobs"]


def test_the_example_plugin_in_the_guide_is_the_tested_package() -> None:
    shown = {
        title.group(1): body
        for _, info, body in BLOCK.findall(section(GUIDE.read_text(), "A complete example plugin"))
        if (title := TITLE.search(info))
    }
    package = Path("tests/example_plugin")
    sql = [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("migrations/*.sql")]
    files = {str(package / "pyproject.toml"), str(package / "immich_example_plugin/__init__.py")}
    files.update(sql)
    assert sql, "the example plugin has a migration"
    assert set(shown) == files
    for path, body in shown.items():
        assert body == (ROOT / path).read_text(), f"docs/plugins.md: {path} differs from the file"
