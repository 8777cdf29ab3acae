"""The registry's office settings: the index-number pattern, the organisation code it uses, the
Art. 44 threshold, the re-evaluation period and the catalogue's public address. Stored beside the
office settings (keys prefixed `registry.`), changed by an admin, audited."""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session

from states.registry import RegistryRules
from workflow.accounts.audited import audited_write
from workflow.accounts.users import get_user
from workflow.errors import Forbidden, InvalidInput
from workflow.models import OfficeSetting

PREFIX = "registry."
PLACEHOLDERS = ("org", "year", "seq")


@dataclass(frozen=True)
class RegistrySettings:
    index_pattern: str = "{org}/{year}-{seq:05d}"
    org: str = "000000000"  # the office's unified code (统一社会信用代码 or 组织机构代码)
    issuer: str = "示例市人民政府办公室"  # the default 发布机构
    publish_days: str = "20"  # Art. 26
    proposal_threshold: str = "3"  # Art. 44
    reevaluation_days: str = "365"
    public_base_url: str = ""  # e.g. https://www.example.gov.cn; empty: links are relative

    def rules(self) -> RegistryRules:
        return RegistryRules(int(self.publish_days), int(self.proposal_threshold), int(self.reevaluation_days))

    def index_number(self, year: int, seq: int) -> str:
        return self.index_pattern.format(org=self.org, year=year, seq=seq)


KEYS = tuple(f.name for f in fields(RegistrySettings))
_SETTINGS: Any = OfficeSetting.__table__  # type: ignore[attr-defined]


def check_pattern(pattern: str) -> None:
    """The pattern may name only {org}, {year} and {seq} (with a format spec), and needs year and seq.

    Raises:
        InvalidInput: any other placeholder, attribute or index access, a conversion, or bad syntax.
    """
    named: set[str] = set()
    try:
        for _text, name, spec, conversion in string.Formatter().parse(pattern):
            if name is None:
                continue
            if name not in PLACEHOLDERS or conversion or "{" in (spec or ""):
                raise InvalidInput(
                    f"index_pattern：只能使用 {{org}} {{year}} {{seq}}（可带格式如 {{seq:05d}}），不能用“{{{name}}}”",
                    "registry.index_pattern",
                    "index_pattern",
                )
            named.add(name)
        pattern.format(org="X", year=2026, seq=1)
    except ValueError as exc:
        raise InvalidInput(f"index_pattern：格式无效（{exc}）", "registry.index_pattern", "index_pattern") from None
    if not {"year", "seq"} <= named:
        raise InvalidInput(
            "index_pattern：须包含 {year} 和 {seq}，否则索引号会重复", "registry.index_pattern", "index_pattern"
        )


def _check(key: str, value: str) -> None:
    if key == "index_pattern":
        check_pattern(value)
    elif key in ("publish_days", "proposal_threshold", "reevaluation_days"):
        if not value.isdigit() or not 1 <= int(value) <= 3650:
            raise InvalidInput(f"{key}：须为 1 至 3650 之间的整数", "registry.number", key)
    elif key in ("org", "issuer") and not value:
        raise InvalidInput(f"{key}：不能为空", "registry.required", key)


def load_registry_settings(session: Session) -> RegistrySettings:
    rows = session.connection().execute(sa_select(_SETTINGS.c.key, _SETTINGS.c.value))
    values = {k.removeprefix(PREFIX): v for k, v in rows if k.startswith(PREFIX) and k.removeprefix(PREFIX) in KEYS}
    return replace(RegistrySettings(), **values)


def change_registry_setting(session: Session, *, key: str, value: str, actor: str, now: datetime) -> RegistrySettings:
    """An admin changes one registry setting, audited in the same transaction.

    Raises:
        Forbidden: not an admin. InvalidInput: an unknown key or a value that would break numbering.
    """
    if "admin" not in get_user(session, actor).role_set():
        raise Forbidden(f"用户“{actor}”无权修改目录设置，须由管理员办理", "role.forbidden", "actor")
    if key not in KEYS:
        raise InvalidInput(f"{key}：不是目录设置项，可选：{', '.join(KEYS)}", "registry.unknown_key", "key")
    value = value.strip()
    _check(key, value)
    before = asdict(load_registry_settings(session))[key]
    row = session.get(OfficeSetting, PREFIX + key) or OfficeSetting(key=PREFIX + key, value="")
    row.value = value
    session.add(row)
    session.flush()
    audited_write(
        session,
        actor=actor,
        action="info.setting",
        now=now,
        payload={"key": key, "from": before, "to": value},
        roles=("admin",),
        what="修改目录设置",
    )
    return load_registry_settings(session)
