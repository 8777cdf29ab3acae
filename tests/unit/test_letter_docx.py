"""Every letter type as the Word document the applicant receives: the text read back from the
.docx carries the required parts, and the file keeps the GB/T 9704 page, margins and fonts."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn

from workflow.letters.html_blocks import parse_letter
from workflow.letters.registry import LETTERS
from workflow.letters.render import render_html
from workflow.letters.samples import sample_context
from workflow.letters.word import BODY_FONT, TITLE_FONT, build_docx

KINDS = sorted(LETTERS)


def _docx(kind: str) -> tuple[dict, Document]:
    ctx = sample_context(kind)
    html = render_html(kind, ctx)
    content = build_docx(parse_letter(html), title=LETTERS[kind].title, issued_at=datetime(2026, 11, 22, tzinfo=UTC))
    return ctx, Document(io.BytesIO(content))


@pytest.mark.parametrize("kind", KINDS)
def test_the_word_letter_says_what_the_letter_must_say(kind):
    ctx, doc = _docx(kind)
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        cell.text for table in doc.tables for row in table.rows for cell in row.cells
    )
    spec = LETTERS[kind]
    assert ctx["letter"]["number"] in text and spec.title in text
    assert ctx["letter"]["date"] in text and ctx["office"]["name"] in text and "（印章）" in text
    assert ctx["case"]["received_on"] in text  # the recital
    assert spec.article in text or (ctx["decision"] and ctx["decision"]["article"] in text)
    if spec.final:
        assert ctx["remedy"]["body"] in text and "行政复议" in text and "六十日内" in text
    else:
        assert "行政复议" not in text
    if kind in ("withheld", "partly_disclosed"):
        assert all(g["label"] in text for g in ctx["decision"]["grounds"])


@pytest.mark.parametrize("kind", KINDS)
def test_the_word_letter_keeps_the_gbt9704_layout(kind):
    _, doc = _docx(kind)
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert (round(sec.top_margin.mm), round(sec.left_margin.mm)) == (37, 28)
    assert round(sec.page_width.mm - sec.left_margin.mm - sec.right_margin.mm) == 156
    title = next(p for p in doc.paragraphs if p.text == LETTERS[kind].title)
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT
    body = [p for p in doc.paragraphs if p.paragraph_format.first_line_indent and p.runs]
    assert body and all(p.runs[0].font.size.pt == 16 for p in body)
    assert all(p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT for p in body)
    assert all(round(p.paragraph_format.line_spacing.pt, 1) == 29.0 for p in body)
