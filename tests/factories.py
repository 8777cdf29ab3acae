"""Plain helpers that build users and cases through the real service."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from states import DEFAULT_RULEBOOK
from workflow.admin.users import add_user
from workflow.config import LOCAL_TZ, Settings
from workflow.db import transaction
from workflow.service import Outcome, perform, receive_application

STAFF = {
    "r1": "registrar",
    "h1": "handler",
    "h2": "handler",
    "v1": "reviewer",
    "a1": "approver",
    "a2": "approver",
    "u1": "auditor",
    "m1": "admin",
}


def at(settings: Settings, day: date | str, hour: int = 10) -> Settings:
    """The same settings, as of `day` at `hour` Beijing time."""
    d = date.fromisoformat(day) if isinstance(day, str) else day
    return replace(settings, now_override=datetime.combine(d, time(hour), LOCAL_TZ))


STAFF_SINCE = "2020-01-02"  # before any date a test plays: simulated time never runs backwards


def add_staff(settings: Settings) -> None:
    s = at(settings, STAFF_SINCE) if settings.now_override is None else settings
    with transaction(s) as session:
        for name, role in STAFF.items():
            add_user(session, name=name, roles=[role], now=s.now())


RESIDENT_ID = "11010519491231002X"  # GB 11643 check character valid
CREDIT_CODE = "91110108MA01ABCDEN"  # GB 32100 check character valid


def _default_id(applicant_type: str) -> str:
    return RESIDENT_ID if applicant_type == "natural_person" else CREDIT_CODE


def new_case(
    settings: Settings,
    received: str = "2026-05-06",
    *,
    register: bool = True,
    applicant_type: str = "natural_person",
    request: str = "请公开本单位2025年部门决算",
    channel: str = "in_person",
    id_number: str | None = "",  # Art. 29 身份证明: "" a valid one for the applicant type; None: none
    recorded: str | None = None,  # when it is entered, if later than it was received (a backlog)
) -> int:
    s = at(settings, recorded or received)
    case = receive_application(
        s,
        channel=channel,
        received_on=date.fromisoformat(received),
        applicant="王五",
        applicant_type=applicant_type,
        request=request,
        actor="r1",
        id_number=_default_id(applicant_type) if id_number == "" else id_number,
    )
    assert case.id is not None
    if register:
        perform(case.id, "register", "r1", settings=s)
    return case.id


def act(settings: Settings, case_id: int, day: str, action: str, actor: str, **payload: object) -> Outcome:
    return perform(case_id, action, actor, dict(payload), settings=at(settings, day), rulebook=DEFAULT_RULEBOOK)


def login_form(client: Any, username: str, password: str, **kwargs: Any) -> Any:
    """POST the console's login form as a browser would: with the form token the login page set."""
    page = client.get("/login").text
    token = page.split('name="csrf" value="')[1].split('"')[0]
    return client.post("/login", data={"username": username, "password": password, "csrf": token}, **kwargs)
