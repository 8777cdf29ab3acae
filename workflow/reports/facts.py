"""What the annual report needs to know about each case, folded from the case's ledger events as
of a cut-off moment. Pure: no database; the events are given oldest first, already limited to the
cut-off (workflow/reports/ledger.py reads them).

Rules (ogi-rules §7; each case counted once):
- a case is an application from its date of receipt (Art. 31), registered or not: the `receive`
  event for an application handed in or signed for, `confirm_receipt` for one by ordinary post,
  internet or fax (older ledgers: the `register` event's `received_on`); its applicant column is
  the `receive` event's `applicant_type`;
- it is new in the year of its date of receipt, unless that date was only established after the
  year had ended (arrived on 30 December, confirmed on 4 January): the earlier year's report had
  been closed at 31 December without it, so it is new in the year it was established. Either way it
  is counted once, and carry-over is the same seen from either year;
- it is handled on the Beijing date of its first `approve`, `lapse_correction`, `lapse_fee` or
  `withdraw` event (a withdrawal before registration is not a handled application); an approved
  answer goes to the row of the latest `decide` before it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from states.remedies import PENDING, REMEDY_ACTION, RemedyEvent
from states.vocab import RECEIPT_AT_INTAKE
from workflow.config import LOCAL_TZ
from workflow.reports.layout import ENDING_ROWS, FALLBACK_ROW, HANDLING_ACTIONS, result_row
from workflow.timeutil import local_date


@dataclass(frozen=True, slots=True)
class LedgerEvent:
    """One audit event as the reports read it."""

    seq: int
    at: str  # UTC stamp, fixed width: 2026-05-06T02:00:00.000000Z
    action: str
    payload: Mapping[str, Any]
    actor: str = ""

    @property
    def day(self) -> date:
        """The Beijing date of the event."""
        return local_date(datetime.fromisoformat(self.at.replace("Z", "+00:00")))


@dataclass(frozen=True, slots=True)
class CaseFacts:
    case_id: int
    number: str
    applicant_kind: str
    booked_on: date | None = None  # the date it counts as a new application; None: not registered
    received_on: date | None = None  # the date of receipt as registered (Art. 31)
    handled_on: date | None = None
    row: str | None = None  # Table 3 row of its handling result
    late_registration: bool = False  # received in one year, registered after that year ended
    unplaced: bool = False  # handled, but its result had no row (counted under 其他)


@dataclass(frozen=True, slots=True)
class Filing:
    """A reconsideration or lawsuit, with its result as of the cut-off."""

    case_id: int
    number: str
    kind: str
    seq: int
    filed_on: date
    booked_on: date  # the date that decides its year (as for applications: its own date, or the
    # day it was recorded if that was after its year had ended)
    result: str = PENDING


def year_end(year: int) -> datetime:
    """The last moment of a year in Beijing (31 December 23:59:59.999999), in UTC."""
    return datetime.combine(date(year, 12, 31), time.max, LOCAL_TZ).astimezone(UTC)


def cutoff_for(year: int, as_of: datetime) -> datetime:
    """The moment a year's report reads the ledger as of: the end of the year once it is over,
    else `as_of` (an interim report of the current year)."""
    return min(as_of.astimezone(UTC), year_end(year))


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def booking_date(stated: date | None, recorded: date) -> date:
    """The stated date if it falls in the year it was recorded in, else the recording date."""
    if stated is None or stated.year != recorded.year:
        return recorded
    return stated


RECEIPT_EVENTS = frozenset({"receive", "confirm_receipt", "correct_receipt", "register"})


@dataclass
class _Fold:
    kind: str = ""
    stated: date | None = None  # the date of receipt (Art. 31), once established
    recorded: date | None = None  # Beijing date of the event that established it
    outcome: str | None = None
    grounds: list[str] = field(default_factory=list)
    handled_on: date | None = None
    row: str | None = None
    unplaced: bool = False


def _received(f: _Fold, ev: LedgerEvent) -> None:
    p = ev.payload
    f.kind = str(p.get("applicant_type") or "")
    if p.get("channel") is None or str(p["channel"]) in RECEIPT_AT_INTAKE:
        f.stated, f.recorded = _date(p.get("received_on")), ev.day


def _confirmed(f: _Fold, ev: LedgerEvent) -> None:
    if f.recorded is None:
        f.stated, f.recorded = _date(ev.payload.get("confirmed_on")) or ev.day, ev.day


def _corrected(f: _Fold, ev: LedgerEvent) -> None:
    f.stated = _date(ev.payload.get("received_on")) or f.stated


def _registered(f: _Fold, ev: LedgerEvent) -> None:
    if ev.payload.get("received_on"):
        # Older ledgers fixed receipt at registration; a receipt already established stays booked.
        f.stated = _date(ev.payload.get("received_on"))
        f.recorded = f.recorded or ev.day


# How each event that fixes the date of receipt (Art. 31) is read, by its action.
_RECEIPT: dict[str, Callable[[_Fold, LedgerEvent], None]] = {
    "receive": _received,
    "confirm_receipt": _confirmed,
    "correct_receipt": _corrected,
    "register": _registered,
}


def _receipt(f: _Fold, ev: LedgerEvent) -> None:
    step = _RECEIPT.get(ev.action)
    if step is not None:
        step(f, ev)


def _step(f: _Fold, ev: LedgerEvent) -> None:
    p = ev.payload
    if ev.action in RECEIPT_EVENTS:
        _receipt(f, ev)
    elif ev.action == "decide":
        f.outcome = str(p.get("outcome")) if p.get("outcome") else None
        raw = p.get("grounds") or []
        f.grounds = [str(g) for g in (raw if isinstance(raw, list) else str(raw).split(","))]
    elif ev.action in HANDLING_ACTIONS and f.handled_on is None and f.recorded is not None:
        f.handled_on = ev.day
        row = ENDING_ROWS.get(ev.action) or result_row(f.outcome, f.grounds)
        f.unplaced = row is None
        f.row = row or FALLBACK_ROW


def case_facts(case_id: int, number: str, events: Sequence[LedgerEvent]) -> CaseFacts:
    """Fold one case's events (oldest first, up to the cut-off) into its report facts."""
    f = _Fold()
    for ev in events:
        _step(f, ev)
    if f.recorded is None:
        return CaseFacts(case_id, number, f.kind)
    booked = booking_date(f.stated, f.recorded)
    handled = max(f.handled_on, booked) if f.handled_on is not None else None
    late = f.stated is not None and f.stated.year < f.recorded.year
    return CaseFacts(case_id, number, f.kind, booked, f.stated or booked, handled, f.row, late, f.unplaced)


def filings(case_id: int, number: str, events: Sequence[LedgerEvent]) -> list[Filing]:
    """The reconsiderations and lawsuits recorded on a case, each with its result so far."""
    filed: dict[int, Filing] = {}
    for ev in events:
        if ev.action != REMEDY_ACTION:
            continue
        p = ev.payload
        on = _date(p.get("on")) or ev.day
        if p.get("event") == RemedyEvent.FILED.value:
            filed[ev.seq] = Filing(case_id, number, str(p.get("kind")), ev.seq, on, booking_date(on, ev.day))
        elif p.get("event") == RemedyEvent.DECIDED.value:
            ref = p.get("filing")
            target = filed.get(int(ref)) if isinstance(ref, int) else None
            if target is not None and target.result == PENDING:
                filed[target.seq] = Filing(
                    target.case_id, number, target.kind, target.seq, target.filed_on, target.booked_on, str(p["result"])
                )
    return list(filed.values())
