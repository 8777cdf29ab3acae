"""parse_payload: raw key=value fields of an action into typed values, refusing bad input by name."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from states import ACTIONS, Action
from workflow.cases.payloads import parse_payload
from workflow.errors import InvalidInput

D = date.fromisoformat
TODAY = D("2026-03-10")
RECEIVED = D("2026-03-02")

REGISTER = ACTIONS[Action.REGISTER]
CORRECTION = ACTIONS[Action.REQUEST_CORRECTION]
EXTEND = ACTIONS[Action.EXTEND]
DECIDE = ACTIONS[Action.DECIDE]
CONSULT = ACTIONS[Action.CONSULT]
FEE = ACTIONS[Action.ISSUE_FEE_NOTICE]


def parse(action: Action, raw: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return parse_payload(ACTIONS[action], raw, today=kw.pop("today", TODAY), **kw)


def refused(action: Action, raw: dict[str, Any], **kw: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        parse(action, raw, **kw)
    return info.value


# ---------------------------------------------------------------------------
# Required and unknown fields


@pytest.mark.parametrize(
    ("action", "raw", "field"),
    [
        (Action.REQUEST_CORRECTION, {"period_days": "10"}, "items"),
        (Action.REQUEST_CORRECTION, {"items": "   "}, "items"),  # blank counts as missing
        (Action.REQUEST_CORRECTION, {"items": None}, "items"),
        (Action.EXTEND, {"reason": "检索档案"}, "days"),
        (Action.EXTEND, {"days": "10"}, "reason"),
        (Action.DECIDE, {"grounds": "state_secret"}, "outcome"),
        (Action.CONSULT, {"party": "third_party"}, "addressee"),
        (Action.CONSULT, {"addressee": "某公司"}, "party"),
        (Action.ISSUE_FEE_NOTICE, {"pages": "120"}, "method"),
        (Action.RETURN, {}, "comment"),
        (Action.WITHDRAW, {"withdrawn_on": "2026-03-05"}, "reason"),
    ],
)
def test_required_field_missing(action: Action, raw: dict[str, Any], field: str) -> None:
    err = refused(action, raw)
    assert err.rule == "input.required"
    assert err.field == field
    assert err.message.startswith(f"{field}（")


@pytest.mark.parametrize(
    ("action", "raw", "field"),
    [
        (Action.REGISTER, {"foo": "1"}, "foo"),
        (Action.REGISTER, {"received_on": "2026-03-02", "items": "x"}, "items"),
        (Action.EXTEND, {"days": "5", "reason": "x", "zzz": "1", "aaa": "2"}, "aaa"),  # the first, sorted
        (Action.APPROVE, {"note": "x"}, "note"),  # approve has only a comment
    ],
)
def test_unknown_field_refused(action: Action, raw: dict[str, Any], field: str) -> None:
    err = refused(action, raw)
    assert err.rule == "input.unknown_field"
    assert err.field == field
    for name in (f.name for f in ACTIONS[action].fields):
        assert name in err.message  # lists the fields that exist


def test_optional_fields_left_out() -> None:
    assert parse(Action.REGISTER, {}) == {}
    assert parse(Action.REGISTER, {"note": ""}) == {}
    assert parse(Action.REQUEST_CORRECTION, {"items": " 请写明文件名称 "}) == {"items": "请写明文件名称"}


def test_a_full_payload() -> None:
    got = parse(
        Action.REQUEST_CORRECTION,
        {"items": "文号", "period_days": " 15 ", "sent_on": "2026-03-04", "delivered_on": D("2026-03-06")},
        earliest=RECEIVED,
    )
    assert got == {"items": "文号", "period_days": 15, "sent_on": D("2026-03-04"), "delivered_on": D("2026-03-06")}


# ---------------------------------------------------------------------------
# Integers


@pytest.mark.parametrize(
    ("action", "field", "raw", "expected"),
    [
        (Action.REQUEST_CORRECTION, "period_days", "1", 1),
        (Action.REQUEST_CORRECTION, "period_days", "60", 60),
        (Action.REQUEST_CORRECTION, "period_days", 30, 30),
        (Action.REQUEST_CORRECTION, "period_days", "0", "input.min"),
        (Action.REQUEST_CORRECTION, "period_days", "-3", "input.min"),
        (Action.REQUEST_CORRECTION, "period_days", "61", "input.max"),
        (Action.REQUEST_CORRECTION, "period_days", "ten", "input.int"),
        (Action.REQUEST_CORRECTION, "period_days", "1.5", "input.int"),
        (Action.EXTEND, "days", "20", 20),
        (Action.EXTEND, "days", "21", 21),  # parsed; the rulebook's maximum is a guard (art33.extend_max)
        (Action.EXTEND, "days", "0", "input.min"),
        (Action.ISSUE_FEE_NOTICE, "pages", "100000", 100000),  # no maximum
        (Action.ISSUE_FEE_NOTICE, "pages", "0", "input.min"),
        (Action.CONSULT, "due_days", "31", "input.max"),
    ],
)
def test_int_fields(action: Action, field: str, raw: object, expected: int | str) -> None:
    base: dict[str, Any] = {
        Action.REQUEST_CORRECTION: {"items": "x"},
        Action.EXTEND: {"reason": "x"},
        Action.ISSUE_FEE_NOTICE: {"method": "per_page"},
        Action.CONSULT: {"party": "internal_department", "addressee": "法规科"},
    }[action]
    raw_payload = {**base, field: raw}
    if isinstance(expected, int):
        assert parse(action, raw_payload)[field] == expected
    else:
        err = refused(action, raw_payload)
        assert (err.rule, err.field) == (expected, field)


# ---------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-10", D("2026-03-10")),  # today is fine
        ("2026-03-02", D("2026-03-02")),
        (" 2026-03-05 ", D("2026-03-05")),
        (D("2026-03-05"), D("2026-03-05")),
        ("2025-12-31", D("2025-12-31")),  # no earliest given
    ],
)
def test_dates_accepted(raw: object, expected: date) -> None:
    assert parse(Action.RECEIVE_CORRECTION, {"received_on": raw}) == {"received_on": expected}


@pytest.mark.parametrize(
    ("action", "raw", "field"),
    [
        (Action.RECEIVE_CORRECTION, {"received_on": "2026-03-11"}, "received_on"),
        (Action.RECEIVE_CORRECTION, {"received_on": D("2027-01-01")}, "received_on"),
        (
            Action.REQUEST_CORRECTION,
            {"items": "x", "sent_on": "2026-03-09", "delivered_on": "2026-03-11"},
            "delivered_on",
        ),
        (Action.RECORD_PAYMENT, {"paid_on": "2026-03-11"}, "paid_on"),
    ],
)
def test_future_dates_refused(action: Action, raw: dict[str, Any], field: str) -> None:
    err = refused(action, raw)
    assert (err.rule, err.field) == ("input.future_date", field)
    assert "2026-03-10" in err.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"items": "x", "sent_on": "2026-03-01"}, "input.before_receipt"),
        ({"items": "x", "sent_on": "2026-03-02"}, None),  # the receipt day itself is allowed
        ({"items": "x", "sent_on": "2026-03-10"}, None),
    ],
)
def test_dates_before_earliest_refused(raw: dict[str, Any], expected: str | None) -> None:
    if expected is None:
        assert parse(Action.REQUEST_CORRECTION, raw, earliest=RECEIVED)["sent_on"] == D(raw["sent_on"])
    else:
        err = refused(Action.REQUEST_CORRECTION, raw, earliest=RECEIVED)
        assert (err.rule, err.field) == (expected, "sent_on")
        assert "2026-03-02" in err.message


@pytest.mark.parametrize("raw", ["2026-02-30", "2026/03/05", "yesterday", "3月5日"])
def test_malformed_dates_refused(raw: str) -> None:
    err = refused(Action.RECEIVE_CORRECTION, {"received_on": raw})
    assert (err.rule, err.field) == ("input.date", "received_on")


def test_datetime_is_taken_as_its_date() -> None:
    assert parse(Action.RECEIVE_CORRECTION, {"received_on": datetime(2026, 3, 5, 9, 30)}) == {
        "received_on": D("2026-03-05")
    }


# ---------------------------------------------------------------------------
# Choices


@pytest.mark.parametrize(
    ("action", "raw", "field", "expected"),
    [
        (Action.DECIDE, {"outcome": "withheld"}, "outcome", "withheld"),
        (Action.DECIDE, {"outcome": " not_held "}, "outcome", "not_held"),
        (Action.CONSULT, {"party": "other_agency", "addressee": "x"}, "party", "other_agency"),
        (Action.ISSUE_FEE_NOTICE, {"method": "per_count"}, "method", "per_count"),
    ],
)
def test_choice_accepted(action: Action, raw: dict[str, Any], field: str, expected: str) -> None:
    assert parse(action, raw)[field] == expected


@pytest.mark.parametrize(
    ("action", "raw", "field"),
    [
        (Action.DECIDE, {"outcome": "refused"}, "outcome"),
        (Action.DECIDE, {"outcome": "WITHHELD"}, "outcome"),
        (Action.CONSULT, {"party": "someone", "addressee": "x"}, "party"),
        (Action.ISSUE_FEE_NOTICE, {"method": "both"}, "method"),
        (Action.DECIDE, {"outcome": "withheld", "grounds": "state_secret,secret"}, "grounds"),
    ],
)
def test_choice_refused(action: Action, raw: dict[str, Any], field: str) -> None:
    err = refused(action, raw)
    assert (err.rule, err.field) == ("input.choice", field)


@pytest.mark.parametrize(
    ("grounds", "expected"),
    [
        ("state_secret,internal_affairs", ["internal_affairs", "state_secret"]),
        ("state_secret，internal_affairs", ["internal_affairs", "state_secret"]),  # full-width comma
        (" state_secret , internal_affairs ,", ["internal_affairs", "state_secret"]),
        ("state_secret,state_secret", ["state_secret"]),
        (["process_information", "enforcement_files"], ["enforcement_files", "process_information"]),
        (("third_party_rights",), ["third_party_rights"]),
        ("administrative_enquiry", ["administrative_enquiry"]),
    ],
)
def test_comma_separated_choices(grounds: object, expected: list[str]) -> None:
    assert parse(Action.DECIDE, {"outcome": "withheld", "grounds": grounds})["grounds"] == expected


# ---------------------------------------------------------------------------
# Booleans and text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("y", True),
        ("1", True),
        ("是", True),
        ("on", True),
        (True, True),
        ("false", False),
        ("no", False),
        ("0", False),
        ("否", False),
        ("off", False),
        ("", False),
        (False, False),
    ],
)
def test_bool_field(raw: object, expected: bool) -> None:
    got = parse(Action.DECIDE, {"outcome": "disclosed", "override_objection": raw})
    assert got["override_objection"] is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "真"])
def test_bool_field_refused(raw: str) -> None:
    err = refused(Action.DECIDE, {"outcome": "disclosed", "override_objection": raw})
    assert (err.rule, err.field) == ("input.bool", "override_objection")


def test_text_limit() -> None:
    assert parse(Action.REGISTER, {"note": "字" * 4000}) == {"note": "字" * 4000}
    err = refused(Action.REGISTER, {"note": "字" * 4001})
    assert (err.rule, err.field) == ("input.too_long", "note")
