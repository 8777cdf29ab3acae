"""Findings: personal data located in a document's text segments, each with a proposed ground.

A segment is one unit of text a document holds (a paragraph, a table cell, a header, a comment,
a metadata field, a PDF page); a finding is a span of one segment. Finding ids are derived from
the segment, the offsets and the text, so the same document always yields the same ids and the
reviewer's decisions (recorded by id) keep applying to it.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from states import GROUNDS, Ground
from workflow.errors import InvalidInput
from workflow.redaction.names import NAME_LABEL, find_names
from workflow.redaction.patterns import find_patterns

PRIVACY = "personal_privacy"
KIND_LABELS = {
    "id_number": "居民身份证号码",
    "mobile": "手机号码",
    "landline": "固定电话号码",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
    "plate": "机动车号牌",
    "address": "住址",
    "name": "姓名",
    "image": "图像（须人工标注区域）",
    "span": "人工标注内容",
    "region": "人工标注区域",
}
WHERE_LABELS = {
    "paragraph": "正文",
    "cell": "表格",
    "header": "页眉",
    "footer": "页脚",
    "comment": "批注",
    "footnote": "脚注、尾注",
    "metadata": "文档属性",
    "page": "页面",
    "image": "图片",
}


def ground_label(ground: str) -> str:
    """ "涉及个人隐私（第十五条）" and the like, for logs and letters."""
    if ground == PRIVACY:
        return "涉及个人隐私（《政府信息公开条例》第十五条）"
    label, article = GROUNDS[Ground(ground)]
    return f"{label}（《政府信息公开条例》{article}）"


def ground_short(ground: str) -> str:
    """ "个人隐私（第十五条）": for tables where the full label does not fit."""
    if ground == PRIVACY:
        return "个人隐私（第十五条）"
    label, article = GROUNDS[Ground(ground)]
    return f"{label}（{article}）"


def check_ground(ground: str) -> str:
    if ground != PRIVACY and ground not in {g.value for g in Ground}:
        choices = ", ".join([PRIVACY, *(g.value for g in Ground)])
        raise InvalidInput(f"ground：'{ground}' 不是可选理由，可选：{choices}", "redaction.ground", "ground")
    return ground


@dataclass(frozen=True)
class Segment:
    key: str  # stable address inside the file, e.g. "word/document.xml#p12"
    where: str  # one of WHERE_LABELS
    label: str  # for people: 正文第12段, 表格1第2行第3列, 第2页, 文档属性“作者”
    text: str
    page: int | None = None
    name_value: bool = False  # the whole text is the value of a name field (姓名 column, author)


@dataclass(frozen=True)
class Finding:
    id: str
    kind: str
    text: str
    segment: str
    where: str
    label: str
    start: int
    end: int
    ground: str = PRIVACY
    source: str = "detected"  # detected | reviewer
    page: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        out = asdict(self)
        out["kind_label"] = KIND_LABELS.get(self.kind, self.kind)
        out["where_label"] = WHERE_LABELS.get(self.where, self.where)
        out["ground_label"] = ground_label(self.ground)
        return out


def finding_id(segment: str, start: int, end: int, text: str) -> str:
    return hashlib.sha256(f"{segment}|{start}|{end}|{text}".encode()).hexdigest()[:16]


def make(kind: str, seg: Segment, start: int, end: int, *, source: str = "detected", ground: str = PRIVACY) -> Finding:
    text = seg.text[start:end]
    return Finding(
        finding_id(seg.key, start, end, text),
        kind,
        text,
        seg.key,
        seg.where,
        seg.label,
        start,
        end,
        ground,
        source,
        seg.page,
    )


def scan_segment(seg: Segment) -> list[Finding]:
    """Pattern findings first; names only where no pattern already claimed the text."""
    spans = find_patterns(seg.text)
    taken = [(s, e) for _, s, e in spans]
    found = [make(kind, seg, s, e) for kind, s, e in spans]
    for s, e in find_names(seg.text, whole=seg.name_value):
        if all(e <= a or s >= b for a, b in taken):
            found.append(make("name", seg, s, e))
    return sorted(found, key=lambda f: f.start)


def scan_segments(segments: list[Segment]) -> list[Finding]:
    out: list[Finding] = []
    for seg in segments:
        out.extend(scan_segment(seg))
    return out


def is_name_label(text: str) -> bool:
    return NAME_LABEL.match(text) is not None
