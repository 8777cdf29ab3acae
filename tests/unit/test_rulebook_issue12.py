"""The rulebook entries of issue 12 points 6 and 7, as pure rules (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from states import DEFAULT_RULEBOOK, OUTCOMES, Action, Ground, Outcome
from states.guards import GuardContext, check_guards
from states.outcomes import CONFIRM_OR_REISSUE_DEFAULT_BASIS, RemedyRoute
from workflow.cases.applicants import identity_document
from workflow.letters.context import remedy_variant
from workflow.office.settings import Office
from workflow.reports.layout import ROWS_BY_KEY, result_row
from workflow.reports.stats import StatsFacts, compute_stats


def D(text: str) -> date:
    return date.fromisoformat(text)


def ctx(action: Action, payload: dict[str, Any] | None = None, **kw: Any) -> GuardContext:
    kw.setdefault("actor", "alice")
    kw.setdefault("today", D("2027-01-07"))
    kw.setdefault("rulebook", DEFAULT_RULEBOOK)
    return GuardContext(action=action, payload=payload or {}, **kw)


def rule(c: GuardContext) -> str | None:
    refusal = check_guards(c)
    return refusal.rule if refusal else None


# --- point 7: no automatic lapse on a provisional date ------------------------------------------


@pytest.mark.parametrize(
    ("action", "facts"),
    [
        (Action.LAPSE_CORRECTION, {"correction_reply_due": D("2027-01-06")}),
        (Action.LAPSE_FEE, {"fee_due": D("2027-01-06")}),
    ],
)
def test_system_may_not_lapse_on_a_provisional_date_but_a_handler_may(action: Action, facts: dict) -> None:
    provisional = {"lapse_provisional_years": (2027,), **facts}
    assert rule(ctx(action, actor="system", role="system", **provisional)) == "calendar.provisional_no_auto_lapse"
    assert rule(ctx(action, actor="h1", role="handler", **provisional)) is None
    assert rule(ctx(action, actor="system", role="system", **facts)) is None  # a certain date lapses
    relaxed = replace(DEFAULT_RULEBOOK, provisional_dates_lapse_automatically=True)
    assert rule(ctx(action, actor="system", role="system", rulebook=relaxed, **provisional)) is None


def test_the_refusal_names_the_year_and_the_handler() -> None:
    c = ctx(
        Action.LAPSE_CORRECTION,
        actor="system",
        role="system",
        correction_reply_due=D("2027-01-06"),
        lapse_provisional_years=(2027,),
    )
    refusal = check_guards(c)
    assert refusal is not None and "2027年的放假安排" in refusal.message and "承办人" in refusal.message


def test_the_rulebook_default_never_lapses_on_provisional_dates() -> None:
    assert DEFAULT_RULEBOOK.provisional_dates_lapse_automatically is False


# --- point 6: confirm_or_reissue's basis ---------------------------------------------------------


def test_only_petitions_and_publications_cite_article_39() -> None:
    citing = {o for o, spec in OUTCOMES.items() if "第三十九条" in spec.article}
    assert citing == {Outcome.PETITION, Outcome.PUBLICATION}
    spec = OUTCOMES[Outcome.CONFIRM_OR_REISSUE]
    assert spec.basis_setting == "confirm_or_reissue_basis"
    assert Office().confirm_or_reissue_basis == CONFIRM_OR_REISSUE_DEFAULT_BASIS == spec.article
    assert "三十九" not in ROWS_BY_KEY[result_row("confirm_or_reissue") or ""].full_label


# --- point 6: one rule for the remedy notice and the report row ------------------------------------


def test_special_law_is_counted_and_noticed_as_withheld() -> None:
    spec = OUTCOMES[Outcome.SPECIAL_LAW]
    assert spec.counted_as is Ground.ADMINISTRATIVE_ENQUIRY
    assert result_row("special_law") == "withheld.administrative_enquiry"
    assert spec.remedy is RemedyRoute.RECONSIDERATION_FIRST
    assert remedy_variant("special_law") == "reconsideration_first"


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_counted_as_withheld_gets_reconsideration_first(outcome: Outcome) -> None:
    grounds = [Ground.STATE_SECRET.value] if OUTCOMES[outcome].needs_ground else []
    row = result_row(outcome.value, grounds) or ""
    route = OUTCOMES[outcome].remedy
    if outcome is Outcome.PARTLY_DISCLOSED:  # counted only as partly disclosed; both notices
        assert (row, route) == ("partly_disclosed", RemedyRoute.PARTIAL)
    else:
        assert row.startswith("withheld.") is (route is RemedyRoute.RECONSIDERATION_FIRST), (row, route)
    assert remedy_variant(outcome.value) == route.value


def test_procedural_final_letters_keep_the_either_notice() -> None:
    assert remedy_variant("termination_no_correction") == "either"


# --- point 6: late approval ----------------------------------------------------------------------


def test_approval_after_the_due_date_needs_confirmation() -> None:
    late = {"answer_due": D("2026-06-02"), "today": D("2026-06-03")}
    assert rule(ctx(Action.APPROVE, **late)) == "art33.late_approval_confirm"
    assert rule(ctx(Action.APPROVE, {"confirm_late": True}, **late)) is None
    assert rule(ctx(Action.APPROVE, answer_due=D("2026-06-02"), today=D("2026-06-02"))) is None


def test_stats_count_a_confirmed_late_answer_as_late() -> None:
    cutoff = datetime(2026, 12, 31, tzinfo=UTC)
    base = StatsFacts(1, "依申〔2026〕1号", booked_on=D("2026-05-06"), answered_on=D("2026-06-01"))
    in_time = replace(base, due_at_answer=D("2026-06-02"))
    # The due date as recomputed later may be after the answer, but the approver confirmed it late.
    confirmed = replace(in_time, case_id=2, confirmed_late=True)
    report = compute_stats(2026, cutoff, [in_time, confirmed])
    assert (report.overall.on_time, report.overall.late) == (1, 1)
    assert report.months[5].on_time == 1 and report.months[5].answered == 2


# --- point 6: identity documents -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        ("natural_person", "11010519491231002X", "resident_id"),
        ("natural_person", None, "missing"),
        ("commercial_enterprise", "91110108MA01ABCDEN", "uscc"),
        ("commercial_enterprise", "12345678-9", "other"),
        ("other_organization", "", "missing"),
    ],
)
def test_identity_document_kinds(kind: str, number: str | None, expected: str) -> None:
    assert identity_document(kind, number) == expected


@pytest.mark.parametrize(
    ("identity", "expected"),
    [("missing", "fee.per_count_needs_identity"), ("other", "fee.per_count_needs_identity"), ("resident_id", None)],
)
def test_per_count_fee_needs_a_countable_identity(identity: str, expected: str | None) -> None:
    c = ctx(
        Action.ISSUE_FEE_NOTICE,
        {"method": "per_count", "count": 12},
        applicant_identity=identity,
        fee_amount=100,
        today=D("2026-05-07"),
    )
    assert rule(c) == expected
    per_page = ctx(Action.ISSUE_FEE_NOTICE, {"method": "per_page", "pages": 40}, applicant_identity=identity)
    assert rule(per_page) is None
