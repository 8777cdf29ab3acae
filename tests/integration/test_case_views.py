"""`case_views` (what `ogi case list` shows) gives each case exactly its `case_view`, in bulk."""

from __future__ import annotations

from tests.factories import act, add_staff, new_case
from workflow.cases.queries import case_view, case_views, list_cases
from workflow.db import reading


def test_case_views_match_case_view_one_by_one(settings):
    add_staff(settings)
    first = new_case(settings)
    consulted = new_case(settings, applicant_type="commercial_enterprise")
    act(settings, consulted, "2026-05-07", "start_review", "h1")
    act(settings, consulted, "2026-05-07", "consult", "h1", party="third_party", addressee="某化工有限公司")
    act(settings, consulted, "2026-05-07", "consult", "h1", party="other_agency", addressee="示例市民政局")
    new_case(settings, "2026-05-08", register=False)
    with reading(settings) as session:
        cases = list_cases(session)
        bulk = case_views(session, cases)
        single = [case_view(session, c) for c in cases]
    assert bulk == single
    assert [v["id"] for v in bulk][:2] == [first, consulted]
    assert [c["addressee"] for c in bulk[1]["consultations"]] == ["某化工有限公司", "示例市民政局"]
