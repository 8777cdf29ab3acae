"""What the office writes into the annual report: stored per year, audited in the same
transaction, by an admin or approver only, validated field by field; section 二 takes the
registry's figures over the entered ones; and the CLI writes and shows them."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from tests.factories import add_staff, at
from workflow.admin.report_texts import entered_figures, load_texts, section_two, set_figures, set_text
from workflow.db import reading, transaction
from workflow.errors import Forbidden, InvalidInput
from workflow.ledger.audit import verify
from workflow.models import AnnualText, AuditEvent
from workflow.reports.full import full_report, to_markdown_full


@pytest.fixture
def s(settings):
    add_staff(settings)
    return at(settings, "2026-11-20")


def test_a_section_text_is_stored_versioned_and_audited(s):
    with transaction(s) as session:
        set_text(session, year=2026, section="overview", text=" 第一段。\r\n第二段。 ", actor="a1", now=s.now())
        row = set_text(session, year=2026, section="overview", text="改后的总体情况。", actor="m1", now=s.now())
    assert row.version == 2
    with reading(s) as session:
        assert load_texts(session, 2026) == {"overview": "改后的总体情况。"}
        assert load_texts(session, 2025) == {}
        events = [e for e in session.exec(select(AuditEvent)).all() if e.action == "annual_text"]
    assert [json.loads(e.payload)["version"] for e in events] == [1, 2]
    assert json.loads(events[1].payload)["from"] == "第一段。\n第二段。" and events[1].role == "admin"


@pytest.mark.parametrize(
    ("kwargs", "error", "rule"),
    [
        ({"section": "preface"}, InvalidInput, "report.section"),
        ({"year": 1999}, InvalidInput, "report.year"),
        ({"text": "字" * 20001}, InvalidInput, "report.text_length"),
        ({"actor": "h1"}, Forbidden, "role.forbidden"),
    ],
)
def test_bad_text_input_is_refused_and_nothing_is_written(s, kwargs, error, rule):
    args = {"year": 2026, "section": "overview", "text": "x", "actor": "a1"} | kwargs
    with pytest.raises(error) as info, transaction(s) as session:
        set_text(session, now=s.now(), **args)
    assert info.value.rule == rule
    with reading(s) as session:
        assert session.exec(select(AnnualText)).all() == []


def test_figures_are_checked_kept_and_overridden_by_the_registry(s):
    with transaction(s) as session:
        set_figures(session, year=2026, values={"normative.made": "12", "fees.amount": "1.25"}, actor="a1", now=s.now())
        set_figures(session, year=2026, values={"rules.in_force": "3"}, actor="a1", now=s.now())
    for bad in ({"normative.made": "-1"}, {"fees.amount": "1.23456"}, {"nonsense": "1"}):
        with pytest.raises(InvalidInput), transaction(s) as session:
            set_figures(session, year=2026, values=bad, actor="a1", now=s.now())
    with reading(s) as session:
        figures = entered_figures(session, 2026)
        assert figures["normative.made"] == 12 and figures["fees.amount"] == "1.25" and figures["rules.in_force"] == 3
        merged, source = section_two(session, 2026, [lambda _s, _y: {"normative.made": 15, "rules.made": None}])
    assert merged["normative.made"] == 15 and source["normative.made"] == "registry"
    assert merged["rules.in_force"] == 3 and source["rules.in_force"] == "entered"
    assert merged["rules.made"] is None and "rules.made" not in source


def test_the_report_carries_the_texts_and_the_ledger_stays_sound(s):
    with transaction(s) as session:
        set_text(session, year=2026, section="problems", text="答复说理不够充分。", actor="a1", now=s.now())
    md = to_markdown_full(full_report(s, 2026))
    assert "## 五、存在的主要问题及改进情况\n\n答复说理不够充分。" in md
    with reading(s) as session:
        assert verify(session).intact
