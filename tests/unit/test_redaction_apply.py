"""Redaction really removes: after accepting every finding, no finding's text survives anywhere
in the copy — every XML part of a DOCX or XLSX (read raw here, not through our own reader), the
text layer, metadata and raw streams of a PDF, a text file's bytes — and the rest is kept."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pymupdf
import pytest

from tests.redaction_corpus import CORPUS, MINUTES, PENALTY, Doc, build, plain
from workflow.errors import InvalidInput, Refused
from workflow.redaction import documents
from workflow.redaction.detect import Finding


def _zip_text(content: bytes) -> str:
    """Every part of the package as text, with the XML markup between runs taken out."""
    out = []
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            raw = z.read(name).decode("utf-8", "replace")
            out += [raw, html.unescape(re.sub(r"<[^>]+>", "", raw))]
    return "\n".join(out)


def _pdf_text(content: bytes) -> str:
    with pymupdf.open(stream=content, filetype="pdf") as doc:
        parts = [page.get_text("text") for page in doc] + [str(v) for v in doc.metadata.values() if v]
        parts.append(doc.get_xml_metadata() or "")
        for xref in range(1, doc.xref_length()):
            if doc.xref_is_stream(xref):
                parts.append((doc.xref_stream(xref) or b"").decode("latin-1"))
    return "\n".join(parts)


def _held(doc: Doc, content: bytes) -> str:
    if doc.kind in ("docx", "xlsx"):
        return _zip_text(content)
    if doc.kind == "pdf":
        return _pdf_text(content)
    return content.decode("utf-8")


@pytest.mark.parametrize("doc", CORPUS, ids=lambda d: d.name)
def test_no_accepted_finding_survives_anywhere(doc):
    original = build(doc)
    findings = documents.scan(doc.kind, original)
    assert findings
    redacted = documents.redact(doc.kind, original, findings, [])
    held = re.sub(r"\s+", "", _held(doc, redacted))
    for f in findings:
        assert re.sub(r"\s+", "", f.text) not in held, (f.kind, f.label)
    # What was not personal data is still there.
    kept = [plain(p) for p in doc.paragraphs[:1]] or [plain(doc.table[0][0])]
    for text in kept:
        assert re.sub(r"\s+", "", text)[:8] in re.sub(r"\s+", "", _held(doc, redacted))


def test_docx_keeps_the_runs_formatting_and_drops_the_thumbnail():
    from docx import Document

    original = build(PENALTY)
    assert "docProps/thumbnail.jpeg" in zipfile.ZipFile(io.BytesIO(original)).namelist()  # python-docx's template
    redacted = documents.redact("docx", original, documents.scan("docx", original), [])
    doc = Document(io.BytesIO(redacted))
    assert "当事人：■■■，男" in doc.paragraphs[2].text
    assert doc.core_properties.author == "■■■"
    assert not any(n.startswith("docProps/thumbnail") for n in zipfile.ZipFile(io.BytesIO(redacted)).namelist())


def test_only_accepted_findings_are_removed():
    original = build(MINUTES)
    findings = documents.scan("docx", original)
    keep = next(f for f in findings if f.text == "谭国栋")
    redacted = documents.redact("docx", original, [f for f in findings if f.text != "谭国栋"], [])
    held = _zip_text(redacted)
    assert keep.text in held and "孔令杰" not in held


def test_reviewer_spans_and_a_missing_text():
    original = build(PENALTY)
    spans = documents.spans_for_text("docx", original, "非法营运")
    assert [s.kind for s in spans] == ["span"]
    assert "非法营运" not in _zip_text(documents.redact("docx", original, spans, []))
    with pytest.raises(InvalidInput):
        documents.spans_for_text("docx", original, "不存在的文字")


def _scan_pdf() -> bytes:
    """A one-page scan: an image of a name and number, with no text layer."""
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 100), False)
    pix.clear_with(255)
    pix.set_rect(pymupdf.IRect(20, 20, 120, 40), (10, 10, 10))  # "ink" where the name is
    doc = pymupdf.open()
    page = doc.new_page(width=200, height=100)
    page.insert_image(page.rect, pixmap=pix)
    return bytes(doc.tobytes())


def test_a_scanned_page_asks_for_a_region_and_the_region_removes_its_pixels():
    content = _scan_pdf()
    (finding,) = documents.scan("pdf", content)
    assert (finding.kind, finding.page) == ("image", 1)
    redacted = documents.redact("pdf", content, [], [{"page": 1, "rect": [10, 10, 130, 50]}])
    with pymupdf.open(stream=redacted, filetype="pdf") as doc:
        pix = doc[0].get_pixmap()
        assert pix.pixel(60, 30) == (0, 0, 0) and pix.pixel(180, 80) == (255, 255, 255)


def test_an_image_region_is_blacked_out_and_metadata_dropped():
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 40), False)
    pix.clear_with(200)
    png = pix.tobytes("png")
    (finding,) = documents.scan("png", png)
    assert finding.kind == "image"
    out = documents.redact("png", png, [], [{"page": 1, "rect": [0, 0, 30, 20]}])
    result = pymupdf.Pixmap(out)
    assert result.pixel(5, 5) == (0, 0, 0) and result.pixel(50, 30) == (200, 200, 200)


def test_a_copy_that_would_still_hold_the_text_is_refused(monkeypatch):
    original = build(PENALTY)
    findings = documents.scan("docx", original)
    monkeypatch.setattr(documents.docx, "redact", lambda content, spans, images: content)  # does nothing
    with pytest.raises(Refused) as refused:
        documents.redact("docx", original, findings, [])
    assert refused.value.rule == "redaction.incomplete"


def test_gb18030_text_stays_gb18030():
    content = "申请人张晓明，电话13812345678。".encode("gb18030")
    findings: list[Finding] = documents.scan("txt", content)
    out = documents.redact("txt", content, findings, [])
    assert out.decode("gb18030") == "申请人■■■，电话■■■。"


def _docx_with_picture() -> bytes:
    from docx import Document

    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 30), False)
    pix.clear_with(230)
    d = Document()
    d.add_paragraph("现场照片如下：")
    d.add_picture(io.BytesIO(pix.tobytes("png")))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_an_embedded_picture_is_flagged_and_painted_black_when_accepted():
    content = _docx_with_picture()
    (finding,) = [f for f in documents.scan("docx", content) if f.kind == "image"]
    assert finding.where == "image" and finding.segment.startswith("word/media/")
    kept = documents.redact("docx", content, [], [])
    blacked = documents.redact("docx", content, [], [], frozenset({finding.segment}))
    with zipfile.ZipFile(io.BytesIO(kept)) as z:
        assert pymupdf.Pixmap(z.read(finding.segment)).pixel(20, 15) == (230, 230, 230)
    with zipfile.ZipFile(io.BytesIO(blacked)) as z:
        picture = pymupdf.Pixmap(z.read(finding.segment))
    assert (picture.width, picture.height) == (40, 30) and picture.pixel(20, 15) == (0, 0, 0)
