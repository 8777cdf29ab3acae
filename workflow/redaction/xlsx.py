"""XLSX: cells, cell comments, sheet headers and footers and the workbook properties as
segments; redaction rewrites the workbook with openpyxl, which writes only what it models (so
anything it does not model is dropped rather than carried over unchecked)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import openpyxl

from workflow.redaction.detect import Finding, Segment, is_name_label

MASK = "■■■"
_PROPS = {
    "creator": "作者",
    "lastModifiedBy": "最后修改者",
    "title": "标题",
    "subject": "主题",
    "description": "备注",
    "keywords": "关键词",
    "category": "类别",
}
_PERSON_PROPS = frozenset({"creator", "lastModifiedBy"})
_HEADER_PARTS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")


def _load(content: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(content), rich_text=False)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**6:
        return str(value)  # long numbers typed as numbers: phone and card numbers
    return None


def _name_column(ws: Any, row: int, col: int) -> bool:
    left = ws.cell(row=row, column=col - 1).value if col > 1 else None
    if isinstance(left, str) and is_name_label(left):
        return True
    for r in range(1, min(row, 4)):
        above = ws.cell(row=r, column=col).value
        if isinstance(above, str) and is_name_label(above):
            return True
    return False


def _header_parts(ws: Any) -> Iterator[tuple[str, Any]]:
    for attr in _HEADER_PARTS:
        hf = getattr(ws, attr, None)
        for side in ("left", "center", "right"):
            part = getattr(hf, side, None) if hf is not None else None
            if part is not None and part.text:
                yield f"{attr}.{side}", part


def _sheet_segments(ws: Any) -> Iterator[Segment]:
    for row in ws.iter_rows():
        for cell in row:
            text = _text(cell.value)
            label = f"工作表“{ws.title}”{cell.coordinate}单元格"
            if text and text.strip():
                name_value = _name_column(ws, cell.row, cell.column)
                yield Segment(f"{ws.title}!{cell.coordinate}", "cell", label, text, name_value=name_value)
            if cell.comment is not None:
                yield Segment(f"{ws.title}!{cell.coordinate}#comment", "comment", label + "的批注", cell.comment.text)
                if cell.comment.author:
                    yield Segment(
                        f"{ws.title}!{cell.coordinate}#author",
                        "comment",
                        label + "批注的作者",
                        cell.comment.author,
                        name_value=True,
                    )
    for key, part in _header_parts(ws):
        where = "header" if "Header" in key else "footer"
        yield Segment(
            f"{ws.title}#{key}", where, f"工作表“{ws.title}”的{'页眉' if where == 'header' else '页脚'}", part.text
        )


def segments(content: bytes) -> list[Segment]:
    wb = _load(content)
    out: list[Segment] = []
    for ws in wb.worksheets:
        out.extend(_sheet_segments(ws))
    for prop, label in _PROPS.items():
        value = getattr(wb.properties, prop, None)
        if isinstance(value, str) and value.strip():
            out.append(
                Segment(f"props#{prop}", "metadata", f"文档属性“{label}”", value, name_value=prop in _PERSON_PROPS)
            )
    return out


def _masked(text: str, spans: list[Finding]) -> str:
    for f in sorted(spans, key=lambda f: -f.start):
        text = text[: f.start] + MASK + text[f.end :]
    return text


def _redact_sheet(ws: Any, by_key: dict[str, list[Finding]]) -> None:
    for row in ws.iter_rows():
        for cell in row:
            key = f"{ws.title}!{cell.coordinate}"
            if key in by_key:
                cell.value = _masked(_text(cell.value) or "", by_key[key])
            if cell.comment is not None and (f"{key}#comment" in by_key or f"{key}#author" in by_key):
                text = _masked(cell.comment.text, by_key.get(f"{key}#comment", []))
                author = MASK if f"{key}#author" in by_key else cell.comment.author
                cell.comment = openpyxl.comments.Comment(text, author)
    for key, part in _header_parts(ws):
        if f"{ws.title}#{key}" in by_key:
            part.text = _masked(part.text, by_key[f"{ws.title}#{key}"])


def redact(content: bytes, spans: list[Finding]) -> bytes:
    wb = _load(content)
    by_key: dict[str, list[Finding]] = {}
    for f in spans:
        by_key.setdefault(f.segment, []).append(f)
    for ws in wb.worksheets:
        _redact_sheet(ws, by_key)
    texts = {f.text for f in spans}
    for prop in _PROPS:
        value = getattr(wb.properties, prop, None)
        if isinstance(value, str) and (f"props#{prop}" in by_key or any(t in value for t in texts)):
            setattr(wb.properties, prop, _masked(value, by_key.get(f"props#{prop}", [])) if value else value)
            if any(t in getattr(wb.properties, prop) for t in texts):
                setattr(wb.properties, prop, MASK)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
