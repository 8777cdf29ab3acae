"""DOCX: the text of every XML part (body, tables, headers, footers, comments, notes and the
document properties) as segments, and redaction that rewrites those parts.

A paragraph's text is spread over runs (`w:t` elements) that Word splits at will, so a span is
mapped back onto the runs it covers: the first covered run gets the mask, the rest of the span
is cut from the runs that hold it. Formatting of the surrounding text is kept.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from workflow.redaction.detect import Finding, Segment, is_name_label

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
MASK = "■■■"
_PART_WHERE = (
    (re.compile(r"word/document\d*\.xml$"), "paragraph"),
    (re.compile(r"word/header\d*\.xml$"), "header"),
    (re.compile(r"word/footer\d*\.xml$"), "footer"),
    (re.compile(r"word/comments\w*\.xml$"), "comment"),
    (re.compile(r"word/(?:footnotes|endnotes)\.xml$"), "footnote"),
)
_PROP_LABELS = {
    "creator": "作者",
    "lastModifiedBy": "最后修改者",
    "title": "标题",
    "subject": "主题",
    "keywords": "关键词",
    "description": "备注",
    "category": "类别",
    "Company": "单位",
    "Manager": "经理",
    "lpwstr": "自定义属性",
}
_PREFIX = {"paragraph": "正文", "header": "页眉", "footer": "页脚", "comment": "批注", "footnote": "注释"}
_PERSON_PROPS = frozenset({"creator", "lastModifiedBy", "Manager"})


@dataclass
class _Piece:
    node: etree._Element | None  # a w:t element, or None for a tab or break (text " ", never edited)
    text: str


def _pieces(p: etree._Element) -> list[_Piece]:
    out = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}delText"):
        if el.tag in (f"{_W}t", f"{_W}delText"):
            out.append(_Piece(el, el.text or ""))
        else:
            out.append(_Piece(None, " "))
    return out


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _cell_position(p: etree._Element) -> tuple[etree._Element, int, int] | None:
    tc = next((a for a in p.iterancestors(f"{_W}tc")), None)
    if tc is None:
        return None
    tr = tc.getparent()
    cells = tr.findall(f"{_W}tc")
    rows = tr.getparent().findall(f"{_W}tr")
    return tc, rows.index(tr), cells.index(tc)


def _cell_text(tc: etree._Element) -> str:
    return "".join(t.text or "" for t in tc.iter(f"{_W}t"))


def _under_name_label(tc: etree._Element, row: int, col: int) -> bool:
    tr = tc.getparent()
    cells = tr.findall(f"{_W}tc")
    if col > 0 and is_name_label(_cell_text(cells[col - 1])):
        return True
    header = tr.getparent().findall(f"{_W}tr")[0].findall(f"{_W}tc")
    return row > 0 and col < len(header) and is_name_label(_cell_text(header[col]))


def _paragraph_segments(name: str, root: etree._Element, where: str) -> Iterator[Segment]:
    tables = {id(t): i + 1 for i, t in enumerate(root.iter(f"{_W}tbl"))}
    count = 0
    for n, p in enumerate(root.iter(f"{_W}p")):
        text = "".join(piece.text for piece in _pieces(p))
        if not text.strip():
            continue
        cell = _cell_position(p)
        if cell is not None and where == "paragraph":
            tc, row, col = cell
            tbl = tables.get(id(tc.getparent().getparent()), 0)
            label = f"表格{tbl}第{row + 1}行第{col + 1}列"
            yield Segment(f"{name}#p{n}", "cell", label, text, name_value=_under_name_label(tc, row, col))
            continue
        count += 1
        yield Segment(f"{name}#p{n}", where, f"{_PREFIX[where]}第{count}段", text)
    if where == "comment":
        for i, c in enumerate(root.iter(f"{_W}comment")):
            author = c.get(f"{_W}author")
            if author:
                yield Segment(f"{name}#author{i}", "comment", f"批注{i + 1}的作者", author, name_value=True)


def _property_segments(name: str, root: etree._Element) -> Iterator[Segment]:
    for i, el in enumerate(root.iter()):
        local = _local(el.tag)
        if el.text and el.text.strip() and len(el) == 0 and local in _PROP_LABELS:
            label = f"文档属性“{_PROP_LABELS[local]}”"
            yield Segment(f"{name}#e{i}", "metadata", label, el.text, name_value=local in _PERSON_PROPS)


def _where(name: str) -> str | None:
    return next((w for pattern, w in _PART_WHERE if pattern.match(name)), None)


def _parts(content: bytes) -> Iterator[tuple[str, etree._Element]]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.endswith(".xml") and (_where(name) or name.startswith("docProps/")):
                yield name, etree.fromstring(z.read(name), _PARSER)


def segments(content: bytes) -> list[Segment]:
    out: list[Segment] = []
    for name, root in _parts(content):
        where = _where(name)
        out.extend(_paragraph_segments(name, root, where) if where else _property_segments(name, root))
    return out


def _cut(pieces: list[_Piece], start: int, end: int) -> None:
    """Replace characters [start, end) of the paragraph's text by one mask."""
    pos, masked = 0, False
    for piece in pieces:
        a, b = pos, pos + len(piece.text)
        pos = b
        if b <= start or a >= end or piece.node is None:
            continue
        lo, hi = max(start, a) - a, min(end, b) - a
        piece.text = piece.text[:lo] + ("" if masked else MASK) + piece.text[hi:]
        masked = True
        piece.node.text = piece.text
        piece.node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    # Later spans keep their offsets: the pieces' lengths changed, so callers cut right to left.


def _redact_part(name: str, root: etree._Element, spans: list[Finding]) -> None:
    by_key: dict[str, list[Finding]] = {}
    for f in spans:
        by_key.setdefault(f.segment, []).append(f)
    for n, p in enumerate(root.iter(f"{_W}p")):
        todo = by_key.get(f"{name}#p{n}")
        if todo:
            pieces = _pieces(p)
            for f in sorted(todo, key=lambda f: -f.start):
                _cut(pieces, f.start, f.end)
    for i, c in enumerate(root.iter(f"{_W}comment")):
        if f"{name}#author{i}" in by_key:
            c.set(f"{_W}author", MASK)
            c.attrib.pop(f"{_W}initials", None)
    for i, el in enumerate(root.iter()):
        for f in sorted(by_key.get(f"{name}#e{i}", []), key=lambda f: -f.start):
            el.text = (el.text or "")[: f.start] + MASK + (el.text or "")[f.end :]


def _scrub(text: str, texts: list[str]) -> str:
    for t in texts:
        text = text.replace(t, MASK)
    return text


def _scrub_tree(root: etree._Element, texts: list[str]) -> None:
    """What the span mapping could not reach (a hyperlink target, a field code, an attribute)."""
    for el in root.iter():
        if el.text:
            el.text = _scrub(el.text, texts)
        if el.tail:
            el.tail = _scrub(el.tail, texts)
        for key, value in el.attrib.items():
            el.set(key, _scrub(value, texts))


def _forget_thumbnail(root: etree._Element) -> None:
    """Drop the package's references to the thumbnail part, so the copy stays a valid package."""
    for el in list(root):
        ref = el.get("Target") or el.get("PartName") or ""
        if "docProps/thumbnail" in ref:
            root.remove(el)


_MEDIA = re.compile(r"word/media/[^/]+\.(png|jpe?g|gif|bmp|tiff?|emf|wmf)$", re.IGNORECASE)


def media(content: bytes) -> list[str]:
    """The pictures embedded in the document (their text cannot be read here)."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return [n for n in z.namelist() if _MEDIA.match(n)]


def redact(content: bytes, spans: list[Finding], blackout: frozenset[str] = frozenset()) -> bytes:
    """The document with every span masked in the part that holds it, and every span's text
    masked wherever else it still occurs; the pictures in `blackout` painted black. The
    thumbnail (a picture of page one) is dropped."""
    # pdf.py loads PyMuPDF (a large native library): only a .docx with pictures to paint needs it
    from workflow.redaction.pdf import blackout_image

    texts = sorted({f.text for f in spans if f.text.strip()}, key=len, reverse=True)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("docProps/thumbnail"):
                continue
            if info.filename in blackout:
                data = blackout_image(data, info.filename.rsplit(".", 1)[-1].lower())
            if info.filename.endswith((".xml", ".rels")):
                root = etree.fromstring(data, _PARSER)
                _forget_thumbnail(root)
                _redact_part(info.filename, root, spans)
                _scrub_tree(root, texts)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out.getvalue()


def all_text(content: bytes) -> str:
    """Every XML part's text and attribute values, for checking what a redacted copy still holds."""
    chunks = []
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(z.read(name), _PARSER)
                for p in root.iter(f"{_W}p"):
                    chunks.append("".join(piece.text for piece in _pieces(p)))
                for el in root.iter():
                    chunks += [el.text or "", el.tail or "", *el.attrib.values()]
    return "\n".join(chunks)
