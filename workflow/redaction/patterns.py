"""Number-like personal data found by pattern and proved by checksum: resident ID numbers
(GB 11643-1999, ISO 7064 MOD 11-2), bank cards (Luhn), phones, e-mail addresses, vehicle plates
and postal addresses. Pure functions over text; offsets are into the text as given."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

Span = tuple[str, int, int]  # (kind, start, end)

# Full-width digits and letters are mapped one-for-one, so offsets stay those of the original text.
_WIDE = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}
    | {"－": "-", "＋": "+", "（": "(", "）": ")", "＠": "@", "．": "."}
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID = re.compile(r"(?<![0-9A-Za-z])[1-8]\d{5}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[0-9Xx](?![0-9A-Za-z])")
# Card numbers: 16-19 digits, optionally in groups of four separated by one space or hyphen.
_CARD = re.compile(r"(?<![0-9A-Za-z-])(?:\d{4}[ -]){3}\d{4}(?:[ -]?\d{1,3})?(?![0-9A-Za-z])|(?<!\d)\d{16,19}(?!\d)")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:(?:\+?86)[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z])")
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])(?:\(0\d{2,3}\)|0\d{2,3}[ -]?)[2-9]\d{6,7}(?:(?:转|-|ext\.?)\d{1,5})?(?![0-9A-Za-z])"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(
    rf"(?<![0-9A-Za-z])[{_PROVINCES}][A-HJ-NP-Z][ ·•.]?(?:[A-HJ-NP-Z0-9]{{4}}[A-HJ-NP-Z0-9挂学警港澳]"
    rf"|[DF][A-HJ-NP-Z0-9]\d{{4}}|\d{{5}}[DF])(?![0-9A-Za-z])"
)
_HAN = r"\u4e00-\u9fa5"
_NUM = r"0-9一二三四五六七八九十百零〇"
# A postal address is recognised by its street-and-number core ("…路12号", "…村3组"), optionally
# preceded by administrative divisions and followed by building, unit and room.
_ADDRESS = re.compile(
    rf"(?:[{_HAN}]{{2,7}}?(?:省|自治区))?(?:[{_HAN}]{{2,7}}?市)?(?:[{_HAN}]{{1,7}}?(?:区|县|旗))?"
    rf"(?:[{_HAN}]{{2,7}}?(?:街道|镇|乡))?"
    rf"(?:[{_HAN}{_NUM}]{{1,12}}?(?:路|街|大道|大街|巷|胡同|弄|里|道)[{_NUM}]+(?:号|弄)"
    rf"|[{_HAN}]{{1,8}}?村[{_NUM}]+(?:组|号|队))"
    rf"(?:[{_HAN}]{{1,8}}?(?:小区|花园|公寓|大厦|广场|中心|苑|园)(?=[0-9A-Za-z]))?"
    rf"(?:[0-9A-Za-z]+(?:栋|幢|号楼|座))?(?:[0-9]+单元)?(?:[0-9]+(?:楼|层))?(?:[0-9]+(?:室|号房))?"
)
# Words that introduce an address but are not part of it.
_ADDRESS_LEAD = re.compile(r"(?:住址|地址|住所地|住所|家住|现住|居住在|住在|位于|住)[：:]?")


_DIVISION = re.compile(r"省|自治区|市")
_PLACE_NAME_MAX = 4  # 乌鲁木齐市: the longest city name before 市 in common use
_LEAD_WORDS = re.compile(r"(?:的|在|住|于|是|地|为|到|往)*")
# An organisation's address (住所地, 办公地址) is not personal information.
_ORG_ADDRESS = re.compile(r"(?:住所地|办公地址|单位地址|注册地址|经营地址|营业场所)[：:]?$")


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def valid_resident_id(value: str) -> bool:
    """GB 11643-1999: 18 characters, a real date of birth and the MOD 11-2 check character."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return born.year >= 1900 and id_check_digit(value[:17]) == value[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= a or start >= b for a, b in taken)


def _ids(text: str) -> Iterator[Span]:
    for m in _ID.finditer(text):
        if valid_resident_id(m.group()):
            yield ("id_number", m.start(), m.end())


def _cards(text: str) -> Iterator[Span]:
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        # Card numbers begin 3-6 (international schemes, UnionPay 62) or 9 (domestic debit cards).
        if 16 <= len(digits) <= 19 and digits[0] in "345679" and luhn_ok(digits):
            yield ("bank_card", m.start(), m.end())


def _simple(text: str, kind: str, pattern: re.Pattern[str]) -> Iterator[Span]:
    for m in pattern.finditer(text):
        yield (kind, m.start(), m.end())


def _addresses(text: str) -> Iterator[Span]:
    for m in _ADDRESS.finditer(text):
        start = m.start()
        division = _DIVISION.search(text, start, m.end())
        for lead in _ADDRESS_LEAD.finditer(text, start, division.start() if division else m.end()):
            start = lead.end()  # after the last word that introduces the address (送达地址、住)
        if division and division.start() - start > _PLACE_NAME_MAX:
            start = division.start() - _PLACE_NAME_MAX  # "反映情况的示例市…": keep the place name only
        start += len(_LEAD_WORDS.match(text, start).group())  # type: ignore[union-attr]
        if m.end() - start >= 6 and not _ORG_ADDRESS.search(text[max(0, start - 8) : start]):
            yield ("address", start, m.end())


def find_patterns(text: str) -> list[Span]:
    """Every pattern finding in `text`, without overlaps: ID numbers and cards first (a phone
    number inside an ID number is not a phone number), then the rest."""
    norm = text.translate(_WIDE)
    found: list[Span] = []
    taken: list[tuple[int, int]] = []
    sources: list[Iterator[Span]] = [
        _ids(norm),
        _cards(norm),
        _simple(norm, "email", _EMAIL),
        _simple(norm, "mobile", _MOBILE),
        _simple(norm, "landline", _LANDLINE),
        _simple(norm, "plate", _PLATE),
        _addresses(norm),
    ]
    for source in sources:
        for kind, start, end in source:
            if _free(taken, start, end):
                found.append((kind, start, end))
                taken.append((start, end))
    return sorted(found, key=lambda s: s[1])
