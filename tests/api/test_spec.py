"""/api/spec.json, and every operation we serve compared with Immich 3.1's published document.

For each operation: the path and method exist in Immich's document, with the same operationId,
success status, auth, admin-only flag and API-key permission; query parameters are a subset of
Immich's; request and response bodies have the same DTO names, property names, required lists,
types, enum values and nullability, recursively through nested objects and array items.
Every mismatch of every operation is listed in one assertion message.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from immich.api import collect_operations
from immich.api.spec import UNDOCUMENTED

# Request fields where we accept less than Immich does, because what Immich accepts cannot be
# stored (a PostgreSQL integer, a date past year 9999, a uuid column): (DTO, property) -> why.
TIGHTENINGS: dict[tuple[str, str], str] = {
    ("SessionCreateDto", "duration"): "2^53-1 seconds ends past year 9999: at most int32",
    ("AssetBulkUpdateDto", "dateTimeRelative"): "make_interval(mins => integer): int32",
    ("AssetBulkUpdateDto", "duplicateId"): "stored in a uuid column: format uuid",
    ("SystemConfigTrashDto", "days"): "a cut-off date 2^53-1 days ago is no datetime",
    ("SystemConfigUserDto", "deleteDelay"): "a cut-off date 2^53-1 days ago is no datetime",
    ("reverseGeocode", "lat"): "a latitude is within -90..90 (Immich documents it, unchecked)",
    ("reverseGeocode", "lon"): "a longitude is within -180..180 (Immich documents it, unchecked)",
    ("JobSettingsDto", "concurrency"): "a worker runs at most 64 jobs of a queue at once",
}
BOUND_KEYS = ("minimum", "maximum", "format")
# Enum values our answers use beyond Immich's: our own jobs (immich.jobs.names), marked in our
# document with x-immich-py-additions. enum name -> values.
ADDITIONS: dict[str, set[str]] = {"JobName": {"UploadCleanup"}}
REFERENCE = Path(__file__).resolve().parents[3] / "shared/reference/immich-openapi-3.1.0.json"
METHODS = ("get", "post", "put", "patch", "delete")
Doc = dict[str, Any]


@pytest.fixture
async def ours(client: httpx.AsyncClient) -> Doc:
    r = await client.get("/api/spec.json")
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def reference() -> Doc:
    if not REFERENCE.is_file():
        pytest.skip(f"Immich's reference document not found at {REFERENCE}")
    return json.loads(REFERENCE.read_text())  # type: ignore[no-any-return]


def operations(doc: Doc) -> Iterator[tuple[str, str, Doc]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def resolve(doc: Doc, schema: Doc) -> tuple[list[str], Doc]:
    """Follow ``$ref``s and one-element ``allOf`` wrappers: (names met, schema reached)."""
    names: list[str] = []
    nullable = bool(schema.get("nullable"))
    while True:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            names.append(name)
            schema = doc["components"]["schemas"][name]
        elif len(schema.get("allOf", ())) == 1 and "properties" not in schema:
            schema = schema["allOf"][0]
        else:
            break
        nullable = nullable or bool(schema.get("nullable"))
    if nullable and not schema.get("nullable"):
        schema = {**schema, "nullable": True}
    return names, schema


def _short(values: list[Any], limit: int = 6) -> str:
    shown = ", ".join(map(str, values[:limit]))
    return f"[{shown}, ... {len(values)} values]" if len(values) > limit else f"[{shown}]"


def _bounds(schema: Doc) -> Doc:
    """What limits the values a schema accepts (a number's "double" format limits nothing)."""
    found = {k: schema[k] for k in BOUND_KEYS if k in schema}
    if found.get("format") in ("double", "float"):
        del found["format"]
    return found


def _kind(schema: Doc) -> str:
    if "properties" in schema or schema.get("type") == "object":
        return "object"
    return str(schema.get("type", "any"))


class Comparer:
    """Compares our schemas with the reference's, collecting readable problems."""

    def __init__(self, ours: Doc, ref: Doc) -> None:
        self.ours, self.ref = ours, ref
        self.problems: list[str] = []
        self._seen: set[tuple[str, str, bool]] = set()

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def schema(
        self, where: str, mine: Doc, theirs: Doc, *, response: bool, key: Any = None
    ) -> None:
        my_names, a = resolve(self.ours, mine)
        their_names, b = resolve(self.ref, theirs)
        if my_names and "properties" in b and my_names[0] not in their_names:
            self.fail(where, f"DTO {my_names[0]}, Immich's is {' -> '.join(their_names)}")
        if not b:  # the reference does not describe it
            return
        kind_a, kind_b = _kind(a), _kind(b)
        if kind_a != kind_b and "any" not in (kind_a, kind_b):
            self.fail(where, f"type {kind_a}, Immich's is {kind_b}")
            return
        extra = ADDITIONS.get(my_names[0], set()) if my_names else set()
        if set(a.get("x-immich-py-additions", ())) != extra:
            self.fail(where, f"marks additions {a.get('x-immich-py-additions')}, listed {extra}")
        mine_enum = a.get("enum")
        if mine_enum is not None and response:
            mine_enum = [v for v in mine_enum if v not in extra]
        self.enum(where, mine_enum, b.get("enum"), response=response)
        if not response:
            self.bounds(where, a, b, key)
        my_null, their_null = bool(a.get("nullable")), bool(b.get("nullable"))
        if response and my_null and not their_null:
            self.fail(where, "may be null, Immich's may not")
        if not response and their_null and not my_null:
            self.fail(where, "refuses null, Immich's accepts it")
        if my_names and their_names:  # named DTOs: compare their insides once
            key = (my_names[0], their_names[-1], response)
            if key in self._seen:
                return
            self._seen.add(key)
        if kind_b == "array" and "items" in b:
            self.schema(f"{where}[]", a.get("items", {}), b["items"], response=response)
        elif kind_b == "object":
            self.properties(where, a, b, response=response, owner=my_names[0] if my_names else "")

    def bounds(self, where: str, a: Doc, b: Doc, key: Any) -> None:
        """Requests accept what Immich's do: the same bounds and format, but for the listed
        tightenings (where Immich's bound exceeds what we can store)."""
        mine, theirs = _bounds(a), _bounds(b)
        if mine == theirs:
            if key in TIGHTENINGS:
                self.fail(where, f"listed as a tightening but matches Immich's {theirs}")
            return
        if key not in TIGHTENINGS:
            self.fail(where, f"bounds {mine}, Immich's are {theirs}")

    def enum(self, where: str, mine: Any, theirs: Any, *, response: bool) -> None:
        """Answers use only Immich's values; requests accept every one of Immich's."""
        if theirs is None:
            if mine is not None and not response:
                self.fail(where, f"accepts only {_short(mine)}, Immich's any value")
            return
        if mine is None:
            if response:
                self.fail(where, f"any value, Immich's one of {_short(theirs)}")
            return
        if response and not set(mine) <= set(theirs):
            self.fail(where, f"values {sorted(set(mine) - set(theirs))} are not Immich's")
        if not response and not set(theirs) <= set(mine):
            self.fail(where, f"refuses Immich's values {sorted(set(theirs) - set(mine))}")

    def properties(self, where: str, a: Doc, b: Doc, *, response: bool, owner: str = "") -> None:
        props_a, props_b = a.get("properties"), b.get("properties")
        if props_b is None:
            return  # a free-form map in Immich's document
        if props_a is None:
            self.fail(where, f"free-form object, Immich's has properties {sorted(props_b)}")
            return
        if set(props_a) != set(props_b):
            extra, missing = (
                sorted(set(props_a) - set(props_b)),
                sorted(set(props_b) - set(props_a)),
            )
            self.fail(where, f"properties: extra {extra}, missing {missing}")
        req_a, req_b = set(a.get("required", ())), set(b.get("required", ()))
        if req_a != req_b:
            self.fail(
                where, f"required: extra {sorted(req_a - req_b)}, missing {sorted(req_b - req_a)}"
            )
        for name in sorted(set(props_a) & set(props_b)):
            self.schema(
                f"{where}.{name}",
                props_a[name],
                props_b[name],
                response=response,
                key=(owner, name),
            )

    def operation(self, where: str, mine: Doc, theirs: Doc) -> None:
        for key in ("operationId", "x-immich-permission"):
            if mine.get(key) != theirs.get(key):
                self.fail(where, f"{key} {mine.get(key)!r}, Immich's is {theirs.get(key)!r}")
        if bool(mine.get("x-immich-admin-only")) != bool(theirs.get("x-immich-admin-only")):
            self.fail(where, f"admin-only {bool(mine.get('x-immich-admin-only'))}, not Immich's")
        if bool(mine.get("security")) != bool(theirs.get("security")):
            self.fail(where, f"auth required {bool(mine.get('security'))}, not Immich's")
        self.parameters(where, mine, theirs)
        self.body(where, mine, theirs)
        self.responses(where, mine, theirs)

    def parameters(self, where: str, mine: Doc, theirs: Doc) -> None:
        their_query = {p["name"]: p for p in theirs.get("parameters", ()) if p["in"] == "query"}
        for p in mine.get("parameters", ()):
            if p["in"] != "query":
                continue
            match = their_query.get(p["name"])
            if match is None:
                self.fail(where, f"query parameter {p['name']!r} is not Immich's")
                continue
            if p.get("required") and not match.get("required"):
                self.fail(where, f"query parameter {p['name']!r} required, Immich's optional")
            self.schema(
                f"{where} ?{p['name']}",
                p["schema"],
                match["schema"],
                response=False,
                key=(mine.get("operationId", ""), p["name"]),
            )
        for name, p in their_query.items():
            if p.get("required") and name not in {q["name"] for q in mine.get("parameters", ())}:
                self.fail(where, f"required query parameter {name!r} missing")

    def body(self, where: str, mine: Doc, theirs: Doc) -> None:
        a, b = mine.get("requestBody"), theirs.get("requestBody")
        if (a is None) != (b is None):
            self.fail(where, f"request body {'present' if a else 'absent'}, not as Immich's")
            return
        if a is None or b is None:
            return
        json_a = a["content"].get("application/json")
        json_b = b["content"].get("application/json")
        if json_a is None or json_b is None:
            if sorted(a["content"]) != sorted(b["content"]):
                self.fail(where, f"body types {sorted(a['content'])} vs {sorted(b['content'])}")
            return
        self.schema(f"{where} body", json_a["schema"], json_b["schema"], response=False)

    def responses(self, where: str, mine: Doc, theirs: Doc) -> None:
        ok_a = sorted(s for s in mine["responses"] if s.startswith("2"))
        ok_b = sorted(s for s in theirs["responses"] if s.startswith("2"))
        if ok_a != ok_b:
            self.fail(where, f"success status {ok_a}, Immich's is {ok_b}")
            return
        for status in ok_a:
            content_a = mine["responses"][status].get("content") or {}
            content_b = theirs["responses"][status].get("content") or {}
            if sorted(content_a) != sorted(content_b):
                self.fail(where, f"{status} content {sorted(content_a)} vs {sorted(content_b)}")
                continue
            if "application/json" in content_a:
                self.schema(
                    f"{where} -> {status}",
                    content_a["application/json"]["schema"],
                    content_b["application/json"]["schema"],
                    response=True,
                )


async def test_spec_is_served_without_auth_and_cached(client: httpx.AsyncClient, ours: Doc) -> None:
    assert ours["openapi"].startswith("3.")
    assert ours["info"]["version"] == "3.1.0"
    r = await client.get("/api/spec.json")
    assert r.json() == ours
    assert r.headers["content-type"] == "application/json"


async def test_spec_lists_every_operation_we_serve(app: Any, ours: Doc) -> None:
    served = {
        (op.method.lower(), op.path)
        for op in collect_operations(app.state.ctx.pm)
        if (op.method, op.path) not in UNDOCUMENTED
    }
    listed = {(method, path) for path, method, _ in operations(ours)}
    assert listed == served


async def test_spec_references_resolve(ours: Doc) -> None:
    text = json.dumps(ours)
    names = {part.split('"')[0] for part in text.split('"#/components/schemas/')[1:]}
    missing = names - set(ours["components"]["schemas"])
    assert not missing, f"dangling $refs: {sorted(missing)}"
    ping = ours["paths"]["/server/ping"]["get"]
    assert "security" not in ping
    stats = ours["paths"]["/server/statistics"]["get"]
    assert stats["x-immich-admin-only"] is True
    assert stats["x-immich-permission"] == "server.statistics"


def test_comparer_reports_mismatches(reference: Doc) -> None:
    """The comparison itself catches a renamed field, a lost required and a wrong status."""
    ref_op = reference["paths"]["/server/ping"]["get"]
    doc: Doc = {
        "components": {
            "schemas": {
                "ServerPingResponse": {"type": "object", "properties": {"pong": {"type": "string"}}}
            }
        }
    }
    mine = {
        "operationId": "pingServer",
        "parameters": [{"name": "x", "in": "query", "schema": {"type": "string"}}],
        "responses": {
            "201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/X"}}}}
        },
    }
    doc["components"]["schemas"]["X"] = doc["components"]["schemas"]["ServerPingResponse"]
    comparer = Comparer(doc, reference)
    comparer.operation("GET /server/ping", mine, ref_op)
    text = "\n".join(comparer.problems)
    assert "success status ['201']" in text
    assert "query parameter 'x'" in text
    mine["responses"] = {"200": mine["responses"]["201"]}
    comparer = Comparer(doc, reference)
    comparer.operation("GET /server/ping", mine, ref_op)
    text = "\n".join(comparer.problems)
    assert "DTO X" in text
    assert "extra ['pong'], missing ['res']" in text
    assert "required: extra [], missing ['res']" in text


async def test_comparer_descends_into_nested_dtos(ours: Doc, reference: Doc) -> None:
    doc = copy.deepcopy(ours)
    usage = doc["components"]["schemas"]["UsageByUserDto"]
    del usage["properties"]["userName"]
    usage["properties"]["quotaSizeInBytes"].pop("nullable")
    usage["properties"]["photos"]["type"] = "string"
    comparer = Comparer(doc, reference)
    path = "/server/statistics"
    comparer.operation(path, doc["paths"][path]["get"], reference["paths"][path]["get"])
    assert comparer.problems == [
        f"{path} -> 200.usageByUser[]: properties: extra [], missing ['userName']",
        f"{path} -> 200.usageByUser[].photos: type string, Immich's is integer",
    ]
    comparer = Comparer(doc, reference)
    body = {"$ref": "#/components/schemas/UsageByUserDto"}
    comparer.schema("body", body, {"$ref": body["$ref"]}, response=False)
    assert "body.quotaSizeInBytes: refuses null, Immich's accepts it" in comparer.problems


def test_comparer_enum_rules() -> None:
    """Answers may use a subset of Immich's values; requests must accept all of them."""
    comparer = Comparer({}, {})
    comparer.enum("ok-answer", ["a"], ["a", "b"], response=True)
    comparer.enum("ok-request", None, ["a"], response=False)
    comparer.enum("bad-answer", ["c"], ["a"], response=True)
    comparer.enum("bad-request", ["a"], ["a", "b"], response=False)
    comparer.enum("open-answer", None, ["a"], response=True)
    assert [p.split(":")[0] for p in comparer.problems] == [
        "bad-answer",
        "bad-request",
        "open-answer",
    ]


def test_comparer_accepts_only_listed_tightenings() -> None:
    comparer = Comparer({}, {})
    wide, tight = {"type": "integer", "maximum": 2**53 - 1}, {"type": "integer", "maximum": 9}
    comparer.schema("listed", tight, wide, response=False, key=("SessionCreateDto", "duration"))
    comparer.schema("unlisted", tight, wide, response=False, key=("X", "y"))
    comparer.schema("stale", wide, wide, response=False, key=("SessionCreateDto", "duration"))
    comparer.schema("answer", tight, wide, response=True, key=("X", "y"))
    assert [p.split(":")[0] for p in comparer.problems] == ["unlisted", "stale"]


def test_comparer_accepts_only_listed_additions(reference: Doc) -> None:
    job = {"type": "string", "enum": ["AssetDelete", "UploadCleanup"]}
    ours: Doc = {"components": {"schemas": {"JobName": job}}}
    ref = {"$ref": "#/components/schemas/JobName"}
    comparer = Comparer(ours, reference)
    comparer.schema("unmarked", ref, ref, response=True)
    job["x-immich-py-additions"] = ["UploadCleanup"]
    comparer.schema("marked", ref, ref, response=True)
    job["enum"].append("Mine")
    comparer.schema("unlisted", ref, ref, response=True)
    assert [p.split(":")[0] for p in comparer.problems] == ["unmarked", "unlisted"]


def test_our_own_jobs_are_in_the_api_enum() -> None:
    from immich.api.queue_dtos import JobName as ApiJobName
    from immich.jobs.names import IMMICH_JOB_NAMES, JobName

    assert {m.value for m in ApiJobName} == set(JobName)
    assert set(ApiJobName.__additions__) == set(JobName) - IMMICH_JOB_NAMES == ADDITIONS["JobName"]


async def test_every_operation_matches_immich(ours: Doc, reference: Doc) -> None:
    comparer = Comparer(ours, reference)
    for path, method, op in operations(ours):
        where = f"{method.upper()} {path}"
        theirs = reference["paths"].get(path, {}).get(method)
        if theirs is None:
            comparer.fail(where, "not in Immich's API")
            continue
        comparer.operation(where, op, theirs)
    problems = comparer.problems
    assert not problems, f"{len(problems)} mismatches with Immich 3.1:\n" + "\n".join(problems)
