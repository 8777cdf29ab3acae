"""The annual report and the office statistics under /api/reports (JSON, HTML, Markdown, xlsx,
an SVG chart)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Query, Request, Response

from web.api.cases import User
from web.deps import settings_of
from web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


@router.get("/reports/annual")
def report_annual(
    request: Request,
    who: User,
    year: int = Query(ge=2000, le=2100),
    format: str = Query("json", pattern="^(json|html|md|xlsx)$"),
) -> Response:
    """The annual report's Tables 3 and 4 with the case numbers behind every cell (xlsx: the
    official layout with a detail sheet)."""
    from workflow.reports import annual_report
    from workflow.reports.render import to_html, to_json, to_markdown

    report = annual_report(settings_of(request), year)
    report.check()
    if format == "html":
        return Response(to_html(report), media_type="text/html; charset=utf-8")
    if format == "md":
        return Response(to_markdown(report), media_type="text/markdown; charset=utf-8")
    if format == "xlsx":
        from workflow.reports.excel import to_xlsx

        return Response(
            to_xlsx(report),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f"attachment; filename=annual-report-{year}.xlsx"},
        )
    return Response(to_json(report), media_type="application/json")


@router.get("/reports/stats")
def report_stats(
    request: Request, who: User, year: int | None = Query(None, ge=2000, le=2100), chart: bool = False
) -> Response:
    """Office statistics per department and handler; `chart=true` gives the SVG chart."""
    from workflow.reports import office_stats
    from workflow.reports.chart import monthly_chart

    stats = office_stats(settings_of(request), year)
    if chart:
        return Response(monthly_chart(stats), media_type="image/svg+xml")
    return Response(json.dumps(stats.as_dict(), ensure_ascii=False, default=str), media_type="application/json")
