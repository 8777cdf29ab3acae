"""An application as the portal takes it (form or JSON), checked field by field: every refusal
names the field and the rule, so the form can point at it and an API client can correct it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from states.vocab import SERVICE_LABELS, ServiceMethod
from workflow.cases.applicants import ApplicantKind, check_identity, credit_code_ok
from workflow.errors import InvalidInput

# The ways an applicant on the portal may ask to be served, labelled as everywhere else.
SERVICE_METHODS = {
    m.value: SERVICE_LABELS[m]
    for m in (ServiceMethod.ONLINE, ServiceMethod.EMAIL, ServiceMethod.POST, ServiceMethod.PICKUP)
}
FORMS = {"electronic": "电子", "paper": "纸质"}
ELECTRONIC_SERVICE = ("online", "email")
CONSENT_FIELD = "consent_electronic_service"
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
_TRUE = {"1", "true", "yes", "on", "y", "是", "同意"}


@dataclass(frozen=True)
class ApplicationIn:
    applicant: str
    applicant_type: str
    id_number: str
    phone: str | None
    email: str | None
    address: str | None
    request: str
    purpose: str | None
    form: str
    service_method: str
    consent_electronic: bool

    def contact_line(self) -> str:
        parts = [("电话", self.phone), ("邮箱", self.email), ("地址", self.address)]
        return "；".join(f"{label} {value}" for label, value in parts if value)[:300]


def _text(data: Mapping[str, Any], name: str, label: str, limit: int, required: bool = True) -> str | None:
    raw = data.get(name)
    value = str(raw).strip() if raw is not None else ""
    if not value:
        if required:
            raise InvalidInput(f"{name}：请填写{label}", "portal.required", name)
        return None
    if len(value) > limit:
        raise InvalidInput(f"{name}：{label}不能超过{limit}字", "portal.too_long", name)
    return value


def _choice(data: Mapping[str, Any], name: str, choices: Mapping[str, str], default: str | None) -> str:
    raw = str(data.get(name) or "").strip()
    if not raw and default:
        return default
    for code, label in choices.items():
        if raw in (code, label):
            return code
    options = "、".join(f"{code}（{label}）" for code, label in choices.items())
    raise InvalidInput(f"{name}：'{raw[:40]}' 不是可选值，可选：{options}", "portal.choice", name)


def _contact(raw: Any) -> tuple[str | None, str | None, str | None]:
    """Phone, e-mail and address from an object, or from one line of text (classified by shape)."""
    if isinstance(raw, Mapping):
        values = [str(raw.get(k) or "").strip() or None for k in ("phone", "email", "address")]
        phone, email, address = values
    else:
        text = str(raw or "").strip()
        phone = text if _PHONE.match(text) else None
        email = text if _EMAIL.match(text) else None
        address = text if text and not (phone or email) else None
    if phone and not _PHONE.match(phone):
        raise InvalidInput("contact.phone：电话号码格式不正确", "portal.phone", "contact.phone")
    if email and not _EMAIL.match(email):
        raise InvalidInput("contact.email：电子邮箱格式不正确", "portal.email", "contact.email")
    if address and len(address) > 200:
        raise InvalidInput("contact.address：通信地址不能超过200字", "portal.too_long", "contact.address")
    if not (phone or email):
        raise InvalidInput("contact：请至少填写电话或电子邮箱（第二十九条）", "portal.contact", "contact")
    return phone, email, address


def _identity(kind: str, number: str) -> str:
    checked = check_identity(kind, number)  # the resident ID checksum (GB 11643) and the kind
    if kind != ApplicantKind.NATURAL_PERSON and not (checked and credit_code_ok(checked)):
        raise InvalidInput(
            "id_number：法人或其他组织应填写18位统一社会信用代码（GB 32100）", "applicant.credit_code", "id_number"
        )
    return str(checked)


def _consent(data: Mapping[str, Any]) -> bool:
    raw = data.get(CONSENT_FIELD)
    return raw is True or str(raw).strip().lower() in _TRUE


def parse_application(data: Mapping[str, Any]) -> ApplicationIn:
    """Check an application (Art. 29: who applies, how to reach them, what they ask for).

    Raises:
        InvalidInput: the first field at fault, by name.
    """
    applicant = _text(data, "applicant", "申请人姓名或名称", 100)
    kind = str(data.get("applicant_type") or "").strip()
    id_number = _text(data, "id_number", "身份证件号码或统一社会信用代码", 40)
    checked_id = _identity(kind, str(id_number))
    phone, email, address = _contact(data.get("contact"))
    request = _text(data, "request", "所需政府信息的名称、文号或便于查询的其他特征性描述", 4000)
    purpose = _text(data, "purpose", "用途", 1000, required=False)
    method = _choice(data, "service_method", SERVICE_METHODS, None)
    form = _choice(data, "form", FORMS, "electronic" if method in ELECTRONIC_SERVICE else "paper")
    consent = _consent(data)
    if method in ELECTRONIC_SERVICE and not consent:
        raise InvalidInput(
            f"{CONSENT_FIELD}：选择在线平台或电子邮件送达，须同意电子送达", "portal.consent_required", CONSENT_FIELD
        )
    if method == "email" and not email:
        raise InvalidInput("contact.email：选择电子邮件送达，须填写电子邮箱", "portal.email_required", "contact.email")
    if method == "post" and not address:
        raise InvalidInput(
            "contact.address：选择邮寄送达，须填写通信地址", "portal.address_required", "contact.address"
        )
    return ApplicationIn(
        applicant=str(applicant),
        applicant_type=kind,
        id_number=checked_id,
        phone=phone,
        email=email,
        address=address,
        request=str(request),
        purpose=purpose,
        form=form,
        service_method=method,
        consent_electronic=consent,
    )
