"""scripts/setup, scripts/serve and the Dockerfile, checked without Docker, apt or pip: the real
scripts run in a copy of the repository whose .venv, dpkg and pip are stand-ins that log."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOGGER = '#!/bin/sh\necho "{name} $*" >>"{log}"\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the scripts and pyproject.toml; .venv/bin/{python,pip,immich-server},
    scripts/install-immich-cli and dpkg are stand-ins that append their arguments to calls.log."""
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    for name in ("setup", "serve"):
        shutil.copy2(ROOT / "scripts" / name, root / "scripts" / name)
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    log = root / "calls.log"
    fakes = {
        ".venv/bin/pip": "pip",
        ".venv/bin/immich-server": "immich-server",
        "scripts/install-immich-cli": "install-immich-cli",
        "bin/dpkg": "dpkg",  # every system package counts as installed
    }
    for path, name in fakes.items():
        fake = root / path
        fake.parent.mkdir(parents=True, exist_ok=True)
        fake.write_text(LOGGER.format(name=name, log=log))
        fake.chmod(0o755)
    # python: logs "-m pip ..." calls, runs anything else (the banner) with the real interpreter
    python = root / ".venv" / "bin" / "python"
    python.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "-m" ]; then echo "python $*" >>"{log}"; exit 0; fi\n'
        f'exec {shlex.quote(sys.executable)} "$@"\n'
    )
    python.chmod(0o755)
    return root


def run(repo: Path, script: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("IMMICH_", "DB_", "REDIS_"))
    }
    environ["PATH"] = f"{repo / 'bin'}{os.pathsep}{environ['PATH']}"
    environ["PYTHONPATH"] = str(ROOT)  # the banner imports immich.settings from this checkout
    environ.update(env)
    return subprocess.run(
        [str(repo / "scripts" / script), *args],
        cwd=repo,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def calls(repo: Path) -> list[str]:
    log = repo / "calls.log"
    lines = log.read_text().splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return [line for line in lines if not line.startswith("dpkg ")]


def test_setup_installs_only_when_something_changed(repo: Path) -> None:
    first = run(repo, "setup")
    assert first.returncode == 0, first.stderr
    assert calls(repo) == [
        "python -m pip install -q --upgrade pip",
        "pip install -q -e .",
    ]
    assert first.stdout.count("\n") == 1 and first.stderr == ""  # one line saying why it waits

    started = time.monotonic()
    again = run(repo, "setup")
    assert again.returncode == 0 and again.stdout == again.stderr == ""
    assert calls(repo) == []  # nothing changed: no pip at all
    assert time.monotonic() - started < 5

    dev = run(repo, "setup", "--dev")  # asks for more than was installed
    assert dev.returncode == 0, dev.stderr
    assert calls(repo)[1:] == [
        "pip install -q -e .[dev]",
        "pip install -q -e tests/example_plugin",
        "install-immich-cli ",
    ]
    assert run(repo, "setup").returncode == 0
    assert calls(repo) == []  # the dev install covers the plain one
    assert run(repo, "setup", "--dev").returncode == 0
    assert calls(repo) == ["install-immich-cli "]  # its own quick check only

    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n# a new dependency\n")
    assert run(repo, "setup").returncode == 0
    assert "pip install -q -e ." in calls(repo)


def test_failed_install_is_retried(repo: Path) -> None:
    pip = repo / ".venv" / "bin" / "pip"
    good = pip.read_text()
    pip.write_text(good + "exit 1\n")
    assert run(repo, "setup").returncode != 0
    calls(repo)
    pip.write_text(good)
    assert run(repo, "setup").returncode == 0
    assert "pip install -q -e ." in calls(repo)  # no stamp was left by the failure


@pytest.mark.parametrize(
    ("args", "env", "url"),
    [
        ((), {}, "http://localhost:2283"),
        (("--port", "2400"), {}, "http://localhost:2400"),
        ((), {"IMMICH_PORT": "23008"}, "http://localhost:23008"),
        ((), {"IMMICH_HOST": "photos.lan"}, "http://photos.lan:2283"),
    ],
)
def test_serve_starts_at_once_and_says_where_to_go(
    repo: Path, args: tuple[str, ...], env: dict[str, str], url: str
) -> None:
    assert run(repo, "setup").returncode == 0
    calls(repo)
    started = time.monotonic()
    served = run(repo, "serve", *args, **env)
    assert served.returncode == 0, served.stderr
    assert time.monotonic() - started < 5
    assert [call.split() for call in calls(repo)] == [["immich-server", *args]]  # no pip
    assert served.stderr == ""
    lines = served.stdout.splitlines()
    assert f"starting on {url} " in lines[0]
    assert f"curl -X POST {url}/api/auth/admin-sign-up" in served.stdout
    assert "sign in" in lines[-1]
    assert len(lines) <= 5  # nothing to scroll past


def test_serve_prints_no_banner_without_the_api_role(repo: Path) -> None:
    assert run(repo, "setup").returncode == 0
    served = run(repo, "serve", IMMICH_ROLES="worker")
    assert served.returncode == 0 and served.stdout == ""
    bad = run(repo, "serve", IMMICH_PORT="http")  # immich-server names the bad setting itself
    assert bad.returncode == 0 and bad.stdout == "" and bad.stderr == ""


# --- the Dockerfile -------------------------------------------------------------------


def apt_packages(dockerfile: str) -> set[str]:
    """Packages that the Dockerfile's RUN instructions ``apt-get install``."""
    text = dockerfile.replace("\\\n", " ")
    packages: set[str] = set()
    for line in text.splitlines():
        if not line.startswith("RUN "):
            continue
        for command in re.split(r"&&|;|\|\|", line[4:]):
            words = shlex.split(command)
            if words[:2] == ["apt-get", "install"]:
                packages |= {w for w in words[2:] if not w.startswith("-")}
    return packages


def test_dockerfile_installs_what_the_plugins_run() -> None:
    packages = apt_packages((ROOT / "Dockerfile").read_text())
    assert "libimage-exiftool-perl" in packages  # the metadata plugin's exiftool
    assert "tzdata" in packages
    # the same system packages scripts/setup installs for the server (not the dev tools)
    setup = (ROOT / "scripts" / "setup").read_text()
    listed = re.search(r"^SYSTEM_PACKAGES=\((.*)\)$", setup, re.M)
    assert listed is not None
    wanted = set(listed.group(1).split()) - {"python3", "python3-venv"}  # the image has Python
    assert wanted - {"ca-certificates"} <= packages


def test_serve_with_a_web_app_says_open_it(repo: Path, tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html>")
    assert run(repo, "setup").returncode == 0
    served = run(repo, "serve", IMMICH_WEB_ROOT=str(web))
    assert "Next: open http://localhost:2283 in a browser" in served.stdout
    assert "curl" not in served.stdout
