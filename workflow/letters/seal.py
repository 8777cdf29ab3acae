"""The seal placeholder of a letter: a dashed red circle anchored to the office's name, centred
over the name and date (GB/T 9704 §7.3.5.1). A drawing, not a line of text, so the name and date
keep their places and the seal overlaps both."""

from __future__ import annotations

from typing import Any

from docx.oxml import parse_xml

from workflow.letters.docx_package import BODY_FONT

SEAL_MM = 42.0  # the usual diameter of an office seal
_EMU_PER_MM = 36000
CHAR_PITCH_PT = 156 / 25.4 * 72 / 28  # 156 mm / 28 characters ≈ 15.79 pt


_SEAL_XML = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" behindDoc="1"
 locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="margin"><wp:posOffset>{x}</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV>
<wp:extent cx="{d}" cy="{d}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="1" name="seal" descr="印章位置"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{d}" cy="{d}"/></a:xfrm>
<a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom><a:noFill/>
<a:ln w="19050"><a:solidFill><a:srgbClr val="C00000"/></a:solidFill><a:prstDash val="dash"/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="{font}"/>
<w:color w:val="C00000"/><w:sz w:val="24"/></w:rPr><w:t>（印章）</w:t></w:r></w:p></w:txbxContent></wps:txbx>
<wps:bodyPr anchor="t" lIns="0" tIns="180000" rIns="0" bIns="0"/></wps:wsp></a:graphicData></a:graphic>
</wp:anchor></w:drawing></w:r>"""


def draw_seal(paragraph: Any, centre_from_right_chars: float) -> None:
    """The seal placeholder: a dashed red circle anchored to the office name's paragraph, centred
    over the name and date, which sit just below its centre (GB/T 9704 §7.3.5.1); its top is in
    the blank lines above the name, within one line of the body."""
    d = round(SEAL_MM * _EMU_PER_MM)
    centre_x = 156 * _EMU_PER_MM - centre_from_right_chars * CHAR_PITCH_PT / 72 * 25.4 * _EMU_PER_MM
    y = round(-14 * _EMU_PER_MM)
    xml = _SEAL_XML.format(x=round(centre_x - d / 2), y=y, d=d, font=BODY_FONT).replace("\n", "")
    paragraph.append(parse_xml(xml))
