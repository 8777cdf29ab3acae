"""The .docx package around a document in the office's layout: the GB fonts with their fallbacks
in the font table, our own app and core properties (nothing of the generating library, no
thumbnail or custom XML from its template), and a zip stamped with one fixed time so the same
document is always the same bytes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from xml.sax.saxutils import escape

from docx.document import Document as DocxDocument

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
# What a reader's Word or LibreOffice substitutes when a GB font is missing: recorded in the font
# table (w:altName), so the letter keeps its look on a machine without the GB fonts.
FONT_FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "华文中宋", HEI_FONT: "SimHei", KAI_FONT: "楷体", PAGE_FONT: "SimSun"}
LATIN_FONT = "Times New Roman"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def font_table() -> bytes:
    """The font table: the GB fonts by name, each with the fallback a reader substitutes."""
    fonts: list[tuple[str, str | None, str, str]] = [(LATIN_FONT, None, "roman", "00")]
    fonts += [(name, alt, "modern" if name == HEI_FONT else "roman", "86") for name, alt in FONT_FALLBACKS.items()]
    body = "".join(
        f'<w:font w:name="{escape(name)}">'
        + (f'<w:altName w:val="{escape(alt)}"/>' if alt else "")
        + f'<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt, family, charset in fonts
    )
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' + body + "</w:fonts>"
    )
    return xml.encode()


APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>ogi-workflow</Application><DocSecurity>0</DocSecurity></Properties>"
)
# Parts of python-docx's own template that describe another document: its thumbnail and custom XML.
DROPPED = re.compile(r"^(docProps/thumbnail\.jpeg|customXml/.*)$")


def clean_member(name: str, blob: bytes) -> bytes:
    """Member bytes without references to the dropped parts; our own app properties and fonts."""
    if name == "docProps/app.xml":
        return APP_XML
    if name == "word/fontTable.xml":
        return font_table()
    if name in ("_rels/.rels", "word/_rels/document.xml.rels", "[Content_Types].xml"):
        text = blob.decode()
        text = re.sub(r"<Relationship [^>]*Target=\"[^\"]*(thumbnail\.jpeg|customXml/[^\"]*)\"[^>]*/>", "", text)
        text = re.sub(r"<Override [^>]*PartName=\"/customXml/[^\"]*\"[^>]*/>", "", text)
        return text.encode()
    return blob


def core_xml(title: str, author: str, at: datetime) -> bytes:
    stamp = at.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "<dc:language>zh-CN</dc:language></cp:coreProperties>"
    ).encode()


class FixedTimeZip:
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


def finish_docx(doc: DocxDocument, *, title: str, author: str, at: datetime) -> bytes:
    """The document's bytes with the letters' clean package: our app properties and font table,
    core properties naming only the title and author, no thumbnail or custom XML."""
    raw = io.BytesIO()
    doc.save(raw)
    buf = io.BytesIO()
    writer = FixedTimeZip(buf)
    with zipfile.ZipFile(raw) as z:
        for name in z.namelist():
            if DROPPED.match(name):
                continue
            blob = core_xml(title, author, at) if name == "docProps/core.xml" else clean_member(name, z.read(name))
            writer.write_member(name, blob)
    writer.close()
    return buf.getvalue()
