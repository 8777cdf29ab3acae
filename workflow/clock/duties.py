"""What an open case waits for next: its nearest obligation (states.deadlines), named by kind,
with the working days left. The queue, the API, the case page and the daily digest read it here,
from the columns the clock's projection stores, so all of them say 逾期 for the same cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from states import TERMINAL_STATES, CaseState
from states.deadlines import DEADLINE_KINDS, DeadlineKind, deadline_label
from workflow.calendar import WorkCalendar
from workflow.clock.ladder import working_days_left
from workflow.models import Case

_TERMINAL = frozenset(s.value for s in TERMINAL_STATES)


@dataclass(frozen=True, slots=True)
class Duty:
    kind: str  # a key of states.deadlines.DEADLINE_KINDS
    due: date
    days_left: int  # working days until the due day (0 on it); negative once it has passed

    @property
    def spec(self) -> DeadlineKind | None:
        return DEADLINE_KINDS.get(self.kind)

    @property
    def label(self) -> str:
        return deadline_label(self.kind)

    @property
    def overdue(self) -> bool:
        """An obligation past its due day (a closed option is never one: it is never next_due)."""
        return self.days_left < 0

    def remaining(self) -> str:
        """The working days left, as a handler reads them."""
        if self.days_left < 0:
            return f"已逾期{-self.days_left}个工作日"
        return "今日到期" if self.days_left == 0 else f"剩余{self.days_left}个工作日"


def duty_of(kind: str, due: date, cal: WorkCalendar, today: date) -> Duty:
    return Duty(kind, due, working_days_left(cal, today, due))


def next_duty(case: Case, cal: WorkCalendar, today: date) -> Duty | None:
    """The case's nearest obligation as stored by the clock's projection; None when nothing is due
    or the case is closed."""
    if case.state in _TERMINAL or case.next_due is None:
        return None
    return duty_of(case.next_due_kind or "", case.next_due, cal, today)


def is_terminal(state: str | CaseState) -> bool:
    return str(state) in _TERMINAL
