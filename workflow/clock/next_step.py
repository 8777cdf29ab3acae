"""The 下一步 panel of a case page: what the case waits for, who acts, by when, how many working
days are left and which rule sets the date; the answer date beside it while its clock runs, and a
passed correction-notice window as information (it closes an option, it is never 逾期)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from states.deadlines import DEADLINE_KINDS, NEXT_STEP, Step
from workflow.calendar import WorkCalendar
from workflow.clock.deadlines import Deadlines
from workflow.clock.duties import Duty, duty_of, is_terminal
from workflow.models import Case


@dataclass
class NextStep:
    waits_for: str
    actor: str  # a role, with the person when the case names one
    article: str
    duty: Duty | None = None  # the nearest obligation
    answer: Duty | None = None  # the answer date, when it is not the nearest obligation itself
    notes: list[str] = field(default_factory=list)  # information: closed or open options


def _actor(step_actor: str, case: Case) -> str:
    if step_actor == "承办人":
        return f"承办人 {case.handler}" if case.handler else "承办人（尚未分派，由登记员或审批人分派）"
    return step_actor


def _correction_window(out: Deadlines, today: date) -> list[str]:
    due = out.correction_notice_due
    if due is None:
        return []
    if due < today:
        return [f"补正告知期限已于{due.isoformat()}届满：不能再要求补正（条例第三十条）；这只是信息，不是逾期。"]
    return [f"如申请内容需要补正，应于{due.isoformat()}前一次性告知申请人（条例第三十条）。"]


def next_step(case: Case, out: Deadlines, cal: WorkCalendar, today: date) -> NextStep:
    """The panel from the case row and its freshly computed deadlines (no further reads)."""
    step = NEXT_STEP.get(case.state, Step("", ""))
    panel = NextStep(step.waits_for, _actor(step.actor, case), step.article)
    if is_terminal(case.state):
        return panel
    nearest = out.next_due()
    if nearest is not None:
        kind, due = nearest
        panel.duty = duty_of(kind, due, cal, today)
        spec = DEADLINE_KINDS.get(kind)
        if spec is not None and spec.actor != step.actor:  # a duty of someone else comes first
            panel.waits_for, panel.actor, panel.article = spec.waits_for, _actor(spec.actor, case), spec.article
    if out.answer_due and out.clock_state == "running" and (nearest is None or nearest[0] != "answer_due"):
        panel.answer = duty_of("answer_due", out.answer_due, cal, today)
    if out.clock_state == "paused":
        panel.notes.append("答复期限中止计算：等待期间不计入答复期限。")
    panel.notes += _correction_window(out, today)
    return panel
