"""The applicant portal in a real browser, with the staff console beside it: an applicant applies
with an attachment (solving the CAPTCHA), keeps the receipt, the registrar registers the case, the
handler asks for a correction, the applicant replies online, the case is answered and the
applicant downloads the answer letter, whose opening is then recorded.

The product runs in-process (uvicorn in a thread) so the test can read the CAPTCHA it shows, on a
fresh SQLite database with the clock fixed; Chromium is Debian's, driven by Playwright. Every step
is photographed at 390 px (a phone) and 1280 px: test-artifacts/portal/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, PASSWORD, Console, _docx_text, _need_browser
from tests.helpers import free_port

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "test-artifacts" / "portal"
NOW = "2026-09-01T10:00:00+08:00"
STAFF = {"li": "registrar", "wang": "handler", "zhang": "approver"}
REQUEST = "请公开本市2025年度老旧小区改造项目清单及资金安排"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WIDTHS = {"390": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@dataclass
class Live:
    url: str
    app: object


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """The product on a free port, CAPTCHA on, staff with known passwords."""
    _need_browser()
    import uvicorn

    from web.app import create_app
    from workflow.accounts.passwords import set_password
    from workflow.admin.users import add_user
    from workflow.config import Settings
    from workflow.db import dispose_engines, transaction
    from workflow.schema import upgrade

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'ogi.db'}",
        now_override=datetime.fromisoformat(NOW),
        secret_key="s" * 48,
        portal_captcha=True,
    )
    upgrade(settings, simulation=True)
    with transaction(settings) as session:
        for name, role in STAFF.items():
            add_user(session, name=name, roles=[role], now=settings.now())
            set_password(session, name, PASSWORD, now=settings.now())
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        dispose_engines()


@dataclass
class Walk(Console):
    """Console steps from the staff test, and screenshots at both widths of every step."""

    names: list[str] = field(default_factory=list)

    def shot(self, step: str) -> None:
        n = len(self.names) + 1
        for label, size in WIDTHS.items():
            self.page.set_viewport_size(size)
            path = SHOTS / f"{n:02d}-{step}-{label}.png"
            self.page.screenshot(path=str(path), full_page=True)
            self.shots.append(path)
        self.page.set_viewport_size(WIDTHS["390"])
        self.names.append(step)


def _captcha_digits(live: Live, page: Page) -> str:
    key = page.locator("input[name=captcha_id]").input_value()
    return str(live.app.state.portal_guards.captchas._items[key][0])  # type: ignore[attr-defined]


@pytest.fixture
def walk(live: Live) -> Iterator[Walk]:
    assert sync_playwright is not None
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                accept_downloads=True, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=WIDTHS["390"]
            )
            context.set_default_timeout(15_000)
            yield Walk(context.new_page(), live.url)
            context.close()
        finally:
            browser.close()


def test_an_applicant_applies_replies_online_and_receives_the_answer(walk: Walk, live: Live, tmp_path: Path) -> None:
    try:
        _walk(walk, live, tmp_path)
    except BaseException:
        with contextlib.suppress(Exception):
            walk.page.screenshot(path=str(SHOTS / "99-failure.png"), full_page=True)
        raise


def _track(w: Walk, number: str, code: str) -> None:
    page = w.page
    page.goto(w.base + "/public/track")
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="办理进度")).to_be_visible()


def _staff(w: Walk, user: str, number: str) -> None:
    w.page.set_viewport_size(WIDTHS["desktop"])
    w.page.goto(w.base + "/login")
    w.login(user)
    w.open_case(number)


def _apply(w: Walk, live: Live, tmp_path: Path) -> tuple[str, str]:
    page = w.page
    page.goto(w.base + "/public/")
    expect(page.get_by_role("heading", name="提交政府信息公开申请")).to_be_visible()
    page.keyboard.press("Tab")  # keyboard users meet the skip link first
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    unlabelled = page.evaluate(
        "Array.from(document.querySelectorAll('main input:not([type=hidden]), main select, main textarea'))"
        ".filter(e => !e.labels || e.labels.length === 0).map(e => e.name)"
    )
    assert unlabelled == [], unlabelled
    page.get_by_label("申请人类型").select_option("natural_person")
    page.get_by_label("姓名或名称").fill("王五")
    page.get_by_label("身份证号码或统一社会信用代码").fill("110105198001010016")
    page.get_by_label("联系电话").fill("13800000000")
    page.get_by_label("电子邮箱").fill("wangwu@example.cn")
    page.get_by_label(re.compile("所需政府信息的名称")).fill(REQUEST)
    page.get_by_label("用途（选填）").fill("了解本小区改造安排")
    page.get_by_label("在线平台").check()
    page.get_by_label(re.compile("我同意通过本平台")).check()
    attachment = tmp_path / "身份证复印件.pdf"
    attachment.write_bytes(PDF)
    page.get_by_label("身份证明、授权委托书等材料").set_input_files(str(attachment))
    page.get_by_label("请输入图中的5位数字").fill(_captcha_digits(live, page))
    w.shot("apply-form")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", name="政府信息公开申请回执")).to_be_visible()
    number = page.locator("dd.big").first.inner_text().strip()
    code = page.locator("dd.mono").inner_text().strip()
    assert re.fullmatch(r"依申〔2026〕\d+号", number) and len(code.replace("-", "")) >= 8
    expect(page.locator(".receipt")).to_contain_text(REQUEST)
    expect(page.locator(".receipt")).to_contain_text("2026年9月1日")
    expect(page.locator(".receipt")).to_contain_text("身份证复印件.pdf")
    w.shot("receipt")
    page.pdf(path=str(SHOTS / "receipt.pdf"))  # the printable receipt the applicant keeps
    return number, code


def _walk(w: Walk, live: Live, tmp_path: Path) -> None:
    page = w.page
    number, code = _apply(w, live, tmp_path)

    _track(w, number, code)
    expect(page.locator("h2.state")).to_have_text("已提交，待确认收到")
    w.shot("status-received")

    # The registrar confirms receipt (Art. 31(3): the day both sides confirm starts the clock), and registers.
    _staff(w, "li", number)
    w.act("confirm_receipt", "确认收到申请", "已收到", {"确认方式": "online"})
    w.act("register", "登记", "已登记")
    w.act("assign", "分派承办人", "已登记", {"承办人": "wang"})
    w.logout()
    _track(w, number, code)
    expect(page.locator(".status")).to_contain_text("收到申请之日")
    expect(page.locator(".status")).to_contain_text("最迟答复日期")
    w.shot("status-confirmed")

    # The handler asks for a correction.
    _staff(w, "wang", number)
    w.act(
        "request_correction",
        "告知补正",
        "待补正",
        {"需补正的事项": "请写明所需项目所在区县", "补正期限（工作日）": "10"},
    )
    w.logout()

    # The applicant sees what to correct, reads the notice, and replies online.
    _track(w, number, code)
    expect(page.locator("h2.state")).to_have_text("需要您补正申请")
    expect(page.locator("main")).to_contain_text("请写明所需项目所在区县")
    expect(page.locator("ul.letters")).to_contain_text("补正告知书")
    page.get_by_label("补正内容").fill("所需为本市东城区2025年度项目")
    w.shot("correction-form")
    page.get_by_role("button", name="提交补正").click()
    expect(page.locator("p.alert.ok")).to_contain_text("已提交补正")
    expect(page.locator("h2.state")).to_have_text("已受理，正在办理")
    w.shot("correction-sent")

    # The handler decides; the approver approves: the answer letter is issued.
    _staff(w, "wang", number)
    expect(page.locator("table.timeline")).to_contain_text("申请人（在线）收到补正")
    w.act("start_review", "开始审查", "审查中")
    w.act("decide", "作出答复决定", "拟稿中", {"答复类型": "not_held", "说明理由": "经检索，本机关未制作该项目清单"})
    w.act("submit", "提交审批", "待审批")
    w.logout()
    _staff(w, "zhang", number)
    w.act("approve", "审批通过", "已答复", {"审批意见": "同意"})
    w.logout()

    # The applicant downloads the answer; the portal records when it was opened.
    _track(w, number, code)
    expect(page.locator("h2.state")).to_have_text("已答复")
    answer = page.locator("ul.letters li", has_text="答复书")
    expect(answer).to_contain_text("尚未查阅")
    w.shot("answered")
    with page.expect_download() as info:
        answer.get_by_role("link", name="下载（Word）").click()
    saved = tmp_path / "answer.docx"
    info.value.save_as(saved)
    text = _docx_text(saved.read_bytes())
    assert "政府信息公开申请答复书" in text and "王五" in text
    page.reload()
    opened = page.locator("ul.letters li", has_text="答复书")
    expect(opened).to_contain_text("已于 2026-09-01 10:00")
    expect(opened).to_contain_text("已于2026年9月1日送达")  # electronic service: opening is delivery
    w.shot("letter-opened")
    _check_records(live, number)
    _staff(w, "wang", number)
    expect(page.locator("table.timeline")).to_contain_text("登记送达")
    w.shot("handler-sees-delivery")


def _check_records(live: Live, number: str) -> None:
    from workflow.db import reading
    from workflow.ledger import audit
    from workflow.models import Case, Letter
    from workflow.models.portal import PortalLetterAccess

    settings = live.app.state.settings  # type: ignore[attr-defined]
    with reading(settings) as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        actions = [(e.action, e.role) for e in audit.case_events(session, case.id or 0)]
        answer = session.exec(select(Letter).where(Letter.case_id == case.id, Letter.kind == "not_held")).one()
        access = session.get(PortalLetterAccess, answer.id)
    assert actions[0] == ("receive", "applicant") and ("receive_correction", "applicant") in actions
    assert access is not None and access.count == 1
    assert ("confirm_receipt", "registrar") in actions and ("record_delivery", "applicant") in actions
