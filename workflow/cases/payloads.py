"""Turn the raw key=value fields of an action into typed values, refusing bad input by name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from states.lifecycle import ActionSpec, Field, FieldType
from workflow.errors import InvalidInput

_TRUE = {"1", "true", "yes", "y", "是", "on"}
_FALSE = {"0", "false", "no", "n", "否", "off", ""}


def _parse_date(f: Field, raw: object) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise InvalidInput(
            f"{f.name}（{f.label}）：'{raw}' 不是有效日期，应为 YYYY-MM-DD", "input.date", f.name
        ) from None


def _parse_int(f: Field, raw: object) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise InvalidInput(f"{f.name}（{f.label}）：'{raw}' 不是整数", "input.int", f.name) from None
    if f.minimum is not None and value < f.minimum:
        raise InvalidInput(f"{f.name}（{f.label}）：不能小于 {f.minimum}", "input.min", f.name)
    if f.maximum is not None and value > f.maximum:
        raise InvalidInput(f"{f.name}（{f.label}）：不能大于 {f.maximum}", "input.max", f.name)
    return value


def _parse_choice(f: Field, raw: object) -> str:
    value = str(raw).strip()
    if value not in f.choices:
        raise InvalidInput(
            f"{f.name}（{f.label}）：'{value}' 不是可选值，可选：{', '.join(f.choices)}", "input.choice", f.name
        )
    return value


def _parse_one(f: Field, raw: object) -> Any:
    if f.type is FieldType.DATE:
        return _parse_date(f, raw)
    if f.type is FieldType.INT:
        return _parse_int(f, raw)
    if f.type is FieldType.BOOL:
        text = str(raw).strip().lower()
        if text not in _TRUE | _FALSE:
            raise InvalidInput(f"{f.name}（{f.label}）：'{raw}' 应为 true 或 false", "input.bool", f.name)
        return text in _TRUE
    if f.type is FieldType.CHOICE:
        return _parse_choice(f, raw)
    if f.type is FieldType.CHOICES:
        items = (
            raw if isinstance(raw, list | tuple) else [p for p in str(raw).replace("，", ",").split(",") if p.strip()]
        )
        return sorted({_parse_choice(f, item) for item in items})
    text = str(raw).strip()
    if len(text) > 4000:
        raise InvalidInput(f"{f.name}（{f.label}）：不能超过4000字", "input.too_long", f.name)
    return text


_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The Regulations took effect on 2008-05-01: no application to this system can be older.
EARLIEST_PLAUSIBLE = date(2008, 5, 1)


def is_blank(text: str) -> bool:
    """Empty, or only blanks and zero-width characters (which look empty on every page and letter)."""
    return _INVISIBLE.fullmatch(text) is not None


def check_text(field: str, text: str) -> str:
    """Refuse control characters (tab and line breaks aside): PostgreSQL cannot even store NUL."""
    if _CONTROL.search(text):
        raise InvalidInput(f"{field}：含有不可见的控制字符（如 NUL），请删除后重试", "input.control_char", field)
    return text


def parse_payload(
    spec: ActionSpec, raw: Mapping[str, object], *, today: date, earliest: date | None = None
) -> dict[str, Any]:
    """Typed payload for the action; dates may be neither in the future nor before `earliest`.

    Raises:
        InvalidInput: unknown field, missing required field, or a malformed value.
    """
    known = {f.name: f for f in spec.fields}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        names = ", ".join(known) or "无"
        raise InvalidInput(
            f"{unknown[0]}：“{spec.label}”没有此字段，可用字段：{names}", "input.unknown_field", unknown[0]
        )
    out: dict[str, Any] = {}
    for name, f in known.items():
        value = raw.get(name)
        if value is None or (isinstance(value, str) and is_blank(value) and f.type is not FieldType.BOOL):
            if f.required:
                raise InvalidInput(f"{name}（{f.label}）：必须填写", "input.required", name)
            continue
        if isinstance(value, str):
            check_text(name, value)
        out[name] = _parse_one(f, value)
        if f.type is FieldType.DATE:
            if out[name] > today and not f.future:
                raise InvalidInput(
                    f"{name}（{f.label}）：{out[name]} 晚于今天（{today}），不能登记将来的日期",
                    "input.future_date",
                    name,
                )
            if earliest is not None and out[name] < earliest:
                raise InvalidInput(
                    f"{name}（{f.label}）：{out[name]} 早于收到申请之日（{earliest}）", "input.before_receipt", name
                )
    return out
