"""The Word (.docx) form of a letter in the GB/T 9704-2012 layout: A4, margins top 37 mm and left
28 mm around a 156 × 225 mm type area, 22 lines of 28 characters (3号仿宋, exact line pitch),
title in 2号小标宋, 2-character first-line indents, the date 4 characters from the right margin
and the office name centred over it, with a seal placeholder.

The output is deterministic (fixed zip timestamps and document properties), so the same letter
always has the same SHA-256.

Only python-docx's public API: the XML python-docx has no setter for is reached through the
`element` of a paragraph's `paragraph_format` (its <w:p>), a run's `font` (its <w:r>) and the
document (its <w:document>), never through private attributes.
"""

from __future__ import annotations

import copy
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree  # python-docx's own XML library

from workflow.letters.docx_package import (
    BODY_FONT,
    DROPPED,
    FONT_FALLBACKS,
    HEI_FONT,
    KAI_FONT,
    TITLE_FONT,
    FixedTimeZip,
    clean_member,
    core_xml,
    finish_docx,
)
from workflow.letters.html_blocks import Block
from workflow.letters.seal import draw_seal
from workflow.letters.word_page import (
    BODY_PT,
    LINE_TWIPS,
    TITLE_PT,
    exact,
    fonts,
    footer_page_numbers,
    page_setup,
)

__all__ = [
    "BODY_FONT",
    "FONT_FALLBACKS",
    "HEI_FONT",
    "KAI_FONT",
    "LINE_TWIPS",
    "TITLE_FONT",
    "TITLE_PT",
    "build_docx",
    "finish_docx",
]

RED = RGBColor(0xC0, 0, 0)
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _width_chars(text: str) -> float:
    """Width in Chinese characters: half-width letters and digits count as half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


@dataclass(frozen=True)
class ParaStyle:
    """How one paragraph of the letter is set; hashable, so each style is built only once."""

    align: WD_ALIGN_PARAGRAPH | None = None
    indent_first: bool = False
    right_chars: float = 0.0
    left_chars: float = 0.0
    size: float = BODY_PT
    font: str = BODY_FONT
    color: RGBColor | None = None
    keep_next: bool = False
    bold: bool = False

    def __post_init__(self) -> None:
        # near-equal widths share one prototype
        object.__setattr__(self, "right_chars", round(self.right_chars, 2))


def _styled_paragraph(doc: DocxDocument, text: str, style: ParaStyle) -> Paragraph:
    p: Paragraph = doc.add_paragraph()
    exact(p)
    if style.keep_next:
        p.paragraph_format.keep_with_next = True
    if style.align is not None:
        p.alignment = style.align
    if style.indent_first:
        p.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        p.paragraph_format.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    if style.right_chars:
        p.paragraph_format.right_indent = Pt(style.right_chars * BODY_PT)
    if style.left_chars:
        p.paragraph_format.left_indent = Pt(style.left_chars * BODY_PT)
    if text:
        run = p.add_run(text)
        fonts(run, style.font, style.size, style.color)
        run.bold = style.bold or None
    return p


@lru_cache(maxsize=256)
def _prototype(style: ParaStyle, has_text: bool) -> Any:
    """A finished <w:p> for one paragraph style, built once with python-docx on a scratch document."""
    return _styled_paragraph(Document(), "字" if has_text else "", style).paragraph_format.element


def _paragraph(doc: DocxDocument, text: str, style: ParaStyle = ParaStyle()) -> Any:
    # Copying a prepared paragraph element is far cheaper than python-docx's property setters.
    element = copy.deepcopy(_prototype(style, bool(text)))
    if text:
        element.find(qn("w:r")).find(qn("w:t")).text = text
    doc.element.body.sectPr.addprevious(element)
    return element


def _widths(form: bool, cols: int) -> list[Any] | None:
    """A form: labels and room to write; the fee breakdown: each band on one line."""
    if form and cols == 2:
        return [Mm(40), Mm(116)]
    return [Mm(52), Mm(36), Mm(30), Mm(38)] if cols == 4 else None


def _cell_text(cell: Any, text: str, header: bool, form: bool) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if header or not form else WD_ALIGN_PARAGRAPH.LEFT
    # off the 22-line grid; a form's rows tall enough to write in
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(22 if form else 20)
    fmt.space_before = fmt.space_after = Pt(6 if form else 2)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p.paragraph_format.element.get_or_add_pPr().insert(0, snap)
    run = p.add_run(text)
    fonts(run, HEI_FONT if header and form else BODY_FONT, 14.0 if not form else BODY_PT)
    run.bold = header and not form


def _table(doc: DocxDocument, block: Block) -> None:
    """The fee breakdown (centred cells) or a form (labels left, room to write on the right)."""
    form = block.text == "form"
    cols = max(len(r) for r in block.rows)
    table = doc.add_table(rows=0, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _widths(form, cols)
    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid LibreOffice lays out by
    for row in block.rows:
        cells = table.add_row().cells
        for i, (cell, (text, header)) in enumerate(zip(cells, row, strict=False)):
            if widths:
                cell.width = widths[i]
            _cell_text(cell, text, header, form)


@lru_cache(maxsize=1)
def _base_document() -> DocxDocument:
    """The empty letter: page, grid, styles and footers set once; each letter starts from a copy
    (copying the parsed document element is several times faster than loading the template)."""
    doc = Document()
    page_setup(doc)
    footer_page_numbers(doc)
    return doc


@lru_cache(maxsize=1)
def _skeleton() -> tuple[tuple[tuple[str, bytes | None], ...], Any]:
    """Every zip member of the base letter, serialised once and cleaned; None marks the two that
    differ per letter (word/document.xml and docProps/core.xml)."""
    base = _base_document()
    buf = io.BytesIO()
    base.save(buf)
    members: list[tuple[str, bytes | None]] = []
    with zipfile.ZipFile(buf) as z:
        for name in z.namelist():
            if DROPPED.match(name):
                continue
            members.append(
                (name, None if name in ("word/document.xml", "docProps/core.xml") else clean_member(name, z.read(name)))
            )
    return tuple(members), base.element


def _keep_with_next(blocks: list[Block]) -> set[int]:
    """Blocks that must stay on the page of the block after them: the line just before the
    signature (the closing formula or the 附件 line) and the office's name, so that the signature
    and date are never split across pages nor left alone on a page without text (GB/T 9704-2012,
    7.3.5), without dragging whole paragraphs over and leaving a half-empty page."""
    sig = next((i for i, b in enumerate(blocks) if b.kind == "signature"), None)
    if sig is None:
        return set()
    start = sig - 1 if sig > 0 and blocks[sig - 1].kind in ("body", "closing", "attachment") else sig
    return {i for i in range(start, sig + 2) if blocks[i].kind in ("body", "closing", "attachment", "signature")}


TITLE = ParaStyle(align=WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_PT, font=TITLE_FONT)
RED_CENTRED = ParaStyle(align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, bold=True)


def _letterhead(doc: DocxDocument, text: str) -> None:
    """The office's red 版头 over a red rule (letter format, GB/T 9704 §10.1)."""
    element = _paragraph(doc, text, ParaStyle(align=WD_ALIGN_PARAGRAPH.CENTER, size=30.0, font=TITLE_FONT, color=RED))
    ppr = element.get_or_add_pPr()
    border = parse_xml(
        '<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:bottom w:val="thickThinSmallGap" w:sz="24" w:space="4" w:color="C00000"/></w:pBdr>'
    )
    ppr.insert(0, border)
    _paragraph(doc, "")


def _block(doc: DocxDocument, b: Block, keep: bool, date_width: float) -> None:
    """One block of the letter as its GB/T 9704 paragraph (or table)."""
    kind = b.kind
    if kind == "table":
        _table(doc, b)
    elif kind == "letterhead":
        _letterhead(doc, b.text)
    elif kind in ("agency", "title"):
        _paragraph(doc, b.text, TITLE)
    elif kind == "number":
        _paragraph(doc, b.text, ParaStyle(align=WD_ALIGN_PARAGRAPH.CENTER))
        _paragraph(doc, "")
    elif kind in ("body", "closing"):
        _paragraph(doc, b.text, ParaStyle(align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=True, keep_next=keep))
    elif kind == "attachment":
        _paragraph(doc, b.text, ParaStyle(indent_first=True, keep_next=keep))
    elif kind in ("draft", "sample"):
        _paragraph(doc, b.text, RED_CENTRED)
    elif kind == "signature":
        # two blank lines hold the seal's upper half; the name is centred over the date, which
        # ends 4 characters from the right margin
        _paragraph(doc, "", ParaStyle(keep_next=True))
        _paragraph(doc, "", ParaStyle(keep_next=True))
        centre = 4 + date_width / 2
        right = max(0.0, centre - _width_chars(b.text) / 2)
        element = _paragraph(doc, b.text, ParaStyle(align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=right, keep_next=True))
        draw_seal(element, centre)
    elif kind == "seal":
        pass  # drawn over the name and date (see _seal), not a line of its own
    elif kind == "date":  # the 附注 (contact) line stays under it
        _paragraph(doc, b.text, ParaStyle(align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4, keep_next=True))
    elif kind == "contact":
        _paragraph(doc, b.text, ParaStyle(indent_first=True))  # 附注: the line under the date
    else:  # addressee
        _paragraph(doc, b.text)


def _lay_out(doc: DocxDocument, blocks: list[Block]) -> None:
    date_block = next((b for b in blocks if b.kind == "date"), None)
    date_width = _width_chars(date_block.text) if date_block else 10.0
    keep = _keep_with_next(blocks)
    previous = ""
    for i, b in enumerate(blocks):
        if b.kind == "attachment" and previous != "attachment":
            _paragraph(doc, "", ParaStyle(keep_next=True))  # GB/T 9704: 附件说明 one line below the body
        if b.kind == "sample" and i > 0:
            _paragraph(doc, "")
        _block(doc, b, i in keep, date_width)
        previous = b.kind


def build_docx(blocks: list[Block], *, title: str, issued_at: datetime, author: str = "") -> bytes:
    """The letter as .docx bytes, laid out per GB/T 9704-2012. Metadata names only the letter's
    title and author (the office), with the issue time; nothing of the generating library."""
    members, base_element = _skeleton()
    doc = DocxDocument(copy.deepcopy(base_element), _base_document().part)
    _lay_out(doc, blocks)
    buf = io.BytesIO()
    writer = FixedTimeZip(buf)
    for name, blob in members:
        if blob is None:
            if name == "word/document.xml":
                blob = etree.tostring(doc.element, encoding="UTF-8", xml_declaration=True, standalone=True)
            else:
                blob = core_xml(title, author, issued_at)
        writer.write_member(name, blob)
    writer.close()
    return buf.getvalue()


# --- for other documents in the same layout (the annual report) -----------------------------------


def new_document(*, number_first_page: bool = True) -> DocxDocument:
    """An empty GB/T 9704 document: page, line grid, zh-CN, page numbers on the outer edge."""
    doc = Document()
    page_setup(doc)
    footer_page_numbers(doc)
    doc.sections[0].different_first_page_header_footer = not number_first_page
    return doc


def add_paragraph(doc: DocxDocument, text: str, style: ParaStyle = ParaStyle()) -> Any:
    """A paragraph set like the letters' (exact 22-line pitch)."""
    return _paragraph(doc, text, style)


def set_run_fonts(run: object, east_asia: str, size: float) -> None:
    fonts(run, east_asia, size)
