"""Dates as the office sees them: stored in UTC, shown and counted in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime

from workflow.config import LOCAL_TZ

WEEKDAYS = "一二三四五六日"


def local_date(moment: datetime) -> date:
    """The Beijing calendar date of a UTC (or aware) moment."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ).date()


def utc_stamp(moment: datetime) -> str:
    """A fixed-width UTC timestamp: the form hashed into the audit ledger."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def chinese_date(day: date) -> str:
    """2026年11月22日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def weekday_label(day: date) -> str:
    return "周" + WEEKDAYS[day.weekday()]


def local_stamp(value: datetime | str) -> str:
    """A moment as the office reads it: Beijing time to the second ("2026-09-01 10:00:00"). Takes
    a ledger stamp ("…Z") or a datetime, naive ones being UTC as the database stores them."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")
