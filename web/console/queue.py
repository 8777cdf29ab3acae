"""The work queue: the console's home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from states import STATE_LABELS
from web.console.common import render
from web.console.guard import Staff
from web.deps import settings_of
from web.views import case_summaries

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def queue(
    request: Request,
    who: Staff,
    scope: str = "all",
    state: str = "",
    q: str = "",
    handler: str = "",
    overdue: bool = False,
    provisional: bool = False,
) -> Response:
    scope = scope if scope in ("mine", "department", "all") else "all"
    rows = case_summaries(
        settings_of(request),
        who,
        state=state[:40] or None,
        q=q[:100] or None,
        handler=handler[:64] or None,
        overdue=overdue,
        provisional=provisional,
        scope=scope,
    )
    return render(
        request,
        "queue.html",
        who,
        rows=rows,
        scope=scope,
        state=state,
        q=q,
        handler=handler,
        overdue=overdue,
        provisional=provisional,
        states=STATE_LABELS,
    )
