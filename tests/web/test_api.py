"""The HTTP API: an authorisation matrix over every role and action, error shapes, and security."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from states import ACTIONS, Action, Role
from tests.factories import STAFF_SINCE, act, add_staff, at, login_form, new_case
from web.app import create_app
from workflow.accounts.passwords import issue_token, set_password
from workflow.admin.users import add_user
from workflow.db import reading, transaction
from workflow.ledger.audit import payload_of as audit_payload
from workflow.letters.pdf import pdf_unavailable_reason
from workflow.models import Case, Letter

ROLE_USERS = {"registrar": "r1", "handler": "h1", "reviewer": "v1", "approver": "a1", "auditor": "u1", "admin": "m1"}
SECRET = "x" * 48


def _prepare(s, action: Action, n: int = 1) -> tuple[list[int], str, dict[str, object]]:
    """`n` cases where `action` is possible, the day to take it, and a valid payload. Each step is
    taken on all of them before the next, so the simulated time never runs backwards."""
    day = "2026-05-07"
    if action is Action.REGISTER:
        return [new_case(s, "2026-05-06", register=False) for _ in range(n)], day, {}
    if action is Action.CONFIRM_RECEIPT:
        ids = [new_case(s, "2026-05-06", register=False, channel="online") for _ in range(n)]
        return ids, day, {"method": "phone"}
    cids = [new_case(s, "2026-05-06") for _ in range(n)]

    def each(when: str, name: str, actor: str, **payload: object) -> None:
        for cid in cids:
            act(s, cid, when, name, actor, **payload)

    simple = {
        Action.REQUEST_CORRECTION: {"items": "请写明年份"},
        Action.START_REVIEW: {},
        Action.WITHDRAW: {"reason": "撤回"},
        Action.ASSIGN: {"handler": "h2"},
        Action.CORRECT_RECEIPT: {"received_on": "2026-05-05", "reason": "收件章日期有误"},
    }
    if action in simple:
        return cids, day, simple[action]
    if action in (Action.RECEIVE_CORRECTION, Action.LAPSE_CORRECTION):
        each(day, "request_correction", "h1", items="请写明年份", period_days="1")  # handed over: due 5/8
        return cids, "2026-05-11", {}
    if action is Action.RECORD_DELIVERY:
        each(day, "request_correction", "h1", items="请写明年份", delivery_method="post")
        with transaction(s) as session:
            ids = [
                session.exec(select(Letter.id).where(Letter.case_id == c).order_by(Letter.id.desc())).first()
                for c in cids
            ]
        return cids, day, {"letter": ids, "delivered_on": day}
    return _prepare_in_review(s, action, cids, each)


def _prepare_in_review(s, action: Action, cids: list[int], each) -> tuple[list[int], str, dict[str, object]]:
    day = "2026-05-07"
    each(day, "start_review", "h1")
    in_review = {
        Action.REVIEW_CONFIDENTIALITY: {"conclusion": "clear"},
        Action.CONSULT: {"party": "third_party", "addressee": "某公司"},
        Action.ISSUE_FEE_NOTICE: {"method": "per_page", "pages": 100},
        Action.EXTEND: {"days": 5, "reason": "情况复杂"},
        Action.DECIDE: {"outcome": "not_held"},
        Action.REQUEST_REASONS: {"matter": "本月申请45件"},
    }
    if action in in_review:
        return cids, day, in_review[action]
    if action in (Action.RECORD_REASONS, Action.SET_LATER_DATE):
        each(day, "request_reasons", "h1", matter="本月申请45件", delivery_method="in_person")
        if action is Action.RECORD_REASONS:
            return cids, day, {"reasonable": "yes"}
        each(day, "record_reasons", "h1", reasonable="yes")
        return cids, day, {"answer_due": "2026-08-31", "reason": "需调取大量档案"}
    if action in (Action.RECORD_REPLY, Action.LAPSE_CONSULTATION):
        each(day, "consult", "h1", party="other_agency", addressee="市财政局", delivered_on=day)  # due 5/28
        return cids, "2026-05-29", {"opinion": "consent"} if action is Action.RECORD_REPLY else {}
    if action in (Action.RECORD_PAYMENT, Action.LAPSE_FEE):
        each(day, "issue_fee_notice", "h1", method="per_page", pages="100")  # handed over: due 6/3
        return cids, "2026-06-04", {}
    each(day, "decide", "h1", outcome="not_held")
    if action is Action.SUBMIT:
        return cids, day, {}
    each(day, "submit", "h1")
    if action in (Action.APPROVE, Action.RETURN):
        return cids, day, {"comment": "同意"} if action is Action.APPROVE else {"comment": "请修改"}
    each(day, "approve", "a1")
    assert action is Action.CLOSE
    return cids, day, {}


@pytest.fixture
def s(sqlite_settings):
    add_staff(sqlite_settings)
    return replace(sqlite_settings, secret_key=SECRET)


def _logged_in(s, name: str, day: str) -> TestClient:
    """A browser session of `name` on the console, as of `day`."""
    with transaction(at(s, day)) as session:
        set_password(session, name, "correct-horse")
    browser = TestClient(create_app(at(s, day)))
    assert login_form(browser, name, "correct-horse").status_code == 200
    return browser


def _tokens(s) -> dict[str, str]:
    with transaction(at(s, "2026-05-06")) as session:
        return {role: issue_token(session, name, at(s, "2026-05-06").now()) for role, name in ROLE_USERS.items()}


@pytest.mark.parametrize("action", list(Action))
def test_authorisation_matrix_every_role_every_action(s, action):
    tokens = _tokens(s)
    spec = ACTIONS[action]
    cids, day, common = _prepare(s, action, len(tokens))
    for (role, token), cid, n in zip(tokens.items(), cids, range(len(cids)), strict=True):
        payload = {**common, "letter": common["letter"][n]} if "letter" in common else common
        client = TestClient(create_app(at(s, day)))
        r = client.post(
            f"/api/cases/{cid}/actions/{action.value}",
            json={"payload": payload},
            headers={"Authorization": f"Bearer {token}"},
        )
        if Role(role) in spec.roles:
            assert r.status_code == 200, (role, action, r.json())
            assert r.json()["case"]["version"] >= 2
        else:
            assert r.status_code == 403, (role, action, r.json())
            assert r.json()["error"]["rule"] == "role.forbidden"


@pytest.fixture
def client(s):
    tokens = _tokens(s)
    c = TestClient(create_app(at(s, "2026-05-07")))
    c.headers["Authorization"] = f"Bearer {tokens['handler']}"
    return c, tokens


def test_errors_are_json_naming_field_and_rule(s, client):
    c, _ = client
    cid = new_case(s, "2026-05-06")
    r = c.post(f"/api/cases/{cid}/actions/extend", json={"payload": {"days": 5}})
    assert r.status_code == 403
    r = c.post(f"/api/cases/{cid}/actions/request_correction", json={"payload": {}})
    assert (r.status_code, r.json()["error"]["field"], r.json()["error"]["rule"]) == (422, "items", "input.required")
    r = c.post(f"/api/cases/{cid}/actions/submit", json={"payload": {}})
    assert (r.status_code, r.json()["error"]["rule"], r.json()["error"]["field"]) == (
        409,
        "flow.illegal_transition",
        "action",
    )
    r = c.post(f"/api/cases/{cid}/actions/start_review", json={"payload": {}, "expected_version": 1})
    assert (r.status_code, r.json()["error"]["rule"], r.json()["error"]["field"]) == (
        409,
        "version.conflict",
        "expected_version",
    )
    r = c.get("/api/audit/verify")  # a handler is not an auditor
    assert (r.status_code, r.json()["error"]["rule"], r.json()["error"]["field"]) == (403, "role.forbidden", "actor")
    r = c.get("/api/cases/99999")
    assert (r.status_code, r.json()["error"]["rule"]) == (404, "case.unknown")
    r = c.get("/api/cases/not-a-number")
    assert (r.status_code, r.json()["error"]["field"]) == (422, "case_id")
    r = c.post(
        "/api/cases",
        json={
            "channel": "pigeon",
            "received_on": "2026-05-07",
            "applicant": "x",
            "applicant_type": "natural_person",
            "request": "y",
        },
    )
    assert (r.status_code, r.json()["error"]["field"]) == (422, "channel")
    assert TestClient(c.app).get("/api/cases").status_code == 401


def test_receive_act_and_download_through_the_api(s, client):
    c, _ = client
    r = c.post(
        "/api/cases",
        json={
            "channel": "online",
            "received_on": "2026-05-07",
            "applicant": "张三",
            "applicant_type": "natural_person",
            "request": "请公开{{ 7*7 }}",
            "id_number": "11010519491231002X",
        },
    )
    assert r.status_code == 201
    case = r.json()
    assert case["applicant"]["id_number"] == "110105********002X"
    r = c.post(f"/api/cases/{case['id']}/actions/register", json={"payload": {}})
    assert r.status_code == 403
    letters = c.get(f"/api/cases/{case['id']}/letters").json()
    assert letters == []
    queue = c.get("/api/cases").json()
    assert queue[0]["number"] == case["number"] and queue[0]["state"] == "received"


def test_login_is_throttled_and_cookies_are_safe(s):
    with transaction(at(s, STAFF_SINCE)) as session:
        set_password(session, "h1", "correct-horse")
    c = TestClient(create_app(at(s, "2026-05-07")))
    for _ in range(5):
        assert login_form(c, "h1", "nope").status_code == 401
    assert login_form(c, "h1", "correct-horse").status_code == 429
    c2 = TestClient(create_app(at(s, "2026-05-07")))
    r = login_form(c2, "h1", "correct-horse", follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert r.status_code == 303 and "httponly" in cookie and "samesite=strict" in cookie
    c3 = TestClient(create_app(at(s, "2026-05-07")))  # guessing across many user names from one address
    codes = [login_form(c3, f"u{i}", "x").status_code for i in range(21)]
    assert codes[:20] == [401] * 20 and codes[20] == 429


def test_console_forms_need_the_csrf_token(s):
    with transaction(at(s, STAFF_SINCE)) as session:
        set_password(session, "h1", "correct-horse")
    cid = new_case(s, "2026-05-06")
    c = TestClient(create_app(at(s, "2026-05-07")))
    login_form(c, "h1", "correct-horse")
    r = c.post(f"/cases/{cid}/act/start_review", data={"csrf": "forged"})
    assert r.status_code == 403 and "表单已过期" in r.text  # a console page (tests/web/test_console_errors.py)
    page = c.get(f"/cases/{cid}").text
    token = page.split('name="csrf" value="')[1].split('"')[0]
    r = c.post(f"/cases/{cid}/act/start_review", data={"csrf": token})
    assert r.status_code == 200 and "已办理“开始审查”" in r.text


def test_pages_render_for_every_role_without_external_assets(s):
    cid = new_case(s, "2026-05-06")
    with transaction(at(s, "2026-05-06")) as session:
        for name in ROLE_USERS.values():
            set_password(session, name, "correct-horse")
        add_user(session, name="外部", roles=["handler"], now=at(s, STAFF_SINCE).now())
    for role, name in ROLE_USERS.items():
        c = TestClient(create_app(at(s, "2026-05-07")))
        login_form(c, name, "correct-horse")
        for path in ("/", f"/cases/{cid}", "/inbox", "/intake", "/approvals", "/docs"):
            r = c.get(path)
            assert r.status_code == 200, (role, path)
            assert "https://" not in r.text and "http://" not in r.text.replace("http://testserver", "")
        assert c.get("/audit").status_code == (200 if role in ("auditor", "admin") else 403)
        assert c.get("/admin").status_code == (200 if role == "admin" else 403)
        if role == "registrar":  # assign: the handler is picked from the active handlers
            page = c.get(f"/cases/{cid}").text
            handlers = page[page.index('<datalist id="handlers-list">') :].split("</datalist>")[0]
            assert '<option value="h1">' in handlers and '<option value="外部">' in handlers
            assert '<option value="a1">' not in handlers


def test_auditor_exports_and_verifies(s, client):
    c, tokens = client
    cid = new_case(s, "2026-05-06")
    c.headers["Authorization"] = f"Bearer {tokens['auditor']}"
    with reading(s) as session:
        count = len(audit_events(session))  # the case's two, and the staff and tokens it was set up with
    assert c.get("/api/audit/verify").json() == {
        "intact": True,
        "count": count,
        "broken_seq": None,
        "problem": "",
        "problems": [],
    }
    rows = c.get(f"/api/audit/export?case={cid}&format=json").json()
    assert [r["action"] for r in rows] == ["receive", "register"] and all(len(r["hash"]) == 64 for r in rows)
    csv_text = c.get("/api/audit/export?format=csv&date_from=2026-05-01&date_to=2026-05-31").text
    # May's events: the tokens issued for this test on 5/6 and the case's receive and register
    lines = csv_text.splitlines()
    assert lines[0].startswith("seq,case_id,at,actor") and [line.split(",")[5] for line in lines[-2:]] == [
        "receive",
        "register",
    ]
    c.headers["Authorization"] = f"Bearer {tokens['handler']}"
    assert c.get("/api/audit/verify").status_code == 403


def test_calendar_import_preview_then_apply(s, client):
    c, tokens = client
    cid = new_case(s, "2026-05-06")
    late = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    c.headers["Authorization"] = f"Bearer {tokens['admin']}"
    text = "date,kind\n2026-05-20,holiday\n"
    body = {"format": "csv", "text": text, "dry_run": True}
    r = c.post(
        "/api/calendar/import",
        json={**body, "text": "year: 2026\nholidays: [2026-02-30]\nworkdays: []".replace("format", "")}
        | {"format": "yaml"},
    )
    assert r.status_code == 422 and "holidays" in r.json()["error"]["message"]
    preview = c.post("/api/calendar/import", json=body).json()
    assert preview["applied"] is False and {m["case_id"] for m in preview["moved"]} == {cid, late}
    assert c.get(f"/api/cases/{cid}").json()["answer_due"] == "2026-06-02"
    c.headers["Authorization"] = f"Bearer {tokens['handler']}"
    assert c.post("/api/calendar/import", json={**body, "dry_run": False}).status_code == 403


def test_reports_through_the_api_and_console(s, client):
    c, tokens = client
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")
    act(s, cid, "2026-05-07", "submit", "h1")
    act(s, cid, "2026-05-07", "approve", "a1")
    new_case(s, "2026-05-07")
    report = c.get("/api/reports/annual?year=2026").json()
    assert "王五" not in str(report)  # numbers and counts only, no applicant data
    assert report and "2026" in str(report)
    html = c.get("/api/reports/annual?year=2026&format=html").text
    assert "本年新收" in html and "结转下年度" in html
    svg = c.get("/api/reports/stats?year=2026&chart=true")
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.lstrip().startswith("<")
    assert c.get("/api/reports/annual?year=1999").status_code == 422
    xlsx = c.get("/api/reports/annual?year=2026&format=xlsx")
    assert (
        xlsx.status_code == 200 and xlsx.content.startswith(b"PK") and "spreadsheetml" in xlsx.headers["content-type"]
    )
    web = _logged_in(s, "u1", "2026-05-08")
    page = web.get("/reports?year=2026").text
    assert "按承办部门" in page and "按承办人" in page and "<pre" not in page and "format=xlsx" in page


def test_issued_letter_downloads_as_docx_html_and_pdf(s, client):
    c, _ = client
    cid = new_case(s, "2026-05-06")  # registration issues the acknowledgement
    (letter,) = c.get(f"/api/cases/{cid}/letters").json()
    docx = c.get(f"/api/letters/{letter['id']}/docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert docx.headers["content-disposition"] == f"attachment; filename=letter-{letter['id']}.docx"
    assert "政府信息公开申请登记回执" in c.get(f"/api/letters/{letter['id']}/html").text
    bad = c.get(f"/api/letters/{letter['id']}/odt")
    assert bad.status_code == 422 and bad.json()["error"]["rule"] == "letter.format"
    pdf = c.get(f"/api/letters/{letter['id']}/pdf")
    if pdf_unavailable_reason() is None:
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf.headers["content-type"] == "application/pdf"
    else:
        assert pdf.status_code == 409 and pdf.json()["error"]["rule"] == "letter.pdf_unavailable"


def test_audit_export_links_carry_every_filter_shown(s):
    for day in ("2026-05-06", "2026-05-07"):
        new_case(s, day)
    c = _logged_in(s, "u1", "2026-05-08")
    page = c.get("/audit?actor=r1&action=register&date_from=2026-05-07").text
    href = re.search(r'href="(/api/audit/export\?format=csv[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "actor=r1" in href and "action=register" in href and "date_from=2026-05-07" in href
    rows = list(csv.DictReader(io.StringIO(c.get(href).text)))
    assert [(r["actor"], r["action"], r["case_id"]) for r in rows] == [("r1", "register", "2")]


def test_the_api_reference_is_served_locally_and_lists_every_operation(s):
    c = TestClient(create_app(at(s, "2026-05-07")))
    spec = c.get("/openapi.json").json()
    page = c.get("/docs")
    assert page.status_code == 200 and "cdn" not in page.text.lower()
    assert not re.search(r"(src|href)=\"https?://", page.text)
    for path, item in spec["paths"].items():
        for method in item:
            assert f'id="{method}-{path}"' in page.text, (method, path)
    assert c.get("/redoc").status_code == 404


def test_approvers_approve_and_return_from_the_approvals_page(s):
    cases = [new_case(s, "2026-05-06") for _ in range(2)]
    for cid in cases:
        act(s, cid, "2026-05-07", "start_review", "h1")
        act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")
        act(s, cid, "2026-05-07", "submit", "h1")
    c = _logged_in(s, "a1", "2026-05-08")
    page = c.get("/approvals").text
    assert "信息不存在" in page and f"/api/cases/{cases[0]}/letters/preview/not_held" in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = {"csrf": csrf, "version": "5", "next": "/approvals", "comment": "同意", "confirmed": "1"}
    r = c.post(f"/cases/{cases[0]}/act/approve", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/approvals")
    r = c.post(f"/cases/{cases[1]}/act/return", data={**form, "comment": ""}, follow_redirects=False)
    assert r.status_code == 422  # a return needs its comment: shown on the case page, nothing changed
    r = c.post(f"/cases/{cases[1]}/act/return", data={**form, "comment": "请补充检索记录"}, follow_redirects=False)
    assert r.status_code == 303
    evil = {"csrf": csrf, "version": "6", "next": "https://evil.example/", "handler": "h2"}
    r = c.post(f"/cases/{cases[0]}/act/assign", data=evil, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/cases/{cases[0]}")  # no open redirect
    with reading(s) as session:
        assert [session.get(Case, cid).state for cid in cases] == ["answered", "drafting"]


def test_reconsideration_and_lawsuits_are_recorded_through_the_api_and_the_case_page(s, client):
    c, tokens = client
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="not_held")
    act(s, cid, "2026-05-07", "submit", "h1")
    act(s, cid, "2026-05-07", "approve", "a1")
    filed = c.post(f"/api/cases/{cid}/remedies", json={"kind": "reconsideration", "event": "filed", "on": "2026-05-07"})
    assert filed.status_code == 201 and filed.json()["kind"] == "reconsideration"
    early = c.post(f"/api/cases/{cid}/remedies", json={"kind": "lawsuit_after_reconsideration", "event": "decided"})
    assert early.status_code in (409, 422) and early.json()["error"]["rule"]
    c.headers["Authorization"] = f"Bearer {tokens['auditor']}"
    assert c.post(f"/api/cases/{cid}/remedies", json={"kind": "reconsideration", "event": "filed"}).status_code == 403
    assert [r["event"] for r in c.get(f"/api/cases/{cid}/remedies").json()] == ["filed"]
    web = _logged_in(s, "h1", "2026-05-07")
    page = web.get(f"/cases/{cid}").text
    assert 'id="remedies"' in page and "行政复议" in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = {"csrf": csrf, "kind": "reconsideration", "event": "decided", "result": "upheld", "on": "2026-05-07"}
    assert web.post(f"/cases/{cid}/remedy", data=form, follow_redirects=False).status_code == 303
    assert [r["result"] for r in c.get(f"/api/cases/{cid}/remedies").json()] == [None, "upheld"]


def test_an_admin_shuts_an_account_and_its_sessions_and_tokens_stop_working(s):
    browser = _logged_in(s, "h1", "2026-05-06")
    tokens = _tokens(s)  # after the password was set: setting a password revokes the tokens before it
    assert browser.get("/inbox").status_code == 200
    api = TestClient(create_app(at(s, "2026-05-07")))
    h1 = {"Authorization": f"Bearer {tokens['handler']}"}
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    assert api.get("/api/cases", headers=h1).status_code == 200
    r = api.patch("/api/users/h1", json={"active": False}, headers=admin)
    assert r.status_code == 200 and r.json()["active"] is False
    assert api.get("/api/cases", headers=h1).status_code == 401  # the token is revoked
    assert browser.get("/inbox", follow_redirects=False).status_code in (302, 303)  # the session has ended
    r = api.patch("/api/users/h2", json={"roles": ["reviewer"]}, headers=admin)
    assert r.json()["roles"] == ["reviewer"]  # replaced, not merged
    r = api.patch("/api/users/m1", json={"active": False}, headers=admin)
    assert (r.status_code, r.json()["error"]["rule"]) == (403, "user.self_lockout")
    assert api.patch("/api/users/h2", json={"active": False}, headers=h1).status_code == 401
    with reading(s) as session:
        changes = [e for e in audit_events(session) if e.action == "user_changed"]
    assert [audit_payload(e)["name"] for e in changes] == ["h1", "h2"]


def audit_events(session):
    from sqlmodel import select

    from workflow.models import AuditEvent

    return list(session.exec(select(AuditEvent).order_by(AuditEvent.seq)))
