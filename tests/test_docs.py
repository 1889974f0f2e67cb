"""Every setting the code reads is documented (README.md, config/env.example), and only
``immich/settings.py`` reads the environment."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from immich.cli import settings_doc
from immich.settings import FILE_VARIANTS, ROLES, VARIABLE_NAMES, VARIABLES, parse_roles

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_MODULE = ROOT / "immich" / "settings.py"
ALL_NAMES = sorted(VARIABLE_NAMES)


def _section(text: str) -> str:
    assert settings_doc.START in text and settings_doc.END in text
    return text.split(settings_doc.START, 1)[1].split(settings_doc.END, 1)[0]


@pytest.mark.parametrize("name", ALL_NAMES)
def test_variable_is_in_readme_and_env_example(name: str) -> None:
    readme = _section((ROOT / "README.md").read_text())
    example = (ROOT / "config" / "env.example").read_text()
    assert f"| `{name}` |" in readme
    assert re.search(rf"^# {re.escape(name)}=", example, re.MULTILINE)


def test_env_example_shows_defaults() -> None:
    example = (ROOT / "config" / "env.example").read_text()
    for var in VARIABLES:
        assert f"# {var.name}={var.default or ''}\n" in example
        assert f"# {var.doc}\n" in example
    assert len(VARIABLE_NAMES) == len(VARIABLES) + len(FILE_VARIANTS)


def test_generated_docs_are_current() -> None:
    """Run scripts/gen-settings-doc after changing VARIABLES."""
    for path, content in settings_doc.targets(ROOT).items():
        assert path.read_text() == content, f"{path.name} is stale: run scripts/gen-settings-doc"


def test_generator_appends_then_replaces_the_section(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Title\n\nIntro.\n")
    assert settings_doc.main(["--root", str(tmp_path), "--check"]) == 1
    assert settings_doc.main(["--root", str(tmp_path)]) == 0
    first = (tmp_path / "README.md").read_text()
    assert first.startswith("# Title\n\nIntro.\n\n" + settings_doc.START)
    (tmp_path / "README.md").write_text(first + "\n## After\n")
    settings_doc.main(["--root", str(tmp_path)])
    again = (tmp_path / "README.md").read_text()
    assert again == first + "\n## After\n"
    assert again.count(settings_doc.START) == 1
    assert settings_doc.main(["--root", str(tmp_path), "--check"]) == 0


def _python_files() -> list[Path]:
    files = [*(ROOT / "immich").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]
    return sorted(p for p in files if p != SETTINGS_MODULE)


def _env_reads(source: str) -> list[str]:
    """Spots where code reads the process environment."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "environb", "getenv"}:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            names = {a.name for a in node.names} & {"environ", "environb", "getenv"}
            found += [f"line {node.lineno}: from os import {n}" for n in sorted(names)]
    return found


def test_env_read_detector_works() -> None:
    assert _env_reads("import os\nos.environ.get('X')\n")
    assert _env_reads("import os\nos.getenv('X')\n")
    assert _env_reads("from os import environ\n")
    assert not _env_reads("settings.port\n")


def test_only_settings_module_reads_the_environment() -> None:
    offenders = {
        str(path.relative_to(ROOT)): reads
        for path in _python_files()
        if (reads := _env_reads(path.read_text()))
    }
    assert offenders == {}, "read settings through immich.settings.VARIABLES instead"
    assert _env_reads(SETTINGS_MODULE.read_text())  # the one place that does


def test_settings_module_reads_only_declared_names() -> None:
    """Every ``env.get("X")`` / ``env["X"]`` literal in settings.py is a declared variable."""
    source = SETTINGS_MODULE.read_text()
    literals = set(re.findall(r"""env(?:\.get\(|\[)["']([A-Z][A-Z0-9_]*)["']""", source))
    assert literals, "the pattern no longer matches how settings.py reads variables"
    assert literals <= VARIABLE_NAMES, literals - VARIABLE_NAMES


def _schema_errors(value: Any, schema: dict[str, Any], path: str = "") -> list[str]:
    """Where ``value`` does not fit an OpenAPI schema (keys, types, enums, bounds)."""
    while "$ref" in schema or "allOf" in schema:
        ref = schema["$ref"] if "$ref" in schema else schema["allOf"][0]["$ref"]
        schema = SCHEMAS[ref.rsplit("/", 1)[1]]
    kind = schema.get("type")
    if "enum" in schema:
        return [] if value in schema["enum"] else [f"{path}: {value!r} not in {schema['enum']}"]
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{path}: expected an object"]
        errors = [f"{path}.{k}: unknown key" for k in value if k not in schema["properties"]]
        for key, item in value.items():
            if key in schema["properties"]:
                errors += _schema_errors(item, schema["properties"][key], f"{path}.{key}")
        return errors
    python_types = {"boolean": bool, "integer": int, "number": int | float, "string": str}
    if kind == "array":
        return [] if isinstance(value, list) else [f"{path}: expected an array"]
    if kind in python_types:
        if not isinstance(value, python_types[kind]) or (kind != "boolean" and value is True):
            return [f"{path}: expected {kind}, got {value!r}"]
        if "minimum" in schema and value < schema["minimum"]:
            return [f"{path}: below {schema['minimum']}"]
        if "maximum" in schema and value > schema["maximum"]:
            return [f"{path}: above {schema['maximum']}"]
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return [f"{path}: does not match {schema['pattern']}"]
    return []


SPEC = json.loads((ROOT.parent / "shared" / "reference" / "immich-openapi-3.1.0.json").read_text())
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]


def test_schema_checker_catches_mistakes() -> None:
    dto = SCHEMAS["SystemConfigDto"]
    assert _schema_errors({"trash": {"days": "14"}}, dto) == [
        ".trash.days: expected integer, got '14'"
    ]
    assert _schema_errors({"trahs": {}}, dto) == [".trahs: unknown key"]
    assert _schema_errors({"image": {"preview": {"format": "gif"}}}, dto)
    assert _schema_errors({"nightlyTasks": {"startTime": "25:00"}}, dto)
    assert _schema_errors({"passwordLogin": {"enabled": True}}, dto) == []


def test_system_config_example_is_a_valid_partial_config() -> None:
    data = yaml.safe_load((ROOT / "config" / "system-config.example.yaml").read_text())
    assert _schema_errors(data, SCHEMAS["SystemConfigDto"]) == []
    assert data["passwordLogin"]["enabled"] is True
    assert data["trash"]["days"] > 0
    assert data["job"]["thumbnailGeneration"]["concurrency"] > 0


# --- compose.yaml and Dockerfile (Docker does not run here: check what can be read) ----------


def _compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def test_compose_profiles() -> None:
    services = _compose()["services"]
    by_profile: dict[str, set[str]] = {}
    for name, service in services.items():
        for profile in service["profiles"]:  # every service belongs to a profile
            by_profile.setdefault(profile, set()).add(name)
    assert by_profile["homelab"] == {"immich"}
    assert by_profile["scaled"] == {"database", "redis", "api", "worker", "scheduler"}
    assert "pgvector" in services["database"]["image"]
    homelab = services["immich"]
    assert not any(k.startswith(("DB_", "REDIS_")) for k in homelab.get("environment", {}))
    assert any(v.endswith(":/data") for v in homelab["volumes"])


def test_compose_settings_are_real_variables() -> None:
    services = _compose()["services"]
    ours = {n: s for n, s in services.items() if s.get("image", "").startswith("immich-py")}
    assert set(ours) == {"immich", "api", "worker", "scheduler"}
    roles = {}
    for name, service in ours.items():
        env = {k: str(v) for k, v in service.get("environment", {}).items()}
        assert set(env) <= VARIABLE_NAMES, set(env) - VARIABLE_NAMES
        if "DB_HOSTNAME" in env:
            assert env["DB_HOSTNAME"] in services and env["REDIS_HOSTNAME"] in services
        roles[name] = parse_roles(env.get("IMMICH_ROLES"))
    assert roles["api"] == {"api"} and roles["worker"] == {"worker"}
    assert roles["scheduler"] == {"scheduler"} and roles["immich"] == set(ROLES)


def test_dockerfile_settings_and_context() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "\nFROM python:3.11-slim\n" in dockerfile
    env_block = dockerfile.split("\nENV IMMICH_MEDIA_LOCATION", 1)[1].split("\nVOLUME", 1)[0]
    names = set(re.findall(r"\b([A-Z][A-Z0-9_]+)=", "IMMICH_MEDIA_LOCATION" + env_block))
    assert names and names <= VARIABLE_NAMES, names - VARIABLE_NAMES
    assert 'ENTRYPOINT ["immich-server"]' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    for needed in ("immich", "plugins", "migrations", "pyproject.toml", "README.md", "web"):
        assert needed not in ignored
