"""A case's facts as its ledger makes them, kept on its row and folded forward one event at a time.

An action needs the clock's facts (when the case was received, paused, served …) and a few facts
the guards read from the history (how many corrections were requested, who decided and submitted,
the last decision). Reading every event of the case and replaying them twice on every action was
a cost that grew with the case's history, so the case row keeps the facts as of one event
(`case.clock_snapshot`, with that event's seq): `perform` reads them with the row and folds its own
event in, and reads the events only when a letter quotes them. The ledger stays the source of
truth: a missing or older-format snapshot is rebuilt from it, and `ogi audit verify` replays every
case and holds its snapshot against the replay (`problem`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session

from states import DISCLOSING_OUTCOMES
from states.guards import override_reason
from workflow.clock.facts import ClockFacts, ConsultationFacts, Served, apply_event
from workflow.ledger.audit import payload_of
from workflow.ledger.projection import Event, events_for_clock, local_date_of_stamp
from workflow.models import AuditEvent, Case

FORMAT = 1  # bump when the stored shape changes: older snapshots are then rebuilt from the ledger
COUNTED = {"request_correction": "correction_requests", "issue_fee_notice": "fee_notices"} | {
    "request_reasons": "reasons_requests"
}
_DISCLOSING = frozenset(o.value for o in DISCLOSING_OUTCOMES)


@dataclass
class LedgerFacts:
    """What the guards read from the history rather than from the clock."""

    correction_requests: int = 0
    fee_notices: int = 0
    reasons_requests: int = 0
    submitted_by: str | None = None  # the last submitter
    decision_makers: set[str] = field(default_factory=set)  # who decided or submitted
    review_conclusion: Any = None  # of the last confidentiality review, as recorded
    decided: Any = None  # the outcome of the last decision, as recorded
    # Art. 32: the last decision gives a public-interest reason to disclose over an objection
    overrides_objection: bool = False

    @property
    def disclosed_over_objection(self) -> bool:
        return self.decided in _DISCLOSING and self.overrides_objection


@dataclass
class CaseFacts:
    """The facts as of event `seq` (0: none folded yet)."""

    seq: int = 0
    clock: ClockFacts = field(default_factory=ClockFacts)
    ledger: LedgerFacts = field(default_factory=LedgerFacts)
    events: list[Any] | None = None  # every event of the case, when the caller asked for them

    def history(self, step: Event) -> list[Event]:
        """The clock's view of every event and then `step` (letters quote the whole history)."""
        if self.events is None:
            raise RuntimeError("the case's events were not loaded (snapshot.load(..., whole=True))")
        return [*events_for_clock(self.events), step]


def _fold_ledger(lf: LedgerFacts, action: str, actor: str, payload: Mapping[str, Any]) -> None:
    if action in COUNTED:
        setattr(lf, COUNTED[action], getattr(lf, COUNTED[action]) + 1)
    elif action == "review_confidentiality":
        lf.review_conclusion = payload.get("conclusion")
    elif action in ("decide", "submit"):
        lf.decision_makers.add(actor)
        if action == "submit":
            lf.submitted_by = actor
        else:
            lf.decided = payload.get("outcome")
            lf.overrides_objection = bool(payload.get("override_objection") or override_reason(payload))


def fold(cf: CaseFacts, ev: Any) -> None:
    """Fold one ledger event (a row or `audit.Appended`: seq, action, actor, at, payload)."""
    payload = payload_of(ev)
    apply_event(cf.clock, ev.action, payload, local_date_of_stamp(ev.at))
    _fold_ledger(cf.ledger, ev.action, ev.actor, payload)
    cf.seq = ev.seq


def replay(events: Iterable[Any]) -> CaseFacts:
    cf = CaseFacts()
    for ev in events:
        fold(cf, ev)
    return cf


def with_step(f: ClockFacts, step: Event) -> ClockFacts:
    """A copy of the clock facts with the action about to be recorded folded in."""
    copy = replace(
        f,
        consultations=[replace(c) for c in f.consultations],
        served={k: replace(s) for k, s in f.served.items()},
    )
    apply_event(copy, *step)
    return copy


# --------------------------------------------------------------------------
# Stored form: JSON, dates as ISO strings. reply_due is left out: compute() derives it.

_TABLE: Any = AuditEvent.__table__  # type: ignore[attr-defined]
_EVENTS = (
    sa_select(_TABLE.c.seq, _TABLE.c.action, _TABLE.c.actor, _TABLE.c.at, _TABLE.c.payload)
    .where(_TABLE.c.case_id == bindparam("case_id"))
    .order_by(_TABLE.c.seq)
)
_DERIVED = frozenset({"reply_due"})


def _dates(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls) if "date" in str(f.type) and f.name not in _DERIVED)


_CLOCK_DATES, _CONSULT_DATES, _SERVED_DATES = _dates(ClockFacts), _dates(ConsultationFacts), _dates(Served)


def _plain(obj: Any, dates: frozenset[str]) -> dict[str, Any]:
    out = {}
    for f in fields(obj):
        if f.name in _DERIVED:
            continue
        value = getattr(obj, f.name)
        out[f.name] = value.isoformat() if f.name in dates and value is not None else value
    return out


def _typed(data: Mapping[str, Any], dates: frozenset[str]) -> dict[str, Any]:
    return {k: date.fromisoformat(v) if k in dates and v is not None else v for k, v in data.items()}


def as_dict(cf: CaseFacts) -> dict[str, Any]:
    clock = _plain(cf.clock, _CLOCK_DATES)
    clock["consultations"] = [_plain(c, _CONSULT_DATES) for c in cf.clock.consultations]
    clock["served"] = {str(k): _plain(s, _SERVED_DATES) for k, s in cf.clock.served.items()}
    ledger = _plain(cf.ledger, frozenset())
    ledger["decision_makers"] = sorted(cf.ledger.decision_makers)
    return {"format": FORMAT, "seq": cf.seq, "clock": clock, "ledger": ledger}


def dumps(cf: CaseFacts) -> str:
    return json.dumps(as_dict(cf), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> CaseFacts | None:
    """The stored snapshot, or None when there is none in this format (then replay the ledger)."""
    data = json.loads(text) if text else None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    clock = _typed(data["clock"], _CLOCK_DATES)
    clock["consultations"] = [ConsultationFacts(**_typed(c, _CONSULT_DATES)) for c in clock["consultations"]]
    clock["served"] = {int(k): Served(**_typed(s, _SERVED_DATES)) for k, s in clock["served"].items()}
    ledger = dict(data["ledger"])
    ledger["decision_makers"] = set(ledger["decision_makers"])
    return CaseFacts(int(data["seq"]), ClockFacts(**clock), LedgerFacts(**ledger))


def load(session: Session, case: Case, *, whole: bool = False) -> CaseFacts:
    """The case's facts as of its last action: the snapshot, or with `whole` (or without a snapshot)
    one read of every event of the case (kept in `events`; a missing snapshot is replayed from it).

    Events appended beside `perform` (escalations, remedies, attachments, recomputed clocks, the
    portal's records) change none of these facts: the clock lists them as outside it (clock_facts)
    and the guards' facts come from actions only, so the snapshot need not see them; `problem` replays
    the ledger up to the snapshot's event, theirs included, and would name any difference."""
    cf = loads(case.clock_snapshot)
    if cf is not None and not whole:
        return cf
    rows = list(session.connection().execute(_EVENTS, {"case_id": case.id}).all())
    if cf is None:
        cf = replay(rows)
    cf.events = rows
    return cf


def store(case: Case, cf: CaseFacts, recorded: Any) -> None:
    """Fold the event just appended for the case and keep the result on its row."""
    fold(cf, recorded)
    case.clock_snapshot = dumps(cf)


def problem(case: Case, events: list[Any]) -> str | None:
    """How the case's stored snapshot differs from the replay of its events, or None."""
    if case.clock_snapshot is None:
        return None  # not built yet: the next action builds it from the ledger
    where = f"案件 {case.number} 的时钟快照"
    try:
        stored = loads(case.clock_snapshot)
    except (ValueError, TypeError, KeyError):
        stored = None
    if stored is None:
        return f"{where}无法读取（格式不符）"
    replayed = replay(e for e in events if e.seq <= stored.seq)
    if replayed.seq != stored.seq:
        return f"{where}记至第 {stored.seq} 条事件，但账本中该案件没有这条事件"
    mine, theirs = as_dict(stored), as_dict(replayed)
    differ = [
        LABELS.get(key, key)
        for part in ("clock", "ledger")
        for key in sorted(set(mine[part]) | set(theirs[part]))
        if mine[part].get(key) != theirs[part].get(key)
    ]
    if differ:
        return f"{where}与账本重放的结果不符（记至第 {stored.seq} 条事件）：不符项 {'、'.join(differ)}"
    return None


# What `problem` calls each fact (auditors read Chinese; a test checks every field has its label).
LABELS = {
    "channel": "申请渠道",
    "arrived_on": "申请到达日",
    "received_on": "收到申请之日",
    "start_on": "答复期限起算日",
    "registered": "是否已登记",
    "restarted": "补正后是否重新起算",
    "correction_sent_on": "补正通知发出日",
    "correction_delivered_on": "补正通知送达日",
    "correction_period": "补正期限",
    "awaiting_correction": "是否等待补正",
    "consultations": "征求意见",
    "fee_sent_on": "收费通知发出日",
    "fee_delivered_on": "收费通知送达日",
    "fee_paid_on": "缴费日",
    "reasons_sent_on": "说明理由通知发出日",
    "reasons_delivered_on": "说明理由通知送达日",
    "reasons_period": "说明理由期限",
    "reasons_received_on": "收到理由之日",
    "reasons_reasonable": "理由是否合理",
    "later_due": "另行确定的答复日期",
    "extension_days": "延长天数",
    "stopped_on": "时钟停止日",
    "answered_on": "答复日",
    "served": "送达记录",
    "correction_requests": "补正通知次数",
    "fee_notices": "收费通知次数",
    "reasons_requests": "说明理由要求次数",
    "submitted_by": "提交审批人",
    "decision_makers": "作出决定或提交审批的人员",
    "review_conclusion": "保密审查结论",
    "decided": "最近一次决定的结果",
    "overrides_objection": "是否以公共利益理由不顾异议公开",
}
