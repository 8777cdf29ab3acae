"""The statutory clock: every deadline of a case derived from its event history and the calendar.

Nothing here is stored as the only truth. `facts_from_events` reads the ledger's events of one
case; `compute` turns the facts into deadlines (Art. 30, 32–34; 国办函〔2020〕109号) under the
rulebook's conventions; `explain` shows the reasoning day by day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from states import RuleBook
from workflow.calendar import WorkCalendar

ONE_DAY = timedelta(days=1)
PAUSING_PARTIES = frozenset({"third_party", "other_agency"})  # Art. 33: not 协办 inside the office


def _d(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass
class ConsultationFacts:
    number: int
    party: str
    addressee: str
    sent_on: date
    delivered_on: date
    due_days: int | None
    closed_on: date | None = None
    closed_by: str | None = None
    opinion: str | None = None
    reply_due: date | None = None  # filled by compute()


@dataclass
class ClockFacts:
    """What the clock needs to know, as recorded in the events."""

    received_on: date | None = None  # the original receipt (registration)
    start_on: date | None = None  # receipt, or receipt of the corrected application (Art. 30)
    restarted: bool = False
    correction_sent_on: date | None = None
    correction_delivered_on: date | None = None
    correction_period: int | None = None
    awaiting_correction: bool = False
    consultations: list[ConsultationFacts] = field(default_factory=list)
    fee_sent_on: date | None = None
    fee_delivered_on: date | None = None
    fee_paid_on: date | None = None
    extension_days: int = 0
    stopped_on: date | None = None  # answered, withdrawn or abandoned
    answered_on: date | None = None


def _apply(f: ClockFacts, action: str, p: Mapping[str, Any], day: date) -> None:  # noqa: C901
    if action == "register":
        f.received_on = f.start_on = _d(p.get("received_on")) or day
    elif action == "request_correction":
        f.correction_sent_on = _d(p.get("sent_on")) or day
        f.correction_delivered_on = _d(p.get("delivered_on")) or f.correction_sent_on
        f.correction_period = int(p["period_days"]) if p.get("period_days") else None
        f.awaiting_correction = True
    elif action == "receive_correction":
        f.start_on = _d(p.get("received_on")) or day
        f.restarted, f.awaiting_correction = True, False
    elif action == "consult":
        sent = _d(p.get("sent_on")) or day
        f.consultations.append(
            ConsultationFacts(
                number=len(f.consultations) + 1,
                party=str(p["party"]),
                addressee=str(p.get("addressee", "")),
                sent_on=sent,
                delivered_on=_d(p.get("delivered_on")) or sent,
                due_days=int(p["due_days"]) if p.get("due_days") else None,
            )
        )
    elif action in ("record_reply", "lapse_consultation"):
        c = f.consultations[int(p["consultation"]) - 1]
        c.closed_by = "reply" if action == "record_reply" else "lapse"
        c.closed_on = _d(p.get("received_on") or p.get("lapsed_on")) or day
        c.opinion = str(p.get("opinion")) if p.get("opinion") else None
    elif action == "issue_fee_notice":
        f.fee_sent_on = _d(p.get("sent_on")) or day
        f.fee_delivered_on = _d(p.get("delivered_on")) or f.fee_sent_on
    elif action == "record_payment":
        f.fee_paid_on = _d(p.get("paid_on")) or day
    elif action == "lapse_fee":
        f.stopped_on = day
    elif action == "extend":
        f.extension_days = int(p["days"])
    elif action == "approve":
        f.answered_on = f.stopped_on = day
    elif action in ("withdraw", "lapse_correction"):
        f.stopped_on = day


def facts_from_events(events: Iterable[tuple[str, Mapping[str, Any], date]]) -> ClockFacts:
    """Fold (action, payload, local date) events, oldest first, into clock facts."""
    facts = ClockFacts()
    for action, payload, day in events:
        _apply(facts, action, payload, day)
    return facts


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
    provisional: bool = False
    provisional_years: list[int] = field(default_factory=list)

    def consultation_due(self) -> date | None:
        """The nearest reply due date among open consultations (what the sweep watches)."""
        if self.clock_state == "stopped":
            return None
        dues = [c.reply_due for c in self.consultations if c.closed_on is None and c.reply_due]
        return min(dues) if dues else None

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
            c.reply_due = cal.add_workdays(c.delivered_on, rb.consultation_reply_days)
            end = c.closed_on or c.reply_due
            pauses.append(_pause(c.sent_on, end, f"征求意见{c.number}（{c.addressee}）", c.closed_on is None, rb))
        else:
            c.reply_due = cal.add_workdays(c.sent_on, c.due_days or rb.internal_consultation_days)
    return pauses


def compute(f: ClockFacts, cal: WorkCalendar, rb: RuleBook) -> Deadlines:
    """All deadlines of a case from its facts."""
    if f.received_on is None:
        return Deadlines("not_started")
    out = Deadlines("running", consultations=f.consultations)
    if f.correction_sent_on is None and not f.restarted and f.stopped_on is None:
        out.correction_notice_due = cal.add_workdays(f.received_on, rb.correction_notice_days)
    if f.awaiting_correction and f.correction_delivered_on is not None and f.stopped_on is None:
        period = f.correction_period or rb.correction_reply_default_days
        out.correction_reply_due = cal.add_workdays(f.correction_delivered_on, period)
    pauses = _consultation_pauses(f, cal, rb)
    if f.fee_sent_on is not None and f.fee_delivered_on is not None:
        fee_due = cal.add_workdays(f.fee_delivered_on, rb.fee_payment_days)
        pauses.append(_pause(f.fee_sent_on, f.fee_paid_on or fee_due, "收费通知待缴费", f.fee_paid_on is None, rb))
        if f.fee_paid_on is None and f.stopped_on is None:
            out.fee_due = fee_due
    if f.awaiting_correction:
        out.clock_state = "awaiting_correction" if f.stopped_on is None else "stopped"
        return _flag(out, cal, f.received_on)
    assert f.start_on is not None
    out.answer_start = f.start_on
    out.answer_days = rb.answer_days + f.extension_days
    out.pauses = [p for p in pauses if p.end > f.start_on]
    out.answer_due = add_counted_workdays(cal, f.start_on, out.answer_days, merge_pauses(out.pauses))
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
            *(c.reply_due for c in out.consultations),
        )
        if d is not None
    ]
    last = max(dues, default=first)
    out.provisional_years = cal.provisional_years_between(first, last)
    out.provisional = bool(out.provisional_years)
    return out


_KIND_LABELS = {
    "workday": "工作日",
    "weekend": "周末",
    "holiday": "法定节假日",
    "makeup_workday": "调休上班",
    "closure": "本机关闭馆",
}


def _day(d: date | None) -> str:
    from workflow.timeutil import weekday_label

    return f"{d.isoformat()}（{weekday_label(d)}）" if d else "—"


def explain(f: ClockFacts, out: Deadlines, cal: WorkCalendar, rb: RuleBook) -> list[str]:
    """The reasoning behind every deadline, with the answer period walked day by day."""
    lines: list[str] = []
    if f.received_on is None:
        return ["尚未登记，答复期限未起算。"]
    lines.append(f"收到申请之日：{_day(f.received_on)}（条例第三十一条；当日不计入，次日起算）")
    if out.correction_notice_due:
        lines.append(
            f"补正告知期限：{_day(out.correction_notice_due)}（收到申请后{rb.correction_notice_days}个工作日，第三十条）"
        )
    if f.correction_sent_on:
        period = f.correction_period or rb.correction_reply_default_days
        lines.append(
            f"补正告知：{_day(f.correction_sent_on)}发出，申请人{_day(f.correction_delivered_on)}收到，"
            f"补正期限{period}个工作日" + (f"，至{_day(out.correction_reply_due)}" if out.correction_reply_due else "")
        )
    if f.awaiting_correction:
        lines.append("等待补正：答复期限自收到补正申请之日起重新计算（第三十条），现未起算。")
        return lines
    if f.restarted:
        lines.append(f"收到补正申请：{_day(f.start_on)}，答复期限自次日起重新计算（第三十条）")
    for c in out.consultations:
        kind = {"third_party": "第三方", "other_agency": "其他机关", "internal_department": "本机关内设部门（协办）"}[
            c.party
        ]
        status = f"{_day(c.closed_on)}{'收到答复' if c.closed_by == 'reply' else '逾期'}" if c.closed_on else "尚未答复"
        effect = "期间不计入答复期限" if c.party in PAUSING_PARTIES else "不中止答复期限"
        lines.append(
            f"征求意见{c.number}：{kind}“{c.addressee}”，{_day(c.sent_on)}发出，{_day(c.delivered_on)}收到，"
            f"答复期限{_day(c.reply_due)}；{status}；{effect}"
        )
    if f.fee_sent_on:
        paid = f"{_day(f.fee_paid_on)}缴费" if f.fee_paid_on else f"缴费期限{_day(out.fee_due)}"
        lines.append(f"收费通知：{_day(f.fee_sent_on)}发出，{paid}；待缴费期间不计入答复期限（国办函〔2020〕109号）")
    assert out.answer_start is not None and out.answer_due is not None
    first = cal.add_workdays(out.answer_start, 1)
    ext = f" + 延期{f.extension_days}个工作日（第三十三条第二款）" if f.extension_days else ""
    lines.append(f"起算：{_day(out.answer_start)}；第1个工作日：{_day(first)}")
    lines.append(f"期限：{rb.answer_days}个工作日{ext} = {out.answer_days}个计数工作日")
    for p in out.pauses:
        tail = "（尚未结束，按其期限预计）" if p.projected else ""
        lines.append(f"中止：{_day(p.start)}至{_day(p.end)}，{p.reason}{tail}")
    lines.append("逐日：")
    lines.extend(_walk(out, cal))
    note = ""
    if out.provisional:
        years = "、".join(str(y) for y in out.provisional_years)
        note = f"  [临时：{years}年放假安排尚未公布，按周末、法定节日及其补假推算，公布后自动重算]"
    lines.append(f"结果：答复期限 {_day(out.answer_due)}{note}")
    if out.clock_state == "stopped" and f.answered_on:
        lines.append(f"已于{_day(f.answered_on)}答复，计时停止。")
    return lines


def _walk(out: Deadlines, cal: WorkCalendar) -> list[str]:
    from workflow.timeutil import weekday_label

    assert out.answer_start is not None and out.answer_due is not None
    spans = merge_pauses(out.pauses)
    lines, counted, d = [], 0, out.answer_start + ONE_DAY
    while d <= out.answer_due:
        info = cal.day_info(d)
        label = _KIND_LABELS.get(str(info.kind), str(info.kind))
        if info.kind == "closure" and info.note:
            label += f"·{info.note}"
        elif info.kind == "holiday" and info.note == "补假":
            label = info.note  # a substitute day (办法第六条) of a provisional year
        paused = any(s <= d <= e for s, e in spans)
        if info.workday and not paused:
            counted += 1
            mark = f"第{counted}日"
        else:
            mark = "中止，不计" if info.workday else "不计"
        prov = " 临时" if info.provisional else ""
        lines.append(f"  {d.isoformat()} {weekday_label(d)}  {label}{'　' * max(0, 6 - len(label))} {mark}{prov}")
        d += ONE_DAY
    return lines
