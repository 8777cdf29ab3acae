"""The admin page: users and their roles, the office's settings, the holiday calendar."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import select
from starlette.datastructures import FormData

from states import ROLE_LABELS
from states.labels import role_label
from web.console.common import PostedForm, back, plain, render
from web.console.guard import Staff
from web.deps import Principal, check_csrf, require_roles, settings_of
from workflow.accounts.passwords import set_password
from workflow.admin.calendar import Impact, import_arrangement
from workflow.admin.office import change_setting
from workflow.admin.users import add_user, change_user
from workflow.calendar import CalendarError, parse_arrangement
from workflow.db import reading, transaction
from workflow.errors import WorkflowError
from workflow.models import User
from workflow.office.settings import load_office, office_dict

router = APIRouter()


def _page(
    request: Request,
    who: Principal,
    impact: Impact | None = None,
    calendar_text: str = "",
    error: str = "",
    user_form: dict[str, object] | None = None,
    office_form: dict[str, str] | None = None,
) -> Response:
    if not who.has("admin"):
        return render(request, "error.html", who, status=403, title="无权访问", error="管理页面仅供管理员使用")
    with reading(settings_of(request)) as session:
        users = list(session.exec(select(User).order_by(User.name)))
        office = office_dict(load_office(session)) | {k: v for k, v in (office_form or {}).items() if k != "error"}
    return render(
        request,
        "admin.html",
        who,
        users=users,
        office=office,
        impact=impact,
        calendar_text=calendar_text,
        error=error,
        user_form=user_form or {},
        office_error=(office_form or {}).get("error", ""),
        office_field=(office_form or {}).get("field", ""),
        roles=[r for r in ROLE_LABELS if r not in ("system", "applicant")],
    )


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, who: Staff) -> Response:
    return _page(request, who)


def _admin(who: Principal, form: FormData) -> None:
    """`who` must be an admin (Forbidden: a 403 page) and the form's CSRF token must match."""
    require_roles(who, "admin")
    check_csrf(who, str(form.get("csrf", "")))


@router.post("/admin/users")
def admin_users(request: Request, who: Staff, form: PostedForm) -> Response:
    _admin(who, form)
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
        kept: dict[str, object] = {k: str(form.get(k, "")) for k in ("name", "department", "email")}
        kept |= {"roles": form.getlist("roles"), "error": plain(exc), "field": exc.field}
        return _page(request, who, user_form=kept)
    return back(who, settings, "/admin", msg="用户已保存")


@router.post("/admin/users/roles")
def admin_user_roles(request: Request, who: Staff, form: PostedForm) -> Response:
    """Replace a user's roles (adding and removing), audited through the same path as adding them."""
    _admin(who, form)
    settings = settings_of(request)
    name = str(form.get("name", ""))[:64]
    roles = [str(r)[:20] for r in form.getlist("roles")]
    try:
        with transaction(settings) as session:
            change_user(session, name=name, actor=who.name, now=settings.now(), roles=roles)
    except WorkflowError as exc:
        return back(who, settings, "/admin", err=f"未能修改“{name}”的角色：{plain(exc)}")
    return back(who, settings, "/admin", msg=f"用户“{name}”的角色已改为：{role_label(','.join(sorted(roles)))}")


@router.post("/admin/users/active")
def admin_user_active(request: Request, who: Staff, form: PostedForm) -> Response:
    _admin(who, form)
    settings = settings_of(request)
    name, active = str(form.get("name", ""))[:64], form.get("active") == "1"
    try:
        with transaction(settings) as session:
            change_user(session, name=name, actor=who.name, now=settings.now(), active=active)
    except WorkflowError as exc:
        return back(who, settings, "/admin", err=plain(exc))
    return back(who, settings, "/admin", msg=f"用户“{name}”已{'启用' if active else '停用'}")


@router.post("/admin/office")
def admin_office(request: Request, who: Staff, form: PostedForm) -> Response:
    _admin(who, form)
    settings = settings_of(request)
    try:
        with transaction(settings) as session:
            before = office_dict(load_office(session))
            for key, value in form.items():
                if key != "csrf" and before.get(key) != str(value):
                    change_setting(session, key=key[:60], value=str(value)[:4000], actor=who.name, now=settings.now())
    except WorkflowError as exc:  # nothing saved: the form again as typed, the message at the setting
        kept = {k: str(v)[:4000] for k, v in form.items() if k != "csrf"}
        return _page(request, who, office_form=kept | {"error": plain(exc), "field": exc.field or ""})
    return back(who, settings, "/admin", msg="机关设置已保存")


@router.post("/admin/calendar")
def admin_calendar(request: Request, who: Staff, form: PostedForm) -> Response:
    _admin(who, form)
    text = str(form.get("text", ""))[:100_000]
    fmt = "csv" if str(form.get("format")) == "csv" else "yaml"
    apply = form.get("apply") == "1"
    try:
        arrangement = parse_arrangement(text, fmt)
        impact = import_arrangement(settings_of(request), arrangement, actor=who.name, dry_run=not apply)
    except (CalendarError, WorkflowError) as exc:
        return _page(request, who, calendar_text=text, error=plain(exc) if isinstance(exc, WorkflowError) else str(exc))
    return _page(request, who, impact=impact, calendar_text="" if apply else text)
