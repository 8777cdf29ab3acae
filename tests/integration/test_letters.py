"""Issuing letters inside perform: numbers, storage, hashes in the ledger, validation, safety."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import threading

import pytest
from docx import Document

from tests.factories import act, add_staff, at, new_case
from workflow.calendar.store import load_calendar
from workflow.db import reading, transaction
from workflow.errors import Refused
from workflow.ledger import audit
from workflow.letters import pdf as pdf_module
from workflow.letters.issue import letter_bytes, letters_of, preview
from workflow.letters.pdf import pdf_unavailable_reason
from workflow.letters.render import environment, template_dir
from workflow.models import Case
from workflow.office.settings import set_office
from workflow.service import perform
from workflow.timeutil import local_date


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def _letters(settings, cid):
    with reading(settings) as session:
        return letters_of(session, cid)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs)


def test_registration_issues_a_numbered_acknowledgement_whose_hash_is_in_the_ledger(s):
    cid = new_case(s, "2026-05-06")
    (letter,) = _letters(s, cid)
    assert (letter.kind, letter.number) == ("acknowledgement", "示政办公开登〔2026〕1号")
    with reading(s) as session:
        event = audit.case_events(session, cid)[-1]
        _, content = letter_bytes(session, letter.id)
    recorded = audit.payload_of(event)["letter"]
    assert recorded["sha256"] == hashlib.sha256(content).hexdigest() == letter.docx_sha256
    assert recorded["number"] == letter.number
    text = _docx_text(content)
    # the request restated without the applicant's "请公开"; the seal is drawn over the signature
    for part in ("示政办公开登〔2026〕1号", "王五：", "2026年5月6日", "“本单位2025年部门决算”", "特此告知。"):
        assert part in text


def test_answer_letter_carries_grounds_articles_and_the_remedy_variant(s):
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="withheld", grounds="state_secret,process_information")
    act(s, cid, "2026-05-07", "submit", "h1")
    act(s, cid, "2026-05-08", "approve", "a1")
    answer = _letters(s, cid)[-1]
    assert (answer.kind, answer.number) == ("withheld", "示政办公开答〔2026〕1号")
    with reading(s) as session:
        text = _docx_text(letter_bytes(session, answer.id)[1])
    for part in (
        "第三十六条第（三）项",
        "依法确定为国家秘密",
        "《条例》第十四条规定：“",
        "过程性信息",
        "第十六条第二款",
        "申请行政复议；对行政复议决定不服",
        "示例市人民政府",
        "2026年5月8日",
    ):
        assert part in text


def test_issued_docx_has_the_gbt9704_layout(s):
    cid = new_case(s)
    with reading(s) as session:
        content = letter_bytes(session, _letters(s, cid)[0].id)[1]
    doc = Document(io.BytesIO(content))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert (round(sec.top_margin.mm), round(sec.left_margin.mm), round(sec.right_margin.mm)) == (37, 28, 26)
    assert round(sec.page_width.mm - sec.left_margin.mm - sec.right_margin.mm) == 156
    title = next(p for p in doc.paragraphs if p.text == "政府信息公开申请登记回执")
    assert title.runs[0].font.size.pt == 22
    assert (
        title.runs[0]._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )
    body = next(p for p in doc.paragraphs if p.text.startswith("本机关于"))
    assert body.runs[0].font.size.pt == 16
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95)  # 22 lines a page
    assert body.paragraph_format.first_line_indent.pt == 32
    date = next(p for p in doc.paragraphs if p.text == "2026年5月6日")
    assert date.paragraph_format.right_indent.pt == 64  # 4 characters from the right
    # The signature block travels with the last body paragraph: never split, never alone on a page.
    texts = [p.text for p in doc.paragraphs]
    office = len(texts) - 1 - texts[::-1].index("示例市人民政府办公室")  # the signature, not the title's
    last_body = office - 3  # the closing formula, two blank lines (the seal's upper half), the name, the date
    assert texts[office + 1] == "2026年5月6日" and texts[last_body] == "特此告知。"
    assert doc.paragraphs[office]._p.findall(".//{*}anchor")  # the seal, drawn over the name and date
    assert doc.paragraphs[last_body].paragraph_format.first_line_indent
    assert all(doc.paragraphs[i].paragraph_format.keep_with_next for i in range(last_body, office + 1))
    assert date.paragraph_format.keep_with_next  # the contact line (附注) stays under the date
    assert not doc.paragraphs[-1].paragraph_format.keep_with_next and not title.paragraph_format.keep_with_next


def test_letters_cannot_be_issued_with_missing_data(s):
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "decide", "h1", outcome="already_public")
    assert err.value.rule == "letter.missing_data" and "access" in err.value.message
    with pytest.raises(Refused) as err:
        act(s, cid, "2026-05-07", "decide", "h1", outcome="not_this_agency")
    assert "reason" in err.value.message or "理由" in err.value.message
    with reading(s) as session:
        case = session.get(Case, cid)
        with pytest.raises(Refused) as err:
            preview(session, case, "fee_notice", cal=load_calendar(session), today=local_date(s.now()), now=s.now())
    assert "收费金额" in err.value.message


def test_applicant_text_is_data_never_template_source(s):
    cid = new_case(s, request="请公开{{ 7*7 }}号文件<script>alert(1)</script>")
    with reading(s) as session:
        letter = _letters(s, cid)[0]
        html = letter_bytes(session, letter.id, "html")[1].decode()
        text = _docx_text(letter_bytes(session, letter.id)[1])
    assert "{{ 7*7 }}" in html and "49号" not in html and "&lt;script&gt;" in html and "<script>" not in html
    assert "“{{ 7*7 }}号文件<script>alert(1)</script>”" in text


def test_numbers_are_gap_free_under_concurrent_issuing(s):
    ids = [new_case(s, register=False) for _ in range(6)]
    barrier = threading.Barrier(len(ids))
    errors: list[BaseException] = []

    def register(cid: int) -> None:
        barrier.wait()
        try:
            perform(cid, "register", "r1", settings=at(s, "2026-05-06"))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(cid,)) for cid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(letter.seq for cid in ids for letter in _letters(s, cid))
    assert numbers == list(range(1, len(ids) + 1))


def test_issued_letter_never_changes_when_templates_or_settings_change(s, tmp_path, monkeypatch):
    cid = new_case(s)
    letter = _letters(s, cid)[0]
    with reading(s) as session:
        before = letter_bytes(session, letter.id)[1]
    changed = tmp_path / "templates"
    shutil.copytree(template_dir(), changed)
    path = changed / "acknowledgement.html.j2"
    extra = '{% block body %}<p class="body">新增段落</p>'
    path.write_text(path.read_text(encoding="utf-8").replace("{% block body %}", extra), encoding="utf-8")
    monkeypatch.setenv("OGI_TEMPLATE_DIR", str(changed))
    environment.cache_clear()
    with transaction(s) as session:
        set_office(session, "name", "改名后的机关")
    with reading(s) as session:
        after = letter_bytes(session, letter.id)[1]
        draft = preview(
            session,
            session.get(Case, cid),
            "acknowledgement",
            cal=load_calendar(session),
            today=local_date(s.now()),
            now=s.now(),
        )
    assert after == before and hashlib.sha256(after).hexdigest() == letter.docx_sha256
    assert "新增段落" in draft.html and "改名后的机关" in draft.html
    environment.cache_clear()


def test_number_pattern_is_an_office_setting(s):
    with transaction(s) as session:
        set_office(session, "number_pattern", "{code}{series}〔{year}〕第{seq}号")
    cid = new_case(s)
    assert _letters(s, cid)[0].number == "示政办公开登〔2026〕第1号"


@pytest.mark.skipif(pdf_unavailable_reason() is not None, reason="LibreOffice or a CJK font not installed")
def test_libreoffice_opens_the_docx_and_makes_the_pdf(sqlite_settings):
    add_staff(sqlite_settings)
    cid = new_case(sqlite_settings)
    with reading(sqlite_settings) as session:
        letter = _letters(sqlite_settings, cid)[0]
        pdf = letter_bytes(session, letter.id, "pdf")[1]
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    if shutil.which("pdftotext"):
        extracted = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
        text = extracted.decode().replace(" ", "")
        assert letter.number in text and "政府信息公开申请登记回执" in text


def test_pdf_without_libreoffice_is_refused_by_name(sqlite_settings, monkeypatch):
    pdf_module._office_binary.cache_clear()
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    try:
        add_staff(sqlite_settings)
        cid = new_case(sqlite_settings)
        with reading(sqlite_settings) as session, pytest.raises(Refused) as refused:
            letter_bytes(session, _letters(sqlite_settings, cid)[0].id, "pdf")
        assert refused.value.rule == "letter.pdf_unavailable" and "LibreOffice" in str(refused.value)
    finally:
        pdf_module._office_binary.cache_clear()


def test_partial_disclosure_over_an_objection_keeps_its_two_reasons_apart(s):
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "consult", "h1", party="third_party", addressee="某化工有限公司")
    act(s, cid, "2026-05-12", "record_reply", "h1", opinion="objection", reason="含商业秘密", reasonable="yes")
    act(s, cid, "2026-05-12", "review_confidentiality", "v1", conclusion="clear")
    decision = {
        "outcome": "partly_disclosed",
        "grounds": "state_secret",
        "override_objection": "true",
        "access": "以电子邮件提供",
        "reason": "附件三涉及国家秘密",
    }
    with pytest.raises(Refused) as refused:
        act(s, cid, "2026-05-13", "decide", "h1", **decision)
    assert refused.value.rule == "art32.override_reason" and "override_reason" in str(refused.value)
    act(s, cid, "2026-05-13", "decide", "h1", **decision, override_reason="项目涉及周边居民环境安全")
    act(s, cid, "2026-05-13", "submit", "h1")
    act(s, cid, "2026-05-13", "approve", "a1")
    with reading(s) as session:
        letters = {x.kind: x for x in letters_of(session, cid)}
        to_applicant = letter_bytes(session, letters["partly_disclosed"].id, "html")[1].decode()
        to_third_party = letter_bytes(session, letters["disclosure_despite_objection"].id, "html")[1].decode()
    assert "附件三涉及国家秘密" in to_applicant and "项目涉及周边居民环境安全" not in to_applicant
    assert "项目涉及周边居民环境安全" in to_third_party and "附件三涉及国家秘密" not in to_third_party


def test_the_answer_quotes_the_reasons_deadline_the_notice_gave(s):
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "request_reasons", "h1", matter="本月申请45件", reply_days="5")  # → 5/13 (5/9: 调休)
    act(s, cid, "2026-05-20", "decide", "h1", outcome="unreasonable_volume")
    act(s, cid, "2026-05-20", "submit", "h1")
    act(s, cid, "2026-05-21", "approve", "a1")
    with reading(s) as session:
        letters = {x.kind: x for x in letters_of(session, cid)}
        notice = letter_bytes(session, letters["reasons_request"].id, "html")[1].decode()
        answer = letter_bytes(session, letters["unreasonable_volume"].id, "html")[1].decode()
    # handed over on 5/7: the period runs from that day, so both letters can name its end
    assert "自收到本告知书之日起5个工作日内（即2026年5月13日前）" in notice
    assert "2026年5月13日前" in answer and "未在上述期限内说明理由" in answer


def test_a_preview_of_another_outcome_cites_that_outcomes_article(s):
    cid = new_case(s)
    act(s, cid, "2026-05-07", "start_review", "h1")
    act(s, cid, "2026-05-07", "decide", "h1", outcome="already_public", access="本机关门户网站")
    with reading(s) as session:
        case = session.get(Case, cid)
        other = preview(session, case, "not_held", cal=load_calendar(session), today=local_date(s.now()), now=s.now())
    assert "第三十六条第（四）项" in other.html and "第三十六条第（一）项" not in other.html
