"""A case's history as people read it: each ledger event named in Chinese, its payload as labelled
fields (the labels of the action's own form fields, states/lifecycle.py), coded values by their
labels, due-date changes by the deadline's name. The ledger itself is untouched; hashes and
digests stay in the audit export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from states import ACTIONS, GROUNDS, OUTCOMES, ROLE_LABELS, STATE_LABELS, Action, CaseState, Role
from states.deadlines import deadline_label
from states.outcomes import REVIEW_CONCLUSION_LABELS
from states.remedies import EVENT_LABELS, KIND_LABELS, RESULT_LABELS
from states.vocab import CHANNEL_LABELS, CONFIRM_LABELS, REASONABLE_LABELS, SERVICE_LABELS
from workflow.ladder import LEVEL_LABELS

# Events recorded outside the action table (intake, the sweep, remedies, attachments, the portal).
OTHER_ACTIONS = {
    "receive": "收件",
    "escalate": "期限预警",
    "recompute_clock": "按新日历重算期限",
    "record_remedy": "登记复议、诉讼情况",
    "attach_file": "附加材料",
    "portal_reasons": "申请人在线说明理由",
    "user_added": "新增用户",
    "user_changed": "修改用户",
    "password_set": "设置密码",
    "token_issued": "签发接口令牌",
    "token_revoked": "吊销接口令牌",
    "annual_text": "编辑年度报告正文",
    "calendar_import": "导入放假安排",
    "calendar_closure": "登记闭馆日",
    "office_setting": "修改机关设置",
    "info.register": "政府信息登记",
    "info.setting": "修改目录设置",
    "info.escalate": "主动公开期限预警",
}
# Payload keys that no form asks for: what the service adds when it records an action.
EXTRA_FIELDS = {
    "channel": "收件渠道",
    "received_on": "收到申请之日",
    "applicant_type": "申请人类型",
    "amount": "信息处理费（元）",
    "count_in_register": "登记簿中本月申请件数",
    "identity_document": "身份证明",
    "lapsed_on": "逾期之日",
    "deadline": "期限",
    "level": "预警级别",
    "due_on": "到期日",
    "working_days_left": "剩余工作日",
    "notified": "已通知",
    "flagged": "标记供审计关注",
    "kind": "类别",
    "event": "事项",
    "result": "结果",
    "on": "日期",
    "name": "文件名",
    "size": "大小（字节）",
    "attachment": "附件编号",
    "consultation": "征求意见编号",
}
HIDDEN = frozenset({"letters", "sha256", "html_sha256"})
APPLICANT_KINDS = {
    "natural_person": "自然人",
    "commercial_enterprise": "商业企业",
    "research_institution": "科研机构",
    "social_welfare_organization": "社会公益组织",
    "legal_service_institution": "法律服务机构",
    "other_organization": "其他组织",
}
PARTIES = {"third_party": "第三方", "other_agency": "其他机关", "internal_department": "本机关内设部门（协办）"}
OPINIONS = {"consent": "同意公开", "objection": "不同意公开", "no_opinion": "无意见"}
FEE_METHODS = {"per_count": "按件计收", "per_page": "按量计收"}
IDENTITY = {"missing": "未提供", "valid": "有效", "invalid": "无效"}


def _value_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for table in (CHANNEL_LABELS, SERVICE_LABELS, CONFIRM_LABELS, REASONABLE_LABELS, REVIEW_CONCLUSION_LABELS):
        out.update({str(k): v for k, v in table.items()})
    out.update({o.value: spec.label for o, spec in OUTCOMES.items()})
    out.update({g.value: label for g, (label, _) in GROUNDS.items()})
    out.update({str(k): v for k, v in KIND_LABELS.items()})
    out.update({str(k): v for k, v in EVENT_LABELS.items()})
    out.update({str(k): v for k, v in RESULT_LABELS.items()})
    for plain in (APPLICANT_KINDS, PARTIES, OPINIONS, FEE_METHODS, LEVEL_LABELS, IDENTITY):
        out.update(plain)
    return out


VALUE_LABELS = _value_labels()


def action_label(action: str) -> str:
    try:
        return ACTIONS[Action(action)].label
    except ValueError:
        return OTHER_ACTIONS.get(action, "其他记录")


def state_label(state: str | None) -> str:
    if not state:
        return ""
    try:
        return STATE_LABELS[CaseState(state)]
    except ValueError:
        return "其他"


def role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return "其他"


def _field_labels(action: str) -> dict[str, str]:
    try:
        spec = ACTIONS[Action(action)]
    except ValueError:
        return {}
    return {f.name: f.label for f in spec.fields}


def _text(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_text(key, v) for v in value)
    if key == "deadline":
        return deadline_label(f"{value}_due")
    text = str(value)
    if "," in text and all(part in VALUE_LABELS for part in text.split(",")):
        return "、".join(VALUE_LABELS[part] for part in text.split(","))
    return VALUE_LABELS.get(text, text)


def _due_changes(changes: Mapping[str, Any]) -> str:
    parts = []
    for kind, change in changes.items():
        old, new = (change.get("from"), change.get("to")) if isinstance(change, Mapping) else (None, change)
        if new and old:
            parts.append(f"{deadline_label(kind)} {old} → {new}")
        elif new:
            parts.append(f"{deadline_label(kind)} {new}")
        else:
            parts.append(f"{deadline_label(kind)}（{old}）已结束")
    return "；".join(parts)


def _letter(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("number") or "")
    return str(value)


def payload_fields(action: str, payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of each payload entry a person needs, in the order the action's form asks."""
    labels = _field_labels(action)
    order = {name: i for i, name in enumerate(labels)}
    out: list[tuple[int, str, str]] = []
    for key, value in payload.items():
        if key in HIDDEN or key.endswith("_sha256") or value in (None, "", [], {}):
            continue
        if key == "due_dates" and isinstance(value, Mapping):
            out.append((1000, "期限变化", _due_changes(value)))
        elif key == "letter" and action != "record_delivery":
            out.append((999, "出具文书", _letter(value)))
        else:
            label = labels.get(key) or EXTRA_FIELDS.get(key) or "其他"
            out.append((order.get(key, 500), label, _text(key, value)))
    return [(label, text) for _, label, text in sorted(out, key=lambda x: x[0])]


def timeline(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The history view's events (workflow.queries.history_view) with Chinese names and fields."""
    return [
        {
            **e,
            "action_label": action_label(e["action"]),
            "role_label": role_label(e["role"]),
            "from_label": state_label(e["from_state"]),
            "to_label": state_label(e["to_state"]),
            "fields": payload_fields(e["action"], e["payload"]),
        }
        for e in events
    ]
