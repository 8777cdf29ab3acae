"""GET /docs: the API reference, rendered on the server from the OpenAPI document. FastAPI's own
Swagger and ReDoc pages load their scripts and fonts from CDNs, which this product never does
(and its Content-Security-Policy would block); /openapi.json stays the machine-readable form."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.console import env

router = APIRouter()
METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"{_schema_name(schema.get('items'))}[]"
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        return " | ".join(_schema_name(o) for o in options)
    return str(schema.get("type", ""))


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the OpenAPI document, in path order, as plain rows for the page."""
    rows = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _schema_name(p.get("schema")),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": _schema_name(body),
                    "responses": sorted(op.get("responses", {})),
                }
            )
    return rows


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_reference(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    html = env.get_template("apidocs.html").render(
        who=None, msg="", err="", info=spec.get("info", {}), operations=operations(spec)
    )
    return HTMLResponse(html)
