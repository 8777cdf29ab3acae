"""The office's own settings: name, letter number pattern, remedy bodies, contact and payment
details. Stored in the database (an admin changes them); defaults make a fresh install usable."""

from __future__ import annotations

import re
import string
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from sqlalchemy import event
from sqlalchemy import select as sa_select
from sqlmodel import Session

from states import RuleBook
from states.outcomes import CONFIRM_OR_REISSUE_DEFAULT_BASIS
from workflow.clock.ladder import parse_ladder
from workflow.errors import InvalidInput
from workflow.models import OfficeSetting


@dataclass(frozen=True)
class Office:
    name: str = "示例市人民政府办公室"
    code: str = "示政办公开"  # the agency's prefix in letter numbers (机关代字)
    # {code} {series} {year} {seq}; GB/T 9704 writes 〔2026〕12号, many offices 〔2026〕第12号
    number_pattern: str = "{code}{series}〔{year}〕{seq}号"
    reconsideration_body: str = "示例市人民政府"
    court: str = "示例市示范区人民法院"
    address: str = "示例市人民路1号政务服务中心三楼"
    phone: str = "0000-12345678"
    payment_instructions: str = "请持本通知书到本机关政务公开窗口缴纳，或通过非税收入电子缴款平台缴纳"
    smtp_host: str = ""  # host:port; empty: notifications stay in the inbox only
    smtp_from: str = "ogi@example.gov.cn"
    quiet_hours: str = "22:00-07:00"  # Beijing time; no e-mail is sent inside it
    escalation_ladder: str = ""  # JSON list of rungs; empty: the default ladder (workflow/clock/ladder.py)
    # The legal basis a confirm_or_reissue answer cites, as articles of the Regulations (the letter
    # says 根据《中华人民共和国政府信息公开条例》{basis}的规定). No article names that case and Art. 39
    # must not be cited; the reasoned default is in states/outcomes.py.
    confirm_or_reissue_basis: str = CONFIRM_OR_REISSUE_DEFAULT_BASIS
    contact_person: str = "政府信息公开工作人员"  # named on every letter with the phone (附注)
    letterhead: str = "0"  # 1: letters carry the office's red 版头 (letter format, GB/T 9704 §10.1)
    consultation_notice: str = "0"  # 1: tell the applicant when a consultation is under way
    session_idle_minutes: str = "30"  # a console session ends after this long without a request
    session_max_hours: str = "8"  # ... and this long after login, whatever happens
    registration_days: str = "1"  # working days after receipt to register (or confirm) before escalation
    department_scope: str = "off"  # on: a handler may also act on and read their department's cases

    def number(self, series: str, year: int, seq: int) -> str:
        """A letter number (文号) in the office's pattern."""
        return self.number_pattern.format(code=self.code, series=series, year=year, seq=seq)


KEYS = tuple(f.name for f in fields(Office))


_SETTINGS: Any = OfficeSetting.__table__  # type: ignore[attr-defined]
# Plain rows, no autoflush: actions read the settings (letters, hand-offs), and the ORM path showed
# in perform's profile. Nothing in a transaction writes settings before reading them, except
# set_office, which flushes first and drops the transaction's copy.
_ALL_SETTINGS = sa_select(_SETTINGS.c.key, _SETTINGS.c.value)


_CACHE = "ogi_office_settings"  # session.info: the settings this transaction read (see _settings)


@event.listens_for(Session, "after_transaction_end")
def _forget_settings(session: Session, transaction: Any) -> None:
    # Another transaction may have changed them since (or a savepoint undone a change): read again.
    session.info.pop(_CACHE, None)


def _settings(session: Session) -> dict[str, str]:
    """The stored settings, read once per transaction: perform needs them up to four times
    (ownership, rulebook, letters, hand-offs). `set_office` drops the copy when it writes."""
    cached: dict[str, str] | None = session.info.get(_CACHE)
    if cached is None:
        rows = session.connection().execute(_ALL_SETTINGS)
        cached = session.info[_CACHE] = {key: value for key, value in rows if key in KEYS}
    return cached


def office_rulebook(session: Session, base: RuleBook) -> RuleBook:
    """The rulebook with the conventions the office sets for itself (Art. 31 registration time)."""
    value = _settings(session).get("registration_days")
    return replace(base, registration_days=int(value)) if value is not None and value.isdigit() else base


def load_office(session: Session) -> Office:
    return replace(Office(), **_settings(session))


_NUMERAL = "[一二三四五六七八九十百零]+"
_ARTICLE = f"第{_NUMERAL}条(?:第{_NUMERAL}款)?(?:第（{_NUMERAL}）项)?"
_ARTICLES = re.compile(f"^{_ARTICLE}(?:[、和及]{_ARTICLE})*$")
_QUIET = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
_SMTP = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$")


_PLACEHOLDERS = frozenset({"code", "series", "year", "seq"})
_LIMITS = {"session_idle_minutes": (5, 24 * 60), "session_max_hours": (1, 72), "registration_days": (1, 10)}


def _check_placeholders(value: str) -> None:
    """Only the named placeholders, bare: `{code.__class__}` or `{seq!r}` would read objects or
    change numbers."""
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as exc:
        raise InvalidInput(f"number_pattern：格式有误（{exc}）", "office.number_pattern", "number_pattern") from None
    for _, name, spec, conversion in parts:
        if name is not None and (name not in _PLACEHOLDERS or spec or conversion):
            raise InvalidInput(
                f"number_pattern：只能使用 {{code}} {{series}} {{year}} {{seq}}，不能使用“{{{name}}}”",
                "office.number_pattern",
                "number_pattern",
            )


def _check_number_pattern(value: str) -> None:
    key = "number_pattern"
    _check_placeholders(value)
    try:
        sample = value.format(code="X", series="答", year=2026, seq=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidInput(
            f"number_pattern：只能使用 {{code}} {{series}} {{year}} {{seq}}（{exc}）", "office.number_pattern", key
        ) from None
    # The placeholders themselves: a year typed in, or a fixed number, would repeat numbers.
    if "{year}" not in value or "{seq}" not in value or "2026" not in sample:
        raise InvalidInput("number_pattern：须包含 {year} 和 {seq}", "office.number_pattern", key)


def _check_setting(key: str, value: str) -> None:
    """Refuse a value that would break letter numbering, the queue, the sweep or the mail relay later on."""
    if key in _LIMITS:
        low, high = _LIMITS[key]
        if not value.isdigit() or not low <= int(value) <= high:
            raise InvalidInput(f"{key}：须为 {low} 到 {high} 之间的整数", "office.range", key)
    elif key == "department_scope" and value not in ("off", "on"):
        raise InvalidInput("department_scope：只能是 off 或 on", "office.department_scope", key)
    elif key == "number_pattern":
        _check_number_pattern(value)
    elif key == "escalation_ladder":
        parse_ladder(value)
    elif key == "quiet_hours" and value and not _QUIET.match(value):
        raise InvalidInput(
            "quiet_hours：格式应为 HH:MM-HH:MM（北京时间），如 22:00-07:00；留空表示不限", "office.quiet_hours", key
        )
    elif key == "smtp_host" and value and not (_SMTP.match(value) and int(value.partition(":")[2] or 25) <= 65535):
        raise InvalidInput(
            "smtp_host：格式应为 主机名[:端口]，如 mail.example.gov.cn:25；留空表示不发邮件", "office.smtp_host", key
        )
    elif key == "confirm_or_reissue_basis":
        _check_basis(value)
    elif key in ("letterhead", "consultation_notice") and value not in ("0", "1"):
        raise InvalidInput(f"{key}：应为 1（是）或 0（否）", "office.flag", key)
    elif key in ("name", "code", "reconsideration_body", "court") and not value:
        raise InvalidInput(f"{key}：不能为空（文书必须载明）", "office.required", key)


def _check_basis(value: str) -> None:
    """Articles of the Regulations, e.g. 第二条、第二十七条; never Art. 39 (petitions, publications)."""
    if not _ARTICLES.match(value):
        raise InvalidInput(
            "confirm_or_reissue_basis：应为《条例》的条款，如“第二条、第二十七条”或“第三十六条第（六）项”",
            "office.confirm_or_reissue_basis",
            "confirm_or_reissue_basis",
        )
    if re.search(r"(^|[、和及])第三十九条", value):
        raise InvalidInput(
            "confirm_or_reissue_basis：条例第三十九条只适用于信访举报投诉和公开出版物，"
            "不能作为不予处理“要求确认或重新出具已获取信息”的依据",
            "office.confirm_or_reissue_not_art39",
            "confirm_or_reissue_basis",
        )


def set_office(session: Session, key: str, value: str) -> Office:
    """Change one setting.

    Raises:
        InvalidInput: an unknown key, or a number pattern that cannot produce a number.
    """
    if key not in KEYS:
        raise InvalidInput(f"{key}：不是机关设置项，可选：{', '.join(KEYS)}", "office.unknown_key", key)
    _check_setting(key, value.strip())
    row = session.get(OfficeSetting, key) or OfficeSetting(key=key, value="")
    row.value = value.strip()
    session.add(row)
    session.flush()
    session.info.pop(_CACHE, None)
    return load_office(session)


def office_dict(office: Office) -> dict[str, str]:
    return asdict(office)
