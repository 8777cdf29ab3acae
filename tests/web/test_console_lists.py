"""The console's lists and case page: paged in the database with totals and links that keep the
filters, the default view of each role, the inbox marked read, bulk assignment case by case, and
the 下一步 panel telling what the case waits for, who acts and by when."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tests.factories import STAFF_SINCE, act, add_staff, at, login_form, new_case
from web.app import create_app
from workflow.accounts.passwords import issue_token, set_password
from workflow.admin.users import add_user
from workflow.db import reading, transaction
from workflow.models import AuditEvent, Case, Notification
from workflow.sweep.cases import sweep

SECRET = "q" * 48
NAMES = ("r1", "h1", "h2", "a1", "u1", "m1")


@pytest.fixture
def s(sqlite_settings):
    add_staff(sqlite_settings)
    with transaction(at(sqlite_settings, STAFF_SINCE)) as session:
        add_user(
            session, name="r2", roles=["registrar"], department="政务公开科", now=at(sqlite_settings, STAFF_SINCE).now()
        )
        set_password(session, "r1", "correct-horse")
    return replace(sqlite_settings, secret_key=SECRET)


def _browser(s, name: str, day: str) -> TestClient:
    with transaction(at(s, day)) as session:
        token = issue_token(session, name, at(s, day).now())
    c = TestClient(create_app(at(s, day)))
    c.headers["Authorization"] = f"Bearer {token}"
    return c


def _numbers(html: str) -> list[str]:
    return re.findall(r'<a href="/cases/\d+">([^<]+)</a>', html)


def test_the_queue_pages_with_a_total_and_links_that_keep_filters(s):
    for _ in range(25):
        new_case(s, "2026-05-06")
    c = _browser(s, "u1", "2026-05-08")
    page1 = c.get("/", params={"scope": "all", "state": "registered", "size": "20"}).text
    assert "共 25 件，第 1/2 页" in page1 and len(_numbers(page1)) == 20
    nxt = re.search(r'<a href="([^"]+)">下一页</a>', page1)
    assert nxt is not None
    link = nxt.group(1).replace("&amp;", "&")
    assert "state=registered" in link and "scope=all" in link and "page=2" in link and "size=20" in link
    page2 = c.get(link).text
    assert "第 2/2 页" in page2 and len(_numbers(page2)) == 5
    assert set(_numbers(page1)).isdisjoint(_numbers(page2))
    big = c.get("/", params={"scope": "all", "size": "100000"}).text
    assert "第 1/1 页" in big and 'value="200" selected' in big  # the page size is bounded
    by_number = _numbers(c.get("/", params={"scope": "all", "sort": "number", "desc": "true"}).text)
    assert by_number == sorted(by_number, reverse=True)
    assert "答复期限 2026-06-02" in page1  # the deadline column names its kind


def test_each_role_opens_on_its_own_view(s):
    mine = new_case(s, "2026-05-06")
    other = new_case(s, "2026-05-06")
    waiting = new_case(s, "2026-05-06")
    act(s, mine, "2026-05-07", "assign", "r1", handler="h1", department="法规科")
    act(s, other, "2026-05-07", "assign", "r1", handler="h2", department="政务公开科")
    for step, payload in (("start_review", {}), ("decide", {"outcome": "not_held"}), ("submit", {})):
        act(s, waiting, "2026-05-07", step, "h1", **payload)
    numbers = dict(_case_numbers(s))
    handler = _numbers(_browser(s, "h1", "2026-05-08").get("/").text)
    assert numbers[mine] in handler and numbers[other] not in handler
    approver = _numbers(_browser(s, "a1", "2026-05-08").get("/").text)
    assert approver == [numbers[waiting]]
    registrar = _numbers(_browser(s, "r2", "2026-05-08").get("/").text)
    assert registrar == [numbers[other]]
    everyone = _numbers(_browser(s, "u1", "2026-05-08").get("/").text)
    assert set(everyone) == set(numbers.values())


def _case_numbers(s) -> list[tuple[int, str]]:
    with reading(s) as session:
        return [(c.id or 0, c.number) for c in session.exec(select(Case))]


def test_the_inbox_pages_counts_unread_in_the_header_and_marks_read(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    for day in ("2026-05-26", "2026-05-29", "2026-06-03", "2026-06-04", "2026-06-05"):
        sweep(at(s, day))
    with reading(s) as session:
        notes = list(session.exec(select(Notification).where(Notification.user_name == "h1")))
    assert len(notes) >= 4
    c = _browser(s, "h1", "2026-06-05")
    page = c.get("/inbox").text
    assert f'id="unread-count" aria-label="未读 {len(notes)} 条"' in page
    assert c.get("/inbox", params={"size": "20"}).text.count(">标为已读</button>") == len(notes)
    first = notes[-1].id
    r = c.post("/inbox/read", data={"id": str(first), "back": "/inbox?unread=true"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/inbox?unread=true"
    assert f"未读 {len(notes) - 1} 条" in c.get("/inbox").text
    assert len(re.findall(r'<tr class="unread">', c.get("/inbox?unread=true").text)) == len(notes) - 1
    other = _browser(s, "a1", "2026-06-05")
    other.post("/inbox/read", data={"id": str(notes[0].id)})  # not theirs: nothing changes
    with reading(s) as session:
        assert session.get(Notification, notes[0].id).read_at is None
    c.post("/inbox/read", data={"id": "all"})
    assert 'id="unread-count"' not in c.get("/inbox").text
    with reading(s) as session:
        assert all(n.read_at for n in session.exec(select(Notification).where(Notification.user_name == "h1")))


def test_a_registrar_assigns_many_cases_each_audited_and_refusals_reported_per_case(s):
    ids = [new_case(s, "2026-05-06") for _ in range(3)]
    act(s, ids[2], "2026-05-07", "withdraw", "r1", reason="申请人撤回")  # may no longer be assigned
    c = TestClient(create_app(at(s, "2026-05-08")))  # a browser session: the result is a banner
    assert login_form(c, "r1", "correct-horse").status_code == 200
    csrf = c.get("/").text.split('name="csrf" value="')[1].split('"')[0]
    form = {"handler": "h2", "case": [str(i) for i in ids], "csrf": csrf, "back": "/?scope=all"}
    r = c.post("/queue/assign", data=form, follow_redirects=False)
    assert r.headers["location"] == "/?scope=all"
    assert r.status_code == 303
    page = c.get("/").text
    numbers = dict(_case_numbers(s))
    assert "已分派 2 件给“h2”" in page and "1 件未能分派" in page and numbers[ids[2]] in page
    with reading(s) as session:
        assigned = [e.case_id for e in session.exec(select(AuditEvent).where(AuditEvent.action == "assign"))]
        assert sorted(assigned) == sorted(ids[:2])
        assert [session.get(Case, i).handler for i in ids[:2]] == ["h2", "h2"]
    _browser(s, "h1", "2026-05-08").post("/queue/assign", data={"handler": "h1", "case": [str(ids[0])]})
    with reading(s) as session:  # a handler may not assign in bulk: nothing changed
        assert session.get(Case, ids[0]).handler == "h2"


def test_the_audit_page_is_newest_first_and_paged(s):
    for _ in range(8):
        new_case(s, "2026-05-06")
    c = _browser(s, "u1", "2026-05-08")
    page = c.get("/audit", params={"size": "20"}).text
    seqs = [int(x) for x in re.findall(r"<tr><td>(\d+)</td>", page)]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) == 20
    with reading(s) as session:
        total = len(session.exec(select(AuditEvent)).all())
    assert f"共 {total} 条事件" in page and seqs[0] == total
    assert "收到申请" in page and "登记" in page and "{&#34;" not in page and '{"' not in page  # no raw JSON


def test_the_case_page_says_what_happens_next(s):
    cid = new_case(s, "2026-05-06")  # correction window to 5/14, answer due 6/2
    act(s, cid, "2026-05-07", "assign", "r1", handler="h1")
    act(s, cid, "2026-05-07", "start_review", "h1")
    page = _browser(s, "h1", "2026-05-20").get(f"/cases/{cid}").text
    panel = page[page.index('id="next-step"') : page.index('id="deadlines"')]
    assert "审查并作出答复决定" in panel and "承办人 h1" in panel
    assert "答复期限 2026-06-02（剩余9个工作日）" in panel and "条例第三十三条" in panel
    assert "补正告知期限已于2026-05-14届满" in panel and "不是逾期" in panel
    assert "作出答复决定" in panel and "（decide）" not in page  # actions by their Chinese names only
    timeline = page[page.index("办理记录") :]
    assert "开始审查" in timeline and "分派承办人" in timeline and "<dt>承办人</dt><dd>h1</dd>" in timeline
    assert "期限计算说明" in page and "逐日计算" in page and "第20日" in page


def test_the_case_page_names_the_applicant_as_the_one_who_acts_on_a_correction(s):
    cid = new_case(s, "2026-05-06")
    act(
        s, cid, "2026-05-07", "request_correction", "h1", items="请写明年份", period_days="5", delivered_on="2026-05-07"
    )
    page = _browser(s, "h1", "2026-05-08").get(f"/cases/{cid}").text
    panel = page[page.index('id="next-step"') : page.index('id="deadlines"')]
    assert "申请人补正申请" in panel and "申请人" in panel and "补正期限 2026-05-13" in panel
    assert "<dt>补正期限</dt>" not in panel and "条例第三十条" in panel


def test_the_case_page_reads_the_ledger_once(s, monkeypatch):
    cid = new_case(s, "2026-05-06")
    from workflow.ledger import audit  # noqa: PLC0415

    calls = []
    real = audit.case_events
    monkeypatch.setattr(audit, "case_events", lambda session, case_id: calls.append(case_id) or real(session, case_id))
    assert _browser(s, "h1", "2026-05-08").get(f"/cases/{cid}").status_code == 200
    assert calls == [cid]


def test_the_approvals_list_is_paged_with_a_total(s):
    cases = [new_case(s, "2026-05-06") for _ in range(22)]
    for cid in cases:
        act(s, cid, "2026-05-07", "start_review", "h1")
        act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")
        act(s, cid, "2026-05-07", "submit", "h1")
    c = _browser(s, "a1", "2026-05-08")
    first = c.get("/approvals", params={"size": "20"}).text
    assert "共 22 件，第 1/2 页" in first and len(_numbers(first)) == 20
    assert 'href="/approvals?page=2&amp;size=20"' in first
    second = c.get("/approvals", params={"size": "20", "page": "2"}).text
    assert len(_numbers(second)) == 2 and not set(_numbers(first)) & set(_numbers(second))
