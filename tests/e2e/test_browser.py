"""The console in a real browser: one application from intake to an approved answer, downloaded
as .docx, and its ledger verified by an auditor — every step clicked and typed as staff would.

The product runs as `ogi serve --no-workers` in a subprocess on a fresh SQLite database, with
OGI_NOW fixed so every date is deterministic; Chromium is Debian's (/usr/bin/chromium), driven by
Playwright. Screenshots of every step go to test-artifacts/e2e/ (git-ignored).

Skipped when Chromium or the playwright package is missing, unless OGI_TEST_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import shutil
import signal
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from states.labels import event_label
from tests.helpers import free_port

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("OGI_TEST_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
OGI = shutil.which("ogi", path=str(Path(sys.executable).parent)) or "ogi"

NOW = "2026-09-01T10:00:00+08:00"  # a Tuesday; every step below happens on this working day
TODAY = NOW[:10]
PASSWORD = "Ogi-e2e-密码-2026"
STAFF = {
    "li": "registrar",
    "wang": "handler",
    "zhao": "reviewer",
    "zhang": "approver",
    "liu": "auditor",
}
APPLICANT = "王五"
REQUEST = "请公开本市2025年度老旧小区改造项目清单及资金安排"
EXPECTED_LEDGER = [
    "receive",
    "register",
    "request_correction",
    "receive_correction",
    "start_review",
    "consult",
    "record_reply",
    "review_confidentiality",
    "decide",
    "submit",
    "approve",
]


def _need_browser() -> None:
    missing = []
    if sync_playwright is None:
        missing.append("the playwright package (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if REQUIRE_BROWSER:
            pytest.fail(message + " — OGI_TEST_REQUIRE_BROWSER=1", pytrace=False)
        pytest.skip(message)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - our own loopback server
            return bool(r.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`ogi init`, five staff with known passwords, then `ogi serve --no-workers` on a free port."""
    _need_browser()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGI_")}
    env.update(
        OGI_DATABASE_URL=f"sqlite:///{tmp_path / 'ogi.db'}",
        OGI_SECRET_KEY="".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(48)),
        OGI_NOW=NOW,
        OGI_BROKER_DIR=str(tmp_path / "broker"),
    )
    env["PYTHONPATH"] = str(REPO)  # the checkout under test, not whichever one the venv was installed from

    def ogi(*args: str) -> None:
        r = subprocess.run([OGI, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, f"ogi {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}"

    ogi("init", "--simulation")
    for name, role in STAFF.items():
        ogi("user", "add", name, "--role", role)

    from workflow.accounts.passwords import set_password
    from workflow.config import Settings
    from workflow.db import dispose_engines, transaction

    try:
        with transaction(Settings.from_env(env)) as session:
            for name in STAFF:
                set_password(session, name, PASSWORD)
    finally:
        dispose_engines()

    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [OGI, "serve", "--port", str(port), "--no-workers"],
            env=env,
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    srv = Server(f"http://127.0.0.1:{port}", proc, log)
    try:
        deadline = time.monotonic() + 30
        while not _answers(srv.url + "/login"):
            assert proc.poll() is None, f"ogi serve exited with {proc.returncode}:\n{srv.tail()}"
            assert time.monotonic() < deadline, f"ogi serve did not answer within 30 s:\n{srv.tail()}"
            time.sleep(0.2)
        yield srv
    finally:
        _stop(proc)
        print(f"--- ogi serve log (tail) ---\n{srv.tail()}")


@dataclass
class Console:
    """One browser tab on the console, with numbered full-page screenshots."""

    page: Page
    base: str
    shots: list[Path] = field(default_factory=list)

    def shot(self, step: str) -> None:
        path = ARTIFACTS / f"{len(self.shots) + 1:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)

    def login(self, user: str) -> None:
        page = self.page
        page.goto(self.base + "/login")
        expect(page.get_by_role("heading", name="登录")).to_be_visible()
        page.get_by_label("用户名").fill(user)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name="工作台")).to_be_visible()
        expect(page.locator("header form.who span")).to_contain_text(user)

    def logout(self) -> None:
        self.page.get_by_role("button", name="退出").click()
        expect(self.page.get_by_role("heading", name="登录")).to_be_visible()

    def open_case(self, number: str) -> None:
        """From the work queue, click the case number."""
        page = self.page
        page.get_by_role("link", name="工作台").click()
        expect(page.get_by_role("heading", name="工作台")).to_be_visible()
        page.get_by_label("范围").select_option(label="全部")  # a handler opens on their own cases
        page.get_by_label("编号或申请人").fill(number)
        page.get_by_role("button", name="筛选").click()
        page.get_by_role("link", name=number, exact=True).click()
        expect(page.locator("h1")).to_contain_text(number)

    def act(self, action: str, button: str, state: str, fields: dict[str, str] | None = None) -> None:
        """Open the action's form on the case page, fill it in by its labels, submit, and check the
        success flash and the new state."""
        page = self.page
        form = page.locator(f'form[data-action="{action}"]')
        expect(form).to_have_count(1)
        details = form.locator("xpath=..")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        expect(form).to_be_visible()
        for label, value in (fields or {}).items():
            # The label's text, then " *" when required (and a select's options): match the whole words.
            control = form.get_by_label(re.compile(rf"^\s*{re.escape(label)}(?![^\s*])"))
            tag = control.evaluate("e => e.tagName")
            if tag == "SELECT":
                control.select_option(value)
            else:
                control.fill(value)
        form.get_by_role("button", name=button, exact=True).click()
        if action in ("approve", "return", "withdraw"):  # asked once more, on a page of its own
            page.get_by_role("button", name=f"确认{button}").click()
        done = page.locator("p.flash.ok", has_text=f"已办理“{button}”")
        refused = page.locator("p.flash.error")
        expect(done.or_(refused).first).to_be_visible()  # the page after the POST, either way
        assert refused.count() == 0, f"{action}: {refused.all_inner_texts()}"
        expect(done).to_be_visible()
        expect(page.locator("h1 .state")).to_have_text(state)
        self.shot(action)


def _case_ref(page: Page) -> tuple[int, str]:
    match = re.search(r"/cases/(\d+)", page.url)
    assert match, page.url
    number = page.locator("h1").evaluate("h => h.firstChild.textContent.trim()")
    assert re.fullmatch(r"依申〔2026〕\d+号", number), number
    return int(match.group(1)), str(number)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


@pytest.fixture
def console(server: Server, tmp_path: Path) -> Iterator[Console]:
    assert sync_playwright is not None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                accept_downloads=True,
                locale="zh-CN",
                timezone_id="Asia/Shanghai",
                viewport={"width": 1280, "height": 900},
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            try:
                yield Console(page, server.url)
            finally:
                context.close()
        finally:
            browser.close()


def test_application_from_intake_to_verified_ledger(console: Console, tmp_path: Path) -> None:
    """Registrar, handler, reviewer, approver and auditor each do their part in the console."""
    try:
        problems = _walk_through(console, tmp_path)
    except BaseException:
        with contextlib.suppress(Exception):
            console.page.screenshot(path=str(ARTIFACTS / "99-failure.png"), full_page=True)
        raise
    # Defects that do not stop the flow are collected on the way and reported here, all at once.
    assert not problems, "\n".join(problems)


def _walk_through(c: Console, tmp_path: Path) -> list[str]:
    page = c.page
    problems: list[str] = []

    # 1. The registrar logs in and records an application received in person today.
    c.login("li")
    c.shot("registrar-queue")
    page.get_by_role("link", name="收件登记").click()
    expect(page.get_by_role("heading", name="收件登记")).to_be_visible()
    received = page.get_by_label("收到申请之日")
    shown = received.input_value()
    if shown != TODAY or received.get_attribute("max") != TODAY:
        problems.append(
            f"/intake: the 收到申请之日 field offers {shown!r} (max {received.get_attribute('max')!r}) but the "
            f"office's today is {TODAY} (OGI_NOW={NOW}); web/console.py uses date.today() instead of settings.now()"
        )
    page.get_by_label("申请渠道").select_option(label="当面提交")
    received.fill(TODAY)
    page.get_by_label("申请人", exact=True).fill(APPLICANT)
    page.get_by_label("申请人类型").select_option(label="自然人")
    page.get_by_label("联系方式").fill("13800000000")
    page.get_by_label("申请内容").fill(REQUEST)
    c.shot("intake-form")
    page.get_by_role("button", name="收件", exact=True).click()
    expect(page.locator("p.flash.ok")).to_contain_text("已收件")
    expect(page.locator("h1 .state")).to_have_text("已收到")
    case_id, number = _case_ref(page)
    expect(page.locator("p.flash.ok")).to_contain_text(number)
    expect(page.locator("#case-summary")).to_contain_text(APPLICANT)
    expect(page.locator("#case-summary")).to_contain_text(TODAY)
    c.shot("received")

    # 2. ...and registers it (the acknowledgement letter is issued).
    c.act("register", "登记", "已登记")
    expect(page.locator("p.flash.ok")).to_contain_text("已出具")
    c.logout()

    # 3. The handler finds it in the queue (their own cases by default: an unassigned case is under
    # 全部) and asks the applicant to correct the request.
    c.login("wang")
    expect(page.get_by_label("范围")).to_have_value("mine")
    page.get_by_label("范围").select_option(label="全部")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.queue")).to_contain_text(number)
    c.shot("handler-queue")
    c.open_case(number)
    c.act(
        "request_correction",
        "告知补正",
        "待补正",
        {"需补正的事项": "请写明所需项目所在区县及年度范围", "补正期限（工作日）": "10"},
    )
    expect(page.locator("p.flash.ok")).to_contain_text("补正告知书")

    # 4. The corrected application arrives (same day), and review starts.
    c.act("receive_correction", "收到补正", "已登记", {"备注": "申请人当日补正，写明为全市范围2025年度"})
    c.act("start_review", "开始审查", "审查中")

    # 5. A third party is consulted, and its consent is recorded.
    c.act(
        "consult",
        "征求意见",
        "征求意见中",
        {"征求对象类型": "third_party", "征求对象名称": "某建设有限公司", "征求意见事项": "是否同意公开项目资金安排"},
    )
    consultations = page.locator("section.card", has=page.get_by_role("heading", name="征求意见", exact=True))
    expect(consultations).to_contain_text("某建设有限公司")
    expect(consultations).to_contain_text("尚未答复")
    c.act("record_reply", "收到意见", "审查中", {"意见": "consent"})
    expect(consultations).to_contain_text("同意公开")
    c.logout()

    # 6. The reviewer clears the confidentiality review.
    c.login("zhao")
    c.open_case(number)
    c.act("review_confidentiality", "保密审查", "审查中", {"审查结论": "clear"})
    c.logout()

    # 7. The handler decides to disclose and submits for approval.
    c.login("wang")
    c.open_case(number)
    c.act(
        "decide",
        "作出答复决定",
        "拟稿中",
        {"答复类型": "disclosed", "获取方式、途径或其他告知事项": "以电子邮件方式提供项目清单及资金安排表"},
    )
    c.act("submit", "提交审批", "待审批")
    c.logout()

    # 8. The approver opens it from 待审批 and approves: the answer letter is issued.
    c.login("zhang")
    page.get_by_role("link", name="待审批").click()
    expect(page.get_by_role("heading", name="待审批")).to_be_visible()
    expect(page.locator("table.queue")).to_contain_text(number)
    c.shot("approvals")
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.locator("h1 .state")).to_have_text("待审批")
    c.act("approve", "审批通过", "已答复", {"审批意见": "同意"})
    expect(page.locator("p.flash.ok")).to_contain_text("政府信息公开申请答复书")

    # 9. The answer is downloaded through the page's link and is a real Word file.
    row = page.locator("section.card tr", has_text="政府信息公开申请答复书")
    expect(row).to_have_count(1)
    with page.expect_download() as info:
        row.get_by_role("link", name="下载 .docx").click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".docx"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    assert data[:2] == b"PK", data[:16]
    text = _docx_text(data)
    assert "政府信息公开申请答复书" in text, text[:500]
    letter_number = row.locator("td").first.inner_text().strip()
    assert re.search(r"答〔2026〕\d+号$", letter_number), letter_number
    assert letter_number in text, text[:500]
    # the letter restates the request without the applicant's own "请公开"
    assert APPLICANT in text and REQUEST.removeprefix("请公开") in text, text[:500]
    if number not in text:
        problems.append(
            f"answer letter {letter_number}: the downloaded .docx does not mention the case number {number} "
            "(the acknowledgement gives it to the applicant as 登记编号 for enquiries; "
            "templates/answer_letters/_base.html.j2 prints only the letter's own 文号)"
        )
    c.logout()

    # 10. The auditor reads the case's ledger and verifies the hash chain.
    c.login("liu")
    page.get_by_role("link", name="审计").click()
    expect(page.get_by_role("heading", name="审计")).to_be_visible()
    page.get_by_label("案件序号").fill(str(case_id))
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("table.timeline tbody tr")
    expect(rows).to_have_count(len(EXPECTED_LEDGER))
    cells: list[list[str]] = rows.evaluate_all(
        "rs => rs.map(r => Array.from(r.querySelectorAll('td')).map(td => td.textContent.trim()))"
    )
    assert [int(r[0]) for r in cells] == sorted((int(r[0]) for r in cells), reverse=True)  # newest first
    cells.reverse()  # read the case's story from its start
    assert [r[4] for r in cells] == [event_label(a) for a in EXPECTED_LEDGER]  # in words, never the identifier
    assert all(r[1] == str(case_id) for r in cells)
    assert all(re.fullmatch(r"[0-9a-f]{10}", r[8]) for r in cells), cells
    for prev, cur in zip(cells, cells[1:], strict=False):
        if int(cur[0]) == int(prev[0]) + 1:
            assert cur[7] == prev[8], f"event {cur[0]} does not link to event {prev[0]}"
    c.shot("audit-timeline")
    page.get_by_role("button", name="校验哈希链").click()
    result = page.locator("#chain-result")
    expect(result).to_have_class(re.compile(r"\bflash\b.*\bok\b"))
    expect(result).to_contain_text("审计链完整")
    expect(page.locator("table.timeline tbody tr")).to_have_count(len(EXPECTED_LEDGER))
    c.shot("audit-verified")
    return problems
