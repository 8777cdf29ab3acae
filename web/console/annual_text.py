"""The console form for what the office writes into its annual report: each section's text and
section 二's figures for a year, saved through the audited path by an admin or approver."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web.console import Staff, render
from web.console import back as console_back
from web.console import today as _today
from web.deps import check_csrf, settings_of
from workflow.admin.report_texts import (
    EDITOR_ROLES,
    FIGURE_KEYS,
    FIGURE_ROWS,
    SECTIONS,
    load_texts,
    section_two,
    set_figures,
    set_text,
)
from workflow.db import reading, transaction
from workflow.errors import WorkflowError
from workflow.letters.word import DOCX_MEDIA_TYPE

router = APIRouter()
PATH = "/reports/annual-text"


def _year(request: Request, value: object) -> int:
    try:
        year = int(str(value))
    except ValueError:
        return _today(request).year
    return year if 2008 <= year <= 2100 else _today(request).year


@router.get(PATH, response_class=HTMLResponse)
def annual_text_page(request: Request, who: Staff, year: int = 0) -> Response:
    year = _year(request, year)
    with reading(settings_of(request)) as session:
        texts = load_texts(session, year)
        figures, sources = section_two(session, year)
    return render(
        request,
        "annual_text.html",
        who,
        year=year,
        sections=[(k, t, texts.get(k, "")) for k, t in SECTIONS.items()],
        figures=[(k, f"{i} {content}", col, figures.get(k), sources.get(k)) for k, i, content, col in FIGURE_ROWS],
        editable=any(who.has(r) for r in EDITOR_ROLES),
    )


@router.get("/reports/annual-full")
def annual_full(request: Request, who: Staff, year: int = 0, format: str = "html") -> Response:
    """The whole report (six sections) as a page or a GB/T 9704 .docx download."""
    from workflow.reports.full import full_report
    from workflow.reports.full_html import to_html_full
    from workflow.reports.word import to_docx_full

    year = _year(request, year)
    try:
        report = full_report(settings_of(request), year)
    except WorkflowError as exc:
        return console_back(who, settings_of(request), f"{PATH}?year={year}", err=str(exc))
    if format == "docx":
        return Response(
            to_docx_full(report),
            media_type=DOCX_MEDIA_TYPE,
            headers={"Content-Disposition": f"attachment; filename=annual-report-{year}.docx"},
        )
    return HTMLResponse(to_html_full(report))


@router.post(PATH)
async def annual_text_save(request: Request, who: Staff) -> Response:
    form = await request.form()
    check_csrf(who, str(form.get("csrf", "")))
    settings = settings_of(request)
    year = _year(request, form.get("year", ""))
    back = f"{PATH}?year={year}"
    try:
        with transaction(settings) as session:
            current = load_texts(session, year)
            for key in SECTIONS:
                text = str(form.get(f"text_{key}", ""))[:25000].replace("\r\n", "\n").strip()
                if text != current.get(key, ""):
                    set_text(session, year=year, section=key, text=text, actor=who.name, now=settings.now())
            # figures the registry counts are shown read-only and never stored as entered
            _, sources = section_two(session, year)
            entered, _ = section_two(session, year, providers=[])
            values = {k: str(form.get(f"figure_{k}", "")).strip() for k in FIGURE_KEYS if sources.get(k) != "registry"}
            if any(("" if entered[k] is None else str(entered[k])) != v for k, v in values.items()):
                set_figures(session, year=year, values=values, actor=who.name, now=settings.now())
    except WorkflowError as exc:
        return console_back(who, settings, back, err=str(exc))
    return console_back(who, settings, back, msg=f"{year}年度报告正文已保存")
