"""The demo's agenda: every scenario starts on a working day early enough that its steps are past."""

from __future__ import annotations

from datetime import date, timedelta

from workflow.calendar import WorkCalendar
from workflow.demo import SCENARIOS, _start


def test_start_steps_back_over_a_week_long_holiday() -> None:
    # 10 Nov 2026: the fee scenario's 26 working days reach back past National Day (1–7 Oct),
    # where stepping back a week from the first working day after it used to land on it again.
    cal = WorkCalendar()
    today = date(2026, 11, 10)
    for _, _, _, steps in SCENARIOS:
        start = _start(cal, today, steps)
        span = max((s[0] for s in steps), default=0)
        assert cal.is_workday(start)
        assert cal.add_workdays(start, span + 1) <= today
        assert start >= today - timedelta(days=90)
