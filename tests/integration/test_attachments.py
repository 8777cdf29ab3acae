"""Attachments, the review on the ledger, redacted copies and the disclosure package, through
the engine on both backends."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from tests.factories import act, add_staff, at, new_case
from tests.redaction_corpus import APPLICATION, MINUTES, PENALTY, build
from workflow.db import reading, transaction
from workflow.errors import Forbidden, InvalidInput, Refused
from workflow.files.attachments import MAX_BYTES, attach, disclosed_files
from workflow.ledger import audit
from workflow.letters.disclosure import build_package, write_package
from workflow.letters.issue import checked_context
from workflow.models import Case
from workflow.redaction import review


@pytest.fixture
def s(settings):
    add_staff(settings)
    return settings


def _case(s) -> int:
    cid = new_case(s, "2026-05-06")
    act(s, cid, "2026-05-07", "start_review", "h1")  # h1 becomes the case's handler
    return cid


def _attach(s, cid: int, name: str, content: bytes, actor: str = "h1") -> int:
    now = at(s, "2026-05-07").now()
    with transaction(s) as session:
        return attach(session, cid, name=name, content=content, actor=actor, now=now).id or 0


def test_attaching_stores_by_hash_records_it_on_the_ledger_and_bumps_the_version(s):
    cid = _case(s)
    content = build(PENALTY)
    with reading(s) as session:
        before = session.get(Case, cid).version
    aid = _attach(s, cid, "处罚决定书.docx", content)
    with reading(s) as session:
        event = audit.case_events(session, cid)[-1]
        assert session.get(Case, cid).version == before + 1
        assert audit.verify(session).intact
    payload = audit.payload_of(event)
    assert (event.action, event.actor, event.role) == ("attach_file", "h1", "handler")
    assert payload == {
        "attachment": aid,
        "name": "处罚决定书.docx",
        "kind": "docx",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("a.docx", b"", "attachment.empty"),
        ("a.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "attachment.type"),
        ("report.pdf", b"PK\x03\x04 not really a zip", "attachment.type"),
        ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "attachment.type_mismatch"),
        ("big.txt", b"a" * (MAX_BYTES + 1), "attachment.too_large"),
    ],
)
def test_the_type_is_read_from_the_content_and_the_size_is_limited(s, name, content, rule):
    cid = _case(s)
    with pytest.raises(InvalidInput) as refused:
        _attach(s, cid, name, content)
    assert refused.value.rule == rule and refused.value.field == "file"
    with reading(s) as session:
        assert [e.action for e in audit.case_events(session, cid)][-1] != "attach_file"


def test_a_docx_named_xlsx_is_refused_and_a_folder_in_the_name_is_dropped(s):
    cid = _case(s)
    with pytest.raises(InvalidInput, match="Word 文档"):
        _attach(s, cid, "表格.xlsx", build(PENALTY))
    aid = _attach(s, cid, "../../etc/说明.txt", "说明文字".encode())
    with reading(s) as session:
        from workflow.files.attachments import get_attachment

        assert get_attachment(session, aid).name == "说明.txt"


def test_only_the_cases_handler_a_reviewer_or_an_admin_may_attach(s):
    cid = _case(s)
    for actor in ("h2", "r1", "a1"):
        with pytest.raises(Forbidden):
            _attach(s, cid, "a.txt", b"text", actor=actor)
    _attach(s, cid, "a.txt", b"text", actor="v1")


def test_decisions_are_ledger_events_and_pending_findings_block_the_copy(s):
    cid = _case(s)
    aid = _attach(s, cid, "会议纪要.docx", build(MINUTES))
    now = at(s, "2026-05-07").now()
    with reading(s) as session:
        findings = review.load_review(session, aid).findings
    keep = [f.id for f in findings if f.text == "谭国栋"]
    with transaction(s) as session:
        with pytest.raises(Refused, match="尚未审查"):
            review.apply(session, aid, actor="v1", now=now)
    with transaction(s) as session:
        review.decide(session, aid, keep, "reject", actor="v1", now=now)
        review.decide(
            session,
            aid,
            [f.id for f in findings if f.id not in keep],
            "accept",
            actor="v1",
            now=now,
            ground="third_party_rights",
        )
    with transaction(s) as session:
        with pytest.raises(InvalidInput):
            review.decide(session, aid, ["nosuchfinding"], "accept", actor="v1", now=now)
        copy, content = review.apply(session, aid, actor="v1", now=now)
    text = "\n".join(zipfile.ZipFile(io.BytesIO(content)).read(n).decode() for n in ["word/document.xml"])
    assert "谭国栋" in text and "孔令杰" not in text
    with reading(s) as session:
        events = [e for e in audit.case_events(session, cid) if e.action.startswith(("review_", "redact_"))]
        assert [e.action for e in events] == ["review_redaction", "review_redaction", "redact_attachment"]
        assert all("孔令杰" not in e.payload for e in events)  # the ledger never holds the personal data
        assert audit.payload_of(events[-1])["sha256"] == copy.sha256 == hashlib.sha256(content).hexdigest()
    assert {row["ground"] for row in json.loads(copy.log)} == {"third_party_rights"}


def test_reviewer_spans_and_regions_are_replayed_from_the_ledger(s):
    cid = _case(s)
    aid = _attach(s, cid, "申请表.pdf", build(APPLICATION))
    now = at(s, "2026-05-07").now()
    with transaction(s) as session:
        (span,) = review.add_span(session, aid, "城市道路维修工程", actor="h1", now=now)
        review.add_region(session, aid, 1, [40, 700, 200, 760], actor="h1", now=now)
        with pytest.raises(InvalidInput):
            review.add_region(session, aid, 1, [10, 10, 5, 5], actor="h1", now=now)
    with reading(s) as session:
        rv = review.load_review(session, aid)
        assert rv.status(next(f for f in rv.findings if f.id == span.id)) == "accepted"
        assert rv.regions == [{"page": 1, "rect": [40, 700, 200, 760], "ground": "personal_privacy"}]
    with transaction(s) as session:
        _, content = review.apply(session, aid, actor="h1", now=now, accept_all=True)
    import pymupdf

    with pymupdf.open(stream=content, filetype="pdf") as doc:
        text = doc[0].get_text()
    assert "城市道路维修工程" not in text and "韦婷婷" not in text and "政府信息公开申请表" in text


def _answered(s, cid: int) -> None:
    act(s, cid, "2026-05-08", "review_confidentiality", "v1", conclusion="personal_data")
    act(
        s,
        cid,
        "2026-05-08",
        "decide",
        "h1",
        outcome="partly_disclosed",
        grounds="third_party_rights",
        access="以电子邮件提供",
        reason="附件中的个人信息已作去标识化处理",
    )
    act(s, cid, "2026-05-08", "submit", "h1")
    act(s, cid, "2026-05-09", "approve", "a1")


def test_the_package_holds_the_letter_the_copies_the_log_and_a_manifest_of_hashes(s, tmp_path):
    cid = _case(s)
    aid = _attach(s, cid, "处罚决定书.docx", build(PENALTY))
    _attach(s, cid, "内部请示.txt", "内部请示，不予公开。".encode())
    now = at(s, "2026-05-07").now()
    with transaction(s) as session:
        review.apply(session, aid, actor="h1", now=now, accept_all=True)
        with pytest.raises(Refused, match="尚未出具答复书"):
            build_package(session, cid, now=now)
        assert disclosed_files(session, cid) == ["处罚决定书（去标识化）.docx"]
    _answered(s, cid)
    with reading(s) as session:
        package = build_package(session, cid, now=now)
    paths = write_package(package, tmp_path / "pkg")
    manifest = json.loads((tmp_path / "pkg" / "manifest.json").read_text(encoding="utf-8"))
    assert [f["role"] for f in manifest["files"]] == ["letter", "attachment", "log", "log"]
    assert manifest["not_included"] == [{"name": "内部请示.txt", "reason": "未生成去标识化文件"}]
    for entry in manifest["files"]:
        assert hashlib.sha256((tmp_path / "pkg" / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]
    assert len(paths) == 5
    log = json.loads((tmp_path / "pkg" / "去标识化处理记录.json").read_text(encoding="utf-8"))
    assert {"kind", "location", "ground_label", "file"} <= set(log[0]) and "text" not in log[0]
    assert "黄伟民" not in json.dumps(log, ensure_ascii=False)


def test_the_letter_context_lists_the_disclosed_files(s):
    cid = _case(s)
    aid = _attach(s, cid, "处罚决定书.docx", build(PENALTY))
    now = at(s, "2026-05-07").now()
    with transaction(s) as session:
        review.apply(session, aid, actor="h1", now=now, accept_all=True)
    act(s, cid, "2026-05-08", "review_confidentiality", "v1", conclusion="personal_data")
    act(
        s,
        cid,
        "2026-05-08",
        "decide",
        "h1",
        outcome="partly_disclosed",
        grounds="third_party_rights",
        access="以电子邮件提供",
        reason="附件中的个人信息已作去标识化处理",
    )
    from workflow.calendar.store import load_calendar
    from workflow.ledger.audit import case_events
    from workflow.ledger.projection import events_for_clock

    with reading(s) as session:
        case = session.get(Case, cid)
        context = checked_context(
            session,
            case,
            "partly_disclosed",
            events_for_clock(case_events(session, cid)),
            cal=load_calendar(session),
            today=now.date(),
            number=None,
        )
    assert context["attachments"] == ["处罚决定书（去标识化）.docx"]


def test_an_embedded_picture_must_be_decided_before_the_copy(s):
    from tests.unit.test_redaction_apply import _docx_with_picture

    cid = _case(s)
    aid = _attach(s, cid, "现场照片.docx", _docx_with_picture())
    now = at(s, "2026-05-07").now()
    with reading(s) as session:
        (picture,) = [f for f in review.load_review(session, aid).findings if f.kind == "image"]
    with transaction(s) as session:
        with pytest.raises(Refused, match="尚未审查"):
            review.apply(session, aid, actor="h1", now=now)
    with transaction(s) as session:
        review.decide(session, aid, [picture.id], "accept", actor="h1", now=now)
        copy, _ = review.apply(session, aid, actor="h1", now=now)
    assert [row["kind"] for row in json.loads(copy.log)] == ["image"]
