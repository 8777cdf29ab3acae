"""Receiving an application at the counter, by post or by fax: the intake form."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from states.vocab import CHANNEL_LABELS
from web.console.common import KIND_LABELS, PostedForm, back, plain, render, today
from web.console.guard import Staff
from web.deps import Principal, check_csrf, settings_of
from workflow.errors import WorkflowError
from workflow.service import receive_application

router = APIRouter()


def _form_page(
    request: Request, who: Principal, form: dict[str, str], status: int = 200, error: str = "", field: str = ""
) -> Response:
    return render(
        request,
        "intake.html",
        who,
        status=status,
        channels=CHANNEL_LABELS,
        kinds=KIND_LABELS,
        form=form,
        today=today(request),
        error=error,
        field=field,
    )


@router.get("/intake", response_class=HTMLResponse)
def intake_page(request: Request, who: Staff) -> Response:
    return _form_page(request, who, {})


@router.post("/intake")
def intake(request: Request, who: Staff, posted: PostedForm) -> Response:
    form = {k: str(v)[:4000] for k, v in posted.items()}
    check_csrf(who, form.get("csrf"))
    try:
        received = date.fromisoformat(form.get("received_on", ""))
    except ValueError:
        return _form_page(request, who, form, 422, "请填写有效日期（YYYY-MM-DD）", "received_on")
    try:
        case = receive_application(
            settings_of(request),
            channel=form.get("channel", ""),
            received_on=received,
            applicant=form.get("applicant", ""),
            applicant_type=form.get("applicant_type", ""),
            request=form.get("request", ""),
            actor=who.name,
            id_number=form.get("id_number") or None,
            contact=form.get("contact") or None,
        )
    except WorkflowError as exc:
        return _form_page(request, who, form, 422, plain(exc), exc.field or "")
    return back(who, settings_of(request), f"/cases/{case.id}", msg=f"已收件：{case.number}，请核对收到日期后办理登记")
