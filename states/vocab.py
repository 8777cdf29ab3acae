"""Closed vocabularies of the flow with the labels every interface shows: how an application
arrives (Art. 31), how a letter is served (送达), how a receipt is confirmed, whom the office
consults (Art. 32–34) and what they answer, how a fee is counted, and the state of the clock.
The kinds of ledger event are in `states/events.py`."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    IN_PERSON = "in_person"
    REGISTERED_MAIL = "registered_mail"
    ORDINARY_MAIL = "ordinary_mail"
    ONLINE = "online"
    FAX = "fax"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_PERSON: "当面提交",
    Channel.REGISTERED_MAIL: "邮寄（需签收）",
    Channel.ORDINARY_MAIL: "平常信函",
    Channel.ONLINE: "互联网渠道",
    Channel.FAX: "传真",
}

# Art. 31: the date of receipt is fixed at intake for these channels (handed in; signed for); the
# others are received on the day the office and the applicant confirm it (31(2) second half, 31(3)).
RECEIPT_AT_INTAKE = frozenset({Channel.IN_PERSON, Channel.REGISTERED_MAIL})


class ServiceMethod(StrEnum):
    IN_PERSON = "in_person"
    PICKUP = "pickup"
    POST = "post"
    EMAIL = "email"
    ONLINE = "online"
    FAX = "fax"
    LEFT = "left"


SERVICE_LABELS: dict[ServiceMethod, str] = {
    ServiceMethod.IN_PERSON: "当面送达",
    ServiceMethod.PICKUP: "自行领取",
    ServiceMethod.POST: "邮寄送达",
    ServiceMethod.EMAIL: "电子邮件送达",
    ServiceMethod.ONLINE: "在线平台送达",
    ServiceMethod.FAX: "传真送达",
    ServiceMethod.LEFT: "留置送达",
}

# Handing a letter over is its delivery: the addressee has it the day it is sent.
DELIVERED_WHEN_SENT = frozenset({ServiceMethod.IN_PERSON})

# The way a letter goes out when the handler names none: as the application came in.
DEFAULT_SERVICE: dict[Channel, ServiceMethod] = {
    Channel.IN_PERSON: ServiceMethod.IN_PERSON,
    Channel.REGISTERED_MAIL: ServiceMethod.POST,
    Channel.ORDINARY_MAIL: ServiceMethod.POST,
    Channel.ONLINE: ServiceMethod.ONLINE,
    Channel.FAX: ServiceMethod.FAX,
}


class ConfirmMethod(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    ONLINE = "online"
    FAX = "fax"
    LETTER = "letter"


CONFIRM_LABELS: dict[ConfirmMethod, str] = {
    ConfirmMethod.PHONE: "电话确认",
    ConfirmMethod.SMS: "短信确认",
    ConfirmMethod.EMAIL: "电子邮件确认",
    ConfirmMethod.ONLINE: "在线平台确认",
    ConfirmMethod.FAX: "传真确认",
    ConfirmMethod.LETTER: "书面确认",
}


class Reasonable(StrEnum):
    YES = "yes"
    NO = "no"


REASONABLE_LABELS: dict[Reasonable, str] = {Reasonable.YES: "理由合理", Reasonable.NO: "理由不合理"}


class ConsultationParty(StrEnum):
    THIRD_PARTY = "third_party"  # Art. 32: its opinion is sought; the period pauses (Art. 33)
    OTHER_AGENCY = "other_agency"  # Art. 34: the period pauses
    INTERNAL_DEPARTMENT = "internal_department"  # 协办 inside the office: the period runs on


PARTY_LABELS: dict[ConsultationParty, str] = {
    ConsultationParty.THIRD_PARTY: "第三方",
    ConsultationParty.OTHER_AGENCY: "其他机关",
    ConsultationParty.INTERNAL_DEPARTMENT: "本机关内设部门（协办）",
}


class Opinion(StrEnum):
    CONSENT = "consent"
    OBJECTION = "objection"
    NO_OPINION = "no_opinion"


OPINION_LABELS: dict[Opinion, str] = {
    Opinion.CONSENT: "同意公开",
    Opinion.OBJECTION: "不同意公开",
    Opinion.NO_OPINION: "无意见",
}


class FeeMethod(StrEnum):
    PER_COUNT = "per_count"
    PER_PAGE = "per_page"


FEE_METHOD_LABELS: dict[FeeMethod, str] = {FeeMethod.PER_COUNT: "按件计收", FeeMethod.PER_PAGE: "按量计收"}


class ClockState(StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    AWAITING_CORRECTION = "awaiting_correction"
    STOPPED = "stopped"


CLOCK_LABELS: dict[ClockState, str] = {
    ClockState.NOT_STARTED: "未起算",
    ClockState.RUNNING: "计时中",
    ClockState.PAUSED: "中止计算",
    ClockState.AWAITING_CORRECTION: "等待补正（未起算）",
    ClockState.STOPPED: "已停止",
}


def label_of(labels: Mapping[Any, str], value: str) -> str:
    """The label of a member given by its stored value (a member equals its value), or the value."""
    return labels.get(value, value)
