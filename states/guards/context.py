"""The facts a guard reads (`GuardContext`, gathered by the workflow) and what it answers
(`Refusal`, naming the rule)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from states.lifecycle import Action
from states.rulebook import RuleBook


@dataclass(frozen=True, slots=True)
class Refusal:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.message}（规则 {self.rule}）"


@dataclass(frozen=True, slots=True)
class ConsultationFact:
    id: int
    party: str  # third_party | other_agency | internal_department
    addressee: str
    sent_on: date
    reply_due: date | None  # None until the addressee's receipt (送达) is recorded
    open: bool


@dataclass(frozen=True, slots=True)
class LetterFact:
    """An issued letter of the case and its service (送达)."""

    id: int
    kind: str
    sent_on: date
    delivered_on: date | None


@dataclass(frozen=True, slots=True)
class GuardContext:
    action: Action
    actor: str
    today: date
    payload: Mapping[str, object]
    rulebook: RuleBook
    received_on: date | None = None
    correction_requests: int = 0
    correction_sent_on: date | None = None
    correction_notice_due: date | None = None
    correction_reply_due: date | None = None
    extension_used: bool = False
    answer_due: date | None = None
    submitted_by: str | None = None
    # everyone who decided, re-decided or submitted a decision in the case's history (four-eyes)
    decision_makers: frozenset[str] = frozenset()
    review_conclusion: str | None = None
    outcome: str | None = None
    consultations: tuple[ConsultationFact, ...] = ()
    fee_notices: int = 0
    fee_sent_on: date | None = None
    fee_due: date | None = None
    fee_amount: int | None = None
    objection_on_record: bool = False
    objection_reasonable: bool | None = None  # Art. 32: as recorded with the objection (None: not said)
    assignee_is_handler: bool | None = None
    channel: str | None = None
    arrived_on: date | None = None
    receipt_pending: bool = False
    letters: tuple[LetterFact, ...] = ()
    reasons_requests: int = 0
    reasons_sent_on: date | None = None
    reasons_due: date | None = None
    reasons_received_on: date | None = None
    reasons_reasonable: str | None = None
    # The acting role, and for a lapse the provisional years its period depends on (ogi-rules §1).
    role: str | None = None
    lapse_provisional_years: tuple[int, ...] = ()
    # The applicant's identity document (resident_id | uscc | other | missing), for per-count fees.
    applicant_identity: str | None = None

    @property
    def open_consultations(self) -> tuple[ConsultationFact, ...]:
        return tuple(c for c in self.consultations if c.open)

    def target_consultation(self) -> ConsultationFact | None:
        """The consultation a reply or lapse refers to: the one named, or the only open one."""
        wanted = self.payload.get("consultation")
        open_ = self.open_consultations
        if wanted is None:
            return open_[0] if len(open_) == 1 else None
        return next((c for c in open_ if c.id == wanted), None)


Guard = Callable[[GuardContext], Refusal | None]


def given_date(ctx: GuardContext, name: str) -> date:
    value = ctx.payload.get(name)
    return value if isinstance(value, date) else ctx.today


def undelivered(what: str) -> Refusal:
    return Refusal(
        "delivery.unconfirmed",
        f"{what}尚未确认送达，对方的期限自收到之日起算，尚未起算，不能按逾期处理；请先登记送达（record_delivery）",
    )
