"""Every kind of event the ledger records, with the label interfaces show for it.

A case's own actions (`Action`) are ledger events of the same name; the rest are written by the
engine's other doors (intake, the sweep, calendar and office administration, accounts, remedies,
material attached and redacted, the portal, the registry of government information). The
architecture test holds that every event kind written anywhere is a member here.
"""

from __future__ import annotations

from enum import StrEnum

from states.lifecycle import Action
from states.registry import INFO_ACTIONS, InfoAction
from states.statute import ACTIONS


class EventKind(StrEnum):
    # a case's actions (states/statute.py)
    REGISTER = "register"
    CONFIRM_RECEIPT = "confirm_receipt"
    CORRECT_RECEIPT = "correct_receipt"
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    LAPSE_CORRECTION = "lapse_correction"
    START_REVIEW = "start_review"
    REVIEW_CONFIDENTIALITY = "review_confidentiality"
    CONSULT = "consult"
    RECORD_REPLY = "record_reply"
    LAPSE_CONSULTATION = "lapse_consultation"
    ISSUE_FEE_NOTICE = "issue_fee_notice"
    RECORD_PAYMENT = "record_payment"
    LAPSE_FEE = "lapse_fee"
    EXTEND = "extend"
    DECIDE = "decide"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    ASSIGN = "assign"
    REQUEST_REASONS = "request_reasons"
    RECORD_REASONS = "record_reasons"
    SET_LATER_DATE = "set_later_date"
    RECORD_DELIVERY = "record_delivery"
    # other events of a case
    RECEIVE = "receive"  # intake opens the case
    ESCALATE = "escalate"  # the sweep warns of a deadline (and may flag the case)
    RECOMPUTE_CLOCK = "recompute_clock"  # a calendar change moved the case's due dates
    RECORD_REMEDY = "record_remedy"  # 行政复议、诉讼、投诉
    ATTACH_FILE = "attach_file"
    REVIEW_REDACTION = "review_redaction"
    ADD_REDACTION_SPAN = "add_redaction_span"
    ADD_REDACTION_REGION = "add_redaction_region"
    REDACT_ATTACHMENT = "redact_attachment"
    PORTAL_REASONS = "portal_reasons"  # the applicant's reasons (Art. 35), given on the portal
    # the office
    CALENDAR_IMPORT = "calendar_import"
    CALENDAR_CLOSURE = "calendar_closure"
    OFFICE_SETTING = "office_setting"
    ANNUAL_TEXT = "annual_text"
    USER_ADDED = "user_added"
    USER_CHANGED = "user_changed"
    PASSWORD_SET = "password_set"
    TOKEN_ISSUED = "token_issued"
    TOKEN_REVOKED = "token_revoked"
    # the registry of government information (states/registry.py)
    INFO_REGISTER = "info.register"
    INFO_REVIEW = "info.review"
    INFO_APPROVE = "info.approve"
    INFO_PUBLISH = "info.publish"
    INFO_CHANGE = "info.change"
    INFO_REPUBLISH = "info.republish"
    INFO_REEVALUATE = "info.reevaluate"
    INFO_PROPOSE_PROACTIVE = "info.propose_proactive"
    INFO_WITHDRAW = "info.withdraw"
    INFO_EXPIRE = "info.expire"
    INFO_ESCALATE = "info.escalate"
    INFO_SETTING = "info.setting"


def info_event(action: InfoAction) -> EventKind:
    """The ledger event of a registry item's action."""
    return EventKind(f"info.{action.value}")


EVENT_LABELS: dict[EventKind, str] = {
    **{EventKind(a.value): spec.label for a, spec in ACTIONS.items()},
    EventKind.RECEIVE: "收到申请",
    EventKind.ESCALATE: "期限预警",
    EventKind.RECOMPUTE_CLOCK: "工作日历变更，重新计算期限",
    EventKind.RECORD_REMEDY: "登记救济情况",
    EventKind.ATTACH_FILE: "上传附件",
    EventKind.REVIEW_REDACTION: "审查去标识化识别结果",
    EventKind.ADD_REDACTION_SPAN: "补充标注去标识化文字",
    EventKind.ADD_REDACTION_REGION: "补充标注去标识化区域",
    EventKind.REDACT_ATTACHMENT: "生成去标识化文件",
    EventKind.PORTAL_REASONS: "申请人在线说明理由",
    EventKind.CALENDAR_IMPORT: "导入放假安排",
    EventKind.CALENDAR_CLOSURE: "登记本机关闭馆日",
    EventKind.OFFICE_SETTING: "修改机关设置",
    EventKind.ANNUAL_TEXT: "修改年度报告文字",
    EventKind.USER_ADDED: "新增用户",
    EventKind.USER_CHANGED: "修改用户",
    EventKind.PASSWORD_SET: "设置密码",
    EventKind.TOKEN_ISSUED: "签发接口令牌",
    EventKind.TOKEN_REVOKED: "吊销接口令牌",
    # a registry item's events, as its page lists them
    EventKind.INFO_REGISTER: "登记",
    **{info_event(a): spec.label for a, spec in INFO_ACTIONS.items()},
    EventKind.INFO_ESCALATE: "期限预警",
    EventKind.INFO_SETTING: "修改政府信息目录设置",
}

# The events of a case's own actions, and those of the registry's items.
CASE_ACTION_EVENTS = frozenset(EventKind(a.value) for a in Action)

# Events that change a case's row and so move its version (optimistic locking): its own actions and
# these; the sweep's warning moves it only when it flags the case (its payload records the version).
CASE_VERSION_EVENTS = CASE_ACTION_EVENTS | {
    EventKind.RECOMPUTE_CLOCK,
    EventKind.ATTACH_FILE,
    EventKind.REVIEW_REDACTION,
    EventKind.ADD_REDACTION_SPAN,
    EventKind.ADD_REDACTION_REGION,
    EventKind.REDACT_ATTACHMENT,
    EventKind.PORTAL_REASONS,
}
