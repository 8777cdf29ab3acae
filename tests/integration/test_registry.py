"""The registry on SQLite and PostgreSQL: the flow through its single door and the shared ledger,
gap-free index numbers, catalogue search by a word of the title, the sweep's escalation ladder
(exactly one effect per rung), the Art. 44 proposal after the third disclosure, section 二."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlmodel import col, select

from tests.factories import act, add_staff, at, new_case
from workflow.config import LOCAL_TZ
from workflow.db import reading, transaction
from workflow.errors import Forbidden, InvalidInput, Refused
from workflow.ledger import audit
from workflow.models import AuditEvent
from workflow.models.registry import InfoEscalation, InfoItem
from workflow.registry.queries import item_deadlines, list_items, matches_for_case
from workflow.registry.report import section_two
from workflow.registry.service import perform_info, register_item
from workflow.registry.settings import change_registry_setting
from workflow.reports import annual_report
from workflow.reports.render import to_json
from workflow.sweep.cases import sweep
from workflow.sweep.registry import sweep_registry

TITLE = "关于印发示例市2026年政府信息公开工作要点的通知"


def moment(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(10), LOCAL_TZ)


def register(s, day: str = "2026-09-25", **kw: object) -> InfoItem:
    fields: dict[str, object] = {"title": TITLE, "made_on": date.fromisoformat(day), "attribute": "proactive"}
    fields.update(kw)
    return register_item(at(s, day), actor="r1", **fields)  # type: ignore[arg-type]


def publish(s, item_id: int, day: str) -> None:
    perform_info(item_id, "review", "v1", {"conclusion": "clear"}, settings=at(s, day))
    perform_info(item_id, "approve", "a1", settings=at(s, day))
    perform_info(item_id, "publish", "h1", settings=at(s, day))


def test_the_flow_goes_through_one_door_and_the_shared_ledger(settings):
    add_staff(settings)
    case_id = new_case(settings, "2026-09-24")
    report_before = to_json(annual_report(settings, 2026, moment("2026-12-01")))
    item = register(settings, doc_number="示政办发〔2026〕12号")
    assert item.index_number == "000000000/2026-00001" and item.publish_due == date(2026, 10, 29)
    with pytest.raises(Forbidden):
        perform_info(item.id, "approve", "h1", settings=at(settings, "2026-09-28"))
    with pytest.raises(Refused):  # straight to publication, unreviewed
        perform_info(item.id, "publish", "h1", settings=at(settings, "2026-09-28"))
    perform_info(item.id, "review", "v1", {"conclusion": "clear"}, settings=at(settings, "2026-09-28"))
    out = perform_info(item.id, "approve", "a1", settings=at(settings, "2026-09-28"))
    assert out.item.version == 3
    url = {"url": "https://example.gov.cn/a"}
    published = perform_info(item.id, "publish", "h1", url, settings=at(settings, "2026-09-29"))
    assert (published.item.state, published.item.publish_due) == ("published", None)
    with reading(settings) as session:
        assert audit.verify(session).intact
        events = list(session.exec(select(AuditEvent).where(col(AuditEvent.action).startswith("info."))))
        assert [e.action for e in events] == ["info.register", "info.review", "info.approve", "info.publish"]
        assert all(e.case_id is None and audit.payload_of(e)["item"] == item.id for e in events)
        assert [e.action for e in audit.case_events(session, case_id)] == ["receive", "register"]
    # the annual report reads case events only: registry events change nothing in it
    assert to_json(annual_report(settings, 2026, moment("2026-12-01"))) == report_before


def test_register_refuses_bad_input_by_name_and_numbers_without_gaps(settings):
    add_staff(settings)
    for kw, field in (
        ({"attribute": "on_request"}, "reason"),
        ({"attribute": "withheld", "reason": "涉及第三方"}, "ground"),
        ({"title": "  "}, "title"),
        ({"made_on": date(2030, 1, 1)}, "made_on"),
    ):
        with pytest.raises(InvalidInput) as err:
            register(settings, **kw)
        assert err.value.field == field
    with pytest.raises(Forbidden):
        register_item(
            at(settings, "2026-09-25"), title="x", made_on=date(2026, 9, 25), attribute="proactive", actor="u1"
        )
    with transaction(settings) as session:
        change_registry_setting(
            session, key="index_pattern", value="{org}-{year}-{seq:03d}", actor="m1", now=moment("2026-09-25")
        )
        change_registry_setting(session, key="org", value="11440300MB2C", actor="m1", now=moment("2026-09-25"))
        with pytest.raises(InvalidInput):
            change_registry_setting(
                session, key="index_pattern", value="{org.__class__}{year}{seq}", actor="m1", now=moment("2026-09-25")
            )
    numbers = [register(settings).index_number for _ in range(3)]
    assert numbers == ["11440300MB2C-2026-001", "11440300MB2C-2026-002", "11440300MB2C-2026-003"]


def test_catalogue_search_finds_an_item_by_a_word_of_its_title(settings):
    add_staff(settings)
    wanted = register(settings)
    other = register(settings, title="示例市2025年部门决算", category="财政预决算")
    for item in (wanted, other):
        publish(settings, item.id, "2026-09-28")
    with reading(settings) as session:
        for word in ("工作要点", "要点", "政府信息公开", "通知"):
            found = list_items(session, q=word, published_only=True)
            assert [i.id for i in found] == [wanted.id], word
        assert [i.id for i in list_items(session, q="决算")] == [other.id]
        assert list_items(session, q="地震") == []
        assert [i.id for i in list_items(session, category="财政预决算", year=2026)] == [other.id]


def test_the_sweep_escalates_an_overdue_unpublished_item_exactly_once_per_rung(settings):
    add_staff(settings)
    item = register(settings)  # due 2026-10-29
    levels = []
    for day in ("2026-10-21", "2026-10-22", "2026-10-27", "2026-10-29", "2026-10-29", "2026-10-30", "2026-10-30"):
        report = sweep_registry(at(settings, day))
        levels.append([lv for _, _, lv in report.escalations])
    assert levels == [[], ["yellow"], ["orange"], ["red"], [], ["overdue"], []]
    sweep(at(settings, "2026-11-02"))  # the beat path runs the registry sweep too
    with reading(settings) as session:
        rows = session.exec(select(InfoEscalation).order_by(col(InfoEscalation.id))).all()
        assert [(r.level, r.effect_day.isoformat()) for r in rows] == [
            ("yellow", "2026-10-29"),
            ("orange", "2026-10-29"),
            ("red", "2026-10-29"),
            ("overdue", "2026-10-30"),
            ("overdue", "2026-11-02"),
        ]
        assert session.get(InfoItem, item.id).flagged
        assert audit.verify(session).intact
        out, lines = item_deadlines(session, session.get(InfoItem, item.id))
        assert out.publish_due == date(2026, 10, 29) and lines[-1].startswith("结果：公开期限 2026-10-29")


def test_a_due_re_evaluation_is_raised_once(settings):
    add_staff(settings)
    item = register(settings, "2026-03-02", attribute="on_request", reason="仅涉及特定对象")
    perform_info(item.id, "review", "v1", {"conclusion": "clear"}, settings=at(settings, "2026-03-03"))
    perform_info(item.id, "approve", "a1", settings=at(settings, "2026-03-03"))
    with transaction(settings) as session:
        change_registry_setting(session, key="reevaluation_days", value="180", actor="m1", now=moment("2026-03-03"))
    perform_info(
        item.id,
        "reevaluate",
        "h1",
        {"attribute": "on_request", "reason": "仍仅涉及特定对象"},
        settings=at(settings, "2026-03-04"),
    )
    assert sweep_registry(at(settings, "2026-08-30")).escalations == []
    report = sweep_registry(at(settings, "2026-08-31"))
    assert report.escalations == [(item.index_number, "reevaluation", "red")]
    assert sweep_registry(at(settings, "2026-09-01")).escalations == []


def answer_disclosing(s, day: str, item_ref: str) -> int:
    cid = new_case(s, day, request="请公开示例市2025年行政事业性收费目录")
    act(s, cid, day, "start_review", "h1")
    act(s, cid, day, "review_confidentiality", "v1", conclusion="clear")
    act(s, cid, day, "decide", "h1", outcome="disclosed", catalogue_item=item_ref)
    act(s, cid, day, "submit", "h1")
    act(s, cid, day, "approve", "a1")
    return cid


def test_art_44_an_on_request_item_is_proposed_after_its_third_disclosure(settings):
    add_staff(settings)
    item = register(
        settings,
        "2026-03-02",
        title="示例市2025年行政事业性收费目录",
        attribute="on_request",
        reason="涉及特定事项，依申请提供",
    )
    perform_info(item.id, "review", "v1", {"conclusion": "clear"}, settings=at(settings, "2026-03-03"))
    perform_info(item.id, "approve", "a1", settings=at(settings, "2026-03-03"))
    for n, day in enumerate(("2026-05-06", "2026-05-07"), 1):
        answer_disclosing(settings, day, str(item.id) if n == 1 else item.index_number)
        assert sweep_registry(at(settings, day)).proposals == []
    with pytest.raises(Refused):
        perform_info(item.id, "propose_proactive", "h1", settings=at(settings, "2026-05-07"))
    third = answer_disclosing(settings, "2026-05-08", str(item.id))
    report = sweep_registry(at(settings, "2026-05-08"))
    assert report.proposals == [item.index_number]
    assert sweep_registry(at(settings, "2026-05-11")).proposals == []  # once
    with reading(settings) as session:
        fresh = session.get(InfoItem, item.id)
        assert fresh.proposal_open
        from workflow.models import Case

        matches = matches_for_case(session, session.get(Case, third))
        assert [(m["id"], m["proposal_open"], m["disclosures"]) for m in matches][:1] == [(item.id, True, 3)]
    # accepting the proposal: re-evaluated as proactive, it must be published within 20 working days
    out = perform_info(item.id, "reevaluate", "a1", {"attribute": "proactive"}, settings=at(settings, "2026-05-11"))
    assert not out.item.proposal_open and out.item.publish_due == date(2026, 6, 8)


def test_an_already_public_answer_must_name_a_published_item(settings):
    add_staff(settings)
    item = register(settings, "2026-05-06")
    cid = new_case(settings, "2026-05-06")
    act(settings, cid, "2026-05-07", "start_review", "h1")
    with pytest.raises(InvalidInput) as err:
        act(settings, cid, "2026-05-07", "decide", "h1", outcome="already_public", catalogue_item=str(item.id))
    assert err.value.field == "catalogue_item"
    with pytest.raises(InvalidInput):
        act(settings, cid, "2026-05-07", "decide", "h1", outcome="already_public", catalogue_item="nope/1")
    publish(settings, item.id, "2026-05-07")
    act(
        settings,
        cid,
        "2026-05-07",
        "decide",
        "h1",
        outcome="already_public",
        catalogue_item=item.index_number,
        access="本机关门户网站",
    )
    from workflow.calendar.store import load_calendar
    from workflow.ledger.projection import events_for_clock
    from workflow.letters.issue import checked_context
    from workflow.models import Case

    with reading(settings) as session:
        case = session.get(Case, cid)
        ctx = checked_context(
            session,
            case,
            "already_public",
            events_for_clock(audit.case_events(session, cid)),
            cal=load_calendar(session),
            today=date(2026, 5, 7),
            number=None,
        )
    assert ctx["catalogue_item"] == {
        "title": TITLE,
        "index_number": item.index_number,
        "url": f"/public/catalogue/{item.id}",
    }


def test_section_two_counts_rules_and_normative_documents(settings):
    add_staff(settings)
    register(settings, "2025-06-02", kind="rule")
    old = register(settings, "2025-07-01", kind="normative")
    register(settings, "2026-03-02", kind="normative")
    register(settings, "2026-04-01", kind="normative")
    register(settings, "2026-04-02", kind="other")
    perform_info(old.id, "review", "v1", {"conclusion": "clear"}, settings=at(settings, "2026-04-02"))
    perform_info(old.id, "approve", "a1", settings=at(settings, "2026-04-02"))
    perform_info(old.id, "expire", "a1", {"expired_on": "2026-04-02"}, settings=at(settings, "2026-04-02"))
    with reading(settings) as session:
        two = section_two(session, 2026)
        assert {k: (v["made"], v["repealed"], v["in_force"]) for k, v in two.items()} == {
            "rule": (0, 0, 1),
            "normative": (2, 1, 2),
        }
        assert section_two(session, 2025)["normative"]["in_force"] == 1


def test_a_case_is_matched_on_its_telling_words_not_on_words_every_item_has(settings):
    add_staff(settings)
    titles = ("示例市2025年部门决算", "示例市停车收费标准", "示例市市容管理规定", "示例市政府工作要点")
    ids = [register(settings, title=t).id for t in titles]
    case_id = new_case(settings, "2026-09-28", request="请公开示例市2025年部门决算")
    with reading(settings) as session:
        from workflow.models import Case

        assert [m["id"] for m in matches_for_case(session, session.get(Case, case_id))] == [ids[0]]
