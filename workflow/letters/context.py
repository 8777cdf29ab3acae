"""What a letter says, gathered from the case, its ledger and the office settings.

The context is plain data (strings, numbers, lists); applicant text stays data and is only
ever substituted into templates, never compiled as one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from states import DEFAULT_RULEBOOK, GROUNDS, OUTCOMES, Ground, Outcome, RuleBook
from states.guards import override_reason
from workflow.applicants import KIND_LABELS, ApplicantKind
from workflow.calendar import WorkCalendar
from workflow.clock import compute, facts_from_events
from workflow.fees import compute_fee
from workflow.letters.registry import LETTERS, LetterSpec
from workflow.models import Applicant, Case
from workflow.office import Office
from workflow.timeutil import chinese_date

Event = tuple[str, Mapping[str, Any], date]
CHANNEL_LABELS = {
    "in_person": "当面提交",
    "registered_mail": "邮寄（需签收）",
    "ordinary_mail": "平常信函",
    "online": "互联网渠道",
    "fax": "传真",
}
ANSWER_KINDS = frozenset(o.value for o in Outcome)
PARTY_LABELS = {"third_party": "第三方", "other_agency": "其他机关", "internal_department": "本机关内设部门"}


def _last(events: Sequence[Event], action: str) -> Mapping[str, Any] | None:
    return next((p for a, p, _ in reversed(events) if a == action), None)


def _cn(value: Any) -> str | None:
    if value is None:
        return None
    return chinese_date(value if isinstance(value, date) else date.fromisoformat(str(value)))


def _decision(events: Sequence[Event]) -> dict[str, Any] | None:
    p = _last(events, "decide")
    if p is None:
        return None
    outcome = Outcome(str(p["outcome"]))
    grounds = [
        {"code": g, "label": GROUNDS[Ground(g)][0], "article": GROUNDS[Ground(g)][1]} for g in p.get("grounds") or []
    ]
    reason = p.get("reason") or None
    if reason is None and p.get("responsible_agency"):
        reason = f"该政府信息由{p['responsible_agency']}负责公开"
    return {
        "outcome": outcome.value,
        "label": OUTCOMES[outcome].label,
        "article": OUTCOMES[outcome].article,
        "grounds": grounds or None,
        "reason": reason,
        "access": p.get("access") or None,
        "responsible_agency": p.get("responsible_agency") or None,
        "override_objection": bool(p.get("override_objection")),
        "override_reason": override_reason(p) if p.get("override_objection") else None,
    }


def _fee(events: Sequence[Event], due: date | None) -> dict[str, Any] | None:
    p = _last(events, "issue_fee_notice")
    if p is None:
        return None
    qty = p.get("pages") if p.get("method") == "per_page" else p.get("count")
    fee = compute_fee(str(p["method"]), int(qty)) if qty else None
    return {
        "method": p["method"],
        "method_label": "按量计收" if p["method"] == "per_page" else "按件计收",
        "quantity": qty,
        "amount": fee.amount if fee else None,
        "lines": [asdict(line) | {"amount": line.amount} for line in fee.lines] if fee else None,
        "due": _cn(due),
        "sent_on": _cn(p.get("sent_on")),
    }


def _consultation(events: Sequence[Event], cal: WorkCalendar, rb: RuleBook) -> dict[str, Any] | None:
    p = _last(events, "consult")
    if p is None:
        return None
    delivered = date.fromisoformat(str(p.get("delivered_on") or p.get("sent_on")))
    return {
        "addressee": p.get("addressee"),
        "party": p.get("party"),
        "party_label": PARTY_LABELS[str(p["party"])],
        "matter": p.get("matter") or None,
        "reply_days": rb.consultation_reply_days,
        "reply_due": _cn(cal.add_workdays(delivered, rb.consultation_reply_days)),
    }


def _objection(events: Sequence[Event]) -> dict[str, Any] | None:
    consults = [p for a, p, _ in events if a == "consult"]
    for a, p, _ in reversed(events):
        if a == "record_reply" and p.get("opinion") == "objection":
            consult = consults[int(p["consultation"]) - 1]
            if consult.get("party") == "third_party":  # Art. 32: the letter goes to a third party only
                return {"addressee": consult.get("addressee"), "reason": p.get("reason")}
    return None


def build_context(
    *,
    case: Case,
    applicant: Applicant | None,
    events: Sequence[Event],
    kind: str,
    office: Office,
    cal: WorkCalendar,
    today: date,
    number: str | None,
    rb: RuleBook = DEFAULT_RULEBOOK,
    catalogue_item: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the letter of `kind` may say about this case, as of `today`; `catalogue_item`
    is the registry entry the answer points to (title, index_number, url)."""
    spec: LetterSpec = LETTERS[kind]
    facts = facts_from_events(events)
    out = compute(facts, cal, rb)
    register = _last(events, "register") or {}
    received = register.get("received_on") or case.received_on
    correction = _last(events, "request_correction")
    extension = _last(events, "extend")
    reasons_asked = next(((p, day) for a, p, day in reversed(events) if a == "request_reasons"), None)
    decision = _decision(events)
    if decision is not None and kind in ANSWER_KINDS and kind != decision["outcome"]:
        # A preview of another outcome's letter for the same case: that outcome's label and article.
        other = OUTCOMES[Outcome(kind)]
        decision.update(outcome=kind, label=other.label, article=other.article)
    kind_value = applicant.kind if applicant else ApplicantKind.NATURAL_PERSON.value
    return {
        "office": asdict(office),
        "letter": {
            "kind": kind,
            "title": spec.title,
            "number": number,
            "draft": number is None,
            "date": chinese_date(today),
            "article": spec.article,
            "final": spec.final,
        },
        "applicant": {
            "name": applicant.name if applicant else "",
            "kind": kind_value,
            "kind_label": KIND_LABELS[ApplicantKind(kind_value)],
            "is_person": kind_value == ApplicantKind.NATURAL_PERSON.value,
            "contact": applicant.contact if applicant else None,
        },
        "case": {
            "number": case.number,
            "received_on": _cn(received),
            "request": case.request,
            "channel_label": CHANNEL_LABELS.get(case.channel, case.channel),
            "answer_due": _cn(out.answer_due),
        },
        "decision": decision,
        "correction": {
            "items": correction.get("items"),
            "period_days": correction.get("period_days"),
            "due": _cn(out.correction_reply_due or _correction_due(correction, cal, rb)),
            "sent_on": _cn(correction.get("sent_on")),
        }
        if correction
        else None,
        "extension": {"days": extension.get("days"), "reason": extension.get("reason"), "new_due": _cn(out.answer_due)}
        if extension
        else None,
        "consultation": _consultation(events, cal, rb),
        "objection": _objection(events),
        "fee": _fee(events, out.fee_due or _fee_due(facts.fee_delivered_on, cal, rb)),
        # The reply date counts from the day the reasons were asked for, as that notice said.
        "reasons": {
            "matter": reasons_asked[0].get("matter"),
            "reply_due": _cn(cal.add_workdays(reasons_asked[1], int(reasons_asked[0].get("reply_days") or 10))),
        }
        if reasons_asked
        else None,
        "remedy": _remedy(spec, decision, office),
        "catalogue_item": dict(catalogue_item) if catalogue_item else None,
    }


def _correction_due(p: Mapping[str, Any], cal: WorkCalendar, rb: RuleBook) -> date | None:
    start = p.get("delivered_on") or p.get("sent_on")
    if not start:
        return None
    return cal.add_workdays(
        date.fromisoformat(str(start)), int(p.get("period_days") or rb.correction_reply_default_days)
    )


def _fee_due(delivered: date | None, cal: WorkCalendar, rb: RuleBook) -> date | None:
    return cal.add_workdays(delivered, rb.fee_payment_days) if delivered else None


def _remedy(spec: LetterSpec, decision: Mapping[str, Any] | None, office: Office) -> dict[str, Any] | None:
    """Art. 51; Administrative Reconsideration Law 2023 Art. 23: anything withheld goes to
    reconsideration first; everything else: reconsideration (60 days) or a lawsuit (6 months)."""
    if not spec.final:
        return None
    # A partial disclosure holds two acts: the disclosed part (either route) and the withheld
    # part (reconsideration first); its notice states both.
    variant = {Outcome.WITHHELD.value: "reconsideration_first", Outcome.PARTLY_DISCLOSED.value: "partial"}
    return {
        "variant": variant.get(spec.kind, "either"),
        "body": office.reconsideration_body,
        "court": office.court,
    }


def missing(spec: LetterSpec, context: Mapping[str, Any]) -> list[str]:
    """The context paths the letter needs but the case does not (yet) have."""
    gaps = []
    for path in spec.requires:
        value: Any = context
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if value is None or value == "" or value == []:
            gaps.append(path)
    if spec.kind in ANSWER_KINDS and context.get("decision") is None:
        gaps.insert(0, "decision")
    return gaps
