"""README.md's compatibility table matches the reference spec and the route table
(``immich.cli.compat_doc``; regenerate with scripts/gen-compat-table)."""

from __future__ import annotations

import json
from pathlib import Path

from immich.cli import compat_doc

ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = compat_doc.default_spec(ROOT)
SPEC = json.loads(SPEC_PATH.read_text())


def _section(text: str) -> str:
    assert compat_doc.START in text and compat_doc.END in text
    return text.split(compat_doc.START, 1)[1].split(compat_doc.END, 1)[0]


def test_readme_table_is_current() -> None:
    """Run scripts/gen-compat-table after adding (or removing) an operation."""
    readme = (ROOT / "README.md").read_text()
    wanted = compat_doc.readme_section(SPEC, compat_doc.served())
    assert compat_doc.START + _section(readme) + compat_doc.END + "\n" == wanted, (
        "README.md's compatibility table is stale: run scripts/gen-compat-table"
    )


def test_counts_add_up() -> None:
    ops = compat_doc.reference_operations(SPEC)
    assert len(ops) == 254  # Immich 3.1.0's document
    served = compat_doc.served()
    section = compat_doc.readme_section(SPEC, served)
    done = sum((m, p) in served for _, m, p, _ in ops)
    assert f"**{done} of 254** operations" in section
    rows = [line for line in section.splitlines() if line.startswith("| ") and " of " in line]
    assert sum(int(r.split("|")[2].split(" of ")[0]) for r in rows) == done
    assert sum(int(r.split("|")[2].split(" of ")[1]) for r in rows) == 254
    # a served operation is not listed as missing, a missing one is
    assert "`getMyUser`" not in section and "| Users (admin) |" in section
    assert "`createTag`" in section or ("POST", "/tags") in served


def test_only_our_routes_count() -> None:
    """The example third-party plugin's routes (installed in the test venv) do not count."""
    served = compat_doc.served()
    assert ("GET", "/users/me") in served and ("GET", "/assets/{id}/video/playback") in served
    assert ("GET", "/example-notes") not in served


def test_generator_inserts_then_replaces_the_section(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nIntro.\n\n<!-- settings:start -->\nS\n<!-- settings:end -->\n")
    argv = ["--root", str(tmp_path), "--spec", str(SPEC_PATH)]
    assert compat_doc.main([*argv, "--check"]) == 1
    assert compat_doc.main(argv) == 0
    first = readme.read_text()
    assert first.startswith("# Title\n\nIntro.\n\n" + compat_doc.START)
    assert first.endswith(
        compat_doc.END + "\n\n<!-- settings:start -->\nS\n<!-- settings:end -->\n"
    )
    readme.write_text(first.replace("| Tag |", "| Tog |") + "\n## After\n")
    assert compat_doc.main([*argv, "--check"]) == 1
    assert compat_doc.main(argv) == 0
    assert readme.read_text() == first + "\n## After\n"
    assert compat_doc.main([*argv, "--check"]) == 0
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "README.md").write_text("# Bare\n")
    compat_doc.main(["--root", str(bare), "--spec", str(SPEC_PATH)])
    assert (bare / "README.md").read_text().startswith("# Bare\n\n" + compat_doc.START)
