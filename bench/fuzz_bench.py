"""Fuzz run (not a test): schemathesis over our ``/api/spec.json``, longer than CI's.

Starts ``.venv/bin/immich-server`` (api role, embedded PostgreSQL under a temporary media
folder), makes an admin and a plain user (each with an all-permission API key, which no
generated request can log out), and runs every operation ``--examples`` times for each, with
the checks ``not_a_server_error`` and ``response_schema_conformance`` (the same runner as
``tests/test_schemathesis.py``). Prints cases run, failures (one line per failing operation),
5xx lines in the server's log, and the seconds it took.

    .venv/bin/python bench/fuzz_bench.py [--examples 50]
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from pathlib import Path

from _server import running_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.test_schemathesis import fuzz, identities  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=50, help="cases per operation and user")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="immich-fuzz-") as tmp:
        media = Path(tmp) / "media"
        env = {"IMMICH_ROLES": "api", "IMMICH_PLUGINS_SKIP": "example"}  # the tests' toy plugin
        with running_server(media, env) as server:
            people = identities(server.base)
            started = time.perf_counter()
            total, problems = 0, []
            for who, headers in people.items():
                cases, failures = fuzz(server.base, headers, args.examples)
                total += cases
                problems += [f"{who}: {line}" for line in failures]
            seconds = time.perf_counter() - started
            log = server.log.read_text(errors="replace")
        errors = [line for line in log.splitlines() if " 500 " in line or "ERROR" in line]
    for line in problems:
        print("FAIL", line)
    for line in errors[:20]:
        print("LOG ", line)
    print(f"cases run: {total}  failures: {len(problems)}  server error lines: {len(errors)}")
    print(f"seconds: {seconds:.1f}  ({total / seconds:.0f} cases/s)")
    print("command:", shlex.join([sys.executable, *sys.argv]))
    return 1 if problems or errors else 0


if __name__ == "__main__":
    sys.exit(main())
