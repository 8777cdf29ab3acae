"""The audit page: the ledger filtered, the chain check, links to the exports."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from states.events import EVENT_LABELS
from web.console.common import render
from web.console.guard import Staff
from web.deps import settings_of
from web.paging import PAGE_SIZES, page_args, query_params
from web.views import EventFilter, events_page, verify_chain

router = APIRouter()
# The filter's choices: every kind of ledger event, in words.
EVENT_CHOICES = [(kind.value, label) for kind, label in EVENT_LABELS.items()]


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    who: Staff,
    case: str = "",
    actor: str = "",
    action: str = "",
    date_from: str = "",
    date_to: str = "",
    verified: str = "",
) -> Response:
    if not who.has("auditor", "admin"):
        return render(request, "error.html", who, status=403, title="无权访问", error="审计页面仅供审计员和管理员使用")
    case_id = int(case) if case.isdigit() and len(case) < 10 else None
    f = EventFilter(case_id, _as_date(date_from), _as_date(date_to), actor[:64] or None, action[:40] or None)
    args = request.query_params
    number, size = page_args(args)
    page = events_page(settings_of(request), f, page=number, size=size)
    result = verify_chain(settings_of(request)) if verified else None
    # The export links carry exactly the filters the page shows (only those that parsed).
    shown = {
        "case": case_id,
        "actor": actor[:64],
        "action": action[:40],
        "date_from": _as_date(date_from),
        "date_to": _as_date(date_to),
    }
    export_query = urlencode({k: str(v) for k, v in shown.items() if v})
    page.path, page.params = "/audit", query_params(shown)
    return render(
        request,
        "audit.html",
        who,
        events=page.items,
        page=page,
        sizes=PAGE_SIZES,
        export_query=export_query,
        case=case,
        actor=actor,
        action=action,
        date_from=date_from,
        date_to=date_to,
        result=result,
        event_choices=EVENT_CHOICES,
    )
