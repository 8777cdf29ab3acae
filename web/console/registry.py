"""Console pages of the information registry (政府信息目录): the list, registration, an item's
page with its deadlines and actions, and the panel the case page shows (matching items)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from states import Role
from states.events import EVENT_LABELS
from states.outcomes import GROUNDS
from states.registry import (
    ATTRIBUTE_LABELS,
    INFO_ACTIONS,
    INFO_FIELDS,
    ITEM_STATE_LABELS,
    KIND_LABELS,
    REVIEW_CONCLUSIONS,
    InfoAction,
    ItemState,
    info_actions_in,
)
from web.console import Staff, back, env, render
from web.deps import Principal, check_csrf, settings_of
from workflow.db import reading
from workflow.errors import InvalidInput, WorkflowError
from workflow.models import Case
from workflow.registry.queries import get_item, history, item_deadlines, item_view, list_items, matches_for_case
from workflow.registry.service import REGISTER_ROLES, perform_info, register_item

router = APIRouter()
# An item's history lists its events without the ledger's "info." prefix.
ITEM_EVENT_LABELS = {k.value.removeprefix("info."): label for k, label in EVENT_LABELS.items() if k.startswith("info.")}
ItemId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
CHOICES: dict[str, str] = {
    **{a.value: label for a, label in ATTRIBUTE_LABELS.items()},
    **{g.value: f"{label}（{article}）" for g, (label, article) in GROUNDS.items()},
    **REVIEW_CONCLUSIONS,
}


async def _back(request: Request, who: Principal, url: str, *, msg: str = "", err: str = "") -> RedirectResponse:
    """Redirect with the banner kept in the session (never in the query string)."""
    return await run_in_threadpool(back, who, settings_of(request), url, msg=msg, err=err)


def _page(request: Request, who: Principal, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    return render(
        request,
        name,
        who,
        status,
        state_labels={s.value: label for s, label in ITEM_STATE_LABELS.items()},
        attribute_labels={a.value: label for a, label in ATTRIBUTE_LABELS.items()},
        kind_labels_info={k.value: label for k, label in KIND_LABELS.items()},
        grounds={g.value: f"{label}（{article}）" for g, (label, article) in GROUNDS.items()},
        choice_labels=CHOICES,
        action_labels=ITEM_EVENT_LABELS,
        **ctx,
    )


def registry_panel(request: Request, case: dict[str, Any]) -> list[dict[str, Any]]:
    """Registry items matching a case's request (shown on the case page)."""
    with reading(settings_of(request)) as session:
        row = session.get(Case, int(case["id"]))
        return matches_for_case(session, row) if row is not None else []


env.globals["registry_panel"] = registry_panel
env.globals["registry_attribute_labels"] = {a.value: label for a, label in ATTRIBUTE_LABELS.items()}
env.globals["registry_state_labels"] = {s.value: label for s, label in ITEM_STATE_LABELS.items()}


@router.get("/registry", response_class=HTMLResponse)
def registry_list(request: Request, who: Staff, q: str = "", state: str = "", attribute: str = "") -> Response:
    with reading(settings_of(request)) as session:
        found = list_items(session, q=q[:100] or None, state=state[:20] or None, attribute=attribute[:20] or None)
        rows = [item_view(session, i) for i in found]
    may_register = who.has(*(r.value for r in REGISTER_ROLES))
    return _page(
        request,
        who,
        "registry.html",
        rows=rows,
        q=q,
        state=state,
        attribute=attribute,
        may_register=may_register,
    )


async def _file(value: object) -> tuple[str, bytes] | None:
    if isinstance(value, UploadFile) and value.filename:
        return value.filename, await value.read()
    return None


@router.post("/registry")
async def registry_register(request: Request, who: Staff) -> Response:
    form = await request.form()
    check_csrf(who, str(form.get("csrf", "")))
    text = {
        k: str(form.get(k, "") or "")[:4000]
        for k in ("title", "made_on", "attribute", "reason", "ground", "doc_number", "issuer", "category", "kind")
    }
    files = [f for f in [await _file(v) for v in form.getlist("file")] if f]
    try:
        try:
            made_on = date.fromisoformat(text["made_on"])
        except ValueError:
            raise InvalidInput("made_on：成文日期应为 YYYY-MM-DD", "input.date", "made_on") from None
        item = await run_in_threadpool(
            register_item,
            settings_of(request),
            title=text["title"],
            made_on=made_on,
            attribute=text["attribute"],
            reason=text["reason"] or None,
            ground=text["ground"] or None,
            doc_number=text["doc_number"] or None,
            issuer=text["issuer"] or None,
            category=text["category"] or None,
            kind=text["kind"] or "other",
            files=files,
            actor=who.name,
        )
    except WorkflowError as exc:
        return await _back(request, who, "/registry", err=f"未能登记：{exc}")
    return await _back(request, who, f"/registry/{item.id}", msg=f"已登记：{item.index_number}")


def _forms(who: Principal, state: ItemState) -> list[dict[str, Any]]:
    forms = []
    for action in info_actions_in(state):
        spec = INFO_ACTIONS[action]
        if action is InfoAction.PROPOSE_PROACTIVE or not who.has(*(r.value for r in spec.roles if r != Role.SYSTEM)):
            continue
        fields = [
            {
                "name": n,
                "label": INFO_FIELDS[n].label,
                "type": INFO_FIELDS[n].type,
                "choices": INFO_FIELDS[n].choices,
                "required": n in spec.required,
            }
            for n in spec.fields
        ]
        forms.append(
            {
                "action": action.value,
                "label": spec.label,
                "article": spec.article,
                "fields": fields,
                "notes": spec.notes,
            }
        )
    return forms


@router.get("/registry/{item_id}", response_class=HTMLResponse)
def registry_item(request: Request, who: Staff, item_id: ItemId, error: str = "") -> Response:
    with reading(settings_of(request)) as session:
        item = get_item(session, item_id)
        view = item_view(session, item)
        _, lines = item_deadlines(session, item)
        events = history(session, item)
    return _page(
        request,
        who,
        "registry_item.html",
        status=422 if error else 200,
        item=view,
        explanation=lines,
        events=events,
        forms=_forms(who, ItemState(view["state"])),
        error=error,
    )


@router.post("/registry/{item_id}/act/{action}")
async def registry_act(request: Request, who: Staff, item_id: ItemId, action: str) -> Response:
    form = await request.form()
    check_csrf(who, str(form.get("csrf", "")))
    payload = {k[:40]: str(v) for k, v in form.items() if k not in ("csrf", "version")}
    try:
        version = int(str(form.get("version", "")) or 0) or None
        result = await run_in_threadpool(
            perform_info, item_id, action[:40], who.name, payload, version, settings=settings_of(request)
        )
    except (WorkflowError, ValueError) as exc:
        return registry_item(request, who, item_id, error=str(exc))
    label = INFO_ACTIONS[InfoAction(action)].label
    return await _back(request, who, f"/registry/{item_id}", msg=f"{result.item.index_number}：已办理“{label}”")
