"""The Chinese words every interface shows for the flow's identifiers: ledger events (case
actions and the other audited writes), states, roles and the office's settings. Interfaces look
labels up here and never show the identifier itself."""

from __future__ import annotations

from states.deadlines import DEADLINE_KINDS
from states.events import EVENT_LABELS
from states.lifecycle import ROLE_LABELS, STATE_LABELS, Action, CaseState, Role
from states.registry import ITEM_STATE_LABELS, ItemState
from states.statute import ACTIONS
from states.vocab import CONFIRM_LABELS, SERVICE_LABELS, ConfirmMethod, ServiceMethod

# The office's settings (workflow/office/settings.py Office), as the admin page names them.
OFFICE_SETTING_LABELS: dict[str, str] = {
    "name": "机关名称",
    "code": "机关代字",
    "number_pattern": "文号格式",
    "reconsideration_body": "行政复议机关",
    "court": "管辖法院",
    "address": "机关地址",
    "phone": "联系电话",
    "payment_instructions": "缴费方式说明",
    "smtp_host": "邮件服务器（主机:端口，留空则只发站内通知）",
    "smtp_from": "发件地址",
    "quiet_hours": "免打扰时段（北京时间）",
    "escalation_ladder": "预警阶梯（留空用默认）",
    "confirm_or_reissue_basis": "确认或重新出具答复的法律依据",
    "contact_person": "联系人",
    "letterhead": "文书使用红色版头",
    "consultation_notice": "征求意见时告知申请人",
    "session_idle_minutes": "无操作自动退出（分钟）",
    "session_max_hours": "登录最长有效（小时）",
    "registration_days": "登记期限（工作日）",
    "department_scope": "承办人可办理本部门案件",
}


_EVENT_WORDS: dict[str, str] = {kind.value: label for kind, label in EVENT_LABELS.items()}


def event_label(action: str) -> str:
    """The label of a ledger event (states/events.py); the identifier itself only if it has none."""
    return _EVENT_WORDS.get(action, action)


def state_label(state: str | None) -> str:
    """A case's (or a registry item's) state in words; empty for none."""
    if not state:
        return ""
    if state in CaseState.__members__.values():
        return STATE_LABELS[CaseState(state)]
    if state in ItemState.__members__.values():
        return ITEM_STATE_LABELS[ItemState(state)]
    return state


def role_label(role: str | None) -> str:
    """A role in words, or several ("registrar,handler") joined with 、."""
    names = [r for r in (role or "").replace(" ", "").split(",") if r]
    return "、".join(ROLE_LABELS[Role(r)] if r in Role.__members__.values() else r for r in names)


def setting_label(key: str) -> str:
    return OFFICE_SETTING_LABELS.get(key, key)


# Payload keys of the audited writes that are not case-action fields (those carry their own labels).
PAYLOAD_LABELS: dict[str, str] = {
    "key": "设置项",
    "from": "原值",
    "to": "新值",
    "name": "名称",
    "user": "用户",
    "roles": "角色",
    "active": "启用",
    "email": "邮箱",
    "scope": "权限范围",
    "expires_at": "有效期至",
    "attachment": "附件",
    "kind": "类别",
    "event": "事项",
    "result": "结果",
    "on": "日期",
    "year": "年度",
    "section": "部分",
    "text": "正文",
    "number": "编号",
    "applicant": "申请人",
    "applicant_type": "申请人类型",
    "channel": "提交渠道",
    "request": "申请内容",
    "letter_kind": "文书种类",
    "deadline": "期限",
    "level": "预警级别",
    "amount": "金额（元）",
    "received_on": "收到申请之日",
    "department": "部门",
    "applicant_sha256": "申请人信息摘要",
    "request_sha256": "申请内容摘要",
    "html_sha256": "文书摘要",
    "id": "序号",
    "due_dates": "期限变动",
    "letter": "文书",
    "letters": "文书",
    "version": "版本",
    "id_number": "身份证明号码",
    "identity_document": "身份证明",
    "contact": "联系方式",
    "case": "案件",
    "sha256": "文件摘要",
    "file": "文件",
}


# A case's deadlines (workflow/clock/deadlines.py Deadlines), as the ledger's due_dates name them: one table,
# states/deadlines.py, which also says which of them oblige someone.
DUE_LABELS: dict[str, str] = {kind: spec.label for kind, spec in DEADLINE_KINDS.items()}


# What registration recorded of the applicant's identity document (workflow/applicants.identity_document).
IDENTITY_DOCUMENT_LABELS = {
    "resident_id": "居民身份证",
    "uscc": "统一社会信用代码",
    "other": "其他证件",
    "missing": "未提供",
}


def _special_text(key: str, value: object, choices: dict[str, str]) -> str | None:
    """The payload values with a shape of their own: deadlines moved, a letter issued, reasons per ground."""
    if key == "due_dates" and isinstance(value, dict):
        moves = []
        for due, change in value.items():
            old, new = (change.get("from"), change.get("to")) if isinstance(change, dict) else (None, change)
            moves.append(f"{DUE_LABELS.get(due, due)} {old or '—'} → {new or '—'}")
        return "；".join(moves)
    if key == "identity_document" and isinstance(value, str):
        return IDENTITY_DOCUMENT_LABELS.get(value, value)
    if key == "deadline" and isinstance(value, str):  # an escalation names its deadline without "_due"
        return DUE_LABELS.get(f"{value}_due", value)
    if key == "letter" and isinstance(value, dict):
        return str(value.get("number") or value.get("id") or "")
    if key == "letters" and isinstance(value, list):
        return "、".join(str(v.get("number", "")) if isinstance(v, dict) else str(v) for v in value)
    if key == "ground_reasons" and isinstance(value, str):
        lines = [line.partition("：") for line in value.splitlines()]
        return "；".join(f"{choices.get(g.strip(), g)}{sep}{fact}" for g, sep, fact in lines)
    return None


def _value_text(key: str, value: object, choices: dict[str, str]) -> str:
    special = _special_text(key, value, choices)
    if special is not None:
        return special
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        if not value:
            return "无"
        return "、".join(_value_text(key, v, choices) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{PAYLOAD_LABELS.get(k, k)}：{_value_text(k, v, choices)}" for k, v in value.items())
    text = "" if value is None else str(value)
    if key == "roles" or text in Role.__members__.values():
        return role_label(text)
    if key == "key":
        return setting_label(text)
    if text in Action.__members__.values():
        return event_label(text)
    if text in CaseState.__members__.values():
        return state_label(text)
    return choices.get(text, text)


def payload_fields(action: str, payload: dict[str, object], choices: dict[str, str]) -> list[tuple[str, str]]:
    """A ledger event's payload as (label, value) pairs in Chinese; `choices` labels enumerated
    values (outcomes, grounds, …) the interface knows."""
    fields = {f.name: f.label for f in ACTIONS[Action(action)].fields} if action in Action.__members__.values() else {}
    return [(fields.get(k) or PAYLOAD_LABELS.get(k, k), _value_text(k, v, choices)) for k, v in payload.items()]


# Settings whose value is one of a few: the admin page offers them as a choice in words.
SETTING_CHOICES: dict[str, dict[str, str]] = {
    "letterhead": {"1": "是", "0": "否"},
    "consultation_notice": {"1": "是", "0": "否"},
    "department_scope": {"on": "是", "off": "否"},
}


def choice_label(action: str, field: str, value: str, others: dict[str, str]) -> str:
    """The words for one choice of an action's field: the service and confirmation methods share
    values ("email") with different meanings, so the field and the action decide; `others` labels
    the remaining enumerations (outcomes, grounds, …)."""
    if field == "delivery_method" or (field == "method" and action == Action.RECORD_DELIVERY):
        return SERVICE_LABELS[ServiceMethod(value)] if value in ServiceMethod.__members__.values() else value
    if field == "method" and action == Action.CONFIRM_RECEIPT and value in ConfirmMethod.__members__.values():
        return CONFIRM_LABELS[ConfirmMethod(value)]
    if field == "reasonable":
        return {"yes": "是", "no": "否"}.get(value, value)
    return others.get(value, value)
