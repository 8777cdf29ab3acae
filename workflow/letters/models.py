"""The office's published model texts (答复文书格式规范): every letter kind rendered from sample
data under the office's own name and number pattern, as .docx files and one HTML page that the
office can publish on its platform."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from html import escape
from pathlib import Path

from workflow.letters.html_blocks import parse_letter
from workflow.letters.registry import LETTERS
from workflow.letters.render import render_html
from workflow.letters.samples import sample_context
from workflow.letters.word import build_docx
from workflow.office.settings import Office
from workflow.timeutil import chinese_date

_ARTICLE = re.compile(r"<article class=\"letter\">.*?</article>", re.S)
_STYLE = re.compile(r"<style>.*?</style>", re.S)


@dataclass(frozen=True)
class ModelText:
    kind: str
    title: str
    html: str
    docx: bytes


def model_texts(office: Office, day: date) -> list[ModelText]:
    """Every letter kind as the office's model text, dated `day`, numbered 〔year〕×× in its pattern."""
    out = []
    stamp = datetime.combine(day, time(9), UTC)
    for kind, spec in LETTERS.items():
        number = office.number_pattern.format(code=office.code, series=spec.series, year=day.year, seq="××")
        ctx = sample_context(kind, number=number)
        ctx["office"] = asdict(office)
        ctx["letter"]["date"] = chinese_date(day)
        if ctx.get("remedy"):
            ctx["remedy"].update(body=office.reconsideration_body, court=office.court)
        if ctx["decision"] and kind == "confirm_or_reissue":
            ctx["decision"]["article"] = office.confirm_or_reissue_basis
        html = render_html(kind, ctx)
        title = office.name + spec.title
        docx = build_docx(parse_letter(html), title=title, issued_at=stamp, author=office.name)
        out.append(ModelText(kind, spec.title, html, docx))
    return out


def models_page(office: Office, texts: list[ModelText]) -> str:
    """One HTML page: a contents list and every model text in its letter layout."""
    first = texts[0].html
    style = _STYLE.search(first)
    items, letters = [], []
    for i, t in enumerate(texts, 1):
        anchor = f"m{i}"
        items.append(f'<li><a href="#{anchor}">{escape(t.title)}</a>（{escape(t.kind)}）</li>')
        found = _ARTICLE.search(t.html)
        body = found.group(0) if found else ""
        letters.append(f'<section id="{anchor}"><h2>{i}. {escape(t.title)}</h2>{body}</section>')
    head = escape(office.name + "政府信息公开申请办理答复文书格式规范")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{head}</title>\n{style.group(0) if style else ''}\n"
        "<style>section { border-top: 1px solid #999; margin-top: 2em; } "
        "h2 { font-family: sans-serif; font-size: 14pt; }</style>\n</head>\n<body>\n"
        f"<h1>{head}</h1>\n<p>以下示范文本以样例数据填写，文中申请人、第三方及案件信息均为示例。</p>\n"
        f"<ol>{''.join(items)}</ol>\n" + "\n".join(letters) + "\n</body>\n</html>\n"
    )


def write_models(office: Office, day: date, directory: Path) -> list[Path]:
    """Write the .docx of every kind and index.html into `directory`; the paths written."""
    texts = model_texts(office, day)
    written = []
    for i, t in enumerate(texts, 1):
        path = directory / f"{i:02d}_{t.kind}_{t.title}.docx"
        path.write_bytes(t.docx)
        written.append(path)
    index = directory / "index.html"
    index.write_text(models_page(office, texts), encoding="utf-8")
    written.append(index)
    return written
