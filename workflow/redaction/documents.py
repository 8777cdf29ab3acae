"""One entry point per operation, whatever the file type: the segments of a document, its
findings, the reviewer's own spans, the redacted copy, and what a copy still holds."""

from __future__ import annotations

import re
from typing import Any

from workflow.errors import InvalidInput, Refused
from workflow.files.kinds import IMAGE_KINDS, FileKind
from workflow.redaction import docx, pdf, xlsx
from workflow.redaction.detect import PRIVACY, Finding, Segment, finding_id, make, scan_segments

MASK = "■■■"


def decode_text(content: bytes) -> tuple[str, str]:
    """The text of a plain-text file and its encoding (UTF-8, else GB 18030)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InvalidInput("file：文本文件既不是 UTF-8 也不是 GB 18030 编码", "attachment.encoding", "file")


def _txt_segments(content: bytes) -> list[Segment]:
    text, _ = decode_text(content)
    return [
        Segment(f"line{n}", "paragraph", f"第{n}行", line)
        for n, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]


def segments(kind: str, content: bytes) -> list[Segment]:
    if kind == "docx":
        return docx.segments(content)
    if kind == "xlsx":
        return xlsx.segments(content)
    if kind == "pdf":
        return pdf.segments(content)
    if kind == "txt":
        return _txt_segments(content)
    return []


def scan(kind: str, content: bytes) -> list[Finding]:
    """Every finding in the document, in document order; images and scanned pages yield an
    `image` finding that asks for regions marked by hand."""
    if FileKind(kind) in IMAGE_KINDS:
        return [pdf.image_finding("image", "图像", 1)]
    found = scan_segments(segments(kind, content))
    if kind == "pdf":
        found += pdf.scanned_pages(content)
    if kind == "docx":
        found += [embedded_image(name) for name in docx.media(content)]
    return found


def embedded_image(name: str) -> Finding:
    """A picture inside a DOCX: accept paints it black in the copy, reject keeps it as it is."""
    label = f"嵌入图片 {name.rsplit('/', 1)[-1]}"
    return Finding(finding_id(name, 0, 0, "image"), "image", f"{label}须人工核对", name, "image", label, 0, 0)


def spans_for_text(kind: str, content: bytes, text: str, ground: str = PRIVACY) -> list[Finding]:
    """The reviewer's own span: every occurrence of `text` in the document.

    Raises:
        InvalidInput: empty text, or text the document does not contain.
    """
    if not text.strip():
        raise InvalidInput("text：须填写要去除的文字", "redaction.text_empty", "text")
    out = []
    for seg in segments(kind, content):
        for m in re.finditer(re.escape(text), seg.text):
            out.append(make("span", seg, m.start(), m.end(), source="reviewer", ground=ground))
    if not out:
        raise InvalidInput(f"text：文件中没有找到“{text}”", "redaction.text_absent", "text")
    return out


def _redact_txt(content: bytes, spans: list[Finding]) -> bytes:
    text, encoding = decode_text(content)
    lines = text.split("\n")
    for f in sorted(spans, key=lambda f: -f.start):
        n = int(f.segment.removeprefix("line")) - 1
        lines[n] = lines[n][: f.start] + MASK + lines[n][f.end :]
    out = "\n".join(lines)
    for f in spans:
        out = out.replace(f.text, MASK)
    return out.encode("utf-8" if encoding == "utf-8-sig" else encoding)


def redact(
    kind: str, content: bytes, spans: list[Finding], regions: list[dict[str, Any]], images: frozenset[str] = frozenset()
) -> bytes:
    """The redacted copy (`images`: embedded pictures to paint black); refused when any span's
    text would survive in it."""
    if kind == "docx":
        out = docx.redact(content, spans, images)
    elif kind == "xlsx":
        out = xlsx.redact(content, spans)
    elif kind == "pdf":
        out = pdf.redact(content, spans, regions)
    elif kind == "txt":
        out = _redact_txt(content, spans)
    else:
        out = pdf.redact_image(content, regions, FileKind(kind).suffix)
    left = survivors(kind, out, [f.text for f in spans])
    if left:
        raise Refused(f"去标识化后仍能找到 {len(left)} 处应去除的内容，未生成文件", "redaction.incomplete")
    return out


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def survivors(kind: str, content: bytes, texts: list[str]) -> list[str]:
    """Which of `texts` a document still holds anywhere: every XML part of a DOCX or XLSX, the
    text layer and metadata of a PDF, a text file's text. Whitespace is ignored, so a name
    broken over two lines or runs is still caught."""
    if kind in ("docx", "xlsx"):
        held = docx.all_text(content)
    elif kind == "pdf":
        held = pdf.text_and_metadata(content)
    elif kind == "txt":
        held = decode_text(content)[0]
    else:
        return []
    squeezed = _squeeze(held)
    return [t for t in texts if t.strip() and (t in held or _squeeze(t) in squeezed)]
