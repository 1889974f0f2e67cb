"""Generate README.md's compatibility table: Immich 3.1 operations we serve, per tag.

The reference is Immich's published document (``../shared/reference/immich-openapi-3.1.0.json``,
254 operations); what we serve is the route table (``immich.api.collect_operations``) of the core
and the in-tree plugins (a third-party plugin installed beside them does not count). An operation
counts when its method and path are served. The table sits between the ``<!-- compat:start -->``
and ``<!-- compat:end -->`` markers (inserted before the settings section when absent).
``scripts/gen-compat-table`` runs it; ``--check`` only reports whether README.md is current
(exit 1 when not).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

START = "<!-- compat:start -->"
END = "<!-- compat:end -->"
BEFORE = "<!-- settings:start -->"  # where a README without the section gets it
ROOT = Path(__file__).resolve().parents[2]
SPEC_NAME = "immich-openapi-3.1.0.json"
METHODS = ("get", "put", "post", "delete", "patch")
# Modules whose routes are ours: the core and the in-tree plugins.
OUR_MODULES = ("immich.", "plugins.")


def default_spec(root: Path = ROOT) -> Path:
    return root.parent / "shared" / "reference" / SPEC_NAME


def reference_operations(spec: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(tag, METHOD, path, operationId) of every operation, tagged by its first tag."""
    out = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                out.append((op["tags"][0], method.upper(), path, op["operationId"]))
    return out


def served() -> set[tuple[str, str]]:
    """(METHOD, path) of every operation the core and the in-tree plugins serve."""
    from immich.api import collect_operations
    from immich.plugins import make_manager

    return {
        (op.method, op.path)
        for op in collect_operations(make_manager())
        if op.endpoint.__module__.startswith(OUR_MODULES)
    }


def _tag_order(spec: dict[str, Any], tags: set[str]) -> list[str]:
    listed = [t["name"] for t in spec.get("tags", []) if t["name"] in tags]
    return listed + sorted(tags - set(listed))


def readme_section(spec: dict[str, Any], implemented: set[tuple[str, str]]) -> str:
    ops = reference_operations(spec)
    by_tag: dict[str, list[tuple[str, str, str]]] = {}
    for tag, method, path, op_id in ops:
        by_tag.setdefault(tag, []).append((method, path, op_id))
    done_total = sum((m, p) in implemented for _, m, p, _ in ops)
    version = spec.get("info", {}).get("version", "?")
    lines = [
        START,
        "## Compatibility",
        "",
        f"**{done_total} of {len(ops)}** operations of Immich {version}'s API are served "
        "(same paths, fields, status codes and error bodies). Per tag, with the operations "
        "still missing:",
        "",
        "| Tag | Served | Missing |",
        "| --- | --- | --- |",
    ]
    for tag in _tag_order(spec, set(by_tag)):
        entries = by_tag[tag]
        missing = [op_id for m, p, op_id in entries if (m, p) not in implemented]
        done = len(entries) - len(missing)
        shown = ", ".join(f"`{op_id}`" for op_id in sorted(missing)) or "-"
        lines.append(f"| {tag} | {done} of {len(entries)} | {shown} |")
    lines += [
        "",
        "Generated from the reference document and our route table by `scripts/gen-compat-table`"
        " (run it after adding an operation; `tests/test_compat_doc.py` fails while the table is"
        " stale).",
        END,
    ]
    return "\n".join(lines) + "\n"


def updated_readme(text: str, section: str) -> str:
    if START in text and END in text:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        return head + section.rstrip("\n") + tail
    if BEFORE in text:
        head, _, tail = text.partition(BEFORE)
        return head + section + "\n" + BEFORE + tail
    return text.rstrip("\n") + "\n\n" + section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gen-compat-table", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only check README.md is current")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    parser.add_argument("--spec", type=Path, default=None, help="Immich's OpenAPI document")
    args = parser.parse_args(argv)
    spec = json.loads((args.spec or default_spec(args.root)).read_text())
    readme = args.root / "README.md"
    current = readme.read_text() if readme.is_file() else ""
    wanted = updated_readme(current, readme_section(spec, served()))
    if wanted == current:
        return 0
    print(f"{'stale' if args.check else 'wrote'}: README.md")
    if args.check:
        return 1
    readme.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
