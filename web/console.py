"""The console: server-rendered pages in Simplified Chinese. Each page reads through the same
views as the API, and every form posts to an action that calls workflow.service.perform."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from states import (
    ACTIONS,
    DEFAULT_RULEBOOK,
    GROUNDS,
    OUTCOMES,
    ROLE_LABELS,
    STATE_LABELS,
    Action,
    CaseState,
    Role,
    allowed_actions,
)
from states.events import EVENT_LABELS
from states.outcomes import REVIEW_CONCLUSION_LABELS
from states.remedies import EVENT_LABELS as REMEDY_EVENT_LABELS
from states.remedies import KIND_LABELS as REMEDY_KIND_LABELS
from states.remedies import REMEDY_ROLES
from states.remedies import RESULT_LABELS as REMEDY_RESULT_LABELS
from states.vocab import CHANNEL_LABELS, CLOCK_LABELS, FEE_METHOD_LABELS, OPINION_LABELS, PARTY_LABELS
from web.deps import Principal, check_csrf, principal, settings_of
from web.views import case_summaries, check_readable, export_events, verify_chain
from workflow import audit
from workflow.calendar import CalendarError, parse_arrangement
from workflow.calendar_admin import Impact, import_arrangement
from workflow.config import Settings
from workflow.db import reading, transaction
from workflow.errors import WorkflowError
from workflow.letters.issue import letter_view, letters_of
from workflow.letters.pdf import pdf_unavailable_reason
from workflow.letters.registry import LETTERS
from workflow.moment import simulation_of
from workflow.notify import inbox
from workflow.office import change_setting, load_office, office_dict
from workflow.passwords import set_password
from workflow.queries import case_view, deadlines_of, find_case, history_view
from workflow.remedies import describe, record_remedy, remedies_of
from workflow.service import perform, receive_application
from workflow.sessions import set_flash, take_flash
from workflow.timeutil import local_date, local_stamp
from workflow.users import active_with_role, add_user, change_user

router = APIRouter()


async def _posted_form(request: Request) -> FormData:
    # Parsed on the event loop; the handler itself is sync and runs in the thread pool, so its
    # database work and argon2 never block other requests.
    return await request.form()


PostedForm = Annotated[FormData, Depends(_posted_form)]
env = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["bjt"] = local_stamp  # staff read times in Beijing time; the ledger keeps UTC
KIND_LABELS = {
    "natural_person": "自然人",
    "commercial_enterprise": "商业企业",
    "research_institution": "科研机构",
    "social_welfare_organization": "社会公益组织",
    "legal_service_institution": "法律服务机构",
    "other_organization": "其他组织",
}


CHOICE_LABELS: dict[str, str] = {
    **{o.value: f"{spec.label}（{spec.article}）" for o, spec in OUTCOMES.items()},
    **{g.value: label for g, (label, _) in GROUNDS.items()},
    **{c.value: label for c, label in REVIEW_CONCLUSION_LABELS.items()},
    **{p.value: label for p, label in PARTY_LABELS.items()},
    **{o.value: label for o, label in OPINION_LABELS.items()},
    **{m.value: label for m, label in FEE_METHOD_LABELS.items()},
}


def render(request: Request, name: str, who: Principal | None, status: int = 200, **ctx: Any) -> HTMLResponse:
    """A page. Banners come from the session (set by `back`), never from the address: a link
    cannot put words in the office's mouth."""
    kind, _, text = (who.flash or "").partition(":") if who else ("", "", "")
    if who is not None and who.flash:
        with transaction(settings_of(request)) as session:
            take_flash(session, who.session_id)
    html = env.get_template(name).render(
        request=request,
        who=who,
        msg=text if kind == "ok" else "",
        err=text if kind == "err" else "",
        role_labels=ROLE_LABELS,
        labels=CHOICE_LABELS,
        channel_labels=CHANNEL_LABELS,
        kind_labels=KIND_LABELS,
        simulation=_simulation(request),
        clock_labels=CLOCK_LABELS,
        event_labels=EVENT_LABELS,
        **ctx,
    )
    return HTMLResponse(html, status_code=status)


def _simulation(request: Request) -> bool:
    """Whether this is a simulation database: every page then says its cases are samples."""
    return simulation_of(settings_of(request))


def _today(request: Request) -> date:
    """Today in Beijing, by the server's clock (OGI_NOW when set)."""
    return local_date(settings_of(request).now())


def _login_redirect() -> RedirectResponse:
    return RedirectResponse("/login", status_code=303)


def back(who: Principal, settings: Settings, url: str, *, msg: str = "", err: str = "") -> RedirectResponse:
    """Redirect to `url` with a banner kept in the session for the next page."""
    if who.session_id and (msg or err):
        with transaction(settings) as session:
            set_flash(session, who.session_id, f"ok:{msg}" if msg else f"err:{err}")
    return RedirectResponse(url, status_code=303)


@router.get("/", response_class=HTMLResponse)
def queue(
    request: Request,
    scope: str = "all",
    state: str = "",
    q: str = "",
    handler: str = "",
    overdue: bool = False,
    provisional: bool = False,
) -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
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


@router.get("/intake", response_class=HTMLResponse)
def intake_page(request: Request) -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
    return render(
        request, "intake.html", who, channels=CHANNEL_LABELS, kinds=KIND_LABELS, form={}, today=_today(request)
    )


@router.post("/intake")
def intake(request: Request, posted: PostedForm) -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
    form = {k: str(v)[:4000] for k, v in posted.items()}
    check_csrf(who, form.get("csrf"))
    try:
        received = date.fromisoformat(form.get("received_on", ""))
    except ValueError:
        return render(
            request,
            "intake.html",
            who,
            status=422,
            channels=CHANNEL_LABELS,
            kinds=KIND_LABELS,
            form=form,
            today=_today(request),
            error="收到日期：请填写有效日期（YYYY-MM-DD）",
        )
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
        return render(
            request,
            "intake.html",
            who,
            status=422,
            channels=CHANNEL_LABELS,
            kinds=KIND_LABELS,
            form=form,
            today=_today(request),
            error=str(exc),
        )
    return back(who, settings_of(request), f"/cases/{case.id}", msg=f"已收件：{case.number}，请核对收到日期后办理登记")


def _forms(who: Principal, state: CaseState, view: dict[str, Any]) -> list[dict[str, Any]]:
    """The actions this user may take on the case now, with their fields."""
    forms = []
    for action in allowed_actions(state):
        spec = ACTIONS[action]
        if not who.has(*(r.value for r in spec.roles)):
            continue
        forms.append(
            {
                "action": action.value,
                "label": spec.label,
                "article": spec.article,
                "fields": spec.fields,
                "notes": spec.notes,
            }
        )
    return forms


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)], error: str = "") -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
    settings = settings_of(request)
    with reading(settings) as session:
        try:
            case = check_readable(session, who, find_case(session, case_id))
        except WorkflowError as exc:
            return render(request, "error.html", who, status=403, error=exc.message)
        view = case_view(session, case)
        out, explanation = deadlines_of(session, case, DEFAULT_RULEBOOK)
        events = history_view(session, case)
        letters = [letter_view(x) for x in letters_of(session, case.id or 0)]
        handlers = [u.name for u in active_with_role(session, Role.HANDLER)]
        remedy_records = [describe(r) for r in remedies_of(audit.case_events(session, case.id or 0))]
    state = CaseState(view["state"])
    previewable = sorted(
        k
        for k in LETTERS
        if k == view["outcome"] or k in ("acknowledgement", "correction_notice", "extension_notice", "fee_notice")
    )
    return render(
        request,
        "case.html",
        who,
        status=422 if error else 200,
        case=view,
        deadlines=out.as_dict(),
        explanation=explanation,
        clock=out,
        events=events,
        letters=letters,
        pdf_available=pdf_unavailable_reason() is None,
        handlers=handlers,
        remedy_records=remedy_records,
        may_record_remedy=who.has(*(r.value for r in REMEDY_ROLES))
        and view["state"] in ("answered", "closed", "deemed_abandoned", "abandoned_unpaid"),
        remedy_kinds=REMEDY_KIND_LABELS,
        remedy_events=REMEDY_EVENT_LABELS,
        remedy_results={k: v for k, v in REMEDY_RESULT_LABELS.items() if k != "pending"},
        forms=_forms(who, state, view),
        error=error,
        previewable=previewable,
        letter_titles={k: v.title for k, v in LETTERS.items()},
    )


@router.post("/cases/{case_id}/act/{action}")
def case_act(
    request: Request, case_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)], action: str, posted: PostedForm
) -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
    raw = posted
    check_csrf(who, str(raw.get("csrf", "")))
    payload: dict[str, object] = {}
    for key in raw:
        if key in ("csrf", "version", "next"):
            continue
        values = [str(v) for v in raw.getlist(key)]
        payload[key[:60]] = ",".join(values) if len(values) > 1 else values[0]
    try:
        version = int(str(raw.get("version", "")) or 0) or None
        result = perform(case_id, action[:40], who.name, payload, version, settings=settings_of(request))
    except (WorkflowError, ValueError) as exc:
        return case_page(request, case_id, error=str(exc))
    label = ACTIONS[Action(action)].label
    letter = f"，已出具{LETTERS[result.letter].title}" if result.letter else ""
    # Only known pages: a form field must never turn this into an open redirect.
    to = "/approvals" if raw.get("next") == "/approvals" else f"/cases/{case_id}"
    return back(who, settings_of(request), to, msg=f"{result.case.number}：已办理“{label}”{letter}")


@router.post("/cases/{case_id}/remedy")
def case_remedy(
    request: Request, case_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)], posted: PostedForm
) -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
    raw = posted
    check_csrf(who, str(raw.get("csrf", "")))
    try:
        on = date.fromisoformat(str(raw.get("on"))) if raw.get("on") else None
        record = record_remedy(
            settings_of(request),
            case_id,
            kind=str(raw.get("kind", ""))[:40],
            event=str(raw.get("event", ""))[:20],
            result=str(raw.get("result", ""))[:20] or None,
            on=on,
            actor=who.name,
        )
    except (WorkflowError, ValueError) as exc:
        return case_page(request, case_id, error=str(exc))
    return back(who, settings_of(request), f"/cases/{case_id}", msg=f"已登记：{describe(record)}")


@router.get("/approvals", response_class=HTMLResponse)
def approvals(request: Request) -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
    rows = case_summaries(settings_of(request), who, state="awaiting_approval")
    return render(request, "approvals.html", who, rows=rows, outcomes={o.value: s.label for o, s in OUTCOMES.items()})


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    case: str = "",
    actor: str = "",
    action: str = "",
    date_from: str = "",
    date_to: str = "",
    verified: str = "",
) -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
    if not who.has("auditor", "admin"):
        return render(request, "error.html", who, status=403, error="审计页面仅供审计员和管理员使用")

    def as_date(text: str) -> date | None:
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            return None

    case_id = int(case) if case.isdigit() and len(case) < 10 else None
    events = export_events(
        settings_of(request),
        case=case_id,
        actor=actor[:64] or None,
        action=action[:40] or None,
        date_from=as_date(date_from),
        date_to=as_date(date_to),
        limit=500,
    )
    result = verify_chain(settings_of(request)) if verified else None
    # The export links carry exactly the filters the page shows (only those that parsed).
    shown = {
        "case": case_id,
        "actor": actor[:64],
        "action": action[:40],
        "date_from": as_date(date_from),
        "date_to": as_date(date_to),
    }
    export_query = urlencode({k: str(v) for k, v in shown.items() if v})
    return render(
        request,
        "audit.html",
        who,
        events=events,
        export_query=export_query,
        case=case,
        actor=actor,
        action=action,
        date_from=date_from,
        date_to=date_to,
        result=result,
    )


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request) -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
    with reading(settings_of(request)) as session:
        notes = inbox(session, who.name)
    return render(request, "inbox.html", who, notes=notes)


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, impact: Impact | None = None, calendar_text: str = "", error: str = "") -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
    if not who.has("admin"):
        return render(request, "error.html", who, status=403, error="管理页面仅供管理员使用")
    from sqlmodel import select

    from workflow.models import User

    with reading(settings_of(request)) as session:
        users = list(session.exec(select(User).order_by(User.name)))
        office = office_dict(load_office(session))
    return render(
        request,
        "admin.html",
        who,
        users=users,
        office=office,
        impact=impact,
        calendar_text=calendar_text,
        error=error,
        roles=[r for r in ROLE_LABELS if r not in ("system", "applicant")],
    )


def _admin_form(request: Request, form: FormData) -> tuple[Principal, FormData] | None:
    """The admin and the form they posted (its CSRF token checked); None for anyone else."""
    who = principal(request)
    if who is None or not who.has("admin"):
        return None
    check_csrf(who, str(form.get("csrf", "")))
    return who, form


@router.post("/admin/users")
def admin_users(request: Request, posted: PostedForm) -> Response:
    got = _admin_form(request, posted)
    if got is None:
        return _login_redirect()
    who, form = got
    settings = settings_of(request)
    try:
        with transaction(settings) as session:
            add_user(
                session,
                name=str(form.get("name", ""))[:64],
                roles=[str(r) for r in form.getlist("roles")],
                now=settings.now(),
                department=str(form.get("department", ""))[:100] or None,
                email=str(form.get("email", ""))[:200] or None,
                actor=who.name,
            )
            if form.get("password"):
                set_password(
                    session,
                    str(form.get("name", ""))[:64],
                    str(form.get("password"))[:200],
                    actor=who.name,
                    now=settings.now(),
                )
    except WorkflowError as exc:
        return back(who, settings, "/admin", err=str(exc))
    return back(who, settings, "/admin", msg="用户已保存")


@router.post("/admin/users/active")
def admin_user_active(request: Request, posted: PostedForm) -> Response:
    got = _admin_form(request, posted)
    if got is None:
        return _login_redirect()
    who, form = got
    settings = settings_of(request)
    name, active = str(form.get("name", ""))[:64], form.get("active") == "1"
    try:
        with transaction(settings) as session:
            change_user(session, name=name, actor=who.name, now=settings.now(), active=active)
    except WorkflowError as exc:
        return back(who, settings, "/admin", err=str(exc))
    return back(who, settings, "/admin", msg=f"用户“{name}”已{'启用' if active else '停用'}")


@router.post("/admin/office")
def admin_office(request: Request, posted: PostedForm) -> Response:
    got = _admin_form(request, posted)
    if got is None:
        return _login_redirect()
    who, form = got
    settings = settings_of(request)
    try:
        with transaction(settings) as session:
            before = office_dict(load_office(session))
            for key, value in form.items():
                if key != "csrf" and before.get(key) != str(value):
                    change_setting(session, key=key[:60], value=str(value)[:4000], actor=who.name, now=settings.now())
    except WorkflowError as exc:
        return back(who, settings, "/admin", err=str(exc))
    return back(who, settings, "/admin", msg="机关设置已保存")


@router.post("/admin/calendar")
def admin_calendar(request: Request, posted: PostedForm) -> Response:
    got = _admin_form(request, posted)
    if got is None:
        return _login_redirect()
    who, form = got
    text = str(form.get("text", ""))[:100_000]
    fmt = "csv" if str(form.get("format")) == "csv" else "yaml"
    apply = form.get("apply") == "1"
    try:
        arrangement = parse_arrangement(text, fmt)
        impact = import_arrangement(settings_of(request), arrangement, actor=who.name, dry_run=not apply)
    except (CalendarError, WorkflowError) as exc:
        return admin_page(request, calendar_text=text, error=str(exc))
    return admin_page(request, impact=impact, calendar_text="" if apply else text)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, year: int = 0) -> Response:
    who = principal(request)
    if who is None:
        return _login_redirect()
    from workflow.reports import office_stats

    year = year if 2000 <= year <= 2100 else _today(request).year
    stats = office_stats(settings_of(request), year)
    return render(request, "reports.html", who, year=year, stats=stats.as_dict())
