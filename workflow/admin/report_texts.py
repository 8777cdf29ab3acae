"""What the office writes into its annual report (Art. 50; 国办公开办函〔2021〕30号) besides the
tables the ledger gives: the text of each section, per year, and the figures of section 二
(proactive disclosure) until the information registry can count them. Every change is audited in
the caller's transaction, by an admin or an approver, and bumps the entry's version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from workflow.accounts.audited import audited_write
from workflow.accounts.users import get_user
from workflow.errors import Forbidden, InvalidInput
from workflow.models import AnnualText
from workflow.registry.report import registry_figures  # the information registry (issue 18)

# The office-written sections, by key: the national format's six sections (三 and 四 are the
# ledger's tables; a short introduction may precede each).
SECTIONS: dict[str, str] = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "remedies": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
FIGURES = "figures"  # section 二's table, stored as a JSON object

# Section 二's table (主动公开政府信息情况): (key, article item, content, column).
FIGURE_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("rules.made", "第二十条第（一）项", "规章", "本年制发件数"),
    ("rules.repealed", "第二十条第（一）项", "规章", "本年废止件数"),
    ("rules.in_force", "第二十条第（一）项", "规章", "现行有效件数"),
    ("normative.made", "第二十条第（一）项", "行政规范性文件", "本年制发件数"),
    ("normative.repealed", "第二十条第（一）项", "行政规范性文件", "本年废止件数"),
    ("normative.in_force", "第二十条第（一）项", "行政规范性文件", "现行有效件数"),
    ("licensing.decisions", "第二十条第（五）项", "行政许可", "本年处理决定数量"),
    ("punishment.decisions", "第二十条第（六）项", "行政处罚", "本年处理决定数量"),
    ("coercion.decisions", "第二十条第（六）项", "行政强制", "本年处理决定数量"),
    ("fees.amount", "第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）"),
)
FIGURE_KEYS = tuple(k for k, *_ in FIGURE_ROWS)
EDITOR_ROLES = frozenset({"admin", "approver"})
MAX_TEXT = 20000
_WAN = re.compile(r"^\d{1,9}(\.\d{1,4})?$")

# Whatever counts section 二 from records (the information registry, issue 18) registers a
# function session, year -> {figure key: value}; its non-empty values override the entered ones.
SectionTwo = Callable[[Session, int], Mapping[str, Any]]
SECTION_TWO_PROVIDERS: list[SectionTwo] = []


def _providers() -> list[SectionTwo]:
    return [registry_figures, *SECTION_TWO_PROVIDERS]


def _check_year(year: int) -> None:
    if not 2008 <= year <= 2100:
        raise InvalidInput(f"year：{year} 不是有效的报告年度", "report.year", "year")


def _editor(session: Session, actor: str) -> str:
    roles = get_user(session, actor).role_set() & EDITOR_ROLES
    if not roles:
        raise Forbidden(f"用户“{actor}”无权编辑年度报告，须由管理员或审批人办理", "role.forbidden", "actor")
    return sorted(roles)[0]


def _save(session: Session, *, year: int, section: str, text: str, actor: str, now: datetime) -> AnnualText:
    _editor(session, actor)
    row = session.get(AnnualText, (year, section))
    before = row.text if row else None
    if row is None:
        row = AnnualText(year=year, section=section, text=text, version=1, updated_by=actor, updated_at=now)
    else:
        row.text, row.version, row.updated_by, row.updated_at = text, row.version + 1, actor, now
    session.add(row)
    session.flush()
    audited_write(
        session,
        actor=actor,
        action="annual_text",
        now=now,
        payload={"year": year, "section": section, "version": row.version, "from": before, "to": text},
        roles=tuple(sorted(EDITOR_ROLES)),
        what="编辑年度报告",
    )
    return row


def set_text(session: Session, *, year: int, section: str, text: str, actor: str, now: datetime) -> AnnualText:
    """Write one section's text for a year (audited; never commits).

    Raises:
        InvalidInput: an unknown section, a bad year or an over-long text. Forbidden: not an
        admin or approver.
    """
    _check_year(year)
    if section not in SECTIONS:
        raise InvalidInput(
            f"section：'{section}' 不是报告章节，可选：{'、'.join(SECTIONS)}", "report.section", "section"
        )
    clean = text.replace("\r\n", "\n").strip()
    if len(clean) > MAX_TEXT:
        raise InvalidInput(f"text：不能超过 {MAX_TEXT} 字", "report.text_length", "text")
    return _save(session, year=year, section=section, text=clean, actor=actor, now=now)


def _figure(key: str, value: Any) -> int | str | None:
    text = str(value).strip() if value is not None else ""
    if text == "":
        return None
    if key == "fees.amount":
        if not _WAN.match(text):
            raise InvalidInput(f"{key}：'{text}' 应为万元数，最多四位小数，如 1.25", "report.figure", key)
        return text
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput(f"{key}：'{text}' 应为非负整数", "report.figure", key)
    return int(text)


def set_figures(
    session: Session, *, year: int, values: Mapping[str, Any], actor: str, now: datetime
) -> dict[str, int | str | None]:
    """Enter section 二's figures for a year; keys not given keep their value, "" clears one.

    Raises:
        InvalidInput: an unknown key or a value that is not a count (a 万元 amount for fees).
        Forbidden: not an admin or approver.
    """
    _check_year(year)
    unknown = sorted(set(values) - set(FIGURE_KEYS))
    if unknown:
        raise InvalidInput(
            f"{unknown[0]}：不是第二部分的数据项，可选：{'、'.join(FIGURE_KEYS)}", "report.figure", unknown[0]
        )
    figures = entered_figures(session, year)
    figures.update({k: _figure(k, v) for k, v in values.items()})
    _save(
        session,
        year=year,
        section=FIGURES,
        text=json.dumps(figures, ensure_ascii=False, sort_keys=True),
        actor=actor,
        now=now,
    )
    return figures


def load_texts(session: Session, year: int) -> dict[str, str]:
    rows = session.exec(select(AnnualText).where(AnnualText.year == year)).all()
    return {r.section: r.text for r in rows if r.section in SECTIONS}


def entered_figures(session: Session, year: int) -> dict[str, int | str | None]:
    row = session.get(AnnualText, (year, FIGURES))
    stored = json.loads(row.text) if row else {}
    return {k: stored.get(k) for k in FIGURE_KEYS}


def section_two(
    session: Session, year: int, providers: list[SectionTwo] | None = None
) -> tuple[dict[str, int | str | None], dict[str, str]]:
    """Section 二's figures: what the registry counts, else what the office entered; with the
    source of each value ("registry" or "entered")."""
    figures = entered_figures(session, year)
    source = {k: "entered" for k, v in figures.items() if v is not None}
    for provide in _providers() if providers is None else providers:
        for key, value in provide(session, year).items():
            if key in figures and value is not None and value != "":
                figures[key] = value
                source[key] = "registry"
    return figures, source
