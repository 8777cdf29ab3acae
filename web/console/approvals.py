"""The approver's list: cases awaiting approval."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from states import OUTCOMES
from web.console.common import render
from web.console.guard import Staff
from web.deps import settings_of
from web.views import case_summaries

router = APIRouter()


@router.get("/approvals", response_class=HTMLResponse)
def approvals(request: Request, who: Staff) -> Response:
    rows = case_summaries(settings_of(request), who, state="awaiting_approval")
    return render(request, "approvals.html", who, rows=rows, outcomes={o.value: s.label for o, s in OUTCOMES.items()})
