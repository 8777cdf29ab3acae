"""Guards of the periods that pause or extend the answer: consultation (Art. 32–34), fees
(国办函〔2020〕109号), the extension (Art. 33(2)) and requests beyond a reasonable scope (Art. 35)."""

from __future__ import annotations

from datetime import date

from states.guards.context import ConsultationFact, GuardContext, Refusal, given_date, undelivered


def consultation_dates(ctx: GuardContext) -> Refusal | None:
    sent = given_date(ctx, "sent_on")
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
    if given_date(ctx, "received_on") < target.sent_on:
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
        return undelivered("征求意见书")
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


def _fee_method_complete(ctx: GuardContext) -> Refusal | None:
    """One method, with the figure it needs (国办函〔2020〕109号): pages by volume, count by count."""
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
    return None


def fee_notice_ok(ctx: GuardContext) -> Refusal | None:
    if ctx.fee_notices > 0:
        return Refusal("fee.once", "同一申请只能发出一次收费通知，且只能采用一种计费方式（国办函〔2020〕109号）")
    incomplete = _fee_method_complete(ctx)
    if incomplete is not None:
        return incomplete
    if ctx.fee_amount is not None and ctx.fee_amount <= 0:
        return Refusal("fee.nothing_due", "按规定计算不收费（免费额度内），无需发出收费通知")
    sent = given_date(ctx, "sent_on")
    if ctx.answer_due is not None and max(sent, ctx.today) > ctx.answer_due:
        return Refusal("fee.within_answer_period", "收费通知应在答复期限内发出（国办函〔2020〕109号）")
    return None


def payment_after_notice(ctx: GuardContext) -> Refusal | None:
    if ctx.fee_sent_on is not None and given_date(ctx, "paid_on") < ctx.fee_sent_on:
        return Refusal("dates.paid_after_notice", "缴费之日不能早于收费通知发出之日")
    return None


def fee_period_passed(ctx: GuardContext) -> Refusal | None:
    if ctx.fee_due is None and ctx.fee_sent_on is not None:
        return undelivered("收费通知书")
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


def reasons_request_once(ctx: GuardContext) -> Refusal | None:
    if ctx.reasons_requests > 0:
        return Refusal("art35.ask_once", "已要求申请人说明理由，不能重复要求")
    delivered = ctx.payload.get("delivered_on")
    if isinstance(delivered, date) and delivered < given_date(ctx, "sent_on"):
        return Refusal("dates.delivered_after_sent", "申请人收到告知书之日不能早于发出之日")
    return None


def reasons_on_record(ctx: GuardContext) -> Refusal | None:
    if ctx.reasons_requests == 0 or ctx.reasons_sent_on is None:
        return Refusal("art35.nothing_asked", "没有要求申请人说明理由，无从记录（条例第三十五条）")
    if ctx.reasons_reasonable is not None:
        return Refusal("art35.reasons_once", "申请人说明的理由已经记录")
    if given_date(ctx, "received_on") < ctx.reasons_sent_on:
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
