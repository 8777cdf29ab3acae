"""How letters restate what the case holds: the request without the applicant's verb, the
handler's per-ground facts, the 版头 setting, and the letter context's safe defaults."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from docx import Document

from states import Ground
from workflow.calendar import WorkCalendar
from workflow.letters.context import build_context
from workflow.letters.html_blocks import parse_letter
from workflow.letters.render import render_html
from workflow.letters.samples import sample_context
from workflow.letters.word import build_docx
from workflow.letters.wording import GROUND_WORDING, ground_items, indirect, parse_ground_reasons
from workflow.models import Applicant, Case
from workflow.office.settings import Office


@pytest.mark.parametrize(
    ("request_text", "restated"),
    [
        ("请公开本单位2025年部门决算", "本单位2025年部门决算"),
        ("申请公开：某项目环评报告。", "某项目环评报告"),
        ("我想了解“三公”经费", "‘三公’经费"),
        ("本人申请获取某小区规划许可证", "某小区规划许可证"),
        ("某项目批复文件", "某项目批复文件"),
        ("请公开", "请公开"),  # nothing left after the verb: keep what was written
    ],
)
def test_the_request_is_restated_without_the_applicants_verb(request_text, restated):
    assert indirect(request_text) == restated


def test_per_ground_facts_are_read_from_lines_json_or_a_mapping():
    lines = "enforcement_files：卷宗系查处过程中形成\nstate_secret: 已定密\nnonsense：x\n没有冒号"
    assert parse_ground_reasons(lines) == {"enforcement_files": "卷宗系查处过程中形成", "state_secret": "已定密"}
    assert parse_ground_reasons('{"internal_affairs": "人事安排"}') == {"internal_affairs": "人事安排"}
    assert parse_ground_reasons(None) == {} and parse_ground_reasons({"x": ""}) == {}


def test_every_ground_has_its_provision_and_falls_back_to_standard_facts():
    assert set(GROUND_WORDING) == {g.value for g in Ground}
    items = ground_items(["security_stability", "internal_affairs"], {"internal_affairs": "系人事安排"})
    assert items[0]["facts"].startswith("该政府信息公开后可能危及") and not items[0]["own_facts"]
    assert "三安全一稳定" not in items[0]["facts"] and items[1]["facts"] == "系人事安排"
    assert items[1]["provision_article"] == "第十六条第一款" and "内部事务信息" in items[1]["provision"]


def test_the_letterhead_setting_adds_a_red_office_head():
    ctx = sample_context("disclosed")
    assert 'class="letterhead"' not in render_html("disclosed", ctx)
    ctx["office"]["letterhead"] = "1"
    html = render_html("disclosed", ctx)
    assert f'<p class="letterhead">{ctx["office"]["name"]}</p>' in html
    doc = Document(io.BytesIO(build_docx(parse_letter(html), title="t", issued_at=datetime(2026, 1, 1, tzinfo=UTC))))
    head = doc.paragraphs[0]
    assert head.text == ctx["office"]["name"] and head.runs[0].font.size.pt == 30 and "w:pBdr" in head._p.xml


def _context(kind: str, events: list) -> dict:
    case = Case(id=1, number="依申〔2026〕1号", request="请公开某文件", channel="online", received_on=date(2026, 5, 6))
    applicant = Applicant(id=1, name="王五", kind="natural_person")
    return build_context(
        case=case,
        applicant=applicant,
        events=events,
        kind=kind,
        office=Office(),
        cal=WorkCalendar(),
        today=date(2026, 5, 20),
        number=None,
    )


def test_the_context_has_safe_defaults_for_the_keys_the_engine_fills():
    register = ("register", {"received_on": "2026-05-06"}, date(2026, 5, 6))
    ctx = _context("acknowledgement", [register])
    assert ctx["simulation"] is False and ctx["attachments"] == [] and ctx["catalogue_item"] is None
    assert ctx["later_date"] is None and ctx["reasons_status"] is None and ctx["service"] is None
    assert ctx["case"]["request_indirect"] == "某文件"
    posted = {"sent_on": "2026-05-07", "delivery_method": "post"}  # the engine records how it went out
    consult = ("consult", {"party": "third_party", "addressee": "某公司", **posted}, date(2026, 5, 7))
    asked = ("request_reasons", {"matter": "本月45件", "reply_days": "5", **posted}, date(2026, 5, 7))
    ctx = _context("third_party_consultation", [register, consult, asked])
    assert ctx["consultation"]["reply_due"] is None  # not delivered yet: the letter counts from receipt
    assert ctx["reasons"]["due"] is None and ctx["reasons"]["reply_days"] == 5
    delivered = ("consult", {**consult[1], "delivered_on": "2026-05-08"}, date(2026, 5, 7))
    assert _context("third_party_consultation", [register, delivered])["consultation"]["reply_due"]


def test_an_internal_consultation_gives_the_assistance_letter_its_department_and_due_date():
    internal = ("consult", {"party": "internal_department", "addressee": "本机关规划科"}, date(2026, 5, 7))
    ctx = _context("assistance_letter", [("register", {}, date(2026, 5, 6)), internal])
    assert ctx["assistance"]["department"] == "本机关规划科" and ctx["assistance"]["reply_days"] == 5
    assert ctx["assistance"]["reply_due"] == "2026年5月13日"  # 5/9 is a make-up working day


def test_confirm_or_reissue_cites_the_office_basis_never_article_39():
    decide = ("decide", {"outcome": "confirm_or_reissue"}, date(2026, 5, 8))
    ctx = _context("confirm_or_reissue", [("register", {}, date(2026, 5, 6)), decide])
    assert ctx["decision"]["article"] == Office().confirm_or_reissue_basis
    assert "第三十九条" not in render_html("confirm_or_reissue", ctx)
