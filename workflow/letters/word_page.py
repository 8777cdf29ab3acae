"""The page of a GB/T 9704-2012 document: A4 with its margins, the 22-line grid, the fonts of a
run, zh-CN text and the page numbers on the outer edge. Shared by the letters and the annual
report (workflow/letters/word.py, workflow/reports/word.py)."""

from __future__ import annotations

import math

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph

from workflow.letters.docx_package import BODY_FONT, LATIN_FONT, PAGE_FONT

BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
PAGE_NUMBER_PT = 14.0  # 4号
# 225 mm type area / 22 lines = 28.99 pt, which Word stores as 580 twips (29 pt): 22 such lines
# overflow the type area by 0.2 pt and a page holds 21. 579 twips (the usual 固定值28.95磅) fit 22.
LINE_TWIPS = math.floor(225 / 25.4 * 72 / 22 * 20)  # 579
CHAR_PITCH_PT = 156 / 25.4 * 72 / 28  # 156 mm / 28 characters ≈ 15.79 pt
# Character spacing in twentieths of a point, rounded down so 28 characters always fit.
CONDENSE_TWIPS = math.floor((CHAR_PITCH_PT - BODY_PT) * 20)


def fonts(run_element: object, east_asia: str, size: float, color: RGBColor | None = None) -> None:
    run = run_element
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.name = LATIN_FONT  # type: ignore[attr-defined]
    rpr = run.font.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")
    if color is not None:
        run.font.color.rgb = color  # type: ignore[attr-defined]


def exact(paragraph: Paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_TWIPS)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = False


def page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The page number sits about 7 mm below the type area; its line is set exactly, so the footer
    # never grows into the type area and costs a line of the 22.
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    sect_pr = doc.element.body.sectPr  # the only section's properties
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    # 22 lines a page come from the line grid. 28 characters a line come from condensing each
    # 16 pt character to the 15.79 pt pitch: a character grid finer than the glyph makes
    # LibreOffice give every character two cells.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = LATIN_FONT
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSE_TWIPS))
    rpr.append(spacing)
    _chinese_language(doc)


def _chinese_language(doc: DocxDocument) -> None:
    """zh-CN for every run (document defaults and Normal), so spelling, line breaking and
    punctuation compression follow Chinese rules."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    targets = [doc.styles["Normal"].element.get_or_add_rPr()]
    if defaults is not None:
        targets += defaults.iter(qn("w:rPr"))
    for rpr in targets:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """— N — in 4号 宋体, one character in from the outer edge, on an exactly set line."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(PAGE_NUMBER_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(BODY_PT)
    else:
        fmt.left_indent = Pt(BODY_PT)
    for kind, text in (("text", "— "), ("field", "PAGE"), ("text", " —")):
        run = paragraph.add_run()
        fonts(run, PAGE_FONT, PAGE_NUMBER_PT)
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
            run.font.element.append(el)


def footer_page_numbers(doc: DocxDocument) -> None:
    """GB/T 9704 §7.5: odd pages' numbers 1 character from the right, even pages' 1 from the
    left; the letter format has none on the first page."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
