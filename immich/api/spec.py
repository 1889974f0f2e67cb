"""GET /api/spec.json: our OpenAPI 3 document, generated from the operations and their DTOs.

Built once per app (the routes are fixed when the app is made) and kept as encoded JSON.
Paths, operationIds, DTO names and the ``x-immich-*`` extensions follow Immich's own document,
so ``tests/api/test_spec.py`` can compare the two operation by operation.
"""

from __future__ import annotations

import json
import re

from starlette.responses import Response

from immich import IMMICH_API_VERSION, __version__
from immich.api._spec_schema import Schema, SchemaBuilder
from immich.api.dto import object_plan
from immich.api.routing import Call, Operation, Router

router = Router()

SECURITY_SCHEMES: Schema = {
    "bearer": {"scheme": "Bearer", "bearerFormat": "JWT", "type": "http", "in": "header"},
    "cookie": {"type": "apiKey", "in": "cookie", "name": "immich_access_token"},
    "api_key": {"type": "apiKey", "in": "header", "name": "x-api-key"},
}
SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"cookie": []}, {"api_key": []}]
# Path parameters the router checks as UUIDs (immich.api.routing._check_path).
UUID_PARAMS = frozenset({"id", "userId", "assetId", "albumId", "personId"})
# Served but not part of Immich's API description (Immich's document does not list itself).
UNDOCUMENTED: frozenset[tuple[str, str]] = frozenset({("GET", "/spec.json")})
_PARAM_RE = re.compile(r"\{(\w+)\}")


def _parameters(op: Operation, builder: SchemaBuilder) -> list[Schema]:
    params: list[Schema] = []
    for name in _PARAM_RE.findall(op.path):
        schema: Schema = {"type": "string"}
        if name in UUID_PARAMS:
            schema["format"] = "uuid"
        params.append({"name": name, "required": True, "in": "path", "schema": schema})
    if op.query is not None:
        for f in object_plan(op.query).fields:
            prop = dict(f.plan.schema(builder))
            param: Schema = {"name": f.key, "required": f.required, "in": "query"}
            if "$ref" not in prop:  # Immich's document leaves a $ref parameter bare
                if f.description:
                    param["description"] = f.description
                if f.deprecated:
                    prop["deprecated"] = True
            param["schema"] = prop
            params.append(param)
    if op.shared_link:  # Immich's share credentials, read by the auth layer on these routes
        named = {p["name"] for p in params}
        for name in ("key", "slug"):
            if name not in named:
                params.append(
                    {"name": name, "required": False, "in": "query", "schema": {"type": "string"}}
                )
    return params


def _responses(op: Operation, builder: SchemaBuilder) -> Schema:
    status = op.status
    if op.response is None:
        # no schema: 204, but a streamed answer of its own type (sync's JSON lines) keeps 200
        no_content = status == 200 and op.content_type == "application/json"
        return {str(204 if no_content else status): {"description": ""}}
    schema = {"type": "object"} if op.response is dict else builder.schema(op.response)
    content = {op.content_type: {"schema": schema}}
    return {str(s): {"description": "", "content": content} for s in (status, *op.other_statuses)}


def operation_object(op: Operation, builder: SchemaBuilder) -> Schema:
    """The OpenAPI operation object of one route."""
    summary, _, rest = (op.summary or "").partition("\n")
    out: Schema = {"operationId": op.operation_id, "summary": summary.strip()}
    if rest.strip():
        out["description"] = rest.strip()
    out["tags"] = [op.tag]
    out["parameters"] = _parameters(op, builder)
    if op.body is not None:
        out["requestBody"] = {
            "content": {op.body_type: {"schema": builder.schema(op.body)}},
            "required": True,
        }
    out["responses"] = _responses(op, builder)
    if op.auth:
        out["security"] = SECURITY
    if op.permission:
        out["x-immich-permission"] = op.permission
    if op.admin:
        out["x-immich-admin-only"] = True
    return out


def build_document(ops: list[Operation]) -> Schema:
    """The whole document for these operations (those in UNDOCUMENTED left out)."""
    builder = SchemaBuilder()
    paths: dict[str, dict[str, Schema]] = {}
    for op in sorted(ops, key=lambda o: (o.path, o.method)):
        if (op.method, op.path) in UNDOCUMENTED:
            continue
        paths.setdefault(op.path, {})[op.method.lower()] = operation_object(op, builder)
    tags = sorted({op.tag for op in ops if op.tag})
    return {
        "openapi": "3.0.0",
        "info": {
            "title": "Immich",
            "description": f"Immich API (immich-py {__version__})",
            "version": IMMICH_API_VERSION,
            "contact": {},
        },
        "servers": [{"url": "/api"}],
        "tags": [{"name": t} for t in tags],
        "paths": paths,
        "components": {
            "securitySchemes": SECURITY_SCHEMES,
            "schemas": dict(sorted(builder.components.items())),
        },
    }


@router.route("GET", "/spec.json", operation_id="getOpenApiSpec", tag="Server", auth=False)
async def get_spec(call: Call) -> Response:
    """OpenAPI document of this server"""
    body: bytes | None = call.ctx.state.get("openapi.json")
    if body is None:
        from immich.api import collect_operations

        document = build_document(collect_operations(call.ctx.pm))
        body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
        call.ctx.state["openapi.json"] = body
    return Response(body, media_type="application/json")
