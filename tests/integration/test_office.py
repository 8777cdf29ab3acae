"""Office settings: a value that would break the queue, the sweep or the mail relay is refused
when it is saved, naming the setting and the rule, and nothing changes."""

from __future__ import annotations

import json

import pytest

from tests.factories import STAFF_SINCE, add_staff, at, new_case
from workflow.admin.office import change_setting
from workflow.db import reading, transaction
from workflow.errors import InvalidInput
from workflow.office.settings import load_office
from workflow.sweep.cases import sweep


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


@pytest.mark.parametrize(
    ("key", "value", "rule"),
    [
        ("escalation_ladder", "garbage", "ladder.invalid"),
        ("escalation_ladder", "[]", "ladder.empty"),
        ("escalation_ladder", '[{"level": "purple", "days_left": 3, "roles": ["handler"]}]', "ladder.level"),
        ("escalation_ladder", '[{"level": "red", "days_left": 0, "roles": ["boss"]}]', "ladder.roles"),
        ("escalation_ladder", '[{"level": "red", "days_left": 0, "roles": []}]', "ladder.roles"),
        ("quiet_hours", "10pm-7am", "office.quiet_hours"),
        ("quiet_hours", "24:00-07:00", "office.quiet_hours"),
        ("smtp_host", "mail.example.gov.cn:99999", "office.smtp_host"),
        ("smtp_host", "mail example", "office.smtp_host"),
        ("reconsideration_body", "  ", "office.required"),
        ("number_pattern", "{code}{series}{seq}", "office.number_pattern"),
        ("number_pattern", "{code}{series}〔2026〕{seq}号", "office.number_pattern"),
        ("number_pattern", "{code}{series}〔{year}〕1号", "office.number_pattern"),
        ("number_pattern", "{code}{series}〔{year}〕{seq}号{bad}", "office.number_pattern"),
    ],
)
def test_a_setting_that_would_break_things_is_refused_and_nothing_changes(s, key, value, rule):
    with reading(s) as session:
        before = load_office(session)
    with pytest.raises(InvalidInput) as refused, transaction(s) as session:
        change_setting(session, key=key, value=value, actor="m1", now=at(s, STAFF_SINCE).now())
    assert (refused.value.rule, refused.value.field) == (rule, key)
    assert key in str(refused.value)
    with reading(s) as session:
        assert load_office(session) == before


def test_valid_settings_are_kept_and_used(s):
    ladder = json.dumps(
        [
            {"level": "red", "days_left": 0, "roles": ["approver"]},
            {"level": "overdue", "days_left": -1, "roles": ["admin"], "repeat_daily": True},
        ]
    )
    with transaction(s) as session:
        for key, value in (
            ("escalation_ladder", ladder),
            ("quiet_hours", ""),
            ("smtp_host", "mail.example.gov.cn:2525"),
        ):
            change_setting(session, key=key, value=value, actor="m1", now=at(s, STAFF_SINCE).now())
    with reading(s) as session:
        office = load_office(session)
    assert (office.quiet_hours, office.smtp_host) == ("", "mail.example.gov.cn:2525")
    new_case(s, "2026-05-06")
    report = sweep(at(s, "2026-06-02"))  # the due day: only the custom red rung exists
    assert [level for _, _, level in report.escalations] == ["red"]


def test_ogi_office_name_names_a_new_database_and_never_renames_one(tmp_path):
    from dataclasses import replace

    from workflow.config import Settings
    from workflow.db import dispose_engines
    from workflow.schema import upgrade

    s = Settings.from_env(
        {"OGI_DATABASE_URL": f"sqlite:///{tmp_path / 'o.db'}", "OGI_OFFICE_NAME": "某县人民政府办公室"}
    )
    try:
        upgrade(s)
        upgrade(replace(s, office_name="另一个名称"))  # a later start with another value renames nothing
        with reading(s) as session:
            assert load_office(session).name == "某县人民政府办公室"
    finally:
        dispose_engines()
