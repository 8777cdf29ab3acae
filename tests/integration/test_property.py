"""Random action sequences against the real engine on SQLite: whatever handlers try, no illegal
move succeeds, the ledger verifies, and the answer is never due before 20 working days."""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from states import ACTIONS, Action, CaseState, Ground, Outcome, allowed_actions
from tests.factories import STAFF, add_staff, at
from workflow.calendar import WorkCalendar
from workflow.config import Settings
from workflow.db import dispose_engines, reading
from workflow.errors import Forbidden, InvalidInput, Refused
from workflow.ledger import audit, snapshot
from workflow.ledger.projection import events_for_clock
from workflow.models import Case
from workflow.schema import upgrade
from workflow.service import perform, receive_application

CAL = WorkCalendar()
USERS = [*STAFF, "system"]
EXAMPLES = int(os.environ.get("OGI_PROPERTY_EXAMPLES", "40"))


def payload_for(action: Action, draw_outcome: Outcome, grounds: list[Ground], n: int) -> dict[str, str]:
    p: dict[str, str] = {
        Action.REQUEST_CORRECTION: {"items": "请明确所需信息", "period_days": str(1 + n % 15)},
        Action.REVIEW_CONFIDENTIALITY: {"conclusion": ["clear", "personal_data", "third_party"][n % 3]},
        Action.CONSULT: {"party": ["third_party", "other_agency", "internal_department"][n % 3], "addressee": "某单位"},
        Action.RECORD_REPLY: {"opinion": ["consent", "no_opinion"][n % 2]},
        Action.ISSUE_FEE_NOTICE: {"method": "per_page", "pages": str(20 + n * 7)},
        Action.EXTEND: {"days": str(1 + n % 20), "reason": "情况复杂"},
        Action.DECIDE: {"outcome": draw_outcome.value},
        Action.RETURN: {"comment": "请修改"},
        Action.WITHDRAW: {"reason": "申请人撤回"},
        Action.ASSIGN: {"handler": "h2"},
    }.get(action, {})
    if action is Action.DECIDE and draw_outcome in (Outcome.WITHHELD, Outcome.PARTLY_DISCLOSED):
        p["grounds"] = ",".join(g.value for g in grounds) or "state_secret"
    if action is Action.DECIDE and draw_outcome is Outcome.NOT_THIS_AGENCY:
        p["reason"] = "属于市场监管部门职责"
    return p


class CaseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.settings = Settings(database_url=f"sqlite:///{Path(self.dir.name) / 'ogi.db'}")
        upgrade(self.settings, simulation=True)
        add_staff(self.settings)
        with reading(self.settings) as session:
            self.staff_events = audit.verify(session).count  # adding the staff is on the ledger too
        self.day = date(2026, 3, 2)
        case = receive_application(
            at(self.settings, self.day),
            channel="in_person",
            received_on=self.day,
            applicant="测试",
            applicant_type="natural_person",
            request="请公开",
            actor="r1",
        )
        assert case.id is not None
        self.case_id = case.id
        self.successes = 1  # the receive event

    def teardown(self) -> None:
        dispose_engines()
        self.dir.cleanup()

    def _case(self) -> Case:
        with reading(self.settings) as session:
            case = session.get(Case, self.case_id)
            assert case is not None
            return case

    @rule(days=st.integers(min_value=0, max_value=12))
    def time_passes(self, days: int) -> None:
        self.day += timedelta(days=days)

    @rule(
        data=st.data(),
        outcome=st.sampled_from(list(Outcome)),
        grounds=st.lists(st.sampled_from(list(Ground)), max_size=2, unique=True),
        n=st.integers(0, 60),
    )
    def try_action(self, data: st.DataObject, outcome: Outcome, grounds: list[Ground], n: int) -> None:
        before = CaseState(self._case().state)
        # Mostly actions that are possible now, taken by someone whose role allows them, so runs
        # get deep into the flow; the rest are arbitrary, to probe the refusals.
        legal = [a for a in allowed_actions(before) if a is not Action.WITHDRAW or n < 3]
        wild = data.draw(st.integers(0, 9)) < 2 or not legal
        action = data.draw(st.sampled_from(list(Action) if wild else legal))
        fitting = [u for u in USERS if (STAFF.get(u) or "system") in {r.value for r in ACTIONS[action].roles}]
        actor = data.draw(st.sampled_from(USERS if wild or not fitting else fitting))
        try:
            result = perform(
                self.case_id,
                action.value,
                actor,
                payload_for(action, outcome, grounds, n),
                settings=at(self.settings, self.day),
            )
        except Refused as exc:
            if before not in ACTIONS[action].sources:
                assert exc.rule == "flow.illegal_transition"
            return
        except (Forbidden, InvalidInput):
            return
        self.successes += 1
        spec = ACTIONS[action]
        assert before in spec.sources, f"{action} succeeded from {before}"
        allowed = {spec.dest or before}
        if spec.alt_dest:
            allowed.add(spec.alt_dest[1])
        assert CaseState(result.to_state) in allowed
        event(f"reached {result.to_state}")

    @invariant()
    def ledger_verifies_and_matches_the_case(self) -> None:
        with reading(self.settings) as session:
            result = audit.verify(session)
        assert result.intact and result.count == self.staff_events + self.successes
        assert self._case().version == self.successes

    @invariant()
    def snapshot_equals_the_replay(self) -> None:
        # the facts perform folds forward one event at a time are those a full replay gives
        with reading(self.settings) as session:
            events = audit.case_events(session, self.case_id)
        case = self._case()
        stored = snapshot.loads(case.clock_snapshot)
        assert stored is not None and stored.seq == max(e.seq for e in events)
        assert snapshot.as_dict(stored) == snapshot.as_dict(snapshot.replay(events))
        assert snapshot.problem(case, list(events)) is None

    @invariant()
    def answer_never_due_before_twenty_working_days(self) -> None:
        case = self._case()
        if case.answer_due is None:
            return
        with reading(self.settings) as session:
            events = events_for_clock(audit.case_events(session, self.case_id))
        assert case.answer_due >= CAL.add_workdays(_start(events), 20)


def _start(events: list[tuple[str, dict, date]]) -> date:
    """The day the answer period runs from, read independently of the clock: receipt (Art. 31, as
    corrected), or the corrected application's receipt (Art. 30)."""
    start: date | None = None
    restarted = False
    for action, p, day in events:
        if action == "receive" or (action == "register" and p.get("received_on")):
            start = date.fromisoformat(str(p["received_on"]))
        elif action in ("confirm_receipt", "correct_receipt") and not restarted:
            start = date.fromisoformat(str(p.get("confirmed_on") or p.get("received_on") or day))
        elif action == "receive_correction":
            start, restarted = date.fromisoformat(str(p.get("received_on") or day)), True
    assert start is not None
    return start


TestCaseMachine = CaseMachine.TestCase
TestCaseMachine.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
