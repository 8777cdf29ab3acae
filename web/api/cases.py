"""The REST API under /api: everything the console does, as JSON. Authorisation comes from the
same role rules as the CLI (states/ via workflow.service.perform)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, Field

from web.api.schemas import TOTAL_HEADER, CaseSummary
from web.deps import Principal, check_csrf, require_roles, require_user, settings_of
from web.errors import ERROR_RESPONSES
from web.views import QueueFilter, case_summaries, check_readable, export_events, queue_total, verify_chain
from workflow.admin.office import change_setting
from workflow.admin.users import add_user, change_user
from workflow.calendar.store import load_calendar
from workflow.cases.queries import case_view, deadlines_of, find_case, history_view
from workflow.cases.remedies import RemedyRecord, describe, record_remedy, remedies_of
from workflow.db import reading, transaction
from workflow.ledger import audit
from workflow.letters.issue import letter_bytes, letter_view, letters_of, preview
from workflow.letters.pdf import PDF_MEDIA_TYPE
from workflow.letters.word import DOCX_MEDIA_TYPE
from workflow.office.settings import load_office, office_dict
from workflow.service import perform, receive_application
from workflow.timeutil import local_date

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


def readable(session: Any, who: Principal, case_id: int) -> Any:
    """The case, if `who` may read it (a handler reads the cases they own)."""
    return check_readable(session, who, find_case(session, case_id))


User = Annotated[Principal, Depends(require_user)]
CsrfHeader = Annotated[str | None, Header(alias="X-CSRF-Token")]
MAX_ID = 2**31 - 1  # the databases' INTEGER: a larger id can name nothing
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class ReceiveIn(BaseModel):
    channel: str = Field(max_length=30)
    received_on: date
    applicant: str = Field(min_length=1, max_length=200)
    applicant_type: str = Field(max_length=40)
    request: str = Field(min_length=1, max_length=4000)
    id_number: str | None = Field(default=None, max_length=40)
    contact: str | None = Field(default=None, max_length=300)


class ActionIn(BaseModel):
    payload: dict[str, str | int | bool | list[str] | None] = Field(default_factory=dict)
    expected_version: int | None = Field(default=None, ge=1, le=2**31)


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    roles: list[str] = Field(min_length=1, max_length=6)
    department: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=200)
    password: str | None = Field(default=None, min_length=8, max_length=200)


class RemedyIn(BaseModel):
    kind: str = Field(max_length=40, description="reconsideration | lawsuit_direct | lawsuit_after_reconsideration")
    event: str = Field(max_length=20, description="filed | decided")
    result: str | None = Field(default=None, max_length=20, description="upheld | corrected | other（decided 时必填）")
    on: date | None = Field(default=None, description="申请复议、起诉或作出决定之日（默认今天）")


class UserChange(BaseModel):
    roles: list[str] | None = Field(default=None, min_length=1, max_length=6, description="replaces every role")
    active: bool | None = Field(default=None, description="false: the account is shut (sessions end, tokens revoked)")


class SettingIn(BaseModel):
    value: str = Field(max_length=4000)


@router.get("/me")
def me(who: User) -> dict[str, Any]:
    return {"name": who.name, "roles": sorted(who.roles), "department": who.department}


@router.get("/cases", response_model=list[CaseSummary], responses={200: {"headers": TOTAL_HEADER}})
def list_cases(
    request: Request,
    response: Response,
    who: User,
    state: str | None = Query(None, max_length=40),
    q: str | None = Query(None, max_length=100),
    handler: str | None = Query(None, max_length=64),
    overdue: bool = False,
    provisional: bool = False,
    scope: str = Query("all", pattern="^(mine|department|all)$"),
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> list[dict[str, Any]]:
    """Cases sorted by their nearest obligation, with ladder level and working days left; the
    X-Total-Count header gives how many match, for paging with `offset` and `limit`."""
    settings = settings_of(request)
    f = QueueFilter(state, q, handler, overdue, provisional, scope)
    response.headers["X-Total-Count"] = str(queue_total(settings, who, f))
    return case_summaries(
        settings,
        who,
        state=state,
        q=q,
        handler=handler,
        overdue=overdue,
        provisional=provisional,
        scope=scope,
        limit=limit,
        offset=offset,
    )


@router.post("/cases", status_code=201)
def receive(body: ReceiveIn, request: Request, who: User, csrf: CsrfHeader = None) -> dict[str, Any]:
    check_csrf(who, csrf)
    settings = settings_of(request)
    case = receive_application(settings, actor=who.name, **body.model_dump())
    with reading(settings) as session:
        return case_view(session, find_case(session, case.id or 0))


@router.get("/cases/{case_id}")
def get_case(case_id: Id, request: Request, who: User) -> dict[str, Any]:
    with reading(settings_of(request)) as session:
        return case_view(session, readable(session, who, case_id))


@router.post("/cases/{case_id}/actions/{action}")
def act(
    case_id: Id, action: str, body: ActionIn, request: Request, who: User, csrf: CsrfHeader = None
) -> dict[str, Any]:
    """Take an action: 403 for a role that may not, 409 for a refusal or a stale version, 422 for bad input."""
    check_csrf(who, csrf)
    settings = settings_of(request)
    payload = {k: (",".join(v) if isinstance(v, list) else v) for k, v in body.payload.items() if v is not None}
    result = perform(case_id, action[:40], who.name, payload, body.expected_version, settings=settings)
    with reading(settings) as session:
        view = case_view(session, readable(session, who, case_id))
    return {
        "case": view,
        "event_seq": result.event_seq,
        "letter": result.letter,
        "changed": {k: {"from": o, "to": n} for k, (o, n) in result.changed.items()},
    }


def _remedy_view(record: RemedyRecord) -> dict[str, Any]:
    return {
        "event_seq": record.seq,
        "case_id": record.case_id,
        "kind": record.kind,
        "event": record.event,
        "result": record.result,
        "on": record.on,
        "filing": record.filing,
        "description": describe(record),
    }


@router.get("/cases/{case_id}/remedies")
def remedies(case_id: Id, request: Request, who: User) -> list[dict[str, Any]]:
    """Reconsideration and litigation recorded on the case (annual report table 4)."""
    with reading(settings_of(request)) as session:
        case = readable(session, who, case_id)
        return [_remedy_view(r) for r in remedies_of(audit.case_events(session, case.id or 0))]


@router.post("/cases/{case_id}/remedies", status_code=201)
def add_remedy(case_id: Id, body: RemedyIn, request: Request, who: User, csrf: CsrfHeader = None) -> dict[str, Any]:
    """Record a filing or its result (handler or admin; the case itself does not change)."""
    check_csrf(who, csrf)
    record = record_remedy(
        settings_of(request), case_id, kind=body.kind, actor=who.name, event=body.event, result=body.result, on=body.on
    )
    return _remedy_view(record)


@router.get("/cases/{case_id}/history")
def history(case_id: Id, request: Request, who: User) -> list[dict[str, Any]]:
    with reading(settings_of(request)) as session:
        return history_view(session, readable(session, who, case_id))


@router.get("/cases/{case_id}/deadlines")
def deadlines(case_id: Id, request: Request, who: User) -> dict[str, Any]:
    from states import DEFAULT_RULEBOOK

    with reading(settings_of(request)) as session:
        out, lines = deadlines_of(session, readable(session, who, case_id), DEFAULT_RULEBOOK)
    nearest = out.next_due()
    return {
        "clock_state": out.clock_state,
        **out.as_dict(),
        "next_due": nearest[1] if nearest else None,
        "next_due_kind": nearest[0] if nearest else None,
        "provisional": out.provisional,
        "provisional_years": out.provisional_years,
        "explanation": lines,
    }


@router.get("/cases/{case_id}/letters")
def case_letters(case_id: Id, request: Request, who: User) -> list[dict[str, Any]]:
    with reading(settings_of(request)) as session:
        return [letter_view(x) for x in letters_of(session, readable(session, who, case_id).id or 0)]


@router.get("/cases/{case_id}/letters/preview/{kind}")
def letter_preview(case_id: Id, kind: str, request: Request, who: User) -> Response:
    settings = settings_of(request)
    with reading(settings) as session:
        rendered = preview(
            session,
            readable(session, who, case_id),
            kind[:40],
            cal=load_calendar(session),
            today=local_date(settings.now()),
            now=settings.now(),
        )
    return Response(rendered.html, media_type="text/html; charset=utf-8")


@router.get("/letters/{letter_id}/{fmt}")
def letter_file(letter_id: Id, fmt: str, request: Request, who: User) -> Response:
    with reading(settings_of(request)) as session:
        letter, content = letter_bytes(session, letter_id, fmt[:10])
        readable(session, who, letter.case_id)
    if fmt == "html":
        return Response(content, media_type="text/html; charset=utf-8")
    media = PDF_MEDIA_TYPE if fmt == "pdf" else DOCX_MEDIA_TYPE
    return Response(
        content, media_type=media, headers={"Content-Disposition": f"attachment; filename=letter-{letter.id}.{fmt}"}
    )


@router.get("/calendar/add-workdays")
def add_workdays(request: Request, who: User, start: date, n: int = Query(ge=0, le=2000)) -> dict[str, Any]:
    with reading(settings_of(request)) as session:
        cal = load_calendar(session)
    result, provisional = cal.add_workdays_flagged(start, n)
    return {"start": start, "n": n, "result": result, "provisional": provisional}


@router.get("/audit/verify")
def audit_verify(request: Request, who: User) -> dict[str, Any]:
    require_roles(who, "auditor", "admin")
    return verify_chain(settings_of(request))


@router.get("/audit/export")
def audit_export(
    request: Request,
    who: User,
    case: int | None = Query(None, ge=1, le=MAX_ID),
    date_from: date | None = None,
    date_to: date | None = None,
    actor: str | None = Query(None, max_length=64),
    action: str | None = Query(None, max_length=40),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """A case's history or a date range, as JSON or CSV, with hashes."""
    require_roles(who, "auditor", "admin")
    rows = export_events(
        settings_of(request), case=case, date_from=date_from, date_to=date_to, actor=actor, action=action
    )
    if format == "json":
        import json

        return Response(json.dumps(rows, ensure_ascii=False, default=str), media_type="application/json")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["seq"])
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=audit.csv"},
    )


@router.get("/users")
def users(request: Request, who: User) -> list[dict[str, Any]]:
    from sqlmodel import select

    from workflow.models import User as UserRow

    require_roles(who, "admin")
    with reading(settings_of(request)) as session:
        return [
            {
                "name": u.name,
                "roles": sorted(u.role_set()),
                "department": u.department,
                "email": u.email,
                "active": u.active,
            }
            for u in session.exec(select(UserRow).order_by(UserRow.name))
        ]


@router.post("/users", status_code=201)
def create_user(body: UserIn, request: Request, who: User, csrf: CsrfHeader = None) -> dict[str, Any]:
    check_csrf(who, csrf)
    require_roles(who, "admin")
    settings = settings_of(request)
    with transaction(settings) as session:
        user = add_user(
            session,
            name=body.name,
            roles=body.roles,
            now=settings.now(),
            department=body.department,
            email=body.email,
            actor=who.name,
        )
        if body.password:
            from workflow.accounts.passwords import set_password

            set_password(session, user.name, body.password, actor=who.name, now=settings.now())
        return {"name": user.name, "roles": sorted(user.role_set()), "department": user.department}


@router.patch("/users/{name}")
def change_user_api(
    name: str, body: UserChange, request: Request, who: User, csrf: CsrfHeader = None
) -> dict[str, Any]:
    """Replace a user's roles or (de)activate the account (admin; audited)."""
    check_csrf(who, csrf)
    require_roles(who, "admin")
    settings = settings_of(request)
    with transaction(settings) as session:
        user = change_user(
            session, name=name[:64], actor=who.name, now=settings.now(), roles=body.roles, active=body.active
        )
        return {"name": user.name, "roles": sorted(user.role_set()), "active": user.active}


@router.get("/office")
def office(request: Request, who: User) -> dict[str, str]:
    with reading(settings_of(request)) as session:
        return office_dict(load_office(session))


@router.put("/office/{key}")
def put_office(key: str, body: SettingIn, request: Request, who: User, csrf: CsrfHeader = None) -> dict[str, str]:
    check_csrf(who, csrf)
    settings = settings_of(request)
    with transaction(settings) as session:
        office = change_setting(session, key=key[:60], value=body.value, actor=who.name, now=settings.now())
    return office_dict(office)


class CalendarImportIn(BaseModel):
    format: str = Field(default="yaml", pattern="^(yaml|csv)$")
    text: str = Field(min_length=1, max_length=100_000)
    dry_run: bool = True


@router.post("/calendar/import")
def calendar_import(body: CalendarImportIn, request: Request, who: User, csrf: CsrfHeader = None) -> dict[str, Any]:
    """Preview (dry_run) or apply a year's official holiday arrangement: which open cases move."""
    check_csrf(who, csrf)
    require_roles(who, "admin")
    from workflow.admin.calendar import import_arrangement
    from workflow.calendar import parse_arrangement

    arrangement = parse_arrangement(body.text, body.format)
    return import_arrangement(settings_of(request), arrangement, actor=who.name, dry_run=body.dry_run).as_dict()
