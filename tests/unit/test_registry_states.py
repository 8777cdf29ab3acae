"""The registry flow as data: guards, the machine, the index-number pattern, the Art. 26 clock."""

from __future__ import annotations

from datetime import date

import pytest

from states.registry import (
    DEFAULT_REGISTRY_RULES,
    Attribute,
    IllegalInfoMove,
    InfoAction,
    ItemState,
    _machine,
    fire_info,
)
from states.registry_guards import InfoGuardContext, attribute_problem, check_info_guards
from workflow.calendar import WorkCalendar
from workflow.errors import InvalidInput
from workflow.registry.clock import compute, explain, facts_from_events
from workflow.registry.settings import check_pattern


def ctx(action: InfoAction, **kw: object) -> InfoGuardContext:
    base: dict[str, object] = {
        "action": action,
        "actor": "a1",
        "today": date(2026, 10, 9),
        "payload": {},
        "attribute": Attribute.PROACTIVE,
        "made_on": date(2026, 9, 25),
        "registered_by": "r1",
    }
    base.update(kw)
    return InfoGuardContext(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("attribute", "reason", "ground", "rule"),
    [
        ("proactive", None, None, None),
        ("on_request", None, None, "info.reason_required"),
        ("on_request", "涉及特定申请人", None, None),
        ("withheld", "涉及第三方", None, "info.ground_required"),
        ("withheld", "涉及第三方", "third_party_rights", None),
        ("redacted", "含个人信息", "not_a_ground", "info.ground_required"),
        ("declassified", "已解密", None, None),
        ("secret", None, None, "info.attribute"),
    ],
)
def test_every_attribute_but_proactive_needs_a_reason_and_withholding_its_ground(attribute, reason, ground, rule):
    problem = attribute_problem(attribute, reason, ground)
    assert (problem.rule if problem else None) == rule


def test_the_registrant_cannot_sign_off_their_own_item():
    refusal = check_info_guards(ctx(InfoAction.APPROVE, actor="r1"))
    assert refusal is not None and refusal.rule == "info.four_eyes"
    assert check_info_guards(ctx(InfoAction.APPROVE, actor="a1")) is None


def test_only_items_disclosed_by_the_office_are_published():
    refusal = check_info_guards(ctx(InfoAction.PUBLISH, attribute=Attribute.ON_REQUEST))
    assert refusal is not None and refusal.rule == "info.not_publishable"
    early = check_info_guards(ctx(InfoAction.PUBLISH, payload={"published_on": date(2026, 9, 1)}))
    assert early is not None and early.rule == "info.before_made"
    need = check_info_guards(ctx(InfoAction.PUBLISH, review_conclusion="redaction_needed"))
    assert need is not None and need.rule == "info.review_blocks"
    assert check_info_guards(ctx(InfoAction.PUBLISH)) is None


def test_art_44_proposal_needs_the_threshold_of_disclosures_and_an_on_request_item():
    on_request = {"attribute": Attribute.ON_REQUEST}
    two = check_info_guards(ctx(InfoAction.PROPOSE_PROACTIVE, disclosures=2, **on_request))
    assert two is not None and two.rule == "info.propose_threshold"
    assert check_info_guards(ctx(InfoAction.PROPOSE_PROACTIVE, disclosures=3, **on_request)) is None
    pending = check_info_guards(ctx(InfoAction.PROPOSE_PROACTIVE, disclosures=3, open_proposal=True, **on_request))
    assert pending is not None and pending.rule == "info.propose_pending"
    proactive = check_info_guards(ctx(InfoAction.PROPOSE_PROACTIVE, disclosures=9))
    assert proactive is not None and proactive.rule == "info.propose_attribute"


def test_the_machine_moves_only_along_the_table():
    assert fire_info(ItemState.REGISTERED, InfoAction.REVIEW) is ItemState.REVIEWED
    assert fire_info(ItemState.APPROVED, InfoAction.PUBLISH) is ItemState.PUBLISHED
    assert fire_info(ItemState.PUBLISHED, InfoAction.CHANGE) is ItemState.CHANGED
    assert fire_info(ItemState.APPROVED, InfoAction.REEVALUATE) is ItemState.APPROVED  # in-state
    with pytest.raises(IllegalInfoMove):
        fire_info(ItemState.REGISTERED, InfoAction.PUBLISH)
    with pytest.raises(IllegalInfoMove):
        fire_info(ItemState.EXPIRED, InfoAction.WITHDRAW)
    machine, _ = _machine()
    assert not machine.auto_transitions
    assert not any(t.startswith("to_") for t in machine.events)


@pytest.mark.parametrize("pattern", ["{org}/{year}-{seq:05d}", "{year}{seq:04d}", "示例-{org}-{year}-{seq}"])
def test_index_patterns_with_their_placeholders_are_accepted(pattern):
    check_pattern(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "{org}/{seq}",
        "{org}/{year}",
        "{org.__class__}/{year}-{seq}",
        "{name}/{year}-{seq}",
        "{year}-{seq!r}",
        "{0}/{year}-{seq}",
        "{year}-{seq:{org}}",
        "{year}-{seq",
        "{year}-{seq:q}",
    ],
)
def test_index_patterns_with_anything_else_are_refused(pattern):
    with pytest.raises(InvalidInput) as err:
        check_pattern(pattern)
    assert err.value.field == "index_pattern"


def events(*rows: tuple[str, dict[str, object], str, str | None]) -> list:
    return [(a, p, date.fromisoformat(d), s) for a, p, d, s in rows]


def test_publication_is_due_20_working_days_after_the_date_made_over_national_day():
    cal = WorkCalendar()
    facts = facts_from_events(
        events(("register", {"made_on": "2026-09-25", "attribute": "proactive"}, "2026-09-25", "registered"))
    )
    out = compute(facts, cal, DEFAULT_REGISTRY_RULES)
    # 9/28–9/30 (3), 10/1–10/7 off, 10/8–10/9 (5), Saturday 10/10 made up (6), … 10/29 is the 20th
    assert out.publish_due == date(2026, 10, 29)
    lines = explain(facts, out, cal)
    assert any("2026-10-01" in line and "不计" in line for line in lines)
    assert any("2026-10-10" in line and "调休上班" in line and "第6日" in line for line in lines)
    assert lines[-1].startswith("结果：公开期限 2026-10-29")


def test_a_change_restarts_the_clock_and_publication_stops_it():
    cal = WorkCalendar()
    made = ("register", {"made_on": "2026-09-25", "attribute": "proactive"}, "2026-09-25", "registered")
    published = ("publish", {}, "2026-10-12", "published")
    changed = ("change", {"changed_on": "2026-11-02", "reason": "修订"}, "2026-11-02", "changed")
    assert compute(facts_from_events(events(made, published)), cal, DEFAULT_REGISTRY_RULES).publish_due is None
    out = compute(facts_from_events(events(made, published, changed)), cal, DEFAULT_REGISTRY_RULES)
    assert out.publish_due == cal.add_workdays(date(2026, 11, 2), 20) == date(2026, 11, 30)


def test_items_not_published_are_re_evaluated_on_the_period_and_re_evaluation_to_public_starts_the_clock():
    cal = WorkCalendar()
    made = ("register", {"made_on": "2026-03-02", "attribute": "on_request"}, "2026-03-02", "registered")
    approved = ("approve", {}, "2026-03-05", "approved")
    out = compute(facts_from_events(events(made, approved)), cal, DEFAULT_REGISTRY_RULES)
    assert (out.publish_due, out.review_due) == (None, date(2027, 3, 5))
    to_public = ("reevaluate", {"attribute": "proactive"}, "2026-06-01", "approved")
    out = compute(facts_from_events(events(made, approved, to_public)), cal, DEFAULT_REGISTRY_RULES)
    assert (out.publish_due, out.review_due) == (cal.add_workdays(date(2026, 6, 1), 20), None)
