"""Every letter type as the Word document the applicant receives: the text read back from the
.docx carries the required parts, and the file keeps the GB/T 9704 page (22 lines of 28
characters), the seal over the name and date, page numbers on the outer edge, zh-CN, the GB
fonts with their fallbacks, and metadata that names nothing but the letter."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn

from workflow.letters.html_blocks import parse_letter
from workflow.letters.registry import LETTERS
from workflow.letters.render import render_html
from workflow.letters.samples import sample_context
from workflow.letters.word import BODY_FONT, FONT_FALLBACKS, LINE_TWIPS, TITLE_FONT, build_docx

KINDS = sorted(LETTERS)
LETTER_KINDS = [k for k in KINDS if not LETTERS[k].form]


def _bytes(kind: str) -> tuple[dict, bytes]:
    ctx = sample_context(kind)
    html = render_html(kind, ctx)
    office = ctx["office"]["name"]
    content = build_docx(
        parse_letter(html),
        title=office + LETTERS[kind].title,
        issued_at=datetime(2026, 11, 22, tzinfo=UTC),
        author=office,
    )
    return ctx, content


def _docx(kind: str) -> tuple[dict, Document]:
    ctx, content = _bytes(kind)
    return ctx, Document(io.BytesIO(content))


@pytest.mark.parametrize("kind", KINDS)
def test_the_word_letter_says_what_the_letter_must_say(kind):
    ctx, doc = _docx(kind)
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        cell.text for table in doc.tables for row in table.rows for cell in row.cells
    )
    spec = LETTERS[kind]
    assert ctx["letter"]["number"] in text and spec.title in text and ctx["office"]["name"] in text
    if spec.form:
        return
    assert ctx["letter"]["date"] in text
    assert ctx["case"]["received_on"] in text  # the recital
    assert spec.article in text or (ctx["decision"] and ctx["decision"]["article"] in text)
    if spec.final:
        assert ctx["remedy"]["body"] in text and "行政复议" in text and "六十日内" in text
    else:
        assert "行政复议" not in text
    if kind in ("withheld", "partly_disclosed"):
        assert all(g["provision"] in text for g in ctx["decision"]["grounds"])


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
    # 22 lines fill the 225 mm type area only at 579 twips (28.95 pt); 580 gives 21
    assert LINE_TWIPS == 579 and 22 * LINE_TWIPS <= 225 / 25.4 * 72 * 20
    assert all(p._p.pPr.spacing.get(qn("w:line")) == "579" for p in body)
    assert sec._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_the_seal_is_drawn_over_the_office_name_not_on_a_line_of_its_own(kind):
    _, doc = _docx(kind)
    paragraphs = doc.paragraphs
    name = max(i for i, p in enumerate(paragraphs) if p.text == doc.core_properties.author)  # not the title's
    anchors = paragraphs[name]._p.findall(".//" + qn("wp:anchor"))
    assert len(anchors) == 1 and anchors[0].get("behindDoc") == "1"
    assert paragraphs[name + 1].text.endswith("日")  # the date follows the name directly
    assert all("（印章）" != p.text for p in paragraphs)
    assert len(doc.element.body.findall(".//" + qn("wp:anchor"))) == 1


def test_page_numbers_sit_on_the_outer_edge_and_not_on_the_first_page():
    _, doc = _docx("withheld")
    sec = doc.sections[0]
    assert sec.different_first_page_header_footer and doc.settings.odd_and_even_pages_header_footer
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right on odd pages, left on even pages
    assert "PAGE" in odd._p.xml and "PAGE" in even._p.xml and odd.text == "—  —"


def test_language_fonts_and_metadata_are_the_letters_own():
    ctx, content = _bytes("withheld")
    z = zipfile.ZipFile(io.BytesIO(content))
    styles = z.read("word/styles.xml").decode()
    assert 'w:eastAsia="zh-CN"' in styles and "en-US" not in styles
    fonts = z.read("word/fontTable.xml").decode()
    for font, fallback in FONT_FALLBACKS.items():
        assert f'<w:font w:name="{font}"><w:altName w:val="{fallback}"/>' in fonts
    assert {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"} <= set(FONT_FALLBACKS)
    core = z.read("docProps/core.xml").decode()
    app = z.read("docProps/app.xml").decode()
    assert ctx["office"]["name"] in core and "python-docx" not in core and "Microsoft" not in app
    assert not any(n.startswith(("customXml", "docProps/thumbnail")) for n in z.namelist())
    for name in z.namelist():
        assert b"thumbnail" not in z.read(name) and b"customXml" not in z.read(name), name


def test_the_same_letter_is_the_same_bytes():
    assert _bytes("withheld")[1] == _bytes("withheld")[1]
