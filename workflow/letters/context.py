"""What a letter says, gathered from the case, its ledger and the office settings.

The context is plain data (strings, numbers, lists); applicant text stays data and is only
ever substituted into templates, never compiled as one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from states import DEFAULT_RULEBOOK, OUTCOMES, Outcome, RuleBook
from states.guards import override_reason
from states.outcomes import RemedyRoute
from states.vocab import CHANNEL_LABELS, PARTY_LABELS, ConsultationParty, label_of
from workflow.calendar import WorkCalendar
from workflow.cases.applicants import KIND_LABELS, ApplicantKind
from workflow.cases.fees import compute_fee
from workflow.clock.deadlines import ClockFacts, Deadlines, compute, facts_from_events
from workflow.letters.registry import LETTERS, LetterSpec
from workflow.letters.wording import ground_items, indirect, parse_ground_reasons
from workflow.models import Applicant, Case
from workflow.office.settings import Office
from workflow.timeutil import chinese_date

Event = tuple[str, Mapping[str, Any], date]
ANSWER_KINDS = frozenset(o.value for o in Outcome)
INTERNAL_DAYS = 5  # ogi-rules §3: an internal consultation's default due date


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
    grounds = ground_items([str(g) for g in p.get("grounds") or []], parse_ground_reasons(p.get("ground_reasons")))
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
        "override_reason": override_reason(p),
        # Art. 32: over a reasonable objection only the public-interest finding permits disclosure;
        # over an unreasonable one the office states why the objection fails.
        "objection_reasonable": str(p.get("objection_reasonable", "true")).lower() not in ("false", "0", "no"),
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


def _consultation(events: Sequence[Event], out: Deadlines, rb: RuleBook) -> dict[str, Any] | None:
    p = _last(events, "consult")
    if p is None:
        return None
    # The reply period runs from the addressee's receipt: a date only once delivery is known.
    due = out.consultations[-1].reply_due if out.consultations else None
    return {
        "addressee": p.get("addressee"),
        "party": p.get("party"),
        "party_label": PARTY_LABELS[ConsultationParty(str(p["party"]))],
        "matter": p.get("matter") or None,
        "reply_days": rb.consultation_reply_days,
        "reply_due": _cn(due),
    }


def _assistance(events: Sequence[Event], cal: WorkCalendar) -> dict[str, Any] | None:
    """The latest internal consultation (协办): it does not stop the statutory clock, so its
    due date counts from the day it is sent (INTERNAL_DAYS working days)."""
    found = next(
        ((p, day) for a, p, day in reversed(events) if a == "consult" and p.get("party") == "internal_department"), None
    )
    if found is None:
        return None
    p, day = found
    sent = date.fromisoformat(str(p.get("sent_on") or day))
    return {
        "department": p.get("addressee"),
        "matter": p.get("matter") or None,
        "reply_days": INTERNAL_DAYS,
        "reply_due": _cn(cal.add_workdays(sent, INTERNAL_DAYS)),
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
    decision, basis = _decision_as_written(events, out, kind, office)
    return {
        "office": asdict(office),
        "letter": {
            "kind": kind,
            "title": spec.title,
            "number": number,
            "draft": number is None,
            "date": chinese_date(today),
            "article": basis or spec.article,
            "final": spec.final,
            "closing": spec.closing,
            "form": spec.form,
        },
        # Keys the engine fills (issue 12: simulation, delivery-based dates, the later date of
        # Art. 35, the service record; issue 18: the catalogue entry; issue 19: attachments).
        "attachments": [],
        "service": None,
        "assistance": _assistance(events, cal),
        "applicant": _applicant(applicant),
        "case": {
            "number": case.number,
            "received_on": _cn(facts.received_on or case.received_on),
            "request": case.request,
            "request_indirect": indirect(case.request),
            "channel_label": label_of(CHANNEL_LABELS, case.channel),
            "answer_due": _cn(out.answer_due),
        },
        "decision": decision,
        "correction": _correction(events, facts, out, cal, rb),
        "extension": _extension(events, out),
        "consultation": _consultation(events, out, rb),
        "objection": _objection(events),
        "fee": _fee(events, out.fee_due or _fee_due(facts.fee_delivered_on, cal, rb)),
        "reasons": _reasons(events, facts, cal, rb),
        "remedy": _remedy(spec, decision, office),
        "later_date": _later_date(events),
        "reasons_status": _reasons_status(events),
        "simulation": False,  # set by the issuing session (workflow/letters/issue.py)
        "catalogue_item": dict(catalogue_item) if catalogue_item else None,
    }


def _decision_as_written(
    events: Sequence[Event], out: Deadlines, kind: str, office: Office
) -> tuple[dict[str, Any] | None, str | None]:
    """The decision as the letter of `kind` states it, and the legal basis the office cites."""
    decision = _decision(events)
    objections = [c for c in out.consultations if c.opinion == "objection" and c.party == "third_party"]
    if decision is not None and objections:
        # Art. 32: as recorded with the objection — binding unless found without a reasonable ground.
        decision["objection_reasonable"] = not all(c.reasonable == "no" for c in objections)
    if decision is not None and kind in ANSWER_KINDS and kind != decision["outcome"]:
        # A preview of another outcome's letter for the same case: that outcome's label and article.
        other = OUTCOMES[Outcome(kind)]
        decision.update(outcome=kind, label=other.label, article=other.article)
    basis = _office_basis(kind, office)
    if decision is not None and basis:
        decision["article"] = basis
    return decision, basis


def _extension(events: Sequence[Event], out: Deadlines) -> dict[str, Any] | None:
    extension = _last(events, "extend")
    if not extension:
        return None
    return {"days": extension.get("days"), "reason": extension.get("reason"), "new_due": _cn(out.answer_due)}


def _applicant(applicant: Applicant | None) -> dict[str, Any]:
    kind_value = applicant.kind if applicant else ApplicantKind.NATURAL_PERSON.value
    return {
        "name": applicant.name if applicant else "",
        "kind": kind_value,
        "kind_label": KIND_LABELS[ApplicantKind(kind_value)],
        "is_person": kind_value == ApplicantKind.NATURAL_PERSON.value,
        "contact": applicant.contact if applicant else None,
    }


def _correction(
    events: Sequence[Event], facts: ClockFacts, out: Deadlines, cal: WorkCalendar, rb: RuleBook
) -> dict[str, Any] | None:
    correction = _last(events, "request_correction")
    if not correction:
        return None
    # the period's end: only once the applicant's receipt is known (issue 12), and then also what
    # the no-correction letter cites
    due = _cn(out.correction_reply_due or _correction_due(facts, correction, cal, rb))
    return {
        "items": correction.get("items"),
        "period_days": correction.get("period_days"),
        "due": due,
        "reply_due": due,
        "sent_on": _cn(correction.get("sent_on")),
    }


def _reasons(events: Sequence[Event], facts: ClockFacts, cal: WorkCalendar, rb: RuleBook) -> dict[str, Any] | None:
    """The request for reasons (Art. 35): its reply period runs from the applicant's receipt."""
    asked = next((p for a, p, _ in reversed(events) if a == "request_reasons"), None)
    if asked is None:
        return None
    due = _cn(_reasons_due(facts, asked, cal, rb))
    return {
        "matter": asked.get("matter"),
        "reply_days": int(asked.get("reply_days") or rb.reasons_reply_default_days),
        "reply_due": due,
        "due": due,
        "received_on": _cn(facts.reasons_received_on),
    }


def _reasons_due(facts: ClockFacts, p: Mapping[str, Any], cal: WorkCalendar, rb: RuleBook) -> date | None:
    """The end of the applicant's reasons period (Art. 35), once the request's delivery is known."""
    if facts.reasons_delivered_on is None:
        return None
    return cal.add_workdays(facts.reasons_delivered_on, int(p.get("reply_days") or rb.reasons_reply_default_days))


def _later_date(events: Sequence[Event]) -> dict[str, Any] | None:
    p = _last(events, "set_later_date")
    return {"answer_due": _cn(p["answer_due"]), "reason": p.get("reason")} if p else None


def _reasons_status(events: Sequence[Event]) -> str | None:
    """Art. 35: why an unreasonable-volume request is not processed — no reasons in time, or reasons
    found unreasonable."""
    if _last(events, "request_reasons") is None:
        return None
    got = _last(events, "record_reasons")
    return "no_reply" if got is None else ("unreasonable" if got.get("reasonable") == "no" else "reasonable")


def _correction_due(facts: ClockFacts, p: Mapping[str, Any], cal: WorkCalendar, rb: RuleBook) -> date | None:
    """The end of the correction period as the notice set it, once the applicant's receipt is known
    (also after the case has ended, for the termination notice)."""
    if facts.correction_delivered_on is None:
        return None
    return cal.add_workdays(
        facts.correction_delivered_on, int(p.get("period_days") or rb.correction_reply_default_days)
    )


def _fee_due(delivered: date | None, cal: WorkCalendar, rb: RuleBook) -> date | None:
    return cal.add_workdays(delivered, rb.fee_payment_days) if delivered else None


def _office_basis(kind: str, office: Office) -> str | None:
    """The legal basis of an answer whose basis is an office setting (confirm_or_reissue)."""
    setting = OUTCOMES[Outcome(kind)].basis_setting if kind in ANSWER_KINDS else None
    return str(getattr(office, setting)) if setting else None


def remedy_variant(kind: str) -> str:
    """The remedy notice of a final letter, from the rulebook (states/outcomes.py `remedy`)."""
    return OUTCOMES[Outcome(kind)].remedy.value if kind in ANSWER_KINDS else RemedyRoute.EITHER.value


def _remedy(spec: LetterSpec, decision: Mapping[str, Any] | None, office: Office) -> dict[str, Any] | None:
    """Art. 51; Administrative Reconsideration Law 2023 Art. 23: anything withheld (and whatever the
    rulebook counts as withheld) goes to reconsideration first, a partial disclosure states both;
    everything else: reconsideration (60 days) or a lawsuit (6 months)."""
    if not spec.final:
        return None
    return {
        "variant": remedy_variant(spec.kind),
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
