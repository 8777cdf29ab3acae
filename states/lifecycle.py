"""The words of a disclosure request's flow: its states, actions and roles, and the shape of an
action's entry in the statute table (`states/statute.py`).

Guards (the legal conditions) live in `states/guards/`; the machine that applies the transitions
is `states/machine.py`; what the engine does for each action is `workflow/actions/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CaseState(StrEnum):
    RECEIVED = "received"
    REGISTERED = "registered"
    AWAITING_CORRECTION = "awaiting_correction"
    UNDER_REVIEW = "under_review"
    CONSULTING = "consulting"
    AWAITING_FEE = "awaiting_fee"
    DRAFTING = "drafting"
    AWAITING_APPROVAL = "awaiting_approval"
    ANSWERED = "answered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    DEEMED_ABANDONED = "deemed_abandoned"
    ABANDONED_UNPAID = "abandoned_unpaid"


STATE_LABELS: dict[CaseState, str] = {
    CaseState.RECEIVED: "已收到",
    CaseState.REGISTERED: "已登记",
    CaseState.AWAITING_CORRECTION: "待补正",
    CaseState.UNDER_REVIEW: "审查中",
    CaseState.CONSULTING: "征求意见中",
    CaseState.AWAITING_FEE: "待缴费",
    CaseState.DRAFTING: "拟稿中",
    CaseState.AWAITING_APPROVAL: "待审批",
    CaseState.ANSWERED: "已答复",
    CaseState.CLOSED: "已办结",
    CaseState.WITHDRAWN: "已撤回",
    CaseState.DEEMED_ABANDONED: "视为放弃（逾期未补正）",
    CaseState.ABANDONED_UNPAID: "视为放弃（逾期未缴费）",
}

TERMINAL_STATES = frozenset(
    {CaseState.CLOSED, CaseState.WITHDRAWN, CaseState.DEEMED_ABANDONED, CaseState.ABANDONED_UNPAID}
)


class Role(StrEnum):
    REGISTRAR = "registrar"
    HANDLER = "handler"
    REVIEWER = "reviewer"
    APPROVER = "approver"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"  # the automated deadline enforcement; never a person's role
    APPLICANT = "applicant"  # the applicant acting through the portal (/public/); never a staff role


ROLE_LABELS: dict[Role, str] = {
    Role.REGISTRAR: "登记员",
    Role.HANDLER: "承办人",
    Role.REVIEWER: "保密审查员",
    Role.APPROVER: "审批人",
    Role.AUDITOR: "审计员",
    Role.ADMIN: "管理员",
    Role.SYSTEM: "系统",
    Role.APPLICANT: "申请人",
}


class Action(StrEnum):
    REGISTER = "register"
    CONFIRM_RECEIPT = "confirm_receipt"
    CORRECT_RECEIPT = "correct_receipt"
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    LAPSE_CORRECTION = "lapse_correction"
    START_REVIEW = "start_review"
    REVIEW_CONFIDENTIALITY = "review_confidentiality"
    CONSULT = "consult"
    RECORD_REPLY = "record_reply"
    LAPSE_CONSULTATION = "lapse_consultation"
    ISSUE_FEE_NOTICE = "issue_fee_notice"
    RECORD_PAYMENT = "record_payment"
    LAPSE_FEE = "lapse_fee"
    EXTEND = "extend"
    DECIDE = "decide"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    ASSIGN = "assign"
    REQUEST_REASONS = "request_reasons"
    RECORD_REASONS = "record_reasons"
    SET_LATER_DATE = "set_later_date"
    RECORD_DELIVERY = "record_delivery"


class FieldType(StrEnum):
    TEXT = "text"
    INT = "int"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    CHOICES = "choices"  # a comma-separated list of choices


@dataclass(frozen=True, slots=True)
class Field:
    """A payload field of an action; `label` is what the handler sees on the form."""

    name: str
    type: FieldType
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    future: bool = False  # a date that may lie ahead (a date set, not a fact recorded)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionSpec:
    """One action as the statute table states it: its label, the states it leaves (`sources`) and
    enters (`dest`), who may take it, the letter it issues, its fields and its article."""

    label: str
    sources: tuple[CaseState, ...]
    dest: CaseState | None  # None: the case stays in its state (an in-state action)
    roles: frozenset[Role]
    letter: str | None = None  # letter type code; "answer" means the letter of the decided outcome
    fields: tuple[Field, ...] = ()
    article: str = ""
    # Alternative destination chosen by a named condition (states/guards/), checked before `dest`.
    alt_dest: tuple[str, CaseState] | None = None
    notes: tuple[str, ...] = ()


def text(name: str, label: str, *, required: bool = False) -> Field:
    return Field(name, FieldType.TEXT, label, required=required)


def number(
    name: str, label: str, *, required: bool = False, minimum: int | None = None, maximum: int | None = None
) -> Field:
    return Field(name, FieldType.INT, label, required=required, minimum=minimum, maximum=maximum)


def day(name: str, label: str, *, required: bool = False, future: bool = False) -> Field:
    """A date; `future`: a date set (it may lie ahead), not a fact recorded."""
    return Field(name, FieldType.DATE, label, required=required, future=future)


def yes_no(name: str, label: str) -> Field:
    return Field(name, FieldType.BOOL, label)


def one_of(name: str, label: str, *, choices: tuple[str, ...], required: bool = False) -> Field:
    return Field(name, FieldType.CHOICE, label, required=required, choices=choices)


def many_of(name: str, label: str, *, choices: tuple[str, ...]) -> Field:
    """A comma-separated list of choices."""
    return Field(name, FieldType.CHOICES, label, choices=choices)
