"""The statute table: each action of a disclosure request, as the regulations (《政府信息公开条例》)
and 国办函〔2020〕109号 state it — the states it leaves and enters, who may take it, the letter it
issues, the fields it takes and the article it rests on. What the engine does for each action is
in `workflow/actions/`; the legal conditions are in `states/guards/`.
"""

from __future__ import annotations

from states.lifecycle import Action, ActionSpec, CaseState, Field, Role, day, many_of, number, one_of, text, yes_no
from states.outcomes import Ground, Outcome, ReviewConclusion
from states.vocab import ConfirmMethod, ConsultationParty, FeeMethod, Opinion, Reasonable, ServiceMethod

# The states of a case still being handled, and those in which the answer period can run.
ACTIVE = (
    CaseState.REGISTERED,
    CaseState.AWAITING_CORRECTION,
    CaseState.UNDER_REVIEW,
    CaseState.CONSULTING,
    CaseState.AWAITING_FEE,
    CaseState.DRAFTING,
    CaseState.AWAITING_APPROVAL,
)
CLOCKED = tuple(s for s in ACTIVE if s is not CaseState.AWAITING_CORRECTION)
EVERY_STATE = tuple(CaseState)

NOTE = text("note", "备注")
SERVICE_METHODS = tuple(ServiceMethod)


def served_letter_fields(*, sent: str, delivered: str) -> tuple[Field, ...]:
    """The fields of an outgoing letter whose period runs from its delivery (送达)."""
    return (
        day("sent_on", sent),
        one_of("delivery_method", "送达方式（留空按申请渠道）", choices=SERVICE_METHODS),
        day("delivered_on", delivered),
    )


ACTIONS: dict[Action, ActionSpec] = {
    Action.REGISTER: ActionSpec(
        label="登记",
        sources=(CaseState.RECEIVED,),
        dest=CaseState.REGISTERED,
        roles=frozenset({Role.REGISTRAR}),
        letter="acknowledgement",
        fields=(NOTE,),
        article="第三十一条",
        notes=(
            "收到申请之日由收件渠道确定（第三十一条），登记不能更改；确有错误的，由审批人以“更正收到申请之日”更正。",
        ),
    ),
    Action.CONFIRM_RECEIPT: ActionSpec(
        label="确认收到申请",
        sources=(CaseState.RECEIVED, CaseState.REGISTERED),
        dest=None,
        roles=frozenset({Role.REGISTRAR, Role.HANDLER}),
        fields=(
            day("confirmed_on", "双方确认之日"),
            one_of("method", "确认方式", required=True, choices=tuple(ConfirmMethod)),
            NOTE,
        ),
        article="第三十一条第（二）项、第（三）项",
        notes=("平常信函、互联网渠道和传真提交的申请，以双方确认之日为收到申请之日。",),
    ),
    Action.CORRECT_RECEIPT: ActionSpec(
        label="更正收到申请之日",
        sources=(CaseState.RECEIVED, *ACTIVE),
        dest=None,
        roles=frozenset({Role.APPROVER}),
        fields=(
            day("received_on", "正确的收到申请之日", required=True),
            text("reason", "更正理由", required=True),
        ),
        article="第三十一条",
    ),
    Action.REQUEST_CORRECTION: ActionSpec(
        label="告知补正",
        sources=(CaseState.REGISTERED, CaseState.UNDER_REVIEW),
        dest=CaseState.AWAITING_CORRECTION,
        roles=frozenset({Role.REGISTRAR, Role.HANDLER}),
        letter="correction_notice",
        fields=(
            text("items", "需补正的事项", required=True),
            number("period_days", "补正期限（工作日）", minimum=1, maximum=60),
            *served_letter_fields(sent="告知书发出之日", delivered="申请人收到告知书之日"),
        ),
        article="第三十条",
    ),
    Action.RECEIVE_CORRECTION: ActionSpec(
        label="收到补正",
        sources=(CaseState.AWAITING_CORRECTION,),
        dest=CaseState.REGISTERED,
        roles=frozenset({Role.REGISTRAR, Role.HANDLER, Role.APPLICANT}),
        fields=(
            day("received_on", "收到补正申请之日"),
            NOTE,
        ),
        article="第三十条",
    ),
    Action.LAPSE_CORRECTION: ActionSpec(
        label="逾期未补正",
        sources=(CaseState.AWAITING_CORRECTION,),
        dest=CaseState.DEEMED_ABANDONED,
        roles=frozenset({Role.SYSTEM, Role.HANDLER}),
        letter="termination_no_correction",
        fields=(NOTE,),
        article="第三十条",
    ),
    Action.START_REVIEW: ActionSpec(
        label="开始审查",
        sources=(CaseState.REGISTERED,),
        dest=CaseState.UNDER_REVIEW,
        roles=frozenset({Role.HANDLER}),
        fields=(NOTE,),
    ),
    Action.REVIEW_CONFIDENTIALITY: ActionSpec(
        label="保密审查",
        sources=(CaseState.UNDER_REVIEW, CaseState.CONSULTING, CaseState.DRAFTING),
        dest=None,
        roles=frozenset({Role.REVIEWER}),
        fields=(
            one_of("conclusion", "审查结论", required=True, choices=tuple(ReviewConclusion)),
            NOTE,
        ),
        article="第十七条",
    ),
    Action.CONSULT: ActionSpec(
        label="征求意见",
        sources=(CaseState.UNDER_REVIEW, CaseState.CONSULTING),
        dest=CaseState.CONSULTING,
        roles=frozenset({Role.HANDLER}),
        letter="consultation",
        fields=(
            one_of("party", "征求对象类型", required=True, choices=tuple(ConsultationParty)),
            text("addressee", "征求对象名称", required=True),
            text("matter", "征求意见事项"),
            *served_letter_fields(sent="发出之日", delivered="对方收到之日"),
            number("due_days", "内部协办期限（工作日）", minimum=1, maximum=30),
        ),
        article="第三十二条、第三十三条、第三十四条",
        notes=("征求本机关内设部门（协办）意见不中止答复期限。",),
    ),
    Action.RECORD_REPLY: ActionSpec(
        label="收到意见",
        sources=(CaseState.CONSULTING,),
        dest=CaseState.CONSULTING,
        roles=frozenset({Role.HANDLER, Role.REGISTRAR}),
        fields=(
            number("consultation", "征求意见编号"),
            day("received_on", "收到答复之日"),
            one_of("opinion", "意见", required=True, choices=tuple(Opinion)),
            text("reason", "理由"),
            one_of("reasonable", "异议是否有合理理由（第三十二条）", choices=tuple(Reasonable)),
        ),
        article="第三十二条",
        alt_dest=("closes_last_consultation", CaseState.UNDER_REVIEW),
    ),
    Action.LAPSE_CONSULTATION: ActionSpec(
        label="征求意见逾期",
        sources=(CaseState.CONSULTING,),
        dest=CaseState.CONSULTING,
        roles=frozenset({Role.SYSTEM, Role.HANDLER}),
        fields=(
            number("consultation", "征求意见编号"),
            NOTE,
        ),
        article="第三十二条、第三十四条",
        alt_dest=("closes_last_consultation", CaseState.UNDER_REVIEW),
        notes=("第三方逾期未答复视为无意见，由本机关决定；其他机关逾期未答复视为同意。",),
    ),
    Action.ISSUE_FEE_NOTICE: ActionSpec(
        label="发出收费通知",
        sources=(CaseState.UNDER_REVIEW, CaseState.DRAFTING),
        dest=CaseState.AWAITING_FEE,
        roles=frozenset({Role.HANDLER}),
        letter="fee_notice",
        fields=(
            one_of("method", "计费方式", required=True, choices=tuple(FeeMethod)),
            number("pages", "页数（按量计收）", minimum=1),
            number("count", "本月累计申请件数（按件计收；留空按登记簿计算）", minimum=1),
            *served_letter_fields(sent="通知发出之日", delivered="申请人收到通知之日"),
        ),
        article="国办函〔2020〕109号",
    ),
    Action.RECORD_PAYMENT: ActionSpec(
        label="确认缴费",
        sources=(CaseState.AWAITING_FEE,),
        dest=CaseState.UNDER_REVIEW,
        roles=frozenset({Role.HANDLER, Role.REGISTRAR, Role.APPLICANT}),
        fields=(
            day("paid_on", "缴费之日"),
            NOTE,
        ),
        article="国办函〔2020〕109号",
        alt_dest=("has_outcome", CaseState.DRAFTING),
    ),
    Action.LAPSE_FEE: ActionSpec(
        label="逾期未缴费",
        sources=(CaseState.AWAITING_FEE,),
        dest=CaseState.ABANDONED_UNPAID,
        roles=frozenset({Role.SYSTEM, Role.HANDLER}),
        letter="termination_fee_unpaid",
        fields=(NOTE,),
        article="国办函〔2020〕109号",
    ),
    Action.EXTEND: ActionSpec(
        label="延期答复",
        sources=CLOCKED,
        dest=None,
        roles=frozenset({Role.APPROVER}),
        letter="extension_notice",
        fields=(
            number("days", "延长期限（工作日，最多20个）", required=True, minimum=1),  # maximum: a rulebook guard
            text("reason", "延期理由", required=True),
        ),
        article="第三十三条第二款",
    ),
    Action.DECIDE: ActionSpec(
        label="作出答复决定",
        sources=(CaseState.UNDER_REVIEW, CaseState.DRAFTING),
        dest=CaseState.DRAFTING,
        roles=frozenset({Role.HANDLER}),
        fields=(
            one_of("outcome", "答复类型", required=True, choices=tuple(Outcome)),
            many_of("grounds", "不予公开理由", choices=tuple(Ground)),
            # the case's own facts per ground (Art. 36(3)): one "ground：facts" a line; the letter
            # quotes the provision after each
            text("ground_reasons", "各项不予公开理由的具体事实（每行“理由代码：事实”）"),
            text("reason", "说明理由"),
            text("responsible_agency", "负责公开的机关"),
            text("access", "获取方式、途径或其他告知事项"),
            yes_no("override_objection", "第三方异议有合理理由，但因公共利益决定公开"),
            text("override_reason", "不采纳第三方异议的理由（公共利益理由，或异议不成立的理由）"),
            text("catalogue_item", "政府信息目录条目（编号或索引号）"),
            NOTE,
        ),
        article="第三十六条至第三十九条",
        notes=("不顾第三方异议决定公开的，经审批通过后才向第三方出具公开决定告知书；退回的决定不出具任何文书。",),
    ),
    Action.SUBMIT: ActionSpec(
        label="提交审批",
        sources=(CaseState.DRAFTING,),
        dest=CaseState.AWAITING_APPROVAL,
        roles=frozenset({Role.HANDLER}),
        fields=(NOTE,),
    ),
    Action.APPROVE: ActionSpec(
        label="审批通过",
        sources=(CaseState.AWAITING_APPROVAL,),
        dest=CaseState.ANSWERED,
        roles=frozenset({Role.APPROVER}),
        letter="answer",
        fields=(
            text("comment", "审批意见"),
            yes_no("confirm_late", "确认逾期答复（答复期限已届满时须勾选）"),
        ),
        notes=("决定不顾第三方异议公开的，同时向第三方出具公开决定告知书（第三十二条）。",),
    ),
    Action.RETURN: ActionSpec(
        label="退回修改",
        sources=(CaseState.AWAITING_APPROVAL,),
        dest=CaseState.DRAFTING,
        roles=frozenset({Role.APPROVER}),
        fields=(text("comment", "退回意见", required=True),),
    ),
    Action.CLOSE: ActionSpec(
        label="送达归档",
        sources=(CaseState.ANSWERED,),
        dest=CaseState.CLOSED,
        roles=frozenset({Role.HANDLER, Role.REGISTRAR}),
        fields=(
            day("delivered_on", "答复书送达之日"),
            one_of("delivery_method", "答复书送达方式", choices=SERVICE_METHODS),
            text("proof", "送达凭证"),
            NOTE,
        ),
    ),
    Action.WITHDRAW: ActionSpec(
        label="申请人撤回",
        sources=(CaseState.RECEIVED, *ACTIVE),
        dest=CaseState.WITHDRAWN,
        roles=frozenset({Role.REGISTRAR, Role.HANDLER, Role.APPLICANT}),
        fields=(
            text("reason", "撤回说明", required=True),
            day("withdrawn_on", "撤回之日"),
        ),
    ),
    Action.ASSIGN: ActionSpec(
        label="分派承办人",
        sources=(CaseState.RECEIVED, *ACTIVE, CaseState.ANSWERED),
        dest=None,
        roles=frozenset({Role.REGISTRAR, Role.APPROVER, Role.ADMIN}),
        fields=(
            text("handler", "承办人", required=True),
            text("department", "承办部门"),
        ),
    ),
    Action.REQUEST_REASONS: ActionSpec(
        label="要求说明理由",
        sources=(CaseState.UNDER_REVIEW,),
        dest=None,
        roles=frozenset({Role.HANDLER}),
        letter="reasons_request",
        fields=(
            text("matter", "申请数量、频次明显超过合理范围的情况", required=True),
            number("reply_days", "说明理由期限（工作日）", minimum=1, maximum=30),
            *served_letter_fields(sent="告知书发出之日", delivered="申请人收到告知书之日"),
        ),
        article="第三十五条",
    ),
    Action.RECORD_REASONS: ActionSpec(
        label="记录申请人说明的理由",
        sources=(CaseState.UNDER_REVIEW,),
        dest=None,
        roles=frozenset({Role.HANDLER}),
        fields=(
            day("received_on", "收到说明之日"),
            one_of("reasonable", "理由是否合理", required=True, choices=tuple(Reasonable)),
            NOTE,
        ),
        article="第三十五条",
    ),
    Action.SET_LATER_DATE: ActionSpec(
        label="确定延迟答复的合理期限",
        sources=(CaseState.UNDER_REVIEW, CaseState.CONSULTING, CaseState.AWAITING_FEE, CaseState.DRAFTING),
        dest=None,
        roles=frozenset({Role.APPROVER}),
        letter="later_date_notice",
        fields=(
            day("answer_due", "延迟答复的期限", required=True, future=True),
            text("reason", "理由", required=True),
        ),
        article="第三十五条",
    ),
    Action.RECORD_DELIVERY: ActionSpec(
        label="登记送达",
        sources=EVERY_STATE,
        dest=None,
        # The applicant: only the portal, when they open a letter served on it (electronic service).
        roles=frozenset({Role.HANDLER, Role.REGISTRAR, Role.APPLICANT}),
        fields=(
            number("letter", "文书编号（ID）", required=True, minimum=1),
            day("delivered_on", "送达之日（对方收到之日）", required=True),
            one_of("method", "送达方式", choices=SERVICE_METHODS),
            text("proof", "送达凭证（挂号单号、签收记录、回执等）"),
        ),
        notes=("对方须在收到文书后履行的期限（补正、缴费、征求意见答复、说明理由）自送达之日起算。",),
    ),
}
