"""The escalation ladder, as configuration: which level a deadline has reached and who is told.

Defaults (issue 4): yellow at 5 working days left → the handler; orange at 2 → the handler and
the approver; red on the due day → the approver and the office head (admin); overdue → every
working day to all of them, and the case is flagged for auditors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from workflow.calendar import WorkCalendar
from workflow.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Rung:
    level: str
    days_left: int  # reached when this many working days or fewer remain; negative: overdue
    roles: tuple[str, ...]  # "handler" means the case's handler (or every handler if none)
    repeat_daily: bool = False
    flag: bool = False


LADDER_ROLES = ("handler", "reviewer", "approver", "auditor", "admin", "registrar")
LEVEL_LABELS = {"yellow": "黄色预警", "orange": "橙色预警", "red": "红色预警（今日到期）", "overdue": "已逾期"}
DEFAULT_LADDER: tuple[Rung, ...] = (
    Rung("yellow", 5, ("handler",)),
    Rung("orange", 2, ("handler", "approver")),
    Rung("red", 0, ("approver", "admin")),
    Rung("overdue", -1, ("handler", "approver", "admin"), repeat_daily=True, flag=True),
)


def rung_for(days_left: int, ladder: tuple[Rung, ...] = DEFAULT_LADDER) -> Rung | None:
    """The highest rung reached with `days_left` working days remaining (negative: overdue)."""
    reached = [r for r in ladder if (days_left < 0 if r.days_left < 0 else 0 <= days_left <= r.days_left)]
    return min(reached, key=lambda r: r.days_left, default=None)


def working_days_left(cal: WorkCalendar, today: date, due: date) -> int:
    """Working days left until the due day (0 on it); negative once it has passed."""
    if today <= due:
        return cal.workdays_between(today, due)
    return -max(1, cal.workdays_between(due, today))


def horizon_days(ladder: tuple[Rung, ...] = DEFAULT_LADDER) -> int:
    """How far ahead (in working days) the sweep must look."""
    return max(r.days_left for r in ladder)


def parse_ladder(text: str) -> tuple[Rung, ...]:
    """A ladder from the office setting (JSON list of rungs); empty text gives the default.

    Raises:
        InvalidInput: malformed JSON or rung.
    """
    if not text.strip():
        return DEFAULT_LADDER
    try:
        rungs = tuple(
            Rung(
                str(r["level"]),
                int(r["days_left"]),
                tuple(r["roles"]),
                bool(r.get("repeat_daily")),
                bool(r.get("flag")),
            )
            for r in json.loads(text)
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(
            f"escalation_ladder：不是有效的升级规则（{exc}）", "ladder.invalid", "escalation_ladder"
        ) from None
    if len({r.days_left for r in rungs}) != len(rungs):
        raise InvalidInput("escalation_ladder：各级的剩余工作日不能重复", "ladder.duplicate", "escalation_ladder")
    for r in rungs:
        if r.level not in LEVEL_LABELS:
            raise InvalidInput(
                f"escalation_ladder：级别“{r.level}”无效，可选：{'、'.join(LEVEL_LABELS)}",
                "ladder.level",
                "escalation_ladder",
            )
        unknown = [role for role in r.roles if role not in LADDER_ROLES]
        if not r.roles or unknown:
            raise InvalidInput(
                f"escalation_ladder：级别“{r.level}”的通知对象无效（{'、'.join(unknown) or '为空'}），"
                f"可选：{'、'.join(LADDER_ROLES)}",
                "ladder.roles",
                "escalation_ladder",
            )
    if not rungs:
        raise InvalidInput("escalation_ladder：至少需要一级（留空则使用默认规则）", "ladder.empty", "escalation_ladder")
    return rungs
