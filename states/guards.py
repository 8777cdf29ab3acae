"""The legal conditions of each action, as pure predicates over the facts of a case.

A guard returns a `Refusal` naming the rule (a stable id plus words a handler understands) or
None. The workflow gathers the facts (`GuardContext`); nothing here reads a database or a clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from states.lifecycle import Action, Role
from states.outcomes import DISCLOSING_OUTCOMES, OUTCOMES, Ground, Outcome, ReviewConclusion
from states.rulebook import RuleBook
from states.vocab import RECEIPT_AT_INTAKE


@dataclass(frozen=True, slots=True)
class Refusal:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.message}（规则 {self.rule}）"


@dataclass(frozen=True, slots=True)
class ConsultationFact:
    id: int
    party: str  # third_party | other_agency | internal_department
    addressee: str
    sent_on: date
    reply_due: date | None  # None until the addressee's receipt (送达) is recorded
    open: bool


@dataclass(frozen=True, slots=True)
class LetterFact:
    """An issued letter of the case and its service (送达)."""

    id: int
    kind: str
    sent_on: date
    delivered_on: date | None


@dataclass(frozen=True, slots=True)
class GuardContext:
    action: Action
    actor: str
    today: date
    payload: Mapping[str, object]
    rulebook: RuleBook
    received_on: date | None = None
    correction_requests: int = 0
    correction_sent_on: date | None = None
    correction_notice_due: date | None = None
    correction_reply_due: date | None = None
    extension_used: bool = False
    answer_due: date | None = None
    submitted_by: str | None = None
    # everyone who decided, re-decided or submitted a decision in the case's history (four-eyes)
    decision_makers: frozenset[str] = frozenset()
    review_conclusion: str | None = None
    outcome: str | None = None
    consultations: tuple[ConsultationFact, ...] = ()
    fee_notices: int = 0
    fee_sent_on: date | None = None
    fee_due: date | None = None
    fee_amount: int | None = None
    objection_on_record: bool = False
    objection_reasonable: bool | None = None  # Art. 32: as recorded with the objection (None: not said)
    assignee_is_handler: bool | None = None
    channel: str | None = None
    arrived_on: date | None = None
    receipt_pending: bool = False
    letters: tuple[LetterFact, ...] = ()
    reasons_requests: int = 0
    reasons_sent_on: date | None = None
    reasons_due: date | None = None
    reasons_received_on: date | None = None
    reasons_reasonable: str | None = None
    # The acting role, and for a lapse the provisional years its period depends on (ogi-rules §1).
    role: str | None = None
    lapse_provisional_years: tuple[int, ...] = ()
    # The applicant's identity document (resident_id | uscc | other | missing), for per-count fees.
    applicant_identity: str | None = None

    @property
    def open_consultations(self) -> tuple[ConsultationFact, ...]:
        return tuple(c for c in self.consultations if c.open)

    def target_consultation(self) -> ConsultationFact | None:
        """The consultation a reply or lapse refers to: the one named, or the only open one."""
        wanted = self.payload.get("consultation")
        open_ = self.open_consultations
        if wanted is None:
            return open_[0] if len(open_) == 1 else None
        return next((c for c in open_ if c.id == wanted), None)


Guard = Callable[[GuardContext], Refusal | None]


def _date(ctx: GuardContext, name: str) -> date:
    value = ctx.payload.get(name)
    return value if isinstance(value, date) else ctx.today


def correction_once_and_in_time(ctx: GuardContext) -> Refusal | None:
    if ctx.correction_requests > 0:
        return Refusal("art30.correction_once", "补正告知只能一次性发出，本申请已告知过补正（条例第三十条）")
    sent = _date(ctx, "sent_on")
    # The notice this action issues is dated today, so a sent_on recorded as earlier cannot
    # bring a late notice within the limit.
    if ctx.correction_notice_due is not None and max(sent, ctx.today) > ctx.correction_notice_due:
        return Refusal(
            "art30.correction_within_7_days",
            f"补正告知应在收到申请之日起{ctx.rulebook.correction_notice_days}个工作日内发出，"
            f"期限已于{ctx.correction_notice_due.isoformat()}届满（条例第三十条）",
        )
    delivered = ctx.payload.get("delivered_on")
    if isinstance(delivered, date) and delivered < sent:
        return Refusal("dates.delivered_after_sent", "申请人收到告知书之日不能早于发出之日")
    return None


def correction_after_notice(ctx: GuardContext) -> Refusal | None:
    got = _date(ctx, "received_on")
    if ctx.correction_sent_on is not None and got < ctx.correction_sent_on:
        return Refusal("art30.correction_after_notice", "收到补正之日不能早于补正告知书发出之日")
    return None


def _undelivered(what: str) -> Refusal:
    return Refusal(
        "delivery.unconfirmed",
        f"{what}尚未确认送达，对方的期限自收到之日起算，尚未起算，不能按逾期处理；请先登记送达（record_delivery）",
    )


PROVISIONAL_NO_AUTO_LAPSE = "calendar.provisional_no_auto_lapse"


def no_automatic_lapse_on_provisional_date(ctx: GuardContext) -> Refusal | None:
    """ogi-rules §1: no automatic lapse against an applicant or a third party on a date that
    depends on a year whose holiday arrangement is not yet published; a person confirms it."""
    if ctx.rulebook.provisional_dates_lapse_automatically or not ctx.lapse_provisional_years:
        return None
    if ctx.role != Role.SYSTEM.value:
        return None  # a person has checked the date: the handler may lapse by hand
    years = "、".join(f"{y}年" for y in ctx.lapse_provisional_years)
    return Refusal(
        PROVISIONAL_NO_AUTO_LAPSE,
        f"该期限的届满日取决于{years}的放假安排，国务院尚未公布，系按周末、法定节日及补假临时推算；"
        "临时日期不能自动作出对申请人或第三方不利的处理，须由承办人核实后办理",
    )


def correction_period_passed(ctx: GuardContext) -> Refusal | None:
    due = ctx.correction_reply_due
    if due is None and ctx.correction_sent_on is not None:
        return _undelivered("补正告知书")
    if due is None or ctx.today <= due:
        shown = due.isoformat() if due else "未设定"
        return Refusal("art30.correction_period_running", f"补正期限（至{shown}）尚未届满，不能视为放弃申请")
    return None


def consultation_dates(ctx: GuardContext) -> Refusal | None:
    sent = _date(ctx, "sent_on")
    delivered = ctx.payload.get("delivered_on")
    if isinstance(delivered, date) and delivered < sent:
        return Refusal("dates.delivered_after_sent", "对方收到之日不能早于发出之日")
    pauses = ctx.payload.get("party") in ("third_party", "other_agency")
    if pauses and ctx.answer_due is not None and max(sent, ctx.today) > ctx.answer_due:
        # A consultation only stops a clock that is still running: once the answer period has
        # run out, a backdated letter must not make an overdue case current again.
        return Refusal(
            "art33.consult_within_answer_period",
            f"答复期限已于{ctx.answer_due.isoformat()}届满，不能再以征求意见中止计算（条例第三十三条）",
        )
    return None


def _pick_consultation(ctx: GuardContext) -> tuple[ConsultationFact | None, Refusal | None]:
    target = ctx.target_consultation()
    if target is not None:
        return target, None
    if ctx.payload.get("consultation") is None and len(ctx.open_consultations) > 1:
        ids = "、".join(str(c.id) for c in ctx.open_consultations)
        return None, Refusal("consult.which", f"有多项征求意见尚未答复（编号 {ids}），请用 consultation 指明是哪一项")
    return None, Refusal("consult.not_open", "指定的征求意见不存在或已经结束")


def reply_to_open_consultation(ctx: GuardContext) -> Refusal | None:
    target, refusal = _pick_consultation(ctx)
    if target is None:
        return refusal
    if _date(ctx, "received_on") < target.sent_on:
        return Refusal("dates.reply_after_sent", "收到答复之日不能早于征求意见发出之日")
    if ctx.payload.get("opinion") == "objection" and not ctx.payload.get("reason"):
        return Refusal("art32.objection_reason", "第三方提出异议的，应记录其理由（条例第三十二条）")
    objection = ctx.payload.get("opinion") == "objection"
    if objection and target.party == "third_party" and not ctx.payload.get("reasonable"):
        return Refusal(
            "art32.objection_reasonable",
            "第三方提出异议的，应记录异议是否有合理理由（reasonable：yes 或 no），条例第三十二条只约束有合理理由的异议",
        )
    return None


def consultation_lapsed(ctx: GuardContext) -> Refusal | None:
    target, refusal = _pick_consultation(ctx)
    if target is None:
        return refusal
    if target.party == "internal_department":
        return Refusal("consult.internal_no_lapse", "本机关内设部门协办逾期只作督办提醒，不能按逾期处理，请记录其意见")
    if target.reply_due is None:
        return _undelivered("征求意见书")
    if ctx.today <= target.reply_due:
        return Refusal("art32.reply_period_running", f"征求意见答复期限（至{target.reply_due.isoformat()}）尚未届满")
    return None


# 国办函〔2020〕109号 counts per-count fees per applicant (同一申请人) within a natural month; the
# applicant is identified by the identity document Art. 29 requires (身份证明): a resident ID with a
# valid check character or a unified social credit code. Without one nothing can be counted.
COUNTABLE_IDENTITY_DOCUMENTS = frozenset({"resident_id", "uscc"})


def per_count_needs_identity(ctx: GuardContext) -> Refusal | None:
    if ctx.payload.get("method") != "per_count" or ctx.applicant_identity is None:
        return None
    if ctx.applicant_identity in COUNTABLE_IDENTITY_DOCUMENTS:
        return None
    what = "未提供身份证明" if ctx.applicant_identity == "missing" else "登记的证件不是居民身份证或统一社会信用代码"
    return Refusal(
        "fee.per_count_needs_identity",
        f"按件计收须按申请人的身份证明（居民身份证号码或统一社会信用代码）累计本月申请件数，本申请{what}，"
        "不能按件计收；可先告知补正身份证明（条例第二十九条），或按量计收（国办函〔2020〕109号）",
    )


def fee_notice_ok(ctx: GuardContext) -> Refusal | None:
    if ctx.fee_notices > 0:
        return Refusal("fee.once", "同一申请只能发出一次收费通知，且只能采用一种计费方式（国办函〔2020〕109号）")
    method = ctx.payload.get("method")
    if method == "per_page" and not ctx.payload.get("pages"):
        return Refusal("fee.pages_required", "按量计收须填写页数 pages")
    if method == "per_count" and not ctx.payload.get("count"):
        return Refusal("fee.count_required", "按件计收须填写本月累计申请件数 count")
    floor = ctx.payload.get("count_in_register")
    if method == "per_count" and isinstance(floor, int) and int(str(ctx.payload["count"])) < floor:
        return Refusal(
            "fee.count_below_register",
            f"本机关登记簿显示这是该申请人本月第{floor}件申请，count 不能小于此数"
            "（国办函〔2020〕109号按同一申请人计件）",
        )
    other = "count" if method == "per_page" else "pages"
    if ctx.payload.get(other):
        return Refusal(
            "fee.one_method", f"一件申请只能采用一种计费方式：{method} 不能同时填写 {other}（国办函〔2020〕109号）"
        )
    if ctx.fee_amount is not None and ctx.fee_amount <= 0:
        return Refusal("fee.nothing_due", "按规定计算不收费（免费额度内），无需发出收费通知")
    sent = _date(ctx, "sent_on")
    if ctx.answer_due is not None and max(sent, ctx.today) > ctx.answer_due:
        return Refusal("fee.within_answer_period", "收费通知应在答复期限内发出（国办函〔2020〕109号）")
    return None


def payment_after_notice(ctx: GuardContext) -> Refusal | None:
    if ctx.fee_sent_on is not None and _date(ctx, "paid_on") < ctx.fee_sent_on:
        return Refusal("dates.paid_after_notice", "缴费之日不能早于收费通知发出之日")
    return None


def fee_period_passed(ctx: GuardContext) -> Refusal | None:
    if ctx.fee_due is None and ctx.fee_sent_on is not None:
        return _undelivered("收费通知书")
    if ctx.fee_due is None or ctx.today <= ctx.fee_due:
        shown = ctx.fee_due.isoformat() if ctx.fee_due else "未设定"
        return Refusal("fee.period_running", f"缴费期限（至{shown}）尚未届满")
    return None


def extension_once_in_time(ctx: GuardContext) -> Refusal | None:
    if ctx.extension_used:
        return Refusal("art33.extend_once", "答复期限只能延长一次（条例第三十三条第二款）")
    if ctx.answer_due is None:
        return Refusal("art33.extend_needs_running_clock", "答复期限尚未起算（如等待补正），不能延期")
    if ctx.today > ctx.answer_due:
        return Refusal("art33.extend_before_expiry", f"答复期限已于{ctx.answer_due.isoformat()}届满，不能再延期")
    days = ctx.payload.get("days")
    if isinstance(days, int) and days > ctx.rulebook.extension_max_days:
        return Refusal(
            "art33.extend_max", f"延长期限最长不得超过{ctx.rulebook.extension_max_days}个工作日（条例第三十三条第二款）"
        )
    if not str(ctx.payload.get("reason") or "").strip():
        return Refusal("art33.extend_reason", "延期须说明理由")
    return None


def decision_ok(ctx: GuardContext) -> Refusal | None:  # noqa: C901 - one rule per line of spec §4
    outcome = Outcome(str(ctx.payload.get("outcome")))
    grounds = ctx.payload.get("grounds") or ()
    spec = OUTCOMES[outcome]
    if spec.needs_ground and not grounds:
        return Refusal(
            "art36.grounds_required", f"“{spec.label}”须至少列明一项不予公开的理由（条例第十四条至第十六条）"
        )
    if not spec.needs_ground and grounds:
        return Refusal("art36.grounds_only_for_withholding", "只有不予公开或部分公开才列明不予公开理由")
    if outcome is Outcome.NOT_THIS_AGENCY and not (ctx.payload.get("reason") or ctx.payload.get("responsible_agency")):
        return Refusal(
            "art36_5.reason_required",
            "非本机关负责公开的，须说明理由，能够确定的告知负责机关（条例第三十六条第（五）项）",
        )
    if outcome is Outcome.STILL_UNCLEAR and ctx.correction_requests == 0:
        return Refusal("art30.unclear_needs_correction", "只有经补正后仍不明确的申请才能以此答复，本申请未告知过补正")
    refusal = objection_respected(ctx, outcome, grounds) or reasons_first(ctx, outcome)
    if refusal is not None:
        return refusal
    return review_holds(ctx, outcome)


def objection_respected(ctx: GuardContext, outcome: Outcome, grounds: object) -> Refusal | None:
    """Art. 32: a third party's objection with a reasonable ground binds the office unless it finds
    that withholding would seriously harm the public interest; one without a reasonable ground
    does not bind it, but the office must say why the objection does not hold."""
    overriding = bool(ctx.payload.get("override_objection"))
    if overriding and not ctx.objection_on_record:
        return Refusal("art32.no_objection", "没有第三方异议记录，无需作出“不顾异议公开”的决定")
    if overriding and outcome not in DISCLOSING_OUTCOMES:
        return Refusal("art32.override_discloses", "“因公共利益决定公开”只适用于公开或部分公开")
    if not ctx.objection_on_record or outcome not in DISCLOSING_OUTCOMES:
        return None
    # Partly disclosing while withholding on third-party grounds respects the objection.
    protected = Ground.THIRD_PARTY_RIGHTS.value in {str(g) for g in _items(grounds)}
    if outcome is Outcome.PARTLY_DISCLOSED and protected and not overriding:
        return None
    where = "override_reason" if outcome is Outcome.PARTLY_DISCLOSED else "override_reason 或 reason"
    if ctx.objection_reasonable is False:
        if not override_reason(ctx.payload):
            return Refusal(
                "art32.unreasonable_objection_reason",
                f"第三方异议已认定无合理理由，可以决定公开，但须在 {where} 写明异议不成立的理由（条例第三十二条）",
            )
        return None
    if not overriding:
        return Refusal(
            "art32.objection_on_record",
            "第三方已提出有合理理由的异议：应不予公开，或部分公开并以“保护第三方合法权益”不公开相关部分；"
            "认为不公开可能对公共利益造成重大影响的，勾选“因公共利益决定公开”并写明理由（条例第三十二条）",
        )
    if not override_reason(ctx.payload):
        # In a partial disclosure `reason` explains the withheld part, so the public-interest
        # reason told to the third party must be given on its own.
        return Refusal(
            "art32.override_reason", f"不顾第三方异议决定公开的，须在 {where} 写明公共利益理由（条例第三十二条）"
        )
    return None


def reasons_first(ctx: GuardContext, outcome: Outcome) -> Refusal | None:
    """Art. 35: "not processed" for unreasonable volume only after the applicant was asked for
    reasons and either let the period pass or gave reasons found unreasonable."""
    if outcome is not Outcome.UNREASONABLE_VOLUME:
        return None
    if ctx.reasons_reasonable == "no":
        return None
    if ctx.reasons_reasonable == "yes":
        return Refusal(
            "art35.reasons_found_reasonable",
            "申请人说明的理由已认定合理，不能以数量、频次明显超过合理范围不予处理；无法按期答复的，"
            "由审批人确定延迟答复的合理期限（set_later_date）",
        )
    if ctx.reasons_requests == 0:
        return Refusal(
            "art35.ask_reasons_first", "须先要求申请人说明理由（request_reasons），不能直接不予处理（条例第三十五条）"
        )
    if ctx.reasons_due is None:
        return _undelivered("说明理由告知书")
    if ctx.today <= ctx.reasons_due:
        return Refusal(
            "art35.reasons_period_running", f"申请人说明理由的期限（至{ctx.reasons_due.isoformat()}）尚未届满"
        )
    return None


def _items(value: object) -> tuple[object, ...]:
    return tuple(value) if isinstance(value, list | tuple | set | frozenset) else ((value,) if value else ())


def review_holds(ctx: GuardContext, outcome: Outcome | None) -> Refusal | None:
    """A disclosing answer needs a confidentiality review whose latest conclusion allows it."""
    if outcome in DISCLOSING_OUTCOMES:
        if ctx.review_conclusion is None:
            return Refusal("review.required", "公开（含部分公开）前须由保密审查员完成保密审查（条例第十七条）")
        if outcome is Outcome.DISCLOSED and ctx.review_conclusion != ReviewConclusion.CLEAR:
            return Refusal(
                "review.not_clear", "保密审查结论不是“未发现涉密或敏感内容”，不能全部公开；可部分公开或不予公开"
            )
    return None


def decided_answer_still_lawful(ctx: GuardContext) -> Refusal | None:
    """At submission and approval, the decided answer against the latest review: a review recorded
    after the decision (e.g. finding a state secret) must stop a disclosure going out."""
    return review_holds(ctx, Outcome(ctx.outcome) if ctx.outcome else None)


def override_reason(payload: Mapping[str, object]) -> str | None:
    """The public-interest reason for disclosing over a third party's objection (Art. 32):
    `override_reason`, or for a full disclosure (nothing withheld to explain) the decision's `reason`."""
    if payload.get("override_reason"):
        return str(payload["override_reason"])
    if payload.get("outcome") == Outcome.DISCLOSED.value and payload.get("reason"):
        return str(payload["reason"])
    return None


def late_approval_confirmed(ctx: GuardContext) -> Refusal | None:
    """Art. 33: an answer approved after its due date is late; the approver must say so knowingly
    (field confirm_late), and the approval event records it."""
    if ctx.answer_due is None or ctx.today <= ctx.answer_due or ctx.payload.get("confirm_late") is True:
        return None
    return Refusal(
        "art33.late_approval_confirm",
        f"答复期限已于{ctx.answer_due.isoformat()}届满，现在审批即为逾期答复；"
        "请核实后勾选“确认逾期答复”再审批（条例第三十三条）",
    )


def approver_is_not_submitter(ctx: GuardContext) -> Refusal | None:
    if ctx.submitted_by is not None and ctx.submitted_by == ctx.actor:
        return Refusal("approval.four_eyes", "提交审批的人不能审批自己提交的答复")
    return None


def approver_took_no_part_in_the_decision(ctx: GuardContext) -> Refusal | None:
    """Four eyes by person, not by button: whoever decided, re-decided or submitted the answer at
    any point of the case, whatever other roles they hold, may not approve it."""
    if ctx.actor in ctx.decision_makers:
        return Refusal(
            "approval.four_eyes_person",
            f"“{ctx.actor}”曾在本案中作出、修改或提交答复决定，不能再审批（审批须由未参与决定的另一人办理）",
        )
    return None


def assignee_is_handler(ctx: GuardContext) -> Refusal | None:
    if ctx.assignee_is_handler is False:
        return Refusal("assign.handler_role", f"“{ctx.payload.get('handler')}”不是具有承办人角色的用户")
    return None


def receipt_to_confirm(ctx: GuardContext) -> Refusal | None:
    if not ctx.receipt_pending:
        if ctx.channel in RECEIPT_AT_INTAKE:
            return Refusal(
                "art31.no_confirmation",
                "当面提交或需签收的邮寄申请，收件之日即为收到申请之日，无需确认（条例第三十一条）",
            )
        return Refusal("art31.confirmed_once", "收到申请之日已经确认；确有错误的，由审批人更正（correct_receipt）")
    if ctx.arrived_on is not None and _date(ctx, "confirmed_on") < ctx.arrived_on:
        return Refusal("dates.confirmed_after_arrival", f"确认之日不能早于申请到达之日（{ctx.arrived_on.isoformat()}）")
    return None


def receipt_correction_ok(ctx: GuardContext) -> Refusal | None:
    if ctx.receipt_pending:
        return Refusal("art31.confirm_first", "收到申请之日尚未确认，应先确认收到申请（confirm_receipt），不是更正")
    new = _date(ctx, "received_on")
    if new == ctx.received_on:
        return Refusal("art31.same_date", f"收到申请之日已是{new.isoformat()}，无需更正")
    if ctx.channel not in RECEIPT_AT_INTAKE and ctx.arrived_on is not None and new < ctx.arrived_on:
        return Refusal("art31.not_before_arrival", f"收到申请之日不能早于申请到达之日（{ctx.arrived_on.isoformat()}）")
    if not str(ctx.payload.get("reason") or "").strip():
        return Refusal("art31.correction_reason", "更正收到申请之日须说明理由")
    return None


def delivery_of_own_letter(ctx: GuardContext) -> Refusal | None:
    wanted = ctx.payload.get("letter")
    letter = next((x for x in ctx.letters if x.id == wanted), None)
    if letter is None:
        ids = "、".join(str(x.id) for x in ctx.letters) or "无"
        return Refusal("delivery.letter_of_case", f"文书 {wanted} 不是本案发出的文书；本案文书编号（ID）：{ids}")
    if letter.delivered_on is not None:
        return Refusal(
            "delivery.once",
            f"该文书已登记于{letter.delivered_on.isoformat()}送达；送达记录不能覆盖，如有错误请联系审计员",
        )
    if _date(ctx, "delivered_on") < letter.sent_on:
        return Refusal("delivery.after_sent", f"送达之日不能早于文书发出之日（{letter.sent_on.isoformat()}）")
    return None


def reasons_request_once(ctx: GuardContext) -> Refusal | None:
    if ctx.reasons_requests > 0:
        return Refusal("art35.ask_once", "已要求申请人说明理由，不能重复要求")
    delivered = ctx.payload.get("delivered_on")
    if isinstance(delivered, date) and delivered < _date(ctx, "sent_on"):
        return Refusal("dates.delivered_after_sent", "申请人收到告知书之日不能早于发出之日")
    return None


def reasons_on_record(ctx: GuardContext) -> Refusal | None:
    if ctx.reasons_requests == 0 or ctx.reasons_sent_on is None:
        return Refusal("art35.nothing_asked", "没有要求申请人说明理由，无从记录（条例第三十五条）")
    if ctx.reasons_reasonable is not None:
        return Refusal("art35.reasons_once", "申请人说明的理由已经记录")
    if _date(ctx, "received_on") < ctx.reasons_sent_on:
        return Refusal("dates.reasons_after_request", "收到说明之日不能早于说明理由告知书发出之日")
    return None


def later_date_ok(ctx: GuardContext) -> Refusal | None:
    if ctx.reasons_reasonable != "yes":
        return Refusal(
            "art35.later_date_needs_reasonable",
            "只有申请人说明的理由经认定合理、但无法按期答复的，才能确定延迟答复的合理期限（条例第三十五条）",
        )
    wanted = ctx.payload.get("answer_due")
    if isinstance(wanted, date) and ctx.answer_due is not None and wanted <= ctx.answer_due:
        return Refusal("art35.later_than_due", f"延迟答复的期限应晚于现在的答复期限（{ctx.answer_due.isoformat()}）")
    if not str(ctx.payload.get("reason") or "").strip():
        return Refusal("art35.later_date_reason", "确定延迟答复的期限须说明理由")
    return None


GUARDS: dict[Action, tuple[Guard, ...]] = {
    Action.CONFIRM_RECEIPT: (receipt_to_confirm,),
    Action.CORRECT_RECEIPT: (receipt_correction_ok,),
    Action.RECORD_DELIVERY: (delivery_of_own_letter,),
    Action.REQUEST_REASONS: (reasons_request_once,),
    Action.RECORD_REASONS: (reasons_on_record,),
    Action.SET_LATER_DATE: (later_date_ok,),
    Action.REQUEST_CORRECTION: (correction_once_and_in_time,),
    Action.RECEIVE_CORRECTION: (correction_after_notice,),
    Action.LAPSE_CORRECTION: (correction_period_passed, no_automatic_lapse_on_provisional_date),
    Action.CONSULT: (consultation_dates,),
    Action.RECORD_REPLY: (reply_to_open_consultation,),
    Action.LAPSE_CONSULTATION: (consultation_lapsed, no_automatic_lapse_on_provisional_date),
    Action.ISSUE_FEE_NOTICE: (per_count_needs_identity, fee_notice_ok),
    Action.RECORD_PAYMENT: (payment_after_notice,),
    Action.LAPSE_FEE: (fee_period_passed, no_automatic_lapse_on_provisional_date),
    Action.EXTEND: (extension_once_in_time,),
    Action.DECIDE: (decision_ok,),
    Action.SUBMIT: (decided_answer_still_lawful,),
    Action.APPROVE: (
        approver_is_not_submitter,
        approver_took_no_part_in_the_decision,
        decided_answer_still_lawful,
        late_approval_confirmed,
    ),
    Action.ASSIGN: (assignee_is_handler,),
}


def check_guards(ctx: GuardContext) -> Refusal | None:
    """The first refusal among the action's guards, or None when the action is lawful."""
    for guard in GUARDS.get(ctx.action, ()):
        refusal = guard(ctx)
        if refusal is not None:
            return refusal
    return None


def closes_last_consultation(ctx: GuardContext) -> bool:
    """True when this reply or lapse ends the only consultation still open."""
    target = ctx.target_consultation()
    return target is not None and len(ctx.open_consultations) == 1


def has_outcome(ctx: GuardContext) -> bool:
    return ctx.outcome is not None


CONDITIONS: Mapping[str, Callable[[GuardContext], bool]] = {
    "closes_last_consultation": closes_last_consultation,
    "has_outcome": has_outcome,
}
