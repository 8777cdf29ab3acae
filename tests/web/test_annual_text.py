"""The console form for the annual report's text: an approver or admin saves each section and
section 二's figures (audited), others only read, a bad figure is refused with its field named,
and the forged form is refused."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories import add_staff, at, login_form
from web.app import create_app
from workflow.accounts.passwords import set_password
from workflow.admin.report_texts import entered_figures, load_texts
from workflow.db import reading, transaction


@pytest.fixture
def s(sqlite_settings):
    add_staff(sqlite_settings)
    return at(sqlite_settings, "2026-11-20")


def _browser(s, name: str) -> tuple[TestClient, str]:
    with transaction(s) as session:
        set_password(session, name, "correct-horse")
    browser = TestClient(create_app(s))
    assert login_form(browser, name, "correct-horse").status_code == 200
    page = browser.get("/reports/annual-text?year=2026").text
    return browser, page.split('name="csrf" value="')[1].split('"')[0]


def test_an_approver_saves_the_sections_and_figures(s):
    browser, csrf = _browser(s, "a1")
    form = {
        "csrf": csrf,
        "year": "2026",
        "text_overview": "总体情况第一段。\r\n第二段。",
        "figure_normative.made": "12",
    }
    r = browser.post("/reports/annual-text", data=form, follow_redirects=False)
    assert r.status_code == 303 and "已保存" in browser.get(r.headers["location"]).text  # the banner
    with reading(s) as session:
        assert load_texts(session, 2026) == {"overview": "总体情况第一段。\n第二段。"}
        assert entered_figures(session, 2026)["normative.made"] == 12
    page = browser.get("/reports/annual-text?year=2026").text
    assert "总体情况第一段。" in page and 'value="12"' in page and "六、其他需要报告的事项" in page


def test_a_bad_figure_is_refused_naming_it_and_nothing_is_saved(s):
    browser, csrf = _browser(s, "m1")
    form = {"csrf": csrf, "year": "2026", "text_overview": "x", "figure_rules.made": "many"}
    r = browser.post("/reports/annual-text", data=form, follow_redirects=False)
    assert r.status_code == 303 and "rules.made" in browser.get(r.headers["location"]).text
    with reading(s) as session:
        assert load_texts(session, 2026) == {}


def test_a_handler_reads_but_cannot_save_and_a_forged_form_is_refused(s):
    browser, csrf = _browser(s, "h1")
    page = browser.get("/reports/annual-text?year=2026").text
    assert "readonly" in page and "仅管理员或审批人可以编辑" in page
    r = browser.post(
        "/reports/annual-text", data={"csrf": csrf, "year": "2026", "text_overview": "x"}, follow_redirects=False
    )
    assert "仅管理员或审批人" in browser.get(r.headers["location"]).text or r.status_code == 403
    forged = browser.post("/reports/annual-text", data={"csrf": "forged", "year": "2026"})
    assert forged.status_code == 403


def test_the_whole_report_opens_as_a_page_and_downloads_as_docx(s):
    browser, _ = _browser(s, "u1")
    page = browser.get("/reports/annual-full?year=2026")
    assert page.status_code == 200 and "六、其他需要报告的事项" in page.text and "申请人情况" in page.text
    docx = browser.get("/reports/annual-full?year=2026&format=docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
