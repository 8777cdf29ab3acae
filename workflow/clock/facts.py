"""What the statutory clock needs to know, folded from a case's ledger events, oldest first.

Each event kind that matters to the clock has one small function in `APPLY`; every other event
kind is listed in `NO_CLOCK_EFFECT`, and an event of a kind in neither raises, so a new action can
never be silently ignored by the clock. A case action's fold is its handler's clock step
(`workflow/actions`, which checks on import that both tables agree); the folds live here, beside
the facts they fold, because the clock replays ledgers (reports, audit verify) without the engine
and the engine imports the clock. Dates are the facts the events record (sent on, delivered on,
received on), falling back to the day the event was recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from states.vocab import DELIVERED_WHEN_SENT, RECEIPT_AT_INTAKE, Channel, ServiceMethod


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
    delivered_on: date | None
    due_days: int | None
    closed_on: date | None = None
    closed_by: str | None = None
    opinion: str | None = None
    reasonable: str | None = None  # Art. 32: whether an objection states a reasonable ground
    reply_due: date | None = None  # filled by compute()


@dataclass
class Served:
    """An outgoing letter whose addressee's period runs from its delivery."""

    purpose: str  # correction | fee | consultation | reasons
    ref: int
    sent_on: date
    delivered_on: date | None


@dataclass
class ClockFacts:
    """What the clock needs to know, as recorded in the events."""

    channel: str | None = None
    arrived_on: date | None = None  # the day the application came in (intake)
    received_on: date | None = None  # the date of receipt under Art. 31, once it is established
    start_on: date | None = None  # receipt, or receipt of the corrected application (Art. 30)
    registered: bool = False
    restarted: bool = False
    correction_sent_on: date | None = None
    correction_delivered_on: date | None = None
    correction_period: int | None = None
    awaiting_correction: bool = False
    consultations: list[ConsultationFacts] = field(default_factory=list)
    fee_sent_on: date | None = None
    fee_delivered_on: date | None = None
    fee_paid_on: date | None = None
    reasons_sent_on: date | None = None
    reasons_delivered_on: date | None = None
    reasons_period: int | None = None
    reasons_received_on: date | None = None
    reasons_reasonable: str | None = None
    later_due: date | None = None  # Art. 35: the reasonable later date the office set
    extension_days: int = 0
    stopped_on: date | None = None  # answered, withdrawn or abandoned
    answered_on: date | None = None
    served: dict[int, Served] = field(default_factory=dict)  # letter id -> the period it starts

    @property
    def receipt_pending(self) -> bool:
        """Art. 31(2)–(3): arrived, but the confirmation that fixes the date of receipt is missing."""
        return self.received_on is None and self.arrived_on is not None


def delivered(p: Mapping[str, Any], sent: date) -> date | None:
    """When the addressee received the letter, if known when it was sent: given, or handed over.

    Events recorded before service was tracked carry no `delivery_method`; they were counted as
    delivered the day they were sent, and keep being counted so."""
    if p.get("delivered_on"):
        return _d(p["delivered_on"])
    method = p.get("delivery_method")
    if method is None or ServiceMethod(str(method)) in DELIVERED_WHEN_SENT:
        return sent
    return None


def _letter_id(p: Mapping[str, Any]) -> int | None:
    letter = p.get("letter")
    if isinstance(letter, Mapping) and letter.get("id") is not None:
        return int(letter["id"])
    return None


def _serve(f: ClockFacts, p: Mapping[str, Any], purpose: str, ref: int, sent: date, got: date | None) -> None:
    # The event being recorded does not know its letter's id yet: a placeholder key until replayed.
    letter = _letter_id(p)
    f.served[letter if letter is not None else -1 - len(f.served)] = Served(purpose, ref, sent, got)


def receive(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.channel = str(p.get("channel")) if p.get("channel") else None
    f.arrived_on = _d(p.get("received_on")) or day
    if f.channel is None or Channel(f.channel) in RECEIPT_AT_INTAKE:
        f.received_on = f.start_on = f.arrived_on


def register(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.registered = True
    if p.get("received_on") or f.arrived_on is None:
        # Before receipt was fixed by its channel, registration recorded it (older ledgers).
        f.received_on = f.start_on = _d(p.get("received_on")) or day


def confirm_receipt(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.received_on = _d(p.get("confirmed_on")) or day
    if not f.restarted:
        f.start_on = f.received_on


def correct_receipt(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.received_on = _d(p["received_on"])
    if not f.restarted:
        f.start_on = f.received_on


def request_correction(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.correction_sent_on = _d(p.get("sent_on")) or day
    f.correction_delivered_on = delivered(p, f.correction_sent_on)
    f.correction_period = int(p["period_days"]) if p.get("period_days") else None
    f.awaiting_correction = True
    _serve(f, p, "correction", 0, f.correction_sent_on, f.correction_delivered_on)


def receive_correction(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.start_on = _d(p.get("received_on")) or day
    f.restarted, f.awaiting_correction = True, False


def consult(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    sent = _d(p.get("sent_on")) or day
    number = len(f.consultations) + 1
    c = ConsultationFacts(
        number=number,
        party=str(p["party"]),
        addressee=str(p.get("addressee", "")),
        sent_on=sent,
        delivered_on=delivered(p, sent),
        due_days=int(p["due_days"]) if p.get("due_days") else None,
    )
    f.consultations.append(c)
    if c.party != "internal_department":  # a 协办 inside the office binds nobody outside it
        _serve(f, p, "consultation", number, sent, c.delivered_on)


def _close_consultation(f: ClockFacts, p: Mapping[str, Any], day: date, how: str) -> None:
    c = f.consultations[int(p["consultation"]) - 1]
    c.closed_by = how
    c.closed_on = _d(p.get("received_on") or p.get("lapsed_on")) or day
    c.opinion = str(p.get("opinion")) if p.get("opinion") else None
    c.reasonable = str(p.get("reasonable")) if p.get("reasonable") else None


def issue_fee_notice(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.fee_sent_on = _d(p.get("sent_on")) or day
    f.fee_delivered_on = delivered(p, f.fee_sent_on)
    _serve(f, p, "fee", 0, f.fee_sent_on, f.fee_delivered_on)


def request_reasons(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.reasons_sent_on = _d(p.get("sent_on")) or day
    f.reasons_delivered_on = delivered(p, f.reasons_sent_on)
    f.reasons_period = int(p["reply_days"]) if p.get("reply_days") else None
    _serve(f, p, "reasons", 0, f.reasons_sent_on, f.reasons_delivered_on)


def record_reasons(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.reasons_received_on = _d(p.get("received_on")) or day
    f.reasons_reasonable = str(p.get("reasonable"))


def record_delivery(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    served = f.served.get(int(p["letter"]))
    if served is None:
        return  # a letter that starts no period (an answer, a notice): service is recorded, not counted
    served.delivered_on = got = _d(p["delivered_on"])
    if served.purpose == "correction":
        f.correction_delivered_on = got
    elif served.purpose == "fee":
        f.fee_delivered_on = got
    elif served.purpose == "reasons":
        f.reasons_delivered_on = got
    else:
        f.consultations[served.ref - 1].delivered_on = got


def stop(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.stopped_on = day


def approve(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    f.answered_on = f.stopped_on = day


def _set(name: str, key: str, kind: Callable[[Any], Any]) -> Callable[[ClockFacts, Mapping[str, Any], date], None]:
    def apply(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
        setattr(f, name, kind(p[key]) if p.get(key) else day)

    return apply


def record_reply(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    _close_consultation(f, p, day, "reply")


def lapse_consultation(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    _close_consultation(f, p, day, "lapse")


record_payment = _set("fee_paid_on", "paid_on", _d)
set_later_date = _set("later_due", "answer_due", _d)


def extend(f: ClockFacts, p: Mapping[str, Any], day: date) -> None:
    """Art. 33(2): the answer period runs `days` working days longer (the guards hold the limits)."""
    f.extension_days = int(p["days"])


Fold = Callable[[ClockFacts, Mapping[str, Any], date], None]

# Each case action's entry is its handler's clock step (workflow/actions holds the handlers and
# checks, when it is imported, that they name these very functions); "receive" opens a case.
APPLY: dict[str, Fold] = {
    "receive": receive,
    "register": register,
    "confirm_receipt": confirm_receipt,
    "correct_receipt": correct_receipt,
    "request_correction": request_correction,
    "receive_correction": receive_correction,
    "consult": consult,
    "record_reply": record_reply,
    "lapse_consultation": lapse_consultation,
    "issue_fee_notice": issue_fee_notice,
    "record_payment": record_payment,
    "lapse_fee": stop,
    "request_reasons": request_reasons,
    "record_reasons": record_reasons,
    "set_later_date": set_later_date,
    "record_delivery": record_delivery,
    "extend": extend,
    "approve": approve,
    "withdraw": stop,
    "lapse_correction": stop,
}

# Events that change nothing the clock counts: named, so that an unknown kind is an error.
NO_CLOCK_EFFECT = frozenset(
    {
        "start_review",
        "review_confidentiality",
        "decide",
        "submit",
        "return",
        "close",
        "assign",
        "escalate",
        "recompute_clock",
        "record_remedy",
    }
)


# Families of events that other parts of the product add to a case's history (remedies, material
# attached and redacted, registry items): none of them moves a statutory date.
OUTSIDE_THE_CLOCK = ("remedy", "info.", "attach", "redact", "review_redaction", "add_redaction", "portal")


class UnknownEvent(ValueError):
    """A ledger event kind the clock has not been told about."""


def apply_event(f: ClockFacts, action: str, payload: Mapping[str, Any], day: date) -> None:
    fold = APPLY.get(action)
    if fold is not None:
        fold(f, payload, day)
    elif action not in NO_CLOCK_EFFECT and not action.startswith(OUTSIDE_THE_CLOCK):
        raise UnknownEvent(f"时钟不认识的事件类型：{action}")


def facts_from_events(events: Iterable[tuple[str, Mapping[str, Any], date]]) -> ClockFacts:
    """Fold (action, payload, local date) events, oldest first, into clock facts."""
    facts = ClockFacts()
    for action, payload, day in events:
        apply_event(facts, action, payload, day)
    return facts
