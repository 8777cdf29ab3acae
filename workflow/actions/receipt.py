"""Receipt and placement: registering an application, fixing its date of receipt (Art. 31), and
who handles it in which department."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from states import Action, Role
from workflow.accounts.users import find_user
from workflow.actions.base import Handler, Step
from workflow.actions.common import identity
from workflow.clock import facts as clock_facts
from workflow.models import Case, Letter
from workflow.notify.handoffs import ASSIGNEE, HANDLER_OR_ALL, Handoff


def _record_identity(step: Step) -> None:
    # Art. 29(2)(1): an application states 身份证明; registration records whether it did.
    step.data["identity_document"] = identity(step)


def _identity_missing(d: Mapping[str, Any], c: Case, _: Letter | None) -> str:
    due = f"（至{c.correction_notice_due.isoformat()}）" if c.correction_notice_due else ""
    return (
        "申请未载明申请人的身份证明（条例第二十九条第二款第（一）项）。建议在收到申请之日起7个工作日内"
        f"{due}一次性告知补正，请申请人提供身份证明；未提供前不能按件计收信息处理费。"
    )


REGISTER = Handler(
    Action.REGISTER,
    prepare=(_record_identity,),
    clock=clock_facts.register,
    handoff=Handoff(
        HANDLER_OR_ALL,
        "{number} 缺少身份证明，建议告知补正",
        _identity_missing,
        when=lambda d: d.get("identity_document") == "missing",
    ),
)


def _confirmed_today(step: Step) -> None:
    step.data.setdefault("confirmed_on", step.today)


def _receipt_confirmed(case: Case, actor: str, data: Mapping[str, Any], today: date) -> None:
    case.received_on = data["confirmed_on"]


CONFIRM_RECEIPT = Handler(
    Action.CONFIRM_RECEIPT,
    prepare=(_confirmed_today,),
    clock=clock_facts.confirm_receipt,
    effects=_receipt_confirmed,
)


def _receipt_corrected(case: Case, actor: str, data: Mapping[str, Any], today: date) -> None:
    case.received_on = data["received_on"]


CORRECT_RECEIPT = Handler(
    Action.CORRECT_RECEIPT,
    clock=clock_facts.correct_receipt,
    effects=_receipt_corrected,
    dates_before_receipt=True,
)


def _taker_department(step: Step) -> None:
    case, actor = step.case, step.user
    if case.handler is None and case.department is None and actor.department:
        step.data["department"] = actor.department  # taking the case places it in the taker's department


def _taken(case: Case, actor: str, data: Mapping[str, Any], today: date) -> None:
    if case.handler is None:
        case.handler = actor
        case.department = data.get("department") or case.department


START_REVIEW = Handler(Action.START_REVIEW, prepare=(_taker_department,), effects=_taken)


def _assignee(step: Step) -> None:
    handler = find_user(step.session, str(step.data["handler"]))
    if handler is not None and handler.department and not step.data.get("department"):
        step.data["department"] = handler.department  # the case goes to the assignee's department
    step.extra["assignee_is_handler"] = handler is not None and Role.HANDLER.value in handler.role_set()


def _assigned(case: Case, actor: str, data: Mapping[str, Any], today: date) -> None:
    case.handler = data["handler"]
    case.department = data.get("department") or case.department


ASSIGN = Handler(
    Action.ASSIGN,
    prepare=(_assignee,),
    effects=_assigned,
    handoff=Handoff(ASSIGNEE, "{number} 已分派给您承办", lambda d, c, _: f"申请内容：{c.request[:80]}"),
)

HANDLERS = (REGISTER, CONFIRM_RECEIPT, CORRECT_RECEIPT, START_REVIEW, ASSIGN)
