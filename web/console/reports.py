"""The office's figures for a year."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web.console.common import render, today
from web.console.guard import Staff
from web.deps import settings_of
from workflow.reports import office_stats

router = APIRouter()


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, who: Staff, year: int = 0) -> Response:
    year = year if 2000 <= year <= 2100 else today(request).year
    stats = office_stats(settings_of(request), year)
    return render(request, "reports.html", who, year=year, stats=stats.as_dict())
