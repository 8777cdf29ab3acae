"""PDF and images: page text and document information as segments; redaction with PyMuPDF's
redaction annotations, applied so that the text, vector graphics and image pixels under each
area are removed from the file (not covered), and the metadata scrubbed.

A page that is mostly an image (a scan) cannot be read here: it yields an `image` finding, and
the reviewer marks the areas to remove by hand (page regions, in PDF points or image pixels).
"""

from __future__ import annotations

from typing import Any

import pymupdf

from workflow.errors import Refused
from workflow.redaction.detect import Finding, Segment, finding_id

_META = {
    "author": "作者",
    "title": "标题",
    "subject": "主题",
    "keywords": "关键词",
    "creator": "创建程序",
    "producer": "生成程序",
}
_ENDS = frozenset("。！？；：\u3000 ")
_SCAN_TEXT_MIN = 20  # a page with an image and fewer characters than this is treated as a scan


def _open(content: bytes, filetype: str = "pdf") -> Any:
    return pymupdf.open(stream=content, filetype=filetype)


def _chars(page: Any) -> tuple[str, list[Any]]:
    """The page's text with each character's box (None for an inserted line break). Lines are
    joined without a break when the line above runs to the right margin: a wrapped line, which
    in Chinese text may split a name or a number."""
    chars: list[str] = []
    boxes: list[Any] = []
    full = page.rect.width * 0.75
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            if chars and (boxes[-1] is None or boxes[-1].x1 < full or chars[-1] in _ENDS):
                chars.append("\n")
                boxes.append(None)
            for span in line["spans"]:
                for ch in span["chars"]:
                    chars.append(ch["c"])
                    boxes.append(pymupdf.Rect(ch["bbox"]))
    return "".join(chars), boxes


def segments(content: bytes) -> list[Segment]:
    out: list[Segment] = []
    with _open(content) as doc:
        for n, page in enumerate(doc, start=1):
            text, _ = _chars(page)
            if text.strip():
                out.append(Segment(f"page{n}", "page", f"第{n}页", text, page=n))
        for key, label in _META.items():
            value = (doc.metadata or {}).get(key)
            if value and value.strip():
                out.append(Segment(f"meta#{key}", "metadata", f"文档属性“{label}”", value, name_value=key == "author"))
    return out


def scanned_pages(content: bytes) -> list[Finding]:
    """One `image` finding per page that is an image with (almost) no text layer."""
    out = []
    with _open(content) as doc:
        for n, page in enumerate(doc, start=1):
            if page.get_images() and len(page.get_text("text").strip()) < _SCAN_TEXT_MIN:
                out.append(image_finding(f"page{n}", f"第{n}页", n))
    return out


def image_finding(key: str, label: str, page: int) -> Finding:
    text = f"{label}为图像，须人工标注需去除的区域"
    return Finding(finding_id(key, 0, 0, "image"), "image", text, key, "page", label, 0, 0, page=page)


def _rects(page: Any, text: str) -> list[Any]:
    """Where `text` is on the page; a span broken over lines is searched for line by line."""
    hits = page.search_for(text)
    if hits:
        return list(hits)
    out = []
    for part in (p.strip() for p in text.splitlines()):
        if part:
            out.extend(page.search_for(part))
    return out


def _span_rects(boxes: list[Any], start: int, end: int) -> list[Any]:
    """One rectangle per line the span covers (the union of its characters' boxes there)."""
    rects: list[Any] = []
    for box in boxes[start:end]:
        if box is None:
            continue
        if rects and abs(rects[-1].y0 - box.y0) < 2:
            rects[-1] |= box
        else:
            rects.append(pymupdf.Rect(box))
    return rects


def redact(content: bytes, spans: list[Finding], regions: list[dict[str, Any]]) -> bytes:
    """Redact every span where it was found, every other place on its page with the same text,
    metadata texts on every page, and every region; then drop the document information, XMP
    metadata and outline."""
    with _open(content) as doc:
        everywhere = {f.text for f in spans if f.page is None}
        for n, page in enumerate(doc, start=1):
            _, boxes = _chars(page)
            mine = [f for f in spans if f.page == n]
            rects = [r for f in mine for r in _span_rects(boxes, f.start, f.end)]
            rects += [r for text in {f.text for f in mine} | everywhere for r in _rects(page, text)]
            for rect in rects:
                page.add_redact_annot(rect, fill=(0, 0, 0))
            for region in (r for r in regions if int(r["page"]) == n):
                page.add_redact_annot(pymupdf.Rect(*region["rect"]), fill=(0, 0, 0))
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS)
        doc.set_metadata({})
        doc.del_xml_metadata()
        doc.set_toc([])
        return bytes(doc.tobytes(garbage=4, deflate=True, clean=True))


def text_and_metadata(content: bytes) -> str:
    """The text layer of every page and every metadata value, for checking a redacted copy."""
    with _open(content) as doc:
        parts = [page.get_text("text") for page in doc]
        parts += [str(v) for v in (doc.metadata or {}).values() if v]
        parts.append(doc.get_xml_metadata() or "")
        parts += [str(entry[1]) for entry in doc.get_toc()]
    return "\n".join(parts)


def blackout_image(content: bytes, ext: str) -> bytes:
    """The picture painted black, same size and format (PNG or JPEG; other formats are refused)."""
    if ext not in ("png", "jpg", "jpeg"):
        message = f"无法处理 .{ext} 格式的嵌入图片：请在原文件中删除或替换该图片后重新上传"
        raise Refused(message, "redaction.image_format")
    pix = pymupdf.Pixmap(content)
    return redact_image(content, [{"rect": [0, 0, pix.width, pix.height]}], "jpg" if ext != "png" else "png")


def redact_image(content: bytes, regions: list[dict[str, Any]], fmt: str) -> bytes:
    """Black out each region's pixels and re-encode, which also drops EXIF and other metadata."""
    pix = pymupdf.Pixmap(content)
    if pix.alpha:
        pix = pymupdf.Pixmap(pix, 0)  # drop the alpha channel so filled pixels are opaque
    for region in regions:
        x0, y0, x1, y1 = (int(v) for v in region["rect"])
        pix.set_rect(pymupdf.IRect(x0, y0, x1, y1), (0,) * pix.n)
    return bytes(pix.tobytes("jpg" if fmt == "jpg" else "png"))
