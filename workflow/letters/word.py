"""The Word (.docx) form of a letter in the GB/T 9704-2012 layout: A4, margins top 37 mm and left
28 mm around a 156 × 225 mm type area, 22 lines of 28 characters (3号仿宋, exact line pitch),
title in 2号小标宋, 2-character first-line indents, the date 4 characters from the right margin
and the office name centred over it, with a seal placeholder.

The output is deterministic (fixed zip timestamps and document properties), so the same letter
always has the same SHA-256.
"""

from __future__ import annotations

import copy
import io
import math
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
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from workflow.letters.html_blocks import Block

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
# Fallbacks a reader's Word substitutes when the GB fonts are missing (recorded in the font table).
FONT_FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "华文中宋"}
LATIN_FONT = "Times New Roman"
BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
LINE_PITCH_PT = 225 / 25.4 * 72 / 22  # 225 mm type area / 22 lines ≈ 28.95 pt
CHAR_PITCH_PT = 156 / 25.4 * 72 / 28  # 156 mm / 28 characters ≈ 15.79 pt
# Character spacing in twentieths of a point, rounded down so 28 characters always fit.
CONDENSE_TWIPS = math.floor((CHAR_PITCH_PT - BODY_PT) * 20)
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _width_chars(text: str) -> float:
    """Width in Chinese characters: half-width letters and digits count as half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def _fonts(run_element: object, east_asia: str, size: float, color: RGBColor | None = None) -> None:
    run = run_element
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.name = LATIN_FONT  # type: ignore[attr-defined]
    rpr = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")
    if color is not None:
        run.font.color.rgb = color  # type: ignore[attr-defined]


def _exact(paragraph: Paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = False


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # 22 lines a page come from the line grid. 28 characters a line come from condensing each
    # 16 pt character to the 15.79 pt pitch: a character grid finer than the glyph makes
    # LibreOffice give every character two cells.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = LATIN_FONT
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSE_TWIPS))
    rpr.append(spacing)


@dataclass(frozen=True)
class ParaStyle:
    """How one paragraph of the letter is set; hashable, so each style is built only once."""

    align: WD_ALIGN_PARAGRAPH | None = None
    indent_first: bool = False
    right_chars: float = 0.0
    size: float = BODY_PT
    font: str = BODY_FONT
    color: RGBColor | None = None
    keep_next: bool = False

    def __post_init__(self) -> None:
        # near-equal widths share one prototype
        object.__setattr__(self, "right_chars", round(self.right_chars, 2))


def _styled_paragraph(doc: DocxDocument, text: str, style: ParaStyle) -> Paragraph:
    p: Paragraph = doc.add_paragraph()
    _exact(p)
    if style.keep_next:
        p.paragraph_format.keep_with_next = True
    if style.align is not None:
        p.alignment = style.align
    if style.indent_first:
        p.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        p._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    if style.right_chars:
        p.paragraph_format.right_indent = Pt(style.right_chars * BODY_PT)
    if text:
        _fonts(p.add_run(text), style.font, style.size, style.color)
    return p


@lru_cache(maxsize=256)
def _prototype(style: ParaStyle, has_text: bool) -> Any:
    """A finished <w:p> for one paragraph style, built once with python-docx on a scratch document."""
    return _styled_paragraph(Document(), "字" if has_text else "", style)._p


def _paragraph(doc: DocxDocument, text: str, style: ParaStyle = ParaStyle()) -> None:
    # Copying a prepared paragraph element is far cheaper than python-docx's property setters.
    element = copy.deepcopy(_prototype(style, bool(text)))
    if text:
        element.find(qn("w:r")).find(qn("w:t")).text = text
    doc.element.body.sectPr.addprevious(element)


def _table(doc: DocxDocument, block: Block) -> None:
    cols = max(len(r) for r in block.rows)
    table = doc.add_table(rows=0, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in block.rows:
        cells = table.add_row().cells
        for cell, (text, header) in zip(cells, row, strict=False):
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            _fonts(run, BODY_FONT, 14.0)
            run.bold = header


def _footer_page_number(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True  # letter format: no number on page 1
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("text", "— "), ("field", "PAGE"), ("text", " —")):
        run = p.add_run()
        _fonts(run, "宋体", 14.0)
        if kind == "text":
            run.text = text
            continue
        for tag, attr in (("w:fldChar", "begin"), ("w:instrText", text), ("w:fldChar", "end")):
            el = OxmlElement(tag)
            if tag == "w:fldChar":
                el.set(qn("w:fldCharType"), attr)
            else:
                el.set(qn("xml:space"), "preserve")
                el.text = f" {attr} "
            run._r.append(el)


@lru_cache(maxsize=1)
def _base_document() -> DocxDocument:
    """The empty letter: page, grid, styles and footer set once; each letter starts from a copy
    (copying the parsed package is several times faster than loading the template again)."""
    doc = Document()
    _page_setup(doc)
    _footer_page_number(doc)
    return doc


@lru_cache(maxsize=1)
def _skeleton() -> tuple[list[tuple[str, bytes | None]], Any, Any]:
    """Every zip member of the base letter in PackageWriter's order, serialised once; None marks
    the two that differ per letter (word/document.xml and docProps/core.xml)."""
    base = _base_document()
    package = base.part.package
    core_part = package.part_related_by(RT.CORE_PROPERTIES)
    members: list[tuple[str, bytes | None]] = [
        (CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(package.parts).blob),  # type: ignore[no-untyped-call]
        (PACKAGE_URI.rels_uri.membername, package.rels.xml),
    ]
    for part in package.parts:
        members.append((part.partname.membername, None if part in (base.part, core_part) else part.blob))
        if len(part.rels):
            members.append((part.partname.rels_uri.membername, part.rels.xml))
    return members, base.part, core_part


def _keep_with_next(blocks: list[Block]) -> set[int]:
    """Blocks that must stay on the page of the block after them: the last body paragraph, the
    office's name and the seal, so that the signature, seal and date are never split across pages
    nor left alone on a page without text (GB/T 9704-2012, 7.3.5)."""
    sig = next((i for i, b in enumerate(blocks) if b.kind == "signature"), None)
    if sig is None:
        return set()
    start = sig - 1 if sig > 0 and blocks[sig - 1].kind == "body" else sig
    return {i for i in range(start, len(blocks)) if blocks[i].kind in ("body", "signature", "seal")}


def _lay_out(doc: DocxDocument, blocks: list[Block]) -> None:
    """Append each block of the letter as its GB/T 9704 paragraph (or table)."""
    date_block = next((b for b in blocks if b.kind == "date"), None)
    date_width = _width_chars(date_block.text) if date_block else 10.0
    keep = _keep_with_next(blocks)
    for i, b in enumerate(blocks):
        k = i in keep
        if b.kind == "table":
            _table(doc, b)
        elif b.kind == "title":
            _paragraph(doc, "")  # GB/T 9704: the title sits two lines below the number
            _paragraph(doc, b.text, ParaStyle(align=WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_PT, font=TITLE_FONT))
            _paragraph(doc, "")
        elif b.kind == "body":
            _paragraph(doc, b.text, ParaStyle(align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=True, keep_next=k))
        elif b.kind == "number":
            _paragraph(doc, b.text, ParaStyle(align=WD_ALIGN_PARAGRAPH.RIGHT))
        elif b.kind == "draft":
            _paragraph(doc, b.text, ParaStyle(align=WD_ALIGN_PARAGRAPH.CENTER, color=RGBColor(0xC0, 0, 0)))
        elif b.kind in ("signature", "seal"):
            if b.kind == "signature":
                _paragraph(doc, "", ParaStyle(keep_next=k))
            # centred over the date, which ends 4 characters from the right margin
            right = max(0.0, 4 + date_width / 2 - _width_chars(b.text) / 2)
            color = RGBColor(0xC0, 0, 0) if b.kind == "seal" else None
            _paragraph(
                doc, b.text, ParaStyle(align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=right, color=color, keep_next=k)
            )
        elif b.kind == "date":
            _paragraph(doc, b.text, ParaStyle(align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4))
        elif b.kind == "contact":
            _paragraph(doc, "")
            _paragraph(doc, b.text, ParaStyle(indent_first=True))
        else:  # addressee
            _paragraph(doc, b.text)


def build_docx(blocks: list[Block], *, title: str, issued_at: datetime) -> bytes:
    """The letter as .docx bytes, laid out per GB/T 9704-2012."""
    members, doc_part, core_part = _skeleton()
    # Only the document element is copied; styles, numbering and footer are read from the shared
    # base parts, whose serialised bytes are reused as they are.
    doc = DocxDocument(copy.deepcopy(doc_part.element), doc_part)
    _lay_out(doc, blocks)
    core = copy.deepcopy(core_part.element)
    props = CoreProperties(core)
    props.title, props.author, props.last_modified_by = title, "ogi-workflow", "ogi-workflow"
    props.created = props.modified = issued_at.replace(microsecond=0, tzinfo=None)
    props.revision = 1
    buf = io.BytesIO()
    writer = _FixedTimeZip(buf)
    for name, blob in members:
        if blob is None:
            blob = serialize_part_xml(doc.element if name == doc_part.partname.membername else core)
        writer.write_member(name, blob)
    writer.close()
    return buf.getvalue()


class _FixedTimeZip:
    """The .docx zip, every member stamped with one fixed time so equal letters are equal bytes
    (python-docx would stamp the current time)."""

    def __init__(self, buf: io.BytesIO) -> None:
        # Level 1: letters are small and mostly XML; speed matters more than a few kilobytes.
        self._zip = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1)

    def write_member(self, name: str, blob: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self._zip.writestr(info, blob, compresslevel=1)

    def close(self) -> None:
        self._zip.close()
