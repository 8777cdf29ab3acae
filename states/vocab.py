"""Closed vocabularies of the flow with the labels every interface shows: how an application
arrives (Art. 31), how a letter is served (送达) and how a receipt is confirmed."""

from __future__ import annotations

from enum import StrEnum


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
