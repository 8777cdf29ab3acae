"""The approver's list: cases awaiting approval, nearest answer date first, paged in the database."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from states import OUTCOMES
from web.console.common import render
from web.console.guard import Staff
from web.deps import settings_of
from web.paging import page_args
from web.views import QueueFilter, queue_page

router = APIRouter()


@router.get("/approvals", response_class=HTMLResponse)
def approvals(request: Request, who: Staff) -> Response:
    number, size = page_args(request.query_params)
    page = queue_page(settings_of(request), who, QueueFilter(state="awaiting_approval"), page=number, size=size)
    page.path = "/approvals"
    outcomes = {o.value: s.label for o, s in OUTCOMES.items()}
    return render(request, "approvals.html", who, page=page, rows=page.items, outcomes=outcomes)
