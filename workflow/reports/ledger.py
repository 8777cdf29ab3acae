"""Reading the ledger for the reports: every event up to the cut-off, grouped by case. Only events
stamped at or before the cut-off count, so events after it never change a report."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlmodel import Session, col, select

from states.remedies import REMEDY_ACTION
from workflow.config import Settings
from workflow.db import reading
from workflow.errors import InvalidInput
from workflow.ledger.audit import payload_of
from workflow.models import AuditEvent, Case
from workflow.office.settings import Office, load_office
from workflow.reports.annual import AnnualReport, compute_annual
from workflow.reports.facts import LedgerEvent, case_facts, cutoff_for, filings
from workflow.reports.layout import HANDLING_ACTIONS
from workflow.timeutil import local_date, utc_stamp

ANNUAL_ACTIONS: tuple[str, ...] = (
    "receive",
    "confirm_receipt",
    "correct_receipt",
    "register",
    "decide",
    *sorted(HANDLING_ACTIONS),
    REMEDY_ACTION,
)
FIRST_YEAR = 2008  # the Regulations took effect on 1 May 2008


def check_year(year: int, as_of: datetime) -> None:
    """Raises InvalidInput for a year before the Regulations or one that has not begun."""
    if year < FIRST_YEAR or date(year, 1, 1) > local_date(as_of):
        raise InvalidInput(
            f"year：{year} 不是可出具报告的年度（{FIRST_YEAR} 年至 {local_date(as_of).year} 年）", "report.year", "year"
        )


def read_events(
    session: Session, cutoff: datetime, actions: Iterable[str] | None = None
) -> dict[int, list[LedgerEvent]]:
    """Each case's events stamped at or before `cutoff`, oldest first."""
    stmt = (
        select(AuditEvent)
        .where(col(AuditEvent.case_id).is_not(None), col(AuditEvent.at) <= utc_stamp(cutoff))
        .order_by(col(AuditEvent.seq))
    )
    if actions is not None:
        stmt = stmt.where(col(AuditEvent.action).in_(list(actions)))
    out: dict[int, list[LedgerEvent]] = {}
    for ev in session.exec(stmt):
        out.setdefault(ev.case_id or 0, []).append(LedgerEvent(ev.seq, ev.at, ev.action, payload_of(ev), ev.actor))
    return out


def case_numbers(session: Session) -> dict[int, str]:
    return {cid: number for cid, number in session.exec(select(Case.id, Case.number)) if cid is not None}


def office_name_as_of(session: Session, cutoff: datetime) -> str:
    """The office's name at the cut-off: a later renaming (an audited `office_setting` event)
    does not change a past year's report."""
    stamp = utc_stamp(cutoff)
    renamings = [
        (ev.at, payload_of(ev))
        for ev in session.exec(
            select(AuditEvent).where(AuditEvent.action == "office_setting").order_by(col(AuditEvent.seq))
        )
    ]
    renamings = [(at, p) for at, p in renamings if p.get("key") == "name"]
    before = [p for at, p in renamings if at <= stamp]
    if before:
        return str(before[-1].get("to"))
    if renamings and renamings[0][1].get("from"):
        return str(renamings[0][1]["from"])
    return load_office(session).name if not renamings else Office().name


def build_annual(session: Session, year: int, cutoff: datetime) -> AnnualReport:
    """The report of `year` from the ledger as of `cutoff` (not yet checked)."""
    events = read_events(session, cutoff, ANNUAL_ACTIONS)
    numbers = case_numbers(session)
    cases = [case_facts(cid, numbers.get(cid, str(cid)), evs) for cid, evs in events.items()]
    items = [f for cid, evs in events.items() for f in filings(cid, numbers.get(cid, str(cid)), evs)]
    return compute_annual(year, cutoff, office_name_as_of(session, cutoff), cases, items)


def annual_report(settings: Settings, year: int, as_of: datetime | None = None) -> AnnualReport:
    """The annual report of `year` as of `as_of` (default: now), reconciled.

    For a year that has ended the cut-off is 31 December 24:00 Beijing time, whenever it is run, so
    the report of a past year is reproducible; for the current year it is an interim report as of
    `as_of`.

    Raises:
        InvalidInput: a year that cannot be reported. Refused: the tables do not reconcile
        (rule report.reconciliation, naming the cells).
    """
    moment = as_of or settings.now()
    check_year(year, moment)
    with reading(settings) as session:
        report = build_annual(session, year, cutoff_for(year, moment))
    return report.check()
