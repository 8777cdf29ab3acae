"""Hand-offs: the people a case now waits on hear of it in their inbox, in the action's transaction."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.factories import act, add_staff, at, new_case
from workflow.db import reading
from workflow.errors import Refused
from workflow.models import Notification
from workflow.sweep.cases import sweep


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def notes(settings) -> list[tuple[str, str, str, str]]:
    with reading(settings) as session:
        rows = session.exec(select(Notification).order_by(Notification.id))
        return [(n.user_name, n.kind, n.title, n.body) for n in rows]


def test_assign_submit_return_and_approve_reach_the_next_person(s):
    cid = new_case(s, "2026-05-06")
    number = f"依申〔2026〕{cid}号"
    assert notes(s) == []  # receiving and registering hand nothing to anyone in particular
    act(s, cid, "2026-05-07", "assign", "r1", handler="h2")
    assert notes(s) == [("h2", "case:assign", f"{number} 已分派给您承办", "申请内容：请公开本单位2025年部门决算")]
    act(s, cid, "2026-05-07", "start_review", "h2")
    act(s, cid, "2026-05-07", "decide", "h2", outcome="not_held")
    act(s, cid, "2026-05-07", "submit", "h2")
    submitted = [n for n in notes(s) if n[1] == "case:submit"]
    assert [(u, t, b) for u, _, t, b in submitted] == [
        ("a1", f"{number} 提交审批", "拟答复：信息不存在"),
        ("a2", f"{number} 提交审批", "拟答复：信息不存在"),
    ]
    act(s, cid, "2026-05-08", "return", "a1", comment="请补充检索范围")
    assert notes(s)[-1] == ("h2", "case:return", f"{number} 被退回修改", "退回意见：请补充检索范围")
    act(s, cid, "2026-05-08", "submit", "h2")
    outcome = act(s, cid, "2026-05-08", "approve", "a2")
    assert outcome.issued is not None
    assert notes(s)[-1] == (
        "h2",
        "case:approve",
        f"{number} 已审批通过",
        f"已出具{outcome.issued.number}，请送达申请人",
    )


def test_the_actor_is_not_told_of_their_own_action(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")  # h1 becomes the handler
    act(s, cid, "2026-05-07", "assign", "r1", handler="h1")  # … and is assigned again by someone else
    act(s, cid, "2026-05-07", "withdraw", "h1", reason="申请人电话撤回")  # h1's own action: no note to h1
    assert [(u, k) for u, k, _, _ in notes(s)] == [("h1", "case:assign")]


def test_a_refused_action_tells_nobody(s):
    cid = new_case(s, "2026-05-06")
    with pytest.raises(Refused) as refused:
        act(s, cid, "2026-05-07", "assign", "r1", handler="a1")  # an approver cannot be the handler
    assert refused.value.rule == "assign.handler_role"
    assert notes(s) == []


def test_an_automatic_lapse_tells_the_handler(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "request_correction", "h1", items="请写明年份", period_days="5")  # due 5/13
    sweep(at(s, "2026-05-14"))
    lapse = [n for n in notes(s) if n[1] == "case:lapse_correction"]
    assert lapse == [
        ("h1", "case:lapse_correction", f"依申〔2026〕{cid}号 逾期未补正", "已视为放弃申请，并出具终止办理告知书")
    ]
