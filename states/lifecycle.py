"""States, actions and transitions of a disclosure request, as data.

Each action lists the states it leaves, where it goes, who may take it, what it does to the
statutory clock, which letter it issues and which fields it takes. Guards (the legal conditions)
live in `states/guards.py`; the machine that applies these transitions is `states/machine.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from states.outcomes import Ground, Outcome, ReviewConclusion
from states.vocab import ConfirmMethod, Reasonable, ServiceMethod


class CaseState(StrEnum):
    RECEIVED = "received"
    REGISTERED = "registered"
    AWAITING_CORRECTION = "awaiting_correction"
    UNDER_REVIEW = "under_review"
    CONSULTING = "consulting"
    AWAITING_FEE = "awaiting_fee"
    DRAFTING = "drafting"
    AWAITING_APPROVAL = "awaiting_approval"
    ANSWERED = "answered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    DEEMED_ABANDONED = "deemed_abandoned"
    ABANDONED_UNPAID = "abandoned_unpaid"


STATE_LABELS: dict[CaseState, str] = {
    CaseState.RECEIVED: "已收到",
    CaseState.REGISTERED: "已登记",
    CaseState.AWAITING_CORRECTION: "待补正",
    CaseState.UNDER_REVIEW: "审查中",
    CaseState.CONSULTING: "征求意见中",
    CaseState.AWAITING_FEE: "待缴费",
    CaseState.DRAFTING: "拟稿中",
    CaseState.AWAITING_APPROVAL: "待审批",
    CaseState.ANSWERED: "已答复",
    CaseState.CLOSED: "已办结",
    CaseState.WITHDRAWN: "已撤回",
    CaseState.DEEMED_ABANDONED: "视为放弃（逾期未补正）",
    CaseState.ABANDONED_UNPAID: "视为放弃（逾期未缴费）",
}

TERMINAL_STATES = frozenset(
    {CaseState.CLOSED, CaseState.WITHDRAWN, CaseState.DEEMED_ABANDONED, CaseState.ABANDONED_UNPAID}
)


class Role(StrEnum):
    REGISTRAR = "registrar"
    HANDLER = "handler"
    REVIEWER = "reviewer"
    APPROVER = "approver"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"  # the automated deadline enforcement; never a person's role
    APPLICANT = "applicant"  # the applicant acting through the portal (/public/); never a staff role


ROLE_LABELS: dict[Role, str] = {
    Role.REGISTRAR: "登记员",
    Role.HANDLER: "承办人",
    Role.REVIEWER: "保密审查员",
    Role.APPROVER: "审批人",
    Role.AUDITOR: "审计员",
    Role.ADMIN: "管理员",
    Role.SYSTEM: "系统",
    Role.APPLICANT: "申请人",
}


class Action(StrEnum):
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


class ClockEffect(StrEnum):
    NONE = "none"
    START = "start"  # the 20 working days begin (registration fixes the receipt date)
    STOP = "stop"
    RESTART = "restart"  # a corrected application starts the period afresh (Art. 30)
    PAUSE = "pause"  # third parties and other agencies (Art. 33), fee notices (109号)
    RESUME = "resume"
    EXTEND = "extend"


class FieldType(StrEnum):
    TEXT = "text"
    INT = "int"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    CHOICES = "choices"  # a comma-separated list of choices


@dataclass(frozen=True, slots=True)
class Field:
    """A payload field of an action; `label` is what the handler sees on the form."""

    name: str
    type: FieldType
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    future: bool = False  # a date that may lie ahead (a date set, not a fact recorded)


@dataclass(frozen=True, slots=True)
class ActionSpec:
    label: str
    sources: tuple[CaseState, ...]
    dest: CaseState | None  # None: the case stays in its state (an in-state action)
    roles: frozenset[Role]
    clock: ClockEffect = ClockEffect.NONE
    letter: str | None = None  # letter type code; "answer" means the letter of the decided outcome
    fields: tuple[Field, ...] = ()
    article: str = ""
    # Alternative destination chosen by a named condition (states/guards.py), checked before `dest`.
    alt_dest: tuple[str, CaseState] | None = None
    notes: tuple[str, ...] = field(default=())


S = CaseState
R = Role
ACTIVE = (
    S.REGISTERED,
    S.AWAITING_CORRECTION,
    S.UNDER_REVIEW,
    S.CONSULTING,
    S.AWAITING_FEE,
    S.DRAFTING,
    S.AWAITING_APPROVAL,
)
CLOCKED = (S.REGISTERED, S.UNDER_REVIEW, S.CONSULTING, S.AWAITING_FEE, S.DRAFTING, S.AWAITING_APPROVAL)


def _f(name: str, type_: FieldType, label: str, **kw: object) -> Field:
    return Field(name, type_, label, **kw)  # type: ignore[arg-type]


TXT, NUM, DAY, FLAG, ONE, MANY = (
    FieldType.TEXT,
    FieldType.INT,
    FieldType.DATE,
    FieldType.BOOL,
    FieldType.CHOICE,
    FieldType.CHOICES,
)
NOTE = _f("note", TXT, "备注")
SERVICE = tuple(ServiceMethod)


def _served(sent: str, delivered: str) -> tuple[Field, ...]:
    """The fields of an outgoing letter whose period runs from its delivery (送达)."""
    return (
        _f("sent_on", DAY, sent),
        _f("delivery_method", ONE, "送达方式（留空按申请渠道）", choices=SERVICE),
        _f("delivered_on", DAY, delivered),
    )


EVERY_STATE = tuple(CaseState)

ACTIONS: dict[Action, ActionSpec] = {
    Action.REGISTER: ActionSpec(
        "登记",
        (S.RECEIVED,),
        S.REGISTERED,
        frozenset({R.REGISTRAR}),
        ClockEffect.NONE,
        "acknowledgement",
        (NOTE,),
        "第三十一条",
        notes=(
            "收到申请之日由收件渠道确定（第三十一条），登记不能更改；确有错误的，由审批人以“更正收到申请之日”更正。",
        ),
    ),
    Action.CONFIRM_RECEIPT: ActionSpec(
        "确认收到申请",
        (S.RECEIVED, S.REGISTERED),
        None,
        frozenset({R.REGISTRAR, R.HANDLER}),
        ClockEffect.START,
        fields=(
            _f("confirmed_on", DAY, "双方确认之日"),
            _f("method", ONE, "确认方式", required=True, choices=tuple(ConfirmMethod)),
            NOTE,
        ),
        article="第三十一条第（二）项、第（三）项",
        notes=("平常信函、互联网渠道和传真提交的申请，以双方确认之日为收到申请之日。",),
    ),
    Action.CORRECT_RECEIPT: ActionSpec(
        "更正收到申请之日",
        (S.RECEIVED, *ACTIVE),
        None,
        frozenset({R.APPROVER}),
        ClockEffect.RESTART,
        fields=(
            _f("received_on", DAY, "正确的收到申请之日", required=True),
            _f("reason", TXT, "更正理由", required=True),
        ),
        article="第三十一条",
    ),
    Action.REQUEST_CORRECTION: ActionSpec(
        "告知补正",
        (S.REGISTERED, S.UNDER_REVIEW),
        S.AWAITING_CORRECTION,
        frozenset({R.REGISTRAR, R.HANDLER}),
        ClockEffect.STOP,
        "correction_notice",
        (
            _f("items", TXT, "需补正的事项", required=True),
            _f("period_days", NUM, "补正期限（工作日）", minimum=1, maximum=60),
            *_served("告知书发出之日", "申请人收到告知书之日"),
        ),
        "第三十条",
    ),
    Action.RECEIVE_CORRECTION: ActionSpec(
        "收到补正",
        (S.AWAITING_CORRECTION,),
        S.REGISTERED,
        frozenset({R.REGISTRAR, R.HANDLER, R.APPLICANT}),
        ClockEffect.RESTART,
        None,
        (_f("received_on", DAY, "收到补正申请之日"), NOTE),
        "第三十条",
    ),
    Action.LAPSE_CORRECTION: ActionSpec(
        "逾期未补正",
        (S.AWAITING_CORRECTION,),
        S.DEEMED_ABANDONED,
        frozenset({R.SYSTEM, R.HANDLER}),
        ClockEffect.STOP,
        "termination_no_correction",
        (NOTE,),
        "第三十条",
    ),
    Action.START_REVIEW: ActionSpec(
        "开始审查", (S.REGISTERED,), S.UNDER_REVIEW, frozenset({R.HANDLER}), fields=(NOTE,)
    ),
    Action.REVIEW_CONFIDENTIALITY: ActionSpec(
        "保密审查",
        (S.UNDER_REVIEW, S.CONSULTING, S.DRAFTING),
        None,
        frozenset({R.REVIEWER}),
        fields=(_f("conclusion", ONE, "审查结论", required=True, choices=tuple(ReviewConclusion)), NOTE),
        article="第十七条",
    ),
    Action.CONSULT: ActionSpec(
        "征求意见",
        (S.UNDER_REVIEW, S.CONSULTING),
        S.CONSULTING,
        frozenset({R.HANDLER}),
        ClockEffect.PAUSE,
        "consultation",
        (
            _f(
                "party",
                ONE,
                "征求对象类型",
                required=True,
                choices=("third_party", "other_agency", "internal_department"),
            ),
            _f("addressee", TXT, "征求对象名称", required=True),
            _f("matter", TXT, "征求意见事项"),
            *_served("发出之日", "对方收到之日"),
            _f("due_days", NUM, "内部协办期限（工作日）", minimum=1, maximum=30),
        ),
        "第三十二条、第三十三条、第三十四条",
        notes=("征求本机关内设部门（协办）意见不中止答复期限。",),
    ),
    Action.RECORD_REPLY: ActionSpec(
        "收到意见",
        (S.CONSULTING,),
        S.CONSULTING,
        frozenset({R.HANDLER, R.REGISTRAR}),
        ClockEffect.RESUME,
        None,
        (
            _f("consultation", NUM, "征求意见编号"),
            _f("received_on", DAY, "收到答复之日"),
            _f("opinion", ONE, "意见", required=True, choices=("consent", "objection", "no_opinion")),
            _f("reason", TXT, "理由"),
            _f("reasonable", ONE, "异议是否有合理理由（第三十二条）", choices=tuple(Reasonable)),
        ),
        "第三十二条",
        alt_dest=("closes_last_consultation", S.UNDER_REVIEW),
    ),
    Action.LAPSE_CONSULTATION: ActionSpec(
        "征求意见逾期",
        (S.CONSULTING,),
        S.CONSULTING,
        frozenset({R.SYSTEM, R.HANDLER}),
        ClockEffect.RESUME,
        None,
        (_f("consultation", NUM, "征求意见编号"), NOTE),
        "第三十二条、第三十四条",
        alt_dest=("closes_last_consultation", S.UNDER_REVIEW),
        notes=("第三方逾期未答复视为无意见，由本机关决定；其他机关逾期未答复视为同意。",),
    ),
    Action.ISSUE_FEE_NOTICE: ActionSpec(
        "发出收费通知",
        (S.UNDER_REVIEW, S.DRAFTING),
        S.AWAITING_FEE,
        frozenset({R.HANDLER}),
        ClockEffect.PAUSE,
        "fee_notice",
        (
            _f("method", ONE, "计费方式", required=True, choices=("per_count", "per_page")),
            _f("pages", NUM, "页数（按量计收）", minimum=1),
            _f("count", NUM, "本月累计申请件数（按件计收；留空按登记簿计算）", minimum=1),
            *_served("通知发出之日", "申请人收到通知之日"),
        ),
        "国办函〔2020〕109号",
    ),
    Action.RECORD_PAYMENT: ActionSpec(
        "确认缴费",
        (S.AWAITING_FEE,),
        S.UNDER_REVIEW,
        frozenset({R.HANDLER, R.REGISTRAR, R.APPLICANT}),
        ClockEffect.RESUME,
        None,
        (_f("paid_on", DAY, "缴费之日"), NOTE),
        "国办函〔2020〕109号",
        alt_dest=("has_outcome", S.DRAFTING),
    ),
    Action.LAPSE_FEE: ActionSpec(
        "逾期未缴费",
        (S.AWAITING_FEE,),
        S.ABANDONED_UNPAID,
        frozenset({R.SYSTEM, R.HANDLER}),
        ClockEffect.STOP,
        "termination_fee_unpaid",
        (NOTE,),
        "国办函〔2020〕109号",
    ),
    Action.EXTEND: ActionSpec(
        "延期答复",
        CLOCKED,
        None,
        frozenset({R.APPROVER}),
        ClockEffect.EXTEND,
        "extension_notice",
        (
            _f("days", NUM, "延长期限（工作日，最多20个）", required=True, minimum=1),  # maximum: a rulebook guard
            _f("reason", TXT, "延期理由", required=True),
        ),
        "第三十三条第二款",
    ),
    Action.DECIDE: ActionSpec(
        "作出答复决定",
        (S.UNDER_REVIEW, S.DRAFTING),
        S.DRAFTING,
        frozenset({R.HANDLER}),
        fields=(
            _f("outcome", ONE, "答复类型", required=True, choices=tuple(Outcome)),
            _f("grounds", MANY, "不予公开理由", choices=tuple(Ground)),
            # the case's own facts per ground (Art. 36(3)): one "ground：facts" a line; the letter
            # quotes the provision after each
            _f("ground_reasons", TXT, "各项不予公开理由的具体事实（每行“理由代码：事实”）"),
            _f("reason", TXT, "说明理由"),
            _f("responsible_agency", TXT, "负责公开的机关"),
            _f("access", TXT, "获取方式、途径或其他告知事项"),
            _f("override_objection", FLAG, "第三方异议有合理理由，但因公共利益决定公开"),
            _f("override_reason", TXT, "不采纳第三方异议的理由（公共利益理由，或异议不成立的理由）"),
            _f("catalogue_item", TXT, "政府信息目录条目（编号或索引号）"),
            NOTE,
        ),
        article="第三十六条至第三十九条",
        notes=("不顾第三方异议决定公开的，经审批通过后才向第三方出具公开决定告知书；退回的决定不出具任何文书。",),
    ),
    Action.SUBMIT: ActionSpec("提交审批", (S.DRAFTING,), S.AWAITING_APPROVAL, frozenset({R.HANDLER}), fields=(NOTE,)),
    Action.APPROVE: ActionSpec(
        "审批通过",
        (S.AWAITING_APPROVAL,),
        S.ANSWERED,
        frozenset({R.APPROVER}),
        ClockEffect.STOP,
        "answer",
        (_f("comment", TXT, "审批意见"), _f("confirm_late", FLAG, "确认逾期答复（答复期限已届满时须勾选）")),
        notes=("决定不顾第三方异议公开的，同时向第三方出具公开决定告知书（第三十二条）。",),
    ),
    Action.RETURN: ActionSpec(
        "退回修改",
        (S.AWAITING_APPROVAL,),
        S.DRAFTING,
        frozenset({R.APPROVER}),
        fields=(_f("comment", TXT, "退回意见", required=True),),
    ),
    Action.CLOSE: ActionSpec(
        "送达归档",
        (S.ANSWERED,),
        S.CLOSED,
        frozenset({R.HANDLER, R.REGISTRAR}),
        fields=(
            _f("delivered_on", DAY, "答复书送达之日"),
            _f("delivery_method", ONE, "答复书送达方式", choices=SERVICE),
            _f("proof", TXT, "送达凭证"),
            NOTE,
        ),
    ),
    Action.WITHDRAW: ActionSpec(
        "申请人撤回",
        (S.RECEIVED, *ACTIVE),
        S.WITHDRAWN,
        frozenset({R.REGISTRAR, R.HANDLER, R.APPLICANT}),
        ClockEffect.STOP,
        fields=(_f("reason", TXT, "撤回说明", required=True), _f("withdrawn_on", DAY, "撤回之日")),
    ),
    Action.ASSIGN: ActionSpec(
        "分派承办人",
        (S.RECEIVED, *ACTIVE, S.ANSWERED),
        None,
        frozenset({R.REGISTRAR, R.APPROVER, R.ADMIN}),
        fields=(_f("handler", TXT, "承办人", required=True), _f("department", TXT, "承办部门")),
    ),
    Action.REQUEST_REASONS: ActionSpec(
        "要求说明理由",
        (S.UNDER_REVIEW,),
        None,
        frozenset({R.HANDLER}),
        letter="reasons_request",
        fields=(
            _f("matter", TXT, "申请数量、频次明显超过合理范围的情况", required=True),
            _f("reply_days", NUM, "说明理由期限（工作日）", minimum=1, maximum=30),
            *_served("告知书发出之日", "申请人收到告知书之日"),
        ),
        article="第三十五条",
    ),
    Action.RECORD_REASONS: ActionSpec(
        "记录申请人说明的理由",
        (S.UNDER_REVIEW,),
        None,
        frozenset({R.HANDLER}),
        fields=(
            _f("received_on", DAY, "收到说明之日"),
            _f("reasonable", ONE, "理由是否合理", required=True, choices=tuple(Reasonable)),
            NOTE,
        ),
        article="第三十五条",
    ),
    Action.SET_LATER_DATE: ActionSpec(
        "确定延迟答复的合理期限",
        (S.UNDER_REVIEW, S.CONSULTING, S.AWAITING_FEE, S.DRAFTING),
        None,
        frozenset({R.APPROVER}),
        ClockEffect.EXTEND,
        "later_date_notice",
        (
            _f("answer_due", DAY, "延迟答复的期限", required=True, future=True),
            _f("reason", TXT, "理由", required=True),
        ),
        article="第三十五条",
    ),
    Action.RECORD_DELIVERY: ActionSpec(
        "登记送达",
        EVERY_STATE,
        None,
        # The applicant: only the portal, when they open a letter served on it (electronic service).
        frozenset({R.HANDLER, R.REGISTRAR, R.APPLICANT}),
        fields=(
            _f("letter", NUM, "文书编号（ID）", required=True, minimum=1),
            _f("delivered_on", DAY, "送达之日（对方收到之日）", required=True),
            _f("method", ONE, "送达方式", choices=SERVICE),
            _f("proof", TXT, "送达凭证（挂号单号、签收记录、回执等）"),
        ),
        notes=("对方须在收到文书后履行的期限（补正、缴费、征求意见答复、说明理由）自送达之日起算。",),
    ),
}
