"""Who hears about an action: the people the case now waits on, told in their inbox (and by e-mail
through the outbox) in the same transaction as the action, so a hand-off is never lost or sent for
an action that rolled back. Deadline warnings are the sweep's job (workflow/sweep.py), not this."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from states import OUTCOMES, Action, Outcome, Role
from workflow.models import Case, Letter
from workflow.notify import Directory, insert_notifications
from workflow.office import load_office
from workflow.portal.notices import notify_applicant

ASSIGNEE, HANDLER, APPROVERS = "assignee", "handler", "approvers"
HANDLER_OR_ALL = "handler_or_all"  # the case's handler, or every handler while none is assigned


@dataclass(frozen=True)
class Handoff:
    to: str  # ASSIGNEE (the user named in the payload), HANDLER (the case's) or APPROVERS (every approver)
    title: str  # {number} is the case number
    body: Callable[[Mapping[str, Any], Case, Letter | None], str]
    when: Callable[[Mapping[str, Any]], bool] | None = None  # only for actions whose data says so


def _outcome(case: Case) -> str:
    return OUTCOMES[Outcome(case.outcome)].label if case.outcome else "—"


def _identity_missing(d: Mapping[str, Any], c: Case, _: Letter | None) -> str:
    due = f"（至{c.correction_notice_due.isoformat()}）" if c.correction_notice_due else ""
    return (
        "申请未载明申请人的身份证明（条例第二十九条第二款第（一）项）。建议在收到申请之日起7个工作日内"
        f"{due}一次性告知补正，请申请人提供身份证明；未提供前不能按件计收信息处理费。"
    )


HANDOFFS: dict[Action, Handoff] = {
    Action.REGISTER: Handoff(
        HANDLER_OR_ALL,
        "{number} 缺少身份证明，建议告知补正",
        _identity_missing,
        when=lambda d: d.get("identity_document") == "missing",
    ),
    Action.ASSIGN: Handoff(ASSIGNEE, "{number} 已分派给您承办", lambda d, c, _: f"申请内容：{c.request[:80]}"),
    Action.SUBMIT: Handoff(APPROVERS, "{number} 提交审批", lambda d, c, _: f"拟答复：{_outcome(c)}"),
    Action.RETURN: Handoff(HANDLER, "{number} 被退回修改", lambda d, c, _: f"退回意见：{d.get('comment', '')}"),
    Action.APPROVE: Handoff(
        HANDLER,
        "{number} 已审批通过",
        lambda d, c, letter: f"已出具{letter.number}，请送达申请人" if letter else "请送达申请人",
    ),
    Action.RECEIVE_CORRECTION: Handoff(
        HANDLER, "{number} 申请人已补正", lambda d, c, _: "答复期限自收到补正之日起重新计算"
    ),
    Action.RECORD_PAYMENT: Handoff(HANDLER, "{number} 申请人已缴费", lambda d, c, _: "答复期限恢复计算"),
    Action.LAPSE_CORRECTION: Handoff(
        HANDLER, "{number} 逾期未补正", lambda d, c, _: "已视为放弃申请，并出具终止办理告知书"
    ),
    Action.LAPSE_FEE: Handoff(HANDLER, "{number} 逾期未缴费", lambda d, c, _: "已视为放弃申请，并出具终止办理告知书"),
    Action.LAPSE_CONSULTATION: Handoff(
        HANDLER, "{number} 征求意见期满未答复", lambda d, c, _: "答复期限恢复计算，请继续办理"
    ),
    Action.WITHDRAW: Handoff(HANDLER, "{number} 申请人已撤回申请", lambda d, c, _: str(d.get("reason", ""))),
}


def notify_handoff(
    session: Session,
    case: Case,
    action: Action,
    actor: str,
    data: Mapping[str, Any],
    letter: Letter | None,
    now: datetime,
) -> int:
    """Tell the people the case now waits on; the actor is never told of their own action."""
    notify_applicant(session, case, action.value, data, letter, now)  # applicants who filed on the portal
    handoff = HANDOFFS.get(action)
    if handoff is None or (handoff.when is not None and not handoff.when(data)):
        return 0
    office = load_office(session)
    directory: Directory | None = None
    if handoff.to in (APPROVERS, HANDLER_OR_ALL) or office.smtp_host:
        directory = Directory.load(session)
    if handoff.to == ASSIGNEE:
        users = [str(data["handler"])]
    elif handoff.to == HANDLER:
        users = [case.handler] if case.handler else []
    elif handoff.to == HANDLER_OR_ALL:
        users = directory.users_for((Role.HANDLER.value,), case) if directory else []
    else:
        users = list(directory.by_role.get(Role.APPROVER.value, [])) if directory else []
    users = [u for u in users if u != actor]
    if not users:
        return 0
    title, body = handoff.title.format(number=case.number), handoff.body(data, case, letter)
    rows: list[dict[str, object]] = [
        {
            "user_name": u,
            "case_id": case.id,
            "kind": f"case:{action.value}",
            "title": title,
            "body": body,
            "created_at": now,
        }
        for u in users
    ]
    return insert_notifications(session, rows, now=now, office=office, directory=directory or Directory({}, {}))
