"""The registry's API under /api/info: what `ogi info` and the console do, as JSON, through the
same single door (workflow.registry.service)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from pydantic import BaseModel, Field

from web.deps import Principal, check_csrf, require_user, settings_of
from web.errors import ERROR_RESPONSES
from workflow.db import reading
from workflow.registry.queries import get_item, history, item_deadlines, item_view, list_items
from workflow.registry.service import perform_info, register_item

router = APIRouter(prefix="/api/info", responses=ERROR_RESPONSES, tags=["政府信息目录"])
User = Annotated[Principal, Depends(require_user)]
CsrfHeader = Annotated[str | None, Header(alias="X-CSRF-Token")]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


class ItemIn(BaseModel):
    title: str = Field(min_length=1, max_length=500)
    made_on: date
    attribute: str = Field(max_length=20, description="proactive | on_request | withheld | redacted | declassified")
    reason: str | None = Field(default=None, max_length=4000)
    ground: str | None = Field(default=None, max_length=40)
    doc_number: str | None = Field(default=None, max_length=100)
    issuer: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=100)
    kind: str = Field(default="other", max_length=20, description="rule | normative | other")


class InfoActionIn(BaseModel):
    payload: dict[str, str | None] = Field(default_factory=dict)
    expected_version: int | None = Field(default=None, ge=1, le=2**31)


@router.get("/items")
def items(
    request: Request,
    who: User,
    state: str | None = Query(None, max_length=20),
    attribute: str | None = Query(None, max_length=20),
    category: str | None = Query(None, max_length=100),
    year: int | None = Query(None, ge=2008, le=2100),
    q: str | None = Query(None, max_length=100),
    limit: int = Query(200, ge=1, le=1000),
) -> list[dict[str, Any]]:
    """Registry items; `q` searches with Chinese word segmentation."""
    with reading(settings_of(request)) as session:
        found = list_items(session, state=state, attribute=attribute, category=category, year=year, q=q, limit=limit)
        return [item_view(session, i) for i in found]


@router.post("/items", status_code=201)
def register(body: ItemIn, request: Request, who: User, csrf: CsrfHeader = None) -> dict[str, Any]:
    """Register an item with its disclosure attribute (registrar, handler or admin)."""
    check_csrf(who, csrf)
    settings = settings_of(request)
    item = register_item(settings, actor=who.name, **body.model_dump())
    with reading(settings) as session:
        return item_view(session, get_item(session, item.id or 0))


@router.get("/items/{item_id}")
def show(item_id: Id, request: Request, who: User) -> dict[str, Any]:
    with reading(settings_of(request)) as session:
        item = get_item(session, item_id)
        return item_view(session, item) | {"history": history(session, item)}


@router.get("/items/{item_id}/deadlines")
def deadlines(item_id: Id, request: Request, who: User) -> dict[str, Any]:
    """Art. 26 publication and re-evaluation dates, recomputed, with the day-by-day reasoning."""
    with reading(settings_of(request)) as session:
        out, lines = item_deadlines(session, get_item(session, item_id))
    return {
        "publish_due": out.publish_due,
        "review_due": out.review_due,
        "provisional": out.provisional,
        "explanation": lines,
    }


@router.post("/items/{item_id}/actions/{action}")
def act(
    item_id: Id, action: str, body: InfoActionIn, request: Request, who: User, csrf: CsrfHeader = None
) -> dict[str, Any]:
    """Take an action: 403 for a role that may not, 409 for a refusal or a stale version, 422 for bad input."""
    check_csrf(who, csrf)
    settings = settings_of(request)
    payload = {k: v for k, v in body.payload.items() if v is not None}
    result = perform_info(item_id, action[:40], who.name, payload, body.expected_version, settings=settings)
    with reading(settings) as session:
        view = item_view(session, get_item(session, item_id))
    return {"item": view, "event_seq": result.event_seq, "from_state": result.from_state, "to_state": result.to_state}
