"""The approver's list: cases awaiting approval, nearest answer date first, paged in the database."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from states import OUTCOMES
from web.console.common import render
from web.console.guard import Staff
from web.deps import settings_of
from web.paging import DEFAULT_SIZE, page_number, page_size
from web.views import QueueFilter, queue_page

router = APIRouter()


@router.get("/approvals", response_class=HTMLResponse)
def approvals(request: Request, who: Staff) -> Response:
    args = request.query_params
    size = page_size(int(args["size"]) if args.get("size", "").isdigit() and len(args["size"]) < 8 else DEFAULT_SIZE)
    number = page_number(int(args["page"]) if args.get("page", "").isdigit() and len(args["page"]) < 8 else 1)
    page = queue_page(settings_of(request), who, QueueFilter(state="awaiting_approval"), page=number, size=size)
    page.path = "/approvals"
    outcomes = {o.value: s.label for o, s in OUTCOMES.items()}
    return render(request, "approvals.html", who, page=page, rows=page.items, outcomes=outcomes)
