"""The statutory clock: every deadline of a case derived from its event history and the calendar.

Nothing here is stored as the only truth. `facts_from_events` reads the ledger's events of one
case; `compute` turns the facts into deadlines (Art. 30, 32–34; 国办函〔2020〕109号) under the
rulebook's conventions; `explain` shows the reasoning day by day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from states import RuleBook
from states.deadlines import is_obligation
from workflow.calendar import WorkCalendar
from workflow.clock.facts import ClockFacts, ConsultationFacts, Served, facts_from_events

__all__ = ["ClockFacts", "ConsultationFacts", "Deadlines", "Pause", "compute", "facts_from_events"]

ONE_DAY = timedelta(days=1)
PAUSING_PARTIES = frozenset({"third_party", "other_agency"})  # Art. 33: not 协办 inside the office


@dataclass(frozen=True)
class Pause:
    start: date
    end: date  # inclusive
    reason: str
    projected: bool  # still open: assumed to last until its own due date


@dataclass
class Deadlines:
    clock_state: str  # not_started | running | paused | awaiting_correction | stopped
    answer_due: date | None = None
    answer_start: date | None = None
    answer_days: int = 0
    pauses: list[Pause] = field(default_factory=list)
    correction_notice_due: date | None = None
    correction_reply_due: date | None = None
    consultations: list[ConsultationFacts] = field(default_factory=list)
    fee_due: date | None = None
    reasons_due: date | None = None  # Art. 35: the applicant's period to give reasons
    registration_due: date | None = None  # not yet registered: register (or confirm receipt) by then
    delivery_due: date | None = None  # the oldest unconfirmed delivery that a period waits on
    statutory_due: date | None = None  # the Art. 33 date, when a later date was set (Art. 35)
    receipt_pending: bool = False  # Art. 31(2)–(3): the confirmation of receipt is missing
    provisional: bool = False
    provisional_years: list[int] = field(default_factory=list)

    def consultation_due(self) -> date | None:
        """The nearest reply due date among open consultations (what the sweep watches)."""
        if self.clock_state == "stopped":
            return None
        dues = [c.reply_due for c in self.consultations if c.closed_on is None and c.reply_due]
        return min(dues) if dues else None

    def dues(self) -> list[tuple[str, date]]:
        """Every live deadline by kind (states.deadlines): the answer date only while its clock runs,
        each open consultation as its own kind (协办 inside the office, else 征求意见)."""
        consultations = [
            ("assist_due" if c.party == "internal_department" else "consultation_due", c.reply_due)
            for c in self.consultations
            if self.clock_state != "stopped" and c.closed_on is None
        ]
        return [
            (name, day)
            for name, day in (
                ("answer_due", self.answer_due if self.clock_state == "running" else None),
                ("correction_notice_due", self.correction_notice_due),
                ("correction_reply_due", self.correction_reply_due),
                *consultations,
                ("fee_due", self.fee_due),
                ("registration_due", self.registration_due),
                ("delivery_due", self.delivery_due),
                ("reasons_due", self.reasons_due),
            )
            if day is not None
        ]

    def next_due(self) -> tuple[str, date] | None:
        """The nearest date that obliges someone; a closing option (states.deadlines) is never it."""
        dues = [d for d in self.dues() if is_obligation(d[0])]
        return min(dues, key=lambda d: d[1]) if dues else None

    def as_dict(self) -> dict[str, str | None]:
        """The stored due dates, for the audit payload's record of what changed."""

        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "answer_due": iso(self.answer_due),
            "correction_notice_due": iso(self.correction_notice_due),
            "correction_reply_due": iso(self.correction_reply_due),
            "consultation_due": iso(self.consultation_due()),
            "fee_due": iso(self.fee_due),
            "reasons_due": iso(self.reasons_due),
            "registration_due": iso(self.registration_due),
            "delivery_due": iso(self.delivery_due),
        }


def merge_pauses(pauses: Sequence[Pause]) -> list[tuple[date, date]]:
    """Overlapping or touching pauses count once."""
    spans: list[tuple[date, date]] = []
    for p in sorted(pauses, key=lambda p: p.start):
        if spans and p.start <= spans[-1][1] + ONE_DAY:
            spans[-1] = (spans[-1][0], max(spans[-1][1], p.end))
        else:
            spans.append((p.start, p.end))
    return spans


def add_counted_workdays(cal: WorkCalendar, start: date, n: int, spans: Sequence[tuple[date, date]]) -> date:
    """The n-th counted working day after `start`, skipping working days inside paused spans.

    Each step is a bisect in the calendar, so the cost grows with the number of pauses, not days.
    """
    cur, remaining = start, n
    for s, e in spans:
        if e <= cur:
            continue
        if s > cur:
            available = cal.workdays_between(cur, s - ONE_DAY)
            if available >= remaining:
                return cal.add_workdays(cur, remaining)
            remaining -= available
        cur = e
    return cal.add_workdays(cur, remaining)


def _pause(start: date, end: date, reason: str, projected: bool, rb: RuleBook) -> Pause:
    """A pause under the rulebook's convention on whether its first and last days count."""
    first = start if rb.pause_includes_send_day else start + ONE_DAY
    last = end if rb.pause_includes_end_day else end - ONE_DAY
    return Pause(first, max(first - ONE_DAY, last), reason, projected)


def _consultation_pauses(f: ClockFacts, cal: WorkCalendar, rb: RuleBook) -> list[Pause]:
    pauses = []
    for c in f.consultations:
        if c.party in PAUSING_PARTIES:
            # Art. 32, 34: 15 working days from the addressee's receipt; until delivery is known the
            # pause is projected as if the letter had arrived the day it was sent.
            c.reply_due = cal.add_workdays(c.delivered_on, rb.consultation_reply_days) if c.delivered_on else None
            end = c.closed_on or c.reply_due or cal.add_workdays(c.sent_on, rb.consultation_reply_days)
            pauses.append(_pause(c.sent_on, end, f"征求意见{c.number}（{c.addressee}）", c.closed_on is None, rb))
        else:
            c.reply_due = cal.add_workdays(c.sent_on, c.due_days or rb.internal_consultation_days)
    return pauses


def _fee_pause(f: ClockFacts, out: Deadlines, cal: WorkCalendar, rb: RuleBook) -> list[Pause]:
    if f.fee_sent_on is None:
        return []
    due = cal.add_workdays(f.fee_delivered_on, rb.fee_payment_days) if f.fee_delivered_on else None
    if f.fee_paid_on is None and f.stopped_on is None:
        out.fee_due = due
    end = f.fee_paid_on or due or cal.add_workdays(f.fee_sent_on, rb.fee_payment_days)
    return [_pause(f.fee_sent_on, end, "收费通知待缴费", f.fee_paid_on is None, rb)]


def _reasons_pause(f: ClockFacts, out: Deadlines, cal: WorkCalendar, rb: RuleBook) -> list[Pause]:
    if f.reasons_sent_on is None:
        return []
    period = f.reasons_period or rb.reasons_reply_default_days
    due = cal.add_workdays(f.reasons_delivered_on, period) if f.reasons_delivered_on else None
    if f.reasons_received_on is None and f.stopped_on is None:
        out.reasons_due = due
    if not rb.reasons_period_paused:
        return []
    end = f.reasons_received_on or due or cal.add_workdays(f.reasons_sent_on, period)
    return [_pause(f.reasons_sent_on, end, "要求申请人说明理由（第三十五条）", f.reasons_received_on is None, rb)]


def _still_waiting(f: ClockFacts, s: Served) -> bool:
    """Whether the period this letter starts still matters (so its delivery must be known)."""
    if s.purpose == "correction":
        return f.awaiting_correction
    if s.purpose == "fee":
        return f.fee_paid_on is None
    if s.purpose == "reasons":
        return f.reasons_received_on is None
    return f.consultations[s.ref - 1].closed_on is None


def _delivery_due(f: ClockFacts, cal: WorkCalendar, rb: RuleBook) -> date | None:
    if f.stopped_on is not None:
        return None
    pending = [s.sent_on for s in f.served.values() if s.delivered_on is None and _still_waiting(f, s)]
    return cal.add_workdays(min(pending), rb.delivery_confirm_days) if pending else None


def _registration_due(f: ClockFacts, cal: WorkCalendar, rb: RuleBook, since: date) -> date | None:
    if f.registered or f.stopped_on is not None:
        return None
    return cal.add_workdays(since, rb.registration_days)


def compute(f: ClockFacts, cal: WorkCalendar, rb: RuleBook) -> Deadlines:
    """All deadlines of a case from its facts."""
    if f.received_on is None:
        out = Deadlines("not_started")
        if f.arrived_on is None:
            return out
        out.receipt_pending = True
        out.registration_due = _registration_due(f, cal, rb, f.arrived_on)
        return _flag(out, cal, f.arrived_on)
    out = Deadlines("running", consultations=f.consultations)
    out.registration_due = _registration_due(f, cal, rb, f.received_on)
    if f.correction_sent_on is None and not f.restarted and f.stopped_on is None:
        out.correction_notice_due = cal.add_workdays(f.received_on, rb.correction_notice_days)
    if f.awaiting_correction and f.correction_delivered_on is not None and f.stopped_on is None:
        period = f.correction_period or rb.correction_reply_default_days
        out.correction_reply_due = cal.add_workdays(f.correction_delivered_on, period)
    pauses = _consultation_pauses(f, cal, rb) + _fee_pause(f, out, cal, rb) + _reasons_pause(f, out, cal, rb)
    out.delivery_due = _delivery_due(f, cal, rb)
    if f.awaiting_correction:
        out.clock_state = "awaiting_correction" if f.stopped_on is None else "stopped"
        return _flag(out, cal, f.received_on)
    assert f.start_on is not None
    out.answer_start = f.start_on
    out.answer_days = rb.answer_days + f.extension_days
    out.pauses = [p for p in pauses if p.end > f.start_on]
    out.answer_due = add_counted_workdays(cal, f.start_on, out.answer_days, merge_pauses(out.pauses))
    if f.later_due is not None and f.later_due > out.answer_due:
        out.statutory_due, out.answer_due = out.answer_due, f.later_due  # Art. 35: the later date set
    if f.stopped_on is not None:
        out.clock_state = "stopped"
    elif any(p.projected for p in out.pauses):
        out.clock_state = "paused"
    return _flag(out, cal, f.received_on)


def _flag(out: Deadlines, cal: WorkCalendar, first: date) -> Deadlines:
    dues = [
        d
        for d in (
            out.answer_due,
            out.correction_notice_due,
            out.correction_reply_due,
            out.fee_due,
            out.reasons_due,
            out.registration_due,
            out.delivery_due,
            *(c.reply_due for c in out.consultations),
        )
        if d is not None
    ]
    last = max(dues, default=first)
    out.provisional_years = cal.provisional_years_between(first, last)
    out.provisional = bool(out.provisional_years)
    return out
