"""The registry's clock, derived from an item's ledger events and the working-day calendar.

Art. 26: information to be made public is published within 20 working days of the day it is
made or changed; the day itself is not counted. An item re-evaluated into a published attribute
starts the same period on the day of the re-evaluation. Items that are not published are
re-evaluated on the office's period (calendar days) from their sign-off or last evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from states.registry import PUBLISHED_ATTRIBUTES, Attribute, ItemState, RegistryRules
from workflow.calendar import WorkCalendar
from workflow.timeutil import weekday_label

ONE_DAY = timedelta(days=1)
_DAY_LABELS = {
    "workday": "工作日",
    "weekend": "周末",
    "holiday": "法定节假日",
    "makeup_workday": "调休上班",
    "closure": "本机关闭馆",
}


@dataclass
class ItemFacts:
    made_on: date | None = None
    attribute: Attribute = Attribute.PROACTIVE
    start_on: date | None = None  # the day the publication period runs from
    start_reason: str = ""
    state: ItemState = ItemState.REGISTERED
    evaluated_on: date | None = None  # sign-off or last re-evaluation


@dataclass(frozen=True)
class ItemDeadlines:
    publish_due: date | None
    review_due: date | None
    provisional: bool
    publish_days: int


def _d(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _apply(f: ItemFacts, action: str, p: Mapping[str, Any], day: date, to_state: str | None) -> None:
    if action == "register":
        f.made_on = _d(p["made_on"])
        f.attribute = Attribute(str(p["attribute"]))
        f.start_on, f.start_reason = f.made_on, "成文日期"
    elif action == "change":
        f.start_on, f.start_reason = _d(p["changed_on"]), "变更日期"
    elif action == "approve":
        f.evaluated_on = day
    elif action == "reevaluate":
        new = Attribute(str(p["attribute"]))
        if new in PUBLISHED_ATTRIBUTES and f.attribute not in PUBLISHED_ATTRIBUTES:
            f.start_on, f.start_reason = day, "评估改为公开之日"
        f.attribute, f.evaluated_on = new, day
    if to_state:
        f.state = ItemState(to_state)


def facts_from_events(events: Iterable[tuple[str, Mapping[str, Any], date, str | None]]) -> ItemFacts:
    """Replay an item's events (action without the `info.` prefix, payload, Beijing day, to_state)."""
    f = ItemFacts()
    for action, payload, day, to_state in events:
        _apply(f, action, payload, day, to_state)
    return f


def compute(f: ItemFacts, cal: WorkCalendar, rules: RegistryRules) -> ItemDeadlines:
    publish_due = review_due = None
    provisional = False
    live = f.state not in (ItemState.WITHDRAWN, ItemState.EXPIRED)
    if live and f.attribute in PUBLISHED_ATTRIBUTES and f.state is not ItemState.PUBLISHED and f.start_on:
        publish_due, provisional = cal.add_workdays_flagged(f.start_on, rules.publish_days)
    if live and f.attribute not in PUBLISHED_ATTRIBUTES and f.evaluated_on:
        review_due = f.evaluated_on + timedelta(days=rules.reevaluation_days)
    return ItemDeadlines(publish_due, review_due, provisional, rules.publish_days)


def _day(d: date) -> str:
    return f"{d.isoformat()}（{weekday_label(d)}）"


def explain(f: ItemFacts, out: ItemDeadlines, cal: WorkCalendar) -> list[str]:
    """The reasoning behind the item's deadlines, the publication period walked day by day."""
    lines: list[str] = []
    if f.made_on:
        lines.append(f"成文日期：{_day(f.made_on)}")
    if out.review_due and f.evaluated_on:
        lines.append(
            f"公开属性：不主动公开；上次审签或评估 {_day(f.evaluated_on)}，下次定期评估 {_day(out.review_due)}"
        )
    if out.publish_due is None or f.start_on is None:
        if f.state is ItemState.PUBLISHED:
            lines.append("已公开，公开期限计时结束。")
        elif f.attribute not in PUBLISHED_ATTRIBUTES:
            lines.append("公开属性不属于主动公开，无公开期限（条例第二十条、第二十六条）。")
        return lines
    lines.append(f"起算：{f.start_reason} {_day(f.start_on)}（条例第二十六条；当日不计入，次日起算）")
    lines.append(f"期限：{out.publish_days}个工作日")
    lines.append("逐日：")
    counted, d = 0, f.start_on + ONE_DAY
    while d <= out.publish_due:
        info = cal.day_info(d)
        label = _DAY_LABELS.get(str(info.kind), str(info.kind))
        if info.workday:
            counted += 1
            mark = f"第{counted}日"
        else:
            mark = "不计"
        prov = " 临时" if info.provisional else ""
        lines.append(f"  {d.isoformat()} {weekday_label(d)}  {label}{'　' * max(0, 6 - len(label))} {mark}{prov}")
        d += ONE_DAY
    note = "  [临时：放假安排尚未公布，公布后自动重算]" if out.provisional else ""
    lines.append(f"结果：公开期限 {_day(out.publish_due)}{note}")
    return lines
