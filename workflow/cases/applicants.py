"""Applicants: the annual report's kinds, identity documents and their checksums, masking."""

from __future__ import annotations

import hashlib
from enum import StrEnum

from workflow.errors import InvalidInput


class ApplicantKind(StrEnum):
    NATURAL_PERSON = "natural_person"
    COMMERCIAL_ENTERPRISE = "commercial_enterprise"
    RESEARCH_INSTITUTION = "research_institution"
    SOCIAL_WELFARE_ORGANIZATION = "social_welfare_organization"
    LEGAL_SERVICE_INSTITUTION = "legal_service_institution"
    OTHER_ORGANIZATION = "other_organization"


KIND_LABELS = {
    ApplicantKind.NATURAL_PERSON: "自然人",
    ApplicantKind.COMMERCIAL_ENTERPRISE: "商业企业",
    ApplicantKind.RESEARCH_INSTITUTION: "科研机构",
    ApplicantKind.SOCIAL_WELFARE_ORGANIZATION: "社会公益组织",
    ApplicantKind.LEGAL_SERVICE_INSTITUTION: "法律服务机构",
    ApplicantKind.OTHER_ORGANIZATION: "其他",
}

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_ok(number: str) -> bool:
    """GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check character."""
    if len(number) != 18 or any(c not in "0123456789" for c in number[:17]):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def credit_code_ok(code: str) -> bool:
    """GB 32100-2015 unified social credit code: 18 characters, MOD 31 check character."""
    code = code.upper()
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def check_identity(kind: str, number: str | None) -> str | None:
    """Validate the applicant kind and identity document; return the normalised number.

    Raises:
        InvalidInput: unknown kind, or a number that fails its checksum.
    """
    try:
        k = ApplicantKind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in ApplicantKind)
        raise InvalidInput(
            f"applicant-type: '{kind}' 不是有效的申请人类型，可选：{choices}", "applicant.kind", "applicant_type"
        ) from None
    if not number:
        return None
    # Fold full-width digits and letters (１２３Ｘ) so one person has one identity.
    number = number.translate(_FULL_WIDTH).strip().upper()
    if k is ApplicantKind.NATURAL_PERSON:
        if not resident_id_ok(number):
            raise InvalidInput(
                "id-number: 居民身份证号码应为18位且校验码正确（GB 11643）", "applicant.id_checksum", "id_number"
            )
    elif len(number) == 18 and not credit_code_ok(number):
        raise InvalidInput(
            "id-number: 统一社会信用代码校验码不正确（GB 32100）", "applicant.credit_code_checksum", "id_number"
        )
    return number


def identity_document(kind: str, number: str | None) -> str:
    """Which identity document a (stored, already validated) number is: resident_id, uscc, other
    or missing (states.guards.COUNTABLE_IDENTITY_DOCUMENTS says which of them per-count fees count by)."""
    if not number:
        return "missing"
    if kind == ApplicantKind.NATURAL_PERSON.value and resident_id_ok(number):
        return "resident_id"
    if kind != ApplicantKind.NATURAL_PERSON.value and credit_code_ok(number):
        return "uscc"
    return "other"


def mask_id(number: str | None) -> str:
    """Keep the region code and the last four characters: enough to tell applicants apart."""
    if not number:
        return ""
    if len(number) <= 4:
        return "*" * len(number)
    if len(number) <= 12:  # passports, old organisation codes: keep two at each end
        return number[:2] + "*" * (len(number) - 4) + number[-2:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# What the ledger keeps of an application's text and its applicant: digests, never the text (the
# ledger is exported to auditors; `ogi audit verify` holds the rows to them).
def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def applicant_digest(name: str, id_number: str | None) -> str:
    return digest(f"{name}\n{id_number or ''}")
