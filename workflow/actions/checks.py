"""What `ogi audit verify` holds against the ledger besides the chain itself: every case row
against the projection of its events (state, handler, department, outcome, request, applicant,
dates, due dates, version, the clock snapshot), every stored letter's bytes against the hash its event recorded, and
every user's roles against their ledger history. Each mismatch is one line naming the row and
the field. The case projection reuses the engine's own rules (the handlers' effects, workflow/actions, the clock
and workflow/ledger/projection.py), so it follows them when they change."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from states import DEFAULT_RULEBOOK, TERMINAL_STATES, Action
from states.events import CASE_VERSION_EVENTS, EventKind
from workflow.actions import apply_effects
from workflow.calendar.store import load_calendar
from workflow.cases.applicants import applicant_digest, digest
from workflow.clock.deadlines import compute, facts_from_events
from workflow.ledger import snapshot
from workflow.ledger.projection import events_for_clock, local_date_of_stamp
from workflow.models import Applicant, AuditEvent, Case, Letter, LetterBlob, User

ACTIONS = frozenset(a.value for a in Action)
USER_EVENTS = ("user_added", "user_changed")
DUE_FIELDS = ("answer_due", "correction_notice_due", "correction_reply_due", "fee_due")


# Payload dates that the handlers' effects copy onto the case row (receipt fixed or corrected).
DATE_KEYS = frozenset({"received_on", "confirmed_on"})


def _as_date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value


def _events_by_case(session: Session) -> dict[int, list[Any]]:
    table: Any = AuditEvent.__table__  # type: ignore[attr-defined]
    stmt = sa_select(
        table.c.case_id, table.c.seq, table.c.action, table.c.actor, table.c.at, table.c.payload, table.c.to_state
    )
    rows = session.connection().execute(stmt.where(table.c.case_id.is_not(None)).order_by(table.c.seq))
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[row.case_id].append(row)
    return out


def _bumps_version(event: Any) -> bool:
    if event.action == EventKind.ESCALATE:
        return "version" in json.loads(event.payload)  # a warning that flagged the case
    return event.action in CASE_VERSION_EVENTS


def _projected(events: list[Any]) -> SimpleNamespace:
    """The case row's fields as its events make them."""
    first = json.loads(events[0].payload) if events[0].action == "receive" else {}
    case = SimpleNamespace(
        state=events[-1].to_state,
        handler=None,
        department=None,
        outcome=None,
        answered_on=None,
        received_on=_as_date(first.get("received_on")),
        receive=first,
        version=1 + sum(1 for e in events if _bumps_version(e)),
    )
    for ev in events:
        if ev.action in ACTIONS:
            data = {k: _as_date(v) if k in DATE_KEYS else v for k, v in json.loads(ev.payload).items()}
            apply_effects(case, Action(ev.action), ev.actor, data, local_date_of_stamp(ev.at))  # type: ignore[arg-type]
    return case


def _case_problems(case: Case, applicant: Applicant | None, events: list[Any], cal: Any) -> list[str]:
    where = f"案件 {case.number}"
    if not events:
        return [f"{where}：账本中没有任何事件"]
    p = _projected(events)
    out = [
        f"{where} 字段 {name}：数据库为 {getattr(case, name)}，账本推算为 {getattr(p, name)}"
        for name in ("state", "handler", "department", "outcome", "received_on", "answered_on", "version")
        if getattr(case, name) != getattr(p, name)
    ]
    if "request_sha256" in p.receive and digest(case.request) != p.receive["request_sha256"]:
        out.append(f"{where} 字段 request：申请内容与收件时记入账本的不符")
    if applicant is None or (
        "applicant_sha256" in p.receive
        and applicant_digest(applicant.name, applicant.id_number) != p.receive["applicant_sha256"]
    ):
        out.append(f"{where} 字段 applicant：申请人姓名或证件号码与收件时记入账本的不符")
    stale = snapshot.problem(case, events)
    if stale is not None:
        out.append(stale)
    if case.state not in {s.value for s in TERMINAL_STATES}:
        # closed cases keep the dates of the calendar they closed under; open ones follow every change
        due = compute(facts_from_events(events_for_clock(events)), cal, DEFAULT_RULEBOOK)
        for name in DUE_FIELDS:
            if getattr(case, name) != getattr(due, name):
                out.append(f"{where} 字段 {name}：数据库为 {getattr(case, name)}，账本推算为 {getattr(due, name)}")
    return out


def case_problems(session: Session) -> list[str]:
    by_case = _events_by_case(session)
    cal = load_calendar(session)
    applicants = {a.id: a for a in session.exec(select(Applicant))}
    out: list[str] = []
    for case in session.exec(select(Case).order_by(col(Case.id))):
        out += _case_problems(case, applicants.get(case.applicant_id), by_case.get(case.id or 0, []), cal)
    return out


def letter_problems(session: Session) -> list[str]:
    recorded: dict[int, dict[str, Any]] = {}
    for event in session.exec(select(AuditEvent).where(col(AuditEvent.payload).contains('"letter":'))):
        payload = json.loads(event.payload)
        # an action may issue several letters: the first under "letter", the others under "letters"
        for letter in [payload.get("letter"), *(payload.get("letters") or [])]:
            if isinstance(letter, dict) and "id" in letter:
                recorded[int(letter["id"])] = letter
    out = []
    for letter in session.exec(select(Letter).order_by(col(Letter.id))):
        where = f"文书 {letter.number}（编号 {letter.id}）"
        rec = recorded.get(letter.id or 0)
        if rec is None:
            out.append(f"{where}：账本中没有它的签发记录")
            continue
        for name, key in (("docx_sha256", "sha256"), ("html_sha256", "html_sha256")):
            stored = getattr(letter, name)
            if key in rec and stored != rec[key]:
                out.append(f"{where} 字段 {name}：与账本记录的哈希不符")
            blob = session.get(LetterBlob, stored)
            if blob is None or hashlib.sha256(blob.content).hexdigest() != stored:
                out.append(f"{where} 字段 {name}：存档的文书内容与其哈希不符（文书被改动或缺失）")
    return out


def user_problems(session: Session) -> list[str]:
    history: dict[str, dict[str, Any]] = {}
    stmt = select(AuditEvent).where(col(AuditEvent.action).in_(USER_EVENTS)).order_by(col(AuditEvent.seq))
    for ev in session.exec(stmt):
        data = json.loads(ev.payload)
        to = data.get("to") or {}
        state = history.setdefault(str(data.get("name")), {"roles": [], "active": True})
        state["roles"] = sorted(to.get("roles", state["roles"]))
        state["active"] = to.get("active", state["active"])
    out = []
    for user in session.exec(select(User).order_by(col(User.name))):
        known = history.get(user.name)
        if known is None:
            out.append(f"用户 {user.name}：账本中没有其创建记录")
            continue
        if sorted(user.role_set()) != known["roles"]:
            out.append(
                f"用户 {user.name} 字段 roles：数据库为 {','.join(sorted(user.role_set()))}，"
                f"账本为 {','.join(known['roles'])}"
            )
        if user.active != known["active"]:
            out.append(f"用户 {user.name} 字段 active：数据库为 {user.active}，账本为 {known['active']}")
    return out


def all_problems(session: Session) -> list[str]:
    return case_problems(session) + letter_problems(session) + user_problems(session)
