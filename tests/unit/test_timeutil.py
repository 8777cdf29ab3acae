"""Times as the office reads them: stored in UTC, shown in Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime

from workflow.config import LOCAL_TZ
from workflow.timeutil import chinese_date, local_date, local_stamp, utc_stamp


def test_ledger_stamps_and_naive_database_times_show_in_beijing_time():
    assert local_stamp("2026-09-01T16:30:05.123456Z") == "2026-09-02 00:30:05"  # crosses midnight
    assert local_stamp(datetime(2026, 9, 1, 2, 0)) == "2026-09-01 10:00:00"  # naive = UTC, as stored
    assert local_stamp(datetime(2026, 9, 1, 10, 0, tzinfo=LOCAL_TZ)) == "2026-09-01 10:00:00"


def test_round_trip_through_the_ledger_stamp():
    moment = datetime(2026, 12, 31, 23, 59, 59, tzinfo=LOCAL_TZ)
    assert utc_stamp(moment) == "2026-12-31T15:59:59.000000Z"
    assert local_stamp(utc_stamp(moment)) == "2026-12-31 23:59:59"
    assert local_date(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)).isoformat() == "2027-01-01"
    assert chinese_date(local_date(moment)) == "2026年12月31日"
