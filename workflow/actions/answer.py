"""The answer (Art. 36–39): the decision, its approval or return, and the applicant withdrawing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from states import OUTCOMES, Action, Outcome
from workflow.actions.base import Handler, Step
from workflow.clock import facts as clock_facts
from workflow.letters import issue as letters
from workflow.models import Case
from workflow.notify.handoffs import APPROVERS, HANDLER, Handoff


def _decided(case: Case, actor: str, data: Mapping[str, Any], today: date) -> None:
    case.outcome = data["outcome"]


def _answer_renders(step: Step) -> list[str]:
    """A decision issues nothing yet; its answer must render now, so a decision the letter could
    not state is refused before it reaches the approver."""
    letters.checked_context(
        step.session, step.case, str(step.data["outcome"]), step.history, cal=step.cal, today=step.today, number=None
    )
    return []


DECIDE = Handler(Action.DECIDE, effects=_decided, letters=_answer_renders)


def _outcome(case: Case) -> str:
    return OUTCOMES[Outcome(case.outcome)].label if case.outcome else "—"


SUBMIT = Handler(
    Action.SUBMIT,
    handoff=Handoff(APPROVERS, "{number} 提交审批", lambda d, c, _: f"拟答复：{_outcome(c)}"),
)


def _late(step: Step) -> None:
    due = step.before.answer_due
    if due is not None and step.today > due:
        step.data["answer_due_passed"] = due  # approved late, confirmed by the approver


def _answered(case: Case, actor: str, data: Mapping[str, Any], today: date) -> None:
    case.answered_on = today


def _answer_letters(step: Step) -> list[str]:
    # Art. 32: the third party learns of a disclosure over its objection only once the answer
    # is approved, so a decision returned and changed never leaves it holding a wrong letter.
    over = step.ledger["objection_on_record"] and step.known.ledger.disclosed_over_objection
    return [c for c in (step.case.outcome, "disclosure_despite_objection" if over else None) if c]


APPROVE = Handler(
    Action.APPROVE,
    prepare=(_late,),
    clock=clock_facts.approve,
    effects=_answered,
    letters=_answer_letters,
    handoff=Handoff(
        HANDLER,
        "{number} 已审批通过",
        lambda d, c, letter: f"已出具{letter.number}，请送达申请人" if letter else "请送达申请人",
    ),
)

RETURN = Handler(
    Action.RETURN,
    handoff=Handoff(HANDLER, "{number} 被退回修改", lambda d, c, _: f"退回意见：{d.get('comment', '')}"),
)

WITHDRAW = Handler(
    Action.WITHDRAW,
    clock=clock_facts.stop,
    handoff=Handoff(HANDLER, "{number} 申请人已撤回申请", lambda d, c, _: str(d.get("reason", ""))),
)

HANDLERS = (DECIDE, SUBMIT, APPROVE, RETURN, WITHDRAW)
