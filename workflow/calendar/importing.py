"""Reading an official arrangement from an administrator's import (YAML or CSV) or a shipped data
file. Every error names the entry (field or line) and the rule it breaks, in Chinese: these
messages reach the console's calendar page and `ogi calendar import` as they are."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from workflow.calendar.arrangement import CalendarError, Located, YearArrangement, check_dates, check_year, entry_where

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YAML_KEYS = frozenset({"year", "source", "holidays", "workdays"})
_LIST_RULE = "应为日期列表，每项为一个日期或“YYYY-MM-DD..YYYY-MM-DD”区间"


def parse_date(value: object, field: str, where: str | None = None) -> date:
    # PyYAML turns an unquoted 2026-01-01 into a date; accept it as written.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    # fullmatch first: fromisoformat also takes forms such as 20260101 or 2026-W01-1.
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalendarError(field, f"{value!r} 不是有效日期（应为 YYYY-MM-DD）", where=where)


def _parse_entry(value: object, field: str, where: str) -> Iterator[date]:
    """One YAML list entry: a single date or an inclusive range "A..B"."""
    if isinstance(value, str) and ".." in value:
        left, _, right = value.partition("..")
        first = parse_date(left, field, where)
        last = parse_date(right, field, where)
        if last < first:
            raise CalendarError(field, f"区间 {value!r} 的结束日早于开始日", where=where)
        if last.year != first.year:
            raise CalendarError(field, f"区间 {value!r} 跨年；每个区间须在同一年内", where=where)
        for offset in range((last - first).days + 1):
            yield first + timedelta(days=offset)
    else:
        yield parse_date(value, field, where)


def _yaml_date_list(doc: Mapping[str, Any], key: str) -> list[Located]:
    if key not in doc:
        raise CalendarError(key, f"必须填写；{_LIST_RULE}")
    raw = doc[key]
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise CalendarError(key, _LIST_RULE)
    out: list[Located] = []
    for index, value in enumerate(raw):
        field, where = entry_where(key, index)
        out.extend(((field, where), d) for d in _parse_entry(value, field, where))
    return out


class _DatesAsText(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text, so a bad one (2026-02-30) is reported by
    field like any other instead of crashing the YAML parser."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_document(text: str) -> dict[Any, Any]:
    try:
        doc = yaml.load(text, Loader=_DatesAsText)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, ValueError) as exc:
        raise CalendarError("yaml", f"不是有效的 YAML（{exc}）") from exc
    if not isinstance(doc, dict):
        raise CalendarError("yaml", "应为包含 year、source、holidays、workdays 四项的映射")
    unknown = sorted(str(k) for k in doc if k not in _YAML_KEYS)
    if unknown:
        raise CalendarError(unknown[0], "未知的项（只允许 year、source、holidays、workdays）")
    return doc


def _parse_yaml(text: str, default_source: str) -> YearArrangement:
    doc = _yaml_document(text)
    if "year" not in doc:
        raise CalendarError("year", "必须填写年份")
    year = check_year(doc["year"], "year")
    source = doc.get("source", default_source)
    if not isinstance(source, str) or not source.strip():
        raise CalendarError("source", f"应为非空文字（放假安排的出处），实为 {source!r}")
    holidays = _yaml_date_list(doc, "holidays")
    workdays = _yaml_date_list(doc, "workdays")
    return _build_official(year, holidays, workdays, source.strip())


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    for row in reader:
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if header is None:
            header = [cell.lower() for cell in cells]
            if header not in (["date", "kind"], ["date", "kind", "name"]):
                raise CalendarError("header", f"表头应为“date,kind”或“date,kind,name”，实为 {','.join(cells)!r}")
            continue
        yield reader.line_num, cells
    if header is None:
        raise CalendarError("header", "缺少表头（应为“date,kind”或“date,kind,name”）")


def _csv_row(line: int, cells: list[str], year: int | None) -> tuple[date, str]:
    """The date and kind of one data row, checked against the year of the rows before it."""
    if len(cells) < 2 or len(cells) > 3:
        raise CalendarError(
            f"line {line}", f"应有 2 或 3 列（date,kind[,name]），实有 {len(cells)} 列", where=f"第{line}行"
        )
    field, where = f"line {line}, date", f"第{line}行 date 列"
    d = parse_date(cells[0], field, where)
    if year is None:
        check_year(d.year, field, where)
    elif d.year != year:
        raise CalendarError(field, f"{d.isoformat()} 不在{year}年内（所有行须属同一年）", where=where)
    kind = cells[1].lower()
    if kind not in ("holiday", "workday"):
        raise CalendarError(
            f"line {line}, kind",
            f"{cells[1]!r} 应为 holiday（放假）或 workday（调休上班）",
            where=f"第{line}行 kind 列",
        )
    return d, kind


def _parse_csv(text: str, default_source: str) -> YearArrangement:
    holidays: list[Located] = []
    workdays: list[Located] = []
    year: int | None = None
    for line, cells in _csv_rows(text):
        d, kind = _csv_row(line, cells, year)
        year = d.year
        (holidays if kind == "holiday" else workdays).append(((f"line {line}", f"第{line}行"), d))
    if year is None:
        raise CalendarError("rows", "表头之后没有数据行")
    return _build_official(year, holidays, workdays, default_source)


def _build_official(year: int, holidays: list[Located], workdays: list[Located], source: str) -> YearArrangement:
    if not holidays:
        raise CalendarError("holidays", "正式放假安排至少应列出一个放假日")
    check_dates(year, holidays, workdays)
    arrangement = YearArrangement(
        year=year,
        holidays=frozenset(d for _, d in holidays),
        workdays=frozenset(d for _, d in workdays),
        official=True,
        source=source,
    )
    arrangement.validate()
    return arrangement


def parse_arrangement(text: str, fmt: str, *, source: str | None = None) -> YearArrangement:
    """Parse an admin import (or a shipped data file) into an official arrangement.

    ``source`` is used when the data does not carry its own (CSV never does).
    """
    kind = fmt.strip().lower()
    if kind in ("yaml", "yml"):
        return _parse_yaml(text, source or "导入（YAML）")
    if kind == "csv":
        return _parse_csv(text, source or "导入（CSV）")
    raise CalendarError("fmt", f"不支持的格式 {fmt!r}（应为 yaml 或 csv）", where="格式")


def load_arrangement_file(path: str | Path) -> YearArrangement:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        fmt = "yaml"
    elif suffix == ".csv":
        fmt = "csv"
    else:
        raise CalendarError("path", f"文件 {p.name!r} 的扩展名不受支持（应为 .yaml、.yml 或 .csv）", where="文件")
    # utf-8-sig: spreadsheet exports on Windows start with a BOM.
    text = p.read_text(encoding="utf-8-sig")
    return parse_arrangement(text, fmt, source=f"导入自 {p.name}")
